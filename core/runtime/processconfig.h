#pragma once

#include "base/result.h"
#include "image/imageconfig.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// What a container runs, from its image and the `run` options, with Docker's rules.
namespace Berth::Runtime {

// The options of `run` that change the process (what the user typed, not yet validated).
struct RunOverrides
{
    // --entrypoint: replaces the image's ENTRYPOINT and drops its CMD; "" means none.
    std::optional<std::string> entrypoint;
    std::vector<std::string> args;         // after the image name: replace CMD
    std::vector<std::string> env;          // -e KEY=VALUE, or -e KEY to pass the caller's KEY
    std::vector<std::string> envFiles;     // --env-file, read in order before -e
    std::optional<std::string> user;       // -u
    std::optional<std::string> workdir;    // -w
    std::optional<std::string> stopSignal; // --stop-signal
};

struct ProcessConfig
{
    std::vector<std::string> args; // ENTRYPOINT + CMD, never empty
    std::vector<std::string> env;  // KEY=VALUE: the image's, then --env-file, then -e; PATH set
    std::string user;              // as written ("app", "1000:1000"): resolved in the container
    std::string workdir;           // absolute
    int stopSignal = 15;           // SIGTERM unless the image or --stop-signal says otherwise
};

// The environment of the caller, for `-e KEY` and env-file lines without a value.
using HostEnvironment = std::function<std::optional<std::string>(const std::string &)>;
HostEnvironment processEnvironment();

// Combines the image's config with the overrides. Errors name the option at fault:
// `--stop-signal "SIGFOO": unknown signal`, `.env:3: "MY VAR=1": a variable name cannot
// contain a space`, `no command specified: the image has neither ENTRYPOINT nor CMD`.
Result<ProcessConfig> resolveProcess(const Image::ContainerConfig &image,
                                     const RunOverrides &overrides,
                                     const HostEnvironment &host = processEnvironment());

// "SIGTERM", "TERM", "sigterm", "15", "SIGRTMIN+3" -> the signal number.
Result<int> parseSignal(std::string_view text);

// The KEY=VALUE lines of an env file (Docker's format: "#" comments and blank lines skipped,
// "KEY" alone takes the caller's value or is left out when the caller has none).
Result<std::vector<std::string>> readEnvFile(const std::string &path, const HostEnvironment &host);

} // namespace Berth::Runtime
