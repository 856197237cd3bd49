#pragma once

#include "base/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Parsers for the small values inside instructions: durations, signals, ports, modes.
namespace Berth::Dockerfile {

// A Go-style duration ("1m30s", "500ms", "2h") in nanoseconds.
Result<std::int64_t> parseDuration(std::string_view text);
// A base-10 integer, optionally negative; nullopt on anything else or overflow.
std::optional<std::int64_t> parseInteger(std::string_view text);
// A signal as STOPSIGNAL accepts it: "SIGTERM", "TERM", "15", "SIGRTMIN+3".
std::optional<int> parseSignal(std::string_view text);

struct PortSpec
{
    int first = 0;
    int last = 0; // same as first unless a range
    std::string protocol = "tcp";
};
// "80", "80/tcp", "53/udp", "8000-8010/sctp".
std::optional<PortSpec> parsePortSpec(std::string_view text);
// An octal mode (0755) or a symbolic one (u+x,go-w).
bool isValidChmod(std::string_view text);

} // namespace Berth::Dockerfile
