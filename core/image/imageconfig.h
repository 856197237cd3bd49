#pragma once

#include "base/digest.h"
#include "base/result.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace Berth::Image {

// A container health check as Docker's image config stores it (durations in nanoseconds).
struct HealthConfig
{
    // ["NONE"], ["CMD", arg...] or ["CMD-SHELL", command].
    std::vector<std::string> test;
    std::int64_t interval = 0;
    std::int64_t timeout = 0;
    std::int64_t startPeriod = 0;
    std::int64_t startInterval = 0;
    int retries = 0;

    friend bool operator==(const HealthConfig &, const HealthConfig &) = default;
};

// The defaults a container of the image starts with (OCI config.md "config", plus Docker's
// Healthcheck, OnBuild and Shell).
struct ContainerConfig
{
    std::string user;
    std::set<std::string> exposedPorts;
    std::vector<std::string> env;
    // nullopt (inherit) and an empty list (ENTRYPOINT []: reset) mean different things.
    std::optional<std::vector<std::string>> entrypoint;
    std::optional<std::vector<std::string>> cmd;
    std::set<std::string> volumes;
    std::string workingDir;
    std::map<std::string, std::string> labels;
    std::string stopSignal;
    bool argsEscaped = false;
    std::optional<HealthConfig> healthcheck;
    std::vector<std::string> onBuild;
    std::optional<std::vector<std::string>> shell;

    friend bool operator==(const ContainerConfig &, const ContainerConfig &) = default;
};

// One step of the image's history; emptyLayer steps (ENV, CMD, ...) have no layer.
struct HistoryEntry
{
    std::string created;
    std::string createdBy;
    std::string author;
    std::string comment;
    bool emptyLayer = false;

    friend bool operator==(const HistoryEntry &, const HistoryEntry &) = default;
};

// An image configuration (OCI config.md, Docker image JSON).
struct ImageConfig
{
    // RFC 3339, as written.
    std::string created;
    std::string author;
    std::string architecture;
    std::string os;
    std::string osVersion;
    std::vector<std::string> osFeatures;
    std::string variant;
    ContainerConfig config;
    struct RootFs
    {
        std::string type = "layers";
        // The digests of the uncompressed layers, bottom first.
        std::vector<Digest> diffIds;

        friend bool operator==(const RootFs &, const RootFs &) = default;
    } rootfs;
    std::vector<HistoryEntry> history;

    friend bool operator==(const ImageConfig &, const ImageConfig &) = default;
};

// Parses an image configuration; architecture, os and rootfs are required.
Result<ImageConfig> parseConfig(std::string_view bytes);
// Canonical compact JSON in the field order of the OCI Go structs.
std::string toJson(const ImageConfig &config);

} // namespace Berth::Image
