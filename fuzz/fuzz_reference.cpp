// libFuzzer target for image references, manifests, indexes and configs. Besides crashes and
// sanitizer reports it traps when a property breaks: a parsed reference prints to forms that
// parse back to it, and our own JSON of any accepted document parses back to the same value and
// prints to the same bytes.
#include "image/imageconfig.h"
#include "image/manifest.h"
#include "image/reference.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

using namespace Berth::Image;

namespace {

[[noreturn]] void fail(const char *what)
{
    std::fprintf(stderr, "fuzz_reference: %s\n", what);
    __builtin_trap();
}

void checkReference(std::string_view text)
{
    const auto ref = Reference::parse(text);
    if (!ref)
        return;
    const auto full = Reference::parse(ref->toString());
    if (!full || !(*full == *ref))
        fail("toString() does not parse back to the same reference");
    const auto familiar = Reference::parse(ref->familiar());
    if (!familiar || !(*familiar == *ref))
        fail("familiar() does not parse back to the same reference");
    if (ref->name().size() > 255)
        fail("a name over 255 characters was accepted");
}

template<class T, class Parse> void checkRoundTrip(const T &value, Parse parse)
{
    const std::string json = toJson(value);
    const auto again = parse(json);
    if (!again)
        fail("our own JSON does not parse");
    if (!(*again == value))
        fail("our own JSON parses to another value");
    if (toJson(*again) != json)
        fail("printing our own JSON again gives other bytes");
}

void checkDocuments(std::string_view bytes)
{
    if (const auto doc = ManifestDocument::parse(std::string(bytes))) {
        if (doc->digest != Berth::Digest::sha256(bytes))
            fail("the document's digest is not the digest of its bytes");
        if (const Manifest *m = doc->manifest())
            checkRoundTrip(*m, [](std::string_view json) { return parseManifest(json); });
        else
            checkRoundTrip(*doc->index(), [](std::string_view json) { return parseIndex(json); });
    }
    if (const auto config = parseConfig(bytes))
        checkRoundTrip(*config, [](std::string_view json) { return parseConfig(json); });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char *>(data), size);
    checkReference(bytes);
    checkDocuments(bytes);
    return 0;
}
