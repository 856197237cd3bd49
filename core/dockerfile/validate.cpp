#include "dockerfile/expand.h"
#include "dockerfile/parser_p.h"
#include "dockerfile/values.h"
#include "dockerfile/words.h"

#include <algorithm>
#include <array>
#include <set>

namespace Berth::Dockerfile::Internal {

namespace {

enum class FlagType { String, Bool, List };

struct FlagSpec
{
    const char *name;
    FlagType type;
};

std::vector<FlagSpec> allowedFlags(Keyword keyword)
{
    using T = FlagType;
    switch (keyword) {
    case Keyword::From: return {{"platform", T::String}};
    case Keyword::Run: return {{"mount", T::List}, {"network", T::String}, {"security", T::String}};
    case Keyword::Copy:
        return {{"from", T::String}, {"chown", T::String}, {"chmod", T::String},
                {"link", T::Bool},   {"parents", T::Bool}, {"exclude", T::List}};
    case Keyword::Add:
        return {{"chown", T::String},    {"chmod", T::String},      {"link", T::Bool},
                {"checksum", T::String}, {"keep-git-dir", T::Bool}, {"exclude", T::List}};
    case Keyword::Healthcheck:
        return {{"interval", T::String},
                {"timeout", T::String},
                {"start-period", T::String},
                {"start-interval", T::String},
                {"retries", T::String}};
    default: return {};
    }
}

std::string flagList(const std::vector<FlagSpec> &specs)
{
    std::string out;
    for (const auto &s : specs)
        out += (out.empty() ? "--" : ", --") + std::string(s.name);
    return out;
}

void checkFlagValue(const Instruction &inst, const Flag &flag, std::vector<Diagnostic> &out)
{
    const std::string &v = *flag.value;
    if (v.find('$') != std::string::npos)
        return; // depends on build arguments: checked when the build expands it
    auto bad = [&](std::string message) {
        report(out, Severity::Error, "invalid-flag-value", std::move(message), flag.range);
    };
    if (flag.name == "network" && v != "default" && v != "none" && v != "host")
        bad("network mode \"" + v + "\" not supported (use default, none or host)");
    else if (flag.name == "security" && v != "sandbox" && v != "insecure")
        bad("security mode \"" + v + "\" not supported (use sandbox or insecure)");
    else if (flag.name == "chmod" && !isValidChmod(v))
        bad("invalid --chmod value \"" + v + "\": use an octal mode such as 0755 or u+x");
    else if (flag.name == "retries") {
        const auto n = parseInteger(v);
        if (!n)
            bad("invalid --retries value \"" + v + "\": expected a whole number");
        else if (*n < 0)
            bad("--retries cannot be negative (" + v + ")");
    } else if (inst.keyword == Keyword::Healthcheck) {
        const auto d = parseDuration(v);
        if (!d)
            bad("invalid duration \"" + v + "\" for --" + flag.name + ": " + d.error().message());
        else if (*d != 0 && *d < 1'000'000)
            bad("--" + flag.name + " cannot be less than 1ms");
    }
}

void checkFlags(const Instruction &inst, std::vector<Diagnostic> &out)
{
    const auto specs = allowedFlags(inst.keyword);
    std::set<std::string> seen;
    for (const auto &flag : inst.flags) {
        const auto spec = std::find_if(specs.begin(), specs.end(),
                                       [&](const FlagSpec &s) { return flag.name == s.name; });
        const std::string keyword = keywordName(inst.keyword);
        if (spec == specs.end()) {
            std::string hint =
                specs.empty() ? " (it takes no flags)" : " (known: " + flagList(specs) + ")";
            for (const auto &s : specs)
                if (editDistance(flag.name, s.name) <= 2)
                    hint = " (did you mean --" + std::string(s.name) + "?)";
            report(out, Severity::Error, "unknown-flag",
                   "unknown flag --" + flag.name + " for " + keyword + hint, flag.range);
            continue;
        }
        if (spec->type != FlagType::List && !seen.insert(flag.name).second)
            report(out, Severity::Error, "duplicate-flag",
                   "duplicate flag specified: --" + flag.name, flag.range);
        if (spec->type == FlagType::Bool) {
            if (flag.value && *flag.value != "true" && *flag.value != "false")
                report(out, Severity::Error, "invalid-flag-value",
                       "expecting boolean value for flag --" + flag.name + ", not: " + *flag.value,
                       flag.range);
        } else if (!flag.value) {
            report(out, Severity::Error, "missing-flag-value",
                   "missing a value on flag --" + flag.name + " (write --" + flag.name + "=VALUE)",
                   flag.range);
        } else {
            checkFlagValue(inst, flag, out);
        }
    }
}

Range argumentsOrKeyword(const Instruction &inst)
{
    return inst.arguments.empty() ? inst.keywordRange : inst.argumentsRange;
}

void requireArguments(const Instruction &inst, std::vector<Diagnostic> &out)
{
    if (inst.arguments.empty())
        report(out, Severity::Error, "missing-argument",
               std::string(keywordName(inst.keyword)) + " requires at least one argument",
               inst.keywordRange);
}

bool isValidStageName(std::string_view name)
{
    const std::string lower = toLower(name);
    if (lower.empty() || lower[0] < 'a' || lower[0] > 'z')
        return false;
    return std::all_of(lower.begin(), lower.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    });
}

void checkFrom(const Instruction &inst, std::vector<Diagnostic> &out)
{
    const auto &w = inst.words;
    if (w.size() != 1 && w.size() != 3) {
        report(out, Severity::Error, "invalid-from",
               "FROM requires either one or three arguments (FROM image [AS name])",
               argumentsOrKeyword(inst));
        return;
    }
    if (w.size() == 3) {
        if (!equalsIgnoreCase(w[1].text, "as"))
            report(out, Severity::Error, "invalid-from",
                   "when using the extended FROM syntax, the second argument must be AS, not \"" +
                       w[1].text + "\"",
                   w[1].range);
        else if (w[2].text.find('$') == std::string::npos && !isValidStageName(w[2].text))
            report(out, Severity::Error, "invalid-stage-name",
                   "invalid name for build stage: \"" + w[2].text +
                       "\", name can't start with a number or contain symbols",
                   w[2].range);
    }
}

void checkNames(const Instruction &inst, std::vector<Diagnostic> &out)
{
    // ENV and LABEL in the old "key value" form name one key; otherwise every word is a name.
    const bool oldForm = inst.keyword != Keyword::Arg && !inst.words.empty() &&
                         inst.words[0].text.find('=') == std::string::npos;
    for (std::size_t i = 0; i < inst.words.size() && !(oldForm && i > 0); ++i) {
        const std::string &t = inst.words[i].text;
        if (t.empty() || t[0] == '=')
            report(out, Severity::Error, "blank-name",
                   std::string(keywordName(inst.keyword)) + " names can not be blank",
                   inst.words[i].range);
    }
}

void checkHealthcheck(const Instruction &inst, std::vector<Diagnostic> &out)
{
    if (inst.words.empty()) {
        requireArguments(inst, out);
        return;
    }
    const Word &type = inst.words[0];
    if (equalsIgnoreCase(type.text, "NONE")) {
        if (inst.words.size() > 1 || !inst.flags.empty())
            report(out, Severity::Error, "invalid-healthcheck",
                   "HEALTHCHECK NONE takes no arguments or flags", inst.argumentsRange);
    } else if (equalsIgnoreCase(type.text, "CMD")) {
        if (inst.words.size() < 2)
            report(out, Severity::Error, "invalid-healthcheck",
                   "missing command after HEALTHCHECK CMD", type.range);
    } else {
        report(out, Severity::Error, "invalid-healthcheck",
               "unknown type \"" + type.text + "\" in HEALTHCHECK (try CMD or NONE)", type.range);
    }
}

void checkSingleValue(const Instruction &inst, std::vector<Diagnostic> &out)
{
    if (inst.arguments.empty()) {
        report(out, Severity::Error, "missing-argument",
               std::string(keywordName(inst.keyword)) + " requires exactly one argument",
               inst.keywordRange);
        return;
    }
    const std::string &v = inst.arguments;
    if (inst.keyword == Keyword::Stopsignal && v.find('$') == std::string::npos && !parseSignal(v))
        report(out, Severity::Error, "invalid-signal",
               "invalid STOPSIGNAL \"" + v + "\": use a signal name such as SIGTERM or a number",
               inst.argumentsRange);
}

void checkExpose(const Instruction &inst, std::vector<Diagnostic> &out)
{
    requireArguments(inst, out);
    for (const auto &w : inst.words)
        if (w.text.find('$') == std::string::npos && !parsePortSpec(w.text))
            report(out, Severity::Error, "invalid-port",
                   "invalid port \"" + w.text +
                       "\": expected PORT, PORT/tcp, PORT/udp or a range "
                       "such as 8000-8010",
                   w.range);
}

void checkOnbuild(const Instruction &inst, char escape, std::vector<Diagnostic> &out)
{
    if (!inst.trigger) {
        requireArguments(inst, out);
        return;
    }
    const Instruction &t = *inst.trigger;
    if (t.keyword == Keyword::Onbuild || t.keyword == Keyword::From ||
        t.keyword == Keyword::Maintainer) {
        const std::string name = keywordName(t.keyword);
        report(out, Severity::Error, "invalid-trigger",
               t.keyword == Keyword::Onbuild ? "ONBUILD ONBUILD isn't allowed"
                                             : name + " isn't allowed as an ONBUILD trigger",
               t.keywordRange);
        return;
    }
    if (t.keyword != Keyword::Unknown)
        validateInstruction(t, out, escape);
}

bool expandsWords(Keyword keyword)
{
    switch (keyword) {
    case Keyword::Add:
    case Keyword::Arg:
    case Keyword::Copy:
    case Keyword::Env:
    case Keyword::Expose:
    case Keyword::From:
    case Keyword::Label:
    case Keyword::Stopsignal:
    case Keyword::User:
    case Keyword::Volume:
    case Keyword::Workdir: return true;
    default: return false;
    }
}

// The builder expands variables in these words; a malformed ${...} fails the build there, so it
// is reported here, where the user writes it. Every variable is taken as set: only the syntax
// (and the nesting limit) is checked.
void checkSubstitutions(const Instruction &inst, char escape, std::vector<Diagnostic> &out)
{
    const auto anyValue = [](std::string_view) -> std::optional<std::string> {
        return "x";
    };
    ExpandOptions options;
    options.escape = escape;
    auto check = [&](std::string_view text, Range range, bool exactSource) {
        if (text.find('$') == std::string_view::npos)
            return;
        auto result = expandWord(text, anyValue, options);
        if (result)
            return;
        std::string message = result.error().message();
        // expand.h ends syntax errors with " at column N", N counting bytes of the word: point
        // there directly when the word is the source text itself.
        const std::size_t at = message.rfind(" at column ");
        const auto column =
            at == std::string::npos ? std::nullopt : parseInteger(message.substr(at + 11));
        if (column && *column >= 1 && std::size_t(*column) <= text.size()) {
            message.resize(at);
            if (exactSource && range.start.line == range.end.line) {
                const std::size_t bytes = std::size_t(*column - 1);
                for (std::size_t i = 0; i < bytes; i += codePointLength(text, i))
                    ++range.start.column;
                range.start.offset += bytes;
            }
        }
        report(out, Severity::Error, "invalid-substitution",
               "bad variable substitution in \"" +
                   std::string(text.substr(0, std::min<std::size_t>(text.size(), 60))) +
                   (text.size() > 60 ? "...\"" : "\"") + ": " + message,
               range);
    };
    for (const auto &flag : inst.flags)
        if (flag.value)
            check(*flag.value, flag.range, false);
    if (expandsWords(inst.keyword) && inst.form != Form::Exec)
        for (const auto &word : inst.words)
            check(word.text, word.range, true);
}

} // namespace

void validateInstruction(const Instruction &inst, std::vector<Diagnostic> &out, char escape)
{
    if (inst.keyword == Keyword::Unknown)
        return; // reported by the parser, with a suggestion
    checkFlags(inst, out);
    checkSubstitutions(inst, escape, out);
    switch (inst.keyword) {
    case Keyword::From: checkFrom(inst, out); break;
    case Keyword::Run:
        if (inst.arguments.empty())
            requireArguments(inst, out);
        break;
    case Keyword::Add:
    case Keyword::Copy:
        if (inst.words.size() < 2)
            report(out, Severity::Error, "missing-destination",
                   std::string(keywordName(inst.keyword)) +
                       " requires at least two arguments (sources, then the destination)",
                   argumentsOrKeyword(inst));
        break;
    case Keyword::Env:
    case Keyword::Label:
    case Keyword::Arg:
        requireArguments(inst, out);
        checkNames(inst, out);
        break;
    case Keyword::Volume: requireArguments(inst, out); break;
    case Keyword::Expose: checkExpose(inst, out); break;
    case Keyword::Maintainer:
    case Keyword::User:
    case Keyword::Workdir:
    case Keyword::Stopsignal: checkSingleValue(inst, out); break;
    case Keyword::Shell:
        if (inst.form != Form::Exec || inst.words.empty())
            report(out, Severity::Error, "shell-not-json",
                   "SHELL requires the arguments to be a JSON array, e.g. SHELL [\"/bin/bash\", "
                   "\"-c\"]",
                   argumentsOrKeyword(inst));
        break;
    case Keyword::Healthcheck: checkHealthcheck(inst, out); break;
    case Keyword::Onbuild: checkOnbuild(inst, escape, out); break;
    case Keyword::Cmd:
    case Keyword::Entrypoint:
    case Keyword::Unknown: break;
    }
}

} // namespace Berth::Dockerfile::Internal
