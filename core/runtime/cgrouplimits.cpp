// Writing a container's limits: memory (+swap, reservation), CPU quota and shares, pids.
#include "runtime/cgroup.h"

#include "runtime/cgroupfs.h"

#include <cerrno>
#include <cmath>
#include <unistd.h>

namespace Berth::Runtime {

using namespace Internal;

namespace {

constexpr std::int64_t s_minMemory = 6 * 1024 * 1024; // Docker's floor
constexpr std::uint64_t s_defaultPeriod = 100000;

Result<void> validate(const CgroupLimits &limits)
{
    const std::int64_t memory = limits.memory.value_or(0);
    const std::int64_t swap = limits.memorySwap.value_or(0);
    if (memory > 0 && memory < s_minMemory)
        return fail(ErrorCode::Invalid,
                    "memory limit " + std::to_string(memory) + " is below the minimum of 6 MiB");
    if (swap != 0 && memory <= 0)
        return fail(ErrorCode::Invalid, "a memory+swap limit needs a memory limit as well");
    if (swap > 0 && swap < memory)
        return fail(ErrorCode::Invalid, "memory+swap limit " + std::to_string(swap) +
                                            " is below the memory limit " + std::to_string(memory));
    return {};
}

} // namespace

void CgroupLimits::setCpus(double cpus)
{
    cpuQuota = std::llround(cpus * double(cpuPeriod.value_or(s_defaultPeriod)));
}

Result<void> Cgroup::write(Controller c, const std::string &file, const std::string &value,
                           const char *what) const
{
    const Dir *dir = dirFor(c);
    if (!dir) {
        const auto why = m_missing.find(c);
        return fail(ErrorCode::Unsupported,
                    std::string(what) + " cannot apply: " +
                        (why != m_missing.end()
                             ? why->second
                             : "no cgroup hierarchy provides the " +
                                   std::string(controllerName(c)) + " controller"));
    }
    auto written = writeFile(joinPath(dir->path, file), value, m_options.fakeTree);
    if (written)
        return {};
    Error error = std::move(written.error());
    const int err = error.sysErrno();
    if (err == EACCES || err == EPERM || err == EROFS) {
        error.wrap(std::string(what) + " cannot apply: cgroups are not delegated to uid " +
                   std::to_string(::geteuid()));
        return fail(Error(ErrorCode::Unsupported, error.toString()));
    }
    return fail(std::move(error.wrap(std::string("setting the ") + what)));
}

Result<void> Cgroup::applyLimits(const CgroupLimits &limits)
{
    if (auto valid = validate(limits); !valid)
        return valid;
    if (auto memory = applyMemory(limits); !memory)
        return memory;
    if (auto cpu = applyCpu(limits); !cpu)
        return cpu;
    return applyPids(limits);
}

// Docker's swap rules: unset means memory+swap = 2 x memory, -1 unlimited swap. Without swap
// accounting (no memsw files, no memory.swap.max) memory is limited and swap is not, with a
// warning, as Docker does.
Result<void> Cgroup::applyMemory(const CgroupLimits &limits)
{
    const Dir *dir = dirFor(Controller::Memory);
    const bool v2 = dir && hierarchyOf(*dir).unified;
    if (limits.memory && *limits.memory > 0) {
        const std::int64_t memory = *limits.memory;
        auto set = write(Controller::Memory, v2 ? "memory.max" : "memory.limit_in_bytes",
                         std::to_string(memory), "memory limit");
        if (!set)
            return set;
        const char *swapFile = v2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes";
        if (!m_options.fakeTree && !exists(joinPath(dir->path, swapFile))) {
            m_warnings.push_back(std::string("swap limit cannot apply: the kernel does not "
                                             "account swap (no ") +
                                 swapFile + "); memory is limited without swap");
        } else {
            const std::int64_t total =
                limits.memorySwap.value_or(0) != 0 ? *limits.memorySwap : 2 * memory;
            const std::string value =
                total < 0 ? (v2 ? "max" : "-1") : std::to_string(v2 ? total - memory : total);
            if (set = write(Controller::Memory, swapFile, value, "swap limit"); !set)
                return set;
        }
    }
    if (limits.memoryReservation && *limits.memoryReservation > 0)
        return write(Controller::Memory, v2 ? "memory.low" : "memory.soft_limit_in_bytes",
                     std::to_string(*limits.memoryReservation), "memory reservation");
    return {};
}

Result<void> Cgroup::applyCpu(const CgroupLimits &limits) const
{
    const Dir *dir = dirFor(Controller::Cpu);
    const bool v2 = dir && hierarchyOf(*dir).unified;
    if (limits.cpuShares && *limits.cpuShares > 0) {
        const std::uint64_t shares = *limits.cpuShares;
        auto set = v2 ? write(Controller::Cpu, "cpu.weight",
                              std::to_string(CgroupParse::sharesToWeight(shares)), "CPU shares")
                      : write(Controller::Cpu, "cpu.shares", std::to_string(shares), "CPU shares");
        if (!set)
            return set;
    }
    if (!limits.cpuQuota && !limits.cpuPeriod)
        return {};
    const std::uint64_t period = limits.cpuPeriod.value_or(s_defaultPeriod);
    const std::int64_t quota = limits.cpuQuota.value_or(-1);
    if (v2)
        return write(Controller::Cpu, "cpu.max",
                     (quota > 0 ? std::to_string(quota) : "max") + " " + std::to_string(period),
                     "CPU quota");
    if (auto set =
            write(Controller::Cpu, "cpu.cfs_period_us", std::to_string(period), "CPU period");
        !set)
        return set;
    return write(Controller::Cpu, "cpu.cfs_quota_us", std::to_string(quota > 0 ? quota : -1),
                 "CPU quota");
}

Result<void> Cgroup::applyPids(const CgroupLimits &limits) const
{
    if (!limits.pidsMax)
        return {};
    const std::int64_t max = *limits.pidsMax;
    return write(Controller::Pids, "pids.max", max > 0 ? std::to_string(max) : "max", "pids limit");
}

} // namespace Berth::Runtime
