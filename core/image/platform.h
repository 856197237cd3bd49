#pragma once

#include "base/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace Berth::Image {

// The platform an image runs on, as the OCI image index and config describe it.
struct Platform
{
    std::string os;
    std::string architecture;
    std::string variant;
    std::string osVersion;
    std::vector<std::string> osFeatures;

    // The platform this program was built for ("linux/amd64", "linux/arm64", "linux/arm/v7").
    static Platform host();
    // "os", "os/arch", "os/arch/variant", or a bare architecture (host os), as --platform takes
    // it; the text is lower-cased but otherwise kept as written.
    static Result<Platform> parse(std::string_view text);

    // The canonical spelling, as containerd normalises it: x86_64 → amd64, aarch64 → arm64,
    // arm64/v8 → arm64 (v8 is its only baseline), arm → arm/v7, armhf → arm/v7.
    Platform normalized() const;
    // Whether an image for this platform is exactly what `wanted` asks for (after
    // normalisation; osVersion and osFeatures are not compared).
    bool matches(const Platform &wanted) const;
    // 0 for an exact match, 1, 2, ... for older variants `wanted` still runs (arm/v6 on
    // arm/v7, amd64/v2 on amd64/v3), -1 when it cannot run this platform at all.
    int compatibility(const Platform &wanted) const;
    // "linux/arm64", "linux/arm/v7".
    std::string toString() const;

    friend bool operator==(const Platform &, const Platform &) = default;
};

} // namespace Berth::Image
