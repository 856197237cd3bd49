#pragma once

#include "dockerfile/syntax.h"

#include <string>
#include <string_view>

// What a Dockerfile means to the builder, as text: the formatter and the fuzzer check that
// formatting never changes it. Header-only so the clang fuzz sub-build can use it too.
namespace BerthTest {

using namespace Berth::Dockerfile;

inline std::string collapseSpace(std::string_view s)
{
    std::string out;
    bool space = false;
    for (const char c : s) {
        const bool isSpace =
            c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
        if (isSpace) {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    return out;
}

// What an instruction means to the builder, with the freedom the formatter has (white space
// runs in shell text, the case of FROM's "AS") taken out.
inline void describe(const Instruction &inst, std::string &out)
{
    out += inst.keyword == Keyword::Unknown ? "?" + inst.keywordText : keywordName(inst.keyword);
    for (const auto &f : inst.flags)
        out += " --" + f.name + (f.value ? "=" + *f.value : "");
    out += std::string(" form=") + formName(inst.form);
    const bool fromAs = inst.keyword == Keyword::From && inst.words.size() == 3;
    for (std::size_t i = 0; i < inst.words.size(); ++i) {
        std::string w =
            inst.form == Form::Exec ? inst.words[i].text : collapseSpace(inst.words[i].text);
        if (fromAs && i == 1 && (w == "as" || w == "As" || w == "aS"))
            w = "AS";
        out += " [" + w + "]";
    }
    // ONBUILD's arguments are its trigger, described below.
    if (inst.form != Form::Exec && inst.keyword != Keyword::From && !inst.trigger)
        out += " args=" + collapseSpace(inst.arguments);
    for (const auto &h : inst.heredocs)
        out += " <<" + h.name + (h.expand ? "" : " literal") + (h.chomp ? " chomp" : "") +
               " fd=" + std::to_string(h.fd) + " {" + h.content + "}";
    if (inst.trigger) {
        out += " trigger{";
        describe(*inst.trigger, out);
        out += "}";
    }
    out += "\n";
}

// `withComments`: also the comment lines above each instruction.
inline std::string meaning(const Document &doc, bool withComments = true)
{
    std::string out = doc.hasBom ? "bom\n" : "";
    out += std::string("escape ") + doc.escape + "\n";
    for (const auto &d : doc.directives)
        out += "directive " + d.name + "=" + d.value + "\n";
    for (const auto &inst : doc.instructions) {
        if (withComments)
            for (const auto &c : inst.comments)
                out += "# " + c + "\n";
        describe(inst, out);
    }
    return out;
}

} // namespace BerthTest
