// libFuzzer target for the Dockerfile parser, printer, JSON dump, formatter and linter.
// Besides crashes and sanitizer reports it traps when a property breaks: printing gives the
// input back, formatting is idempotent and keeps every instruction's meaning.
#include "dockerfile/edit.h"
#include "dockerfile/format.h"
#include "dockerfile/json.h"
#include "dockerfile/syntax.h"

#ifdef BERTH_FUZZ_LINT
#include "dockerfile/lint.h"
#endif

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

using namespace Berth::Dockerfile;

namespace {

[[noreturn]] void fail(const char *what)
{
    std::fprintf(stderr, "fuzz_dockerfile: %s\n", what);
    __builtin_trap();
}

bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string collapseSpace(std::string_view s)
{
    std::string out;
    bool space = false;
    for (const char c : s) {
        if (isBlank(c)) {
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

// What the builder sees; white space runs and FROM's "AS" are the formatter's to change.
void describe(const Instruction &inst, std::string &out)
{
    out += inst.keyword == Keyword::Unknown ? "?" + inst.keywordText : keywordName(inst.keyword);
    for (const auto &f : inst.flags)
        out += " --" + f.name + (f.value ? "=" + *f.value : "");
    out += formName(inst.form);
    for (std::size_t i = 0; i < inst.words.size(); ++i) {
        std::string w =
            inst.form == Form::Exec ? inst.words[i].text : collapseSpace(inst.words[i].text);
        if (inst.keyword == Keyword::From && inst.words.size() == 3 && i == 1 && w.size() == 2 &&
            (w[0] | 0x20) == 'a' && (w[1] | 0x20) == 's')
            w = "AS";
        out += "[" + w + "]";
    }
    if (inst.form != Form::Exec && inst.keyword != Keyword::From && !inst.trigger)
        out += " " + collapseSpace(inst.arguments);
    for (const auto &h : inst.heredocs)
        out += " <<" + h.name + std::to_string(h.expand) + std::to_string(h.chomp) +
               std::to_string(h.fd) + "{" + h.content + "}";
    if (inst.trigger) {
        out += "{";
        describe(*inst.trigger, out);
        out += "}";
    }
    out += "\n";
}

std::string meaning(const Document &doc)
{
    std::string out(1, doc.escape);
    for (const auto &d : doc.directives)
        out += d.name + "=" + d.value + "\n";
    for (const auto &inst : doc.instructions)
        describe(inst, out);
    return out;
}

void checkFormat(const Document &doc)
{
    const std::string formatted = format(doc);
    const Document again = parse(formatted);
    if (again.print() != formatted)
        fail("print() of the formatted text differs from it");
    if (format(again) != formatted)
        fail("format is not idempotent");
    if (meaning(again) != meaning(doc))
        fail("format changed the meaning of an instruction");
    for (const auto &inst : doc.instructions)
        (void)formatInstruction(inst, doc.source(), doc.escape);
}

#ifdef BERTH_FUZZ_LINT
// Every finding; every offered fix must apply cleanly and give a parsable file.
void checkLint(const Document &doc)
{
    for (const auto &finding : lint(doc)) {
        if (!finding.fix)
            continue;
        bool ok = false;
        const std::string fixed = applyEdits(doc.source(), finding.fix->edits, &ok);
        if (!ok)
            fail("a lint fix has overlapping or out-of-range edits");
        (void)lint(parse(fixed));
    }
}
#endif

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string input(reinterpret_cast<const char *>(data), size);
    const Document doc = parse(input);
    if (doc.print() != input)
        fail("print() does not give the input back");
    (void)toJson(doc);
    checkFormat(doc);
#ifdef BERTH_FUZZ_LINT
    checkLint(doc);
#endif
    return 0;
}
