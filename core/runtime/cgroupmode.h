#pragma once

#include "base/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace Berth::Runtime {

// How the machine mounts cgroups: only v1 hierarchies, only the unified v2 one, or both (v1
// controllers plus a v2 mount that owns whatever no v1 hierarchy took).
enum class CgroupMode { V1, V2, Hybrid };

// "v1", "v2", "hybrid".
const char *cgroupModeName(CgroupMode mode);

// The controllers Berth uses. In v2, CpuAcct (cpu.stat) and Freezer (cgroup.freeze) are core
// files of every cgroup, not controllers.
enum class Controller { Memory, Cpu, CpuAcct, Pids, Freezer, Io };

// The v1 name ("memory", "cpu", "cpuacct", "pids", "freezer", "blkio").
const char *controllerName(Controller controller);
// The v2 name ("memory", "cpu", "pids", "io"; "" for the core features).
const char *controllerNameV2(Controller controller);

// One mounted hierarchy.
struct CgroupHierarchy
{
    std::string mountPoint; // where it is mounted, prefix included ("/sys/fs/cgroup/memory")
    std::string ownPath;    // this process's cgroup, relative to the mount point ("/" at the top)
    bool unified = false;   // cgroup2
    std::vector<std::string> controllers; // v1: bound to it; v2: listed in cgroup.controllers

    bool hasController(std::string_view name) const;
};

// Where to look; tests point these at a fake tree.
struct CgroupDetectOptions
{
    std::string mountinfoPath = "/proc/self/mountinfo";
    std::string selfCgroupPath = "/proc/self/cgroup";
    std::string prefix; // prepended to every mount point read from mountinfo
};

// The cgroup mounts of this machine and where each controller Berth needs lives.
class CgroupLayout
{
public:
    // Reads mountinfo and /proc/self/cgroup (and cgroup.controllers of a v2 mount).
    static Result<CgroupLayout> detect(const CgroupDetectOptions &options = {});
    // The same from texts already read; mount points get `prefix` prepended.
    static Result<CgroupLayout> parse(std::string_view mountinfo, std::string_view selfCgroup,
                                      const std::string &prefix = {});

    CgroupMode mode() const { return m_mode; }
    // Every cgroup hierarchy mounted (v1 controller hierarchies and the v2 one).
    const std::vector<CgroupHierarchy> &hierarchies() const { return m_hierarchies; }
    // The hierarchy that provides `controller`; nullptr when none does. In hybrid mode v1
    // hierarchies come first and the v2 mount serves only what it owns.
    const CgroupHierarchy *find(Controller controller) const;
    // The hierarchies a container cgroup is made in: those that provide a controller Berth uses.
    std::vector<const CgroupHierarchy *> used() const;

private:
    CgroupMode m_mode = CgroupMode::V2;
    std::vector<CgroupHierarchy> m_hierarchies;
};

} // namespace Berth::Runtime
