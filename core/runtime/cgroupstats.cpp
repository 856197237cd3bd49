#include "runtime/cgroup.h"
#include "runtime/cgroupfs.h"

#include <cerrno>
#include <charconv>

namespace Berth::Runtime {

using namespace Internal;

namespace CgroupParse {

std::uint64_t number(std::string_view text)
{
    text = trim(text);
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() ? value : 0;
}

std::optional<std::uint64_t> limit(std::string_view text)
{
    text = trim(text);
    if (text == "max" || text == "-1" || text.empty())
        return std::nullopt;
    const std::uint64_t value = number(text);
    if (value >= (std::uint64_t(1) << 62))
        return std::nullopt;
    return value;
}

std::map<std::string, std::uint64_t> flatKeyed(std::string_view text)
{
    std::map<std::string, std::uint64_t> out;
    for (const std::string_view line : split(text, "\n")) {
        const auto fields = split(line, " \t");
        if (fields.size() == 2)
            out[std::string(fields[0])] = number(fields[1]);
    }
    return out;
}

BlockIo blkioV1(std::string_view text)
{
    BlockIo io;
    for (const std::string_view line : split(text, "\n")) {
        const auto fields = split(line, " ");
        if (fields.size() != 3)
            continue;
        if (fields[1] == "Read")
            io.read += number(fields[2]);
        else if (fields[1] == "Write")
            io.write += number(fields[2]);
    }
    return io;
}

BlockIo ioStatV2(std::string_view text)
{
    BlockIo io;
    for (const std::string_view line : split(text, "\n")) {
        for (const std::string_view field : split(line, " ")) {
            if (field.starts_with("rbytes="))
                io.read += number(field.substr(7));
            else if (field.starts_with("wbytes="))
                io.write += number(field.substr(7));
        }
    }
    return io;
}

std::uint64_t sharesToWeight(std::uint64_t shares)
{
    if (shares < 2)
        shares = 2;
    if (shares > 262144)
        shares = 262144;
    return 1 + ((shares - 2) * 9999) / 262142;
}

} // namespace CgroupParse

namespace {

// The file's text, "" when it does not exist (a kernel without that feature).
Result<std::string> readOptional(const std::string &dir, const char *file)
{
    auto text = readFile(joinPath(dir, file));
    if (!text && text.error().sysErrno() == ENOENT)
        return std::string();
    return text;
}

#define BERTH_TRY_READ(var, dir, file)                                                             \
    auto var = readOptional(dir, file);                                                            \
    if (!var)                                                                                      \
        return fail(std::move(var.error()));

} // namespace

Result<CgroupStats> Cgroup::stats() const
{
    CgroupStats s;
    if (const Dir *d = dirFor(Controller::CpuAcct)) {
        if (hierarchyOf(*d).unified) {
            BERTH_TRY_READ(cpu, d->path, "cpu.stat");
            s.cpuUsageNs = CgroupParse::flatKeyed(*cpu)["usage_usec"] * 1000;
        } else {
            BERTH_TRY_READ(usage, d->path, "cpuacct.usage");
            s.cpuUsageNs = CgroupParse::number(*usage);
        }
    }
    if (const Dir *d = dirFor(Controller::Memory)) {
        const bool v2 = hierarchyOf(*d).unified;
        BERTH_TRY_READ(usage, d->path, v2 ? "memory.current" : "memory.usage_in_bytes");
        BERTH_TRY_READ(limit, d->path, v2 ? "memory.max" : "memory.limit_in_bytes");
        BERTH_TRY_READ(stat, d->path, "memory.stat");
        const std::uint64_t inactive =
            CgroupParse::flatKeyed(*stat)[v2 ? "inactive_file" : "total_inactive_file"];
        const std::uint64_t used = CgroupParse::number(*usage);
        s.memoryUsage = used > inactive ? used - inactive : 0;
        s.memoryLimit = CgroupParse::limit(*limit);
    }
    if (const Dir *d = dirFor(Controller::Pids)) {
        BERTH_TRY_READ(current, d->path, "pids.current");
        BERTH_TRY_READ(max, d->path, "pids.max");
        s.pidsCurrent = CgroupParse::number(*current);
        s.pidsLimit = CgroupParse::limit(*max);
    }
    if (const Dir *d = dirFor(Controller::Io)) {
        CgroupParse::BlockIo io;
        if (hierarchyOf(*d).unified) {
            BERTH_TRY_READ(stat, d->path, "io.stat");
            io = CgroupParse::ioStatV2(*stat);
        } else {
            // The throttle files count every device; CFQ/BFQ files only their own scheduler.
            for (const char *file :
                 {"blkio.throttle.io_service_bytes_recursive", "blkio.io_service_bytes_recursive",
                  "blkio.bfq.io_service_bytes_recursive"}) {
                BERTH_TRY_READ(text, d->path, file);
                io = CgroupParse::blkioV1(*text);
                if (io.read != 0 || io.write != 0)
                    break;
            }
        }
        s.blockRead = io.read;
        s.blockWrite = io.write;
    }
    return s;
}

Result<bool> Cgroup::oomKilled() const
{
    const Dir *d = dirFor(Controller::Memory);
    if (!d)
        return false;
    if (hierarchyOf(*d).unified) {
        BERTH_TRY_READ(events, d->path, "memory.events");
        return CgroupParse::flatKeyed(*events)["oom_kill"] > 0;
    }
    BERTH_TRY_READ(control, d->path, "memory.oom_control");
    const auto fields = CgroupParse::flatKeyed(*control);
    if (const auto it = fields.find("oom_kill"); it != fields.end())
        return it->second > 0;
    // Kernels before 4.13 do not count OOM kills: hitting the limit is the best hint left.
    BERTH_TRY_READ(failcnt, d->path, "memory.failcnt");
    return CgroupParse::number(*failcnt) > 0;
}

} // namespace Berth::Runtime
