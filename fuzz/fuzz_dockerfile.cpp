// libFuzzer target for the Dockerfile parser, printer, JSON dump, formatter and linter.
// Besides crashes and sanitizer reports it traps when a property breaks: printing gives the
// input back, formatting is idempotent and keeps every instruction's meaning.
#include "dockerfile/edit.h"
#include "dockerfile/format.h"
#include "dockerfile/json.h"
#include "dockerfile/syntax.h"
#include "meaning.h"

#ifdef BERTH_FUZZ_LINT
#include "dockerfile/lint.h"
#endif

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

using namespace Berth::Dockerfile;
using BerthTest::meaning;

namespace {

[[noreturn]] void fail(const char *what)
{
    std::fprintf(stderr, "fuzz_dockerfile: %s\n", what);
    __builtin_trap();
}

void checkFormat(const Document &doc)
{
    const std::string formatted = format(doc);
    const Document again = parse(formatted);
    if (again.print() != formatted)
        fail("print() of the formatted text differs from it");
    if (format(again) != formatted)
        fail("format is not idempotent");
    if (meaning(again, false) != meaning(doc, false))
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
