#pragma once

#include "base/digest.h"
#include "image/platform.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Berth::Image {

// A reference to content: what it is, its digest and its size (OCI descriptor.md).
struct Descriptor
{
    std::string mediaType;
    Digest digest;
    std::int64_t size = 0;
    std::vector<std::string> urls;
    std::map<std::string, std::string> annotations;
    // Embedded content, base64 as written; not decoded or checked against the digest.
    std::string data;
    std::optional<Platform> platform;
    std::string artifactType;

    friend bool operator==(const Descriptor &, const Descriptor &) = default;
};

// A descriptor with just a media type, digest and size, as most are written.
inline Descriptor makeDescriptor(std::string_view mediaType, const Digest &digest,
                                 std::int64_t size)
{
    Descriptor d;
    d.mediaType = std::string(mediaType);
    d.digest = digest;
    d.size = size;
    return d;
}

} // namespace Berth::Image
