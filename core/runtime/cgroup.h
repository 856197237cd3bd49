#pragma once

#include "base/result.h"
#include "runtime/cgroupmode.h"
#include "runtime/cgroupstats.h"

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace Berth::Runtime {

// Resource limits with Docker's meaning; unset fields are left at the kernel's default.
struct CgroupLimits
{
    std::optional<std::int64_t> memory;            // bytes (--memory)
    std::optional<std::int64_t> memorySwap;        // memory + swap, -1 unlimited (--memory-swap);
                                                   // unset with memory set: twice memory
    std::optional<std::int64_t> memoryReservation; // soft limit (--memory-reservation)
    std::optional<std::uint64_t> cpuShares;        // relative weight, 1024 normal (--cpu-shares)
    std::optional<std::int64_t> cpuQuota;          // µs per period (--cpu-quota)
    std::optional<std::uint64_t> cpuPeriod;        // µs, 100000 when unset (--cpu-period)
    std::optional<std::int64_t> pidsMax;           // <= 0 unlimited (--pids-limit)

    // --cpus: a quota of `cpus` periods (of cpuPeriod, 100 ms when unset).
    void setCpus(double cpus);
};

struct CgroupOptions
{
    // Container cgroups are `<parent>/<id>` in each hierarchy.
    std::string parent = "berth";
    // Make `parent` under this process's own cgroup instead of each hierarchy's top: the
    // delegated subtree of a rootless user on v2.
    bool underOwnCgroup = false;
    std::chrono::milliseconds freezeTimeout{5000};
    std::chrono::milliseconds killTimeout{10000};
    std::chrono::milliseconds removeTimeout{2000};
    // Plain directories standing in for cgroupfs (tests): files are created when written, and
    // removed before their directory.
    bool fakeTree = false;
};

// A container's cgroup: one directory per hierarchy that provides a controller Berth uses.
// Copyable; destroying the object leaves the cgroup alone (the shim outlives the engine).
// freeze, thaw, killAll and destroy poll the kernel and block: call them off the GUI thread.
class Cgroup
{
public:
    // Makes `<parent>/<id>` everywhere (enabling v2 controllers on the way down) and applies
    // the limits; on failure removes what it made.
    static Result<Cgroup> create(const CgroupLayout &layout, const std::string &id,
                                 const CgroupLimits &limits, const CgroupOptions &options = {});
    // An existing container cgroup, found again by a new process; NotFound when it is gone.
    static Result<Cgroup> open(const CgroupLayout &layout, const std::string &id,
                               const CgroupOptions &options = {});
    // Removes the empty `parent` in every hierarchy; busy or missing is fine.
    static void pruneParent(const CgroupLayout &layout, const CgroupOptions &options = {});

    // Moves `pid` (all its threads) into the cgroup in every hierarchy.
    Result<void> addProcess(pid_t pid) const;
    // The processes in the cgroup (union over hierarchies).
    Result<std::vector<pid_t>> processes() const;

    // Usage figures; what a hierarchy lacks stays zero.
    Result<CgroupStats> stats() const;
    // Whether the kernel's OOM killer killed a process of this cgroup.
    Result<bool> oomKilled() const;

    // Stops every process (v1 freezer.state, v2 cgroup.freeze) and waits until the kernel says
    // so, up to freezeTimeout; on timeout thaws again and fails.
    Result<void> freeze() const;
    Result<void> thaw() const;
    Result<bool> isFrozen() const;

    // SIGKILLs every process and waits until none is left (v2 cgroup.kill when present, else
    // freeze, kill every listed pid, thaw, until empty), up to killTimeout.
    Result<void> killAll() const;
    // killAll, then removes the directory in every hierarchy, retrying while busy. Nothing
    // stays behind on success.
    Result<void> destroy();

    const std::string &id() const { return m_id; }
    // The directory in the hierarchy that provides `controller`; "" when none does.
    std::string path(Controller controller) const;
    // One directory per hierarchy used.
    std::vector<std::string> paths() const;
    CgroupMode mode() const { return m_layout.mode(); }
    // What could not apply but is not an error (Docker prints these too), e.g. no swap limit.
    const std::vector<std::string> &warnings() const { return m_warnings; }

private:
    struct Dir
    {
        std::size_t hierarchy; // index in m_layout.hierarchies()
        std::string path;
    };
    Cgroup(CgroupLayout layout, std::string id, CgroupOptions options);
    const CgroupHierarchy &hierarchyOf(const Dir &dir) const;
    const Dir *dirFor(Controller controller) const;
    std::string base(const CgroupHierarchy &h) const;
    Result<void> makeDirs();
    Result<void> makeParents(const CgroupHierarchy &h);
    Result<void> applyLimits(const CgroupLimits &limits);
    Result<void> applyMemory(const CgroupLimits &limits);
    Result<void> applyCpu(const CgroupLimits &limits) const;
    Result<void> applyPids(const CgroupLimits &limits) const;
    void markMissing(const CgroupHierarchy &h, const std::string &why);
    Result<void> write(Controller c, const std::string &file, const std::string &value,
                       const char *what) const;
    Result<void> setFrozen(bool frozen) const;
    Result<void> killRound() const;
    Result<void> removeDir(const std::string &path) const;

    CgroupLayout m_layout;
    std::string m_id;
    CgroupOptions m_options;
    std::vector<Dir> m_dirs;
    std::vector<std::string> m_warnings;
    std::map<Controller, std::string> m_missing; // why a controller cannot be used here
};

} // namespace Berth::Runtime
