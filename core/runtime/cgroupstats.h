#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace Berth::Runtime {

// One sample of a container cgroup's usage; CPU % comes from two samples.
struct CgroupStats
{
    std::uint64_t cpuUsageNs = 0;             // total CPU time of all its processes
    std::uint64_t memoryUsage = 0;            // without the inactive page cache, like docker
    std::optional<std::uint64_t> memoryLimit; // unset: unlimited
    std::uint64_t pidsCurrent = 0;
    std::optional<std::uint64_t> pidsLimit; // unset: unlimited
    std::uint64_t blockRead = 0;            // bytes
    std::uint64_t blockWrite = 0;           // bytes
};

// Parsers of cgroup file contents, separate so tests feed them samples.
namespace CgroupParse {

// "key value" lines (memory.stat, cpu.stat, memory.events, memory.oom_control).
std::map<std::string, std::uint64_t> flatKeyed(std::string_view text);
// A number or "max" (unset); v1 limits of 2^63 rounded to the page are "unlimited" as well.
std::optional<std::uint64_t> limit(std::string_view text);
// A plain number; 0 when it is not one.
std::uint64_t number(std::string_view text);

struct BlockIo
{
    std::uint64_t read = 0;
    std::uint64_t write = 0;
};
// v1 blkio.*io_service_bytes*: "8:0 Read 4096" lines, summed over devices.
BlockIo blkioV1(std::string_view text);
// v2 io.stat: "8:0 rbytes=4096 wbytes=0 rios=1 ...", summed over devices.
BlockIo ioStatV2(std::string_view text);

// v2 cpu.weight for v1 shares, as runc and crun convert: 1 + ((shares - 2) * 9999) / 262142.
std::uint64_t sharesToWeight(std::uint64_t shares);

} // namespace CgroupParse
} // namespace Berth::Runtime
