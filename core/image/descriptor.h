#pragma once

#include "base/digest.h"
#include "image/platform.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
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

} // namespace Berth::Image
