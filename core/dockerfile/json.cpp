#include "dockerfile/json.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace Berth::Dockerfile {

namespace {

using nlohmann::ordered_json;

// [line, column, byte offset]
ordered_json position(const Position &p)
{
    return ordered_json::array({p.line, p.column, p.offset});
}

ordered_json range(const Range &r)
{
    return {{"start", position(r.start)}, {"end", position(r.end)}};
}

ordered_json instruction(const Instruction &inst)
{
    ordered_json out;
    out["keyword"] = inst.keywordText;
    out["name"] = inst.name;
    out["range"] = range(inst.range);
    ordered_json flags = ordered_json::array();
    for (const auto &f : inst.flags) {
        ordered_json flag = {{"raw", f.raw}, {"name", f.name}};
        flag["value"] = f.value ? ordered_json(*f.value) : ordered_json(nullptr);
        flag["range"] = range(f.range);
        flags.push_back(std::move(flag));
    }
    out["flags"] = std::move(flags);
    out["form"] = formName(inst.form);
    if (inst.form == Form::Exec) {
        ordered_json args = ordered_json::array();
        for (const auto &w : inst.words)
            args.push_back(w.text);
        out["arguments"] = std::move(args);
    } else {
        out["arguments"] = inst.arguments;
    }
    out["argumentsRange"] = range(inst.argumentsRange);
    ordered_json words = ordered_json::array();
    for (const auto &w : inst.words)
        words.push_back({{"text", w.text}, {"range", range(w.range)}});
    out["words"] = std::move(words);
    ordered_json heredocs = ordered_json::array();
    for (const auto &h : inst.heredocs)
        heredocs.push_back({{"name", h.name},
                            {"expand", h.expand},
                            {"chomp", h.chomp},
                            {"fd", h.fd},
                            {"content", h.effectiveContent()},
                            {"range", range(h.range)}});
    out["heredocs"] = std::move(heredocs);
    if (!inst.comments.empty())
        out["comments"] = inst.comments;
    if (inst.trigger)
        out["trigger"] = instruction(*inst.trigger);
    return out;
}

bool isScalar(const ordered_json &v)
{
    return !v.is_object() && !v.is_array();
}

std::string dumpOne(const ordered_json &v)
{
    return v.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

// The length of v on one line, or more than `budget` as soon as it is clear it will not fit.
std::size_t flatLength(const ordered_json &v, std::size_t budget)
{
    if (isScalar(v))
        return dumpOne(v).size();
    std::size_t total = 2;
    for (auto it = v.begin(); it != v.end() && total <= budget; ++it) {
        if (v.is_object())
            total += it.key().size() + 4;
        total += flatLength(*it, budget - std::min(total, budget)) + 2;
    }
    return total;
}

// Pretty-prints like dump(2), but keeps any value that fits in 90 characters on one line so
// that a range or a word reads at a glance.
void pretty(const ordered_json &v, int indent, std::string &out)
{
    if (isScalar(v) || v.empty() || flatLength(v, 90) <= 90) {
        std::string one = dumpOne(v);
        if (v.is_object() || v.is_array()) {
            // dump(-1) writes {"a":1,"b":2}: add the spaces a reader expects.
            std::string spaced;
            bool inString = false;
            for (std::size_t i = 0; i < one.size(); ++i) {
                const char c = one[i];
                spaced += c;
                if (inString && c == '\\' && i + 1 < one.size())
                    spaced += one[++i];
                else if (c == '"')
                    inString = !inString;
                else if (!inString && (c == ',' || c == ':'))
                    spaced += ' ';
            }
            one = spaced;
        }
        out += one;
        return;
    }
    const std::string pad(std::size_t(indent + 2), ' ');
    out += v.is_object() ? "{\n" : "[\n";
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first)
            out += ",\n";
        first = false;
        out += pad;
        if (v.is_object())
            out += dumpOne(it.key()) + ": ";
        pretty(*it, indent + 2, out);
    }
    out += "\n" + std::string(std::size_t(indent), ' ') + (v.is_object() ? "}" : "]");
}

} // namespace

std::string toJson(const Document &document)
{
    ordered_json out;
    out["file"] = document.fileName;
    out["bom"] = document.hasBom;
    out["escape"] = std::string(1, document.escape);
    ordered_json directives = ordered_json::array();
    for (const auto &d : document.directives)
        directives.push_back({{"name", d.name}, {"value", d.value}, {"range", range(d.range)}});
    out["directives"] = std::move(directives);
    ordered_json instructions = ordered_json::array();
    for (const auto &inst : document.instructions)
        instructions.push_back(instruction(inst));
    out["instructions"] = std::move(instructions);
    ordered_json diagnostics = ordered_json::array();
    for (const auto &d : document.diagnostics)
        diagnostics.push_back({{"severity", severityName(d.severity)},
                               {"code", d.code},
                               {"message", d.message},
                               {"range", range(d.range)}});
    out["diagnostics"] = std::move(diagnostics);
    std::string text;
    pretty(out, 0, text);
    return text + "\n";
}

} // namespace Berth::Dockerfile
