#include "runtime/cgroupmode.h"

#include "runtime/cgroupfs.h"

#include <algorithm>
#include <array>
#include <optional>
#include <set>

namespace Berth::Runtime {

using namespace Internal;

const char *cgroupModeName(CgroupMode mode)
{
    switch (mode) {
    case CgroupMode::V1: return "v1";
    case CgroupMode::V2: return "v2";
    case CgroupMode::Hybrid: return "hybrid";
    }
    return "v2";
}

const char *controllerName(Controller controller)
{
    switch (controller) {
    case Controller::Memory: return "memory";
    case Controller::Cpu: return "cpu";
    case Controller::CpuAcct: return "cpuacct";
    case Controller::Pids: return "pids";
    case Controller::Freezer: return "freezer";
    case Controller::Io: return "blkio";
    }
    return "";
}

const char *controllerNameV2(Controller controller)
{
    switch (controller) {
    case Controller::Memory: return "memory";
    case Controller::Cpu: return "cpu";
    case Controller::Pids: return "pids";
    case Controller::Io: return "io";
    case Controller::CpuAcct:
    case Controller::Freezer: return "";
    }
    return "";
}

bool CgroupHierarchy::hasController(std::string_view name) const
{
    return std::find(controllers.begin(), controllers.end(), name) != controllers.end();
}

namespace {

constexpr std::array s_allControllers = {Controller::Memory,  Controller::Cpu,
                                         Controller::CpuAcct, Controller::Pids,
                                         Controller::Freezer, Controller::Io};

constexpr std::array<std::string_view, 14> s_v1Names = {
    "cpu",        "cpuacct",  "cpuset",  "memory", "devices", "freezer", "net_cls",
    "perf_event", "net_prio", "hugetlb", "pids",   "rdma",    "misc",    "blkio"};

// mountinfo escapes blanks and backslashes as \ooo.
std::string unescape(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 3 < text.size()) {
            const std::string_view digits = text.substr(i + 1, 3);
            if (digits.size() == 3 && std::all_of(digits.begin(), digits.end(),
                                                  [](char c) { return c >= '0' && c <= '7'; })) {
                out += char((digits[0] - '0') * 64 + (digits[1] - '0') * 8 + (digits[2] - '0'));
                i += 3;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

struct Mount
{
    std::string majorMinor;
    std::string root;
    std::string mountPoint;
    std::string fsType;
    std::vector<std::string> controllers; // v1 controllers and name=... from the super options
};

std::optional<Mount> parseMountLine(std::string_view line)
{
    const auto dash = line.find(" - ");
    if (dash == std::string_view::npos)
        return std::nullopt;
    const auto left = split(line.substr(0, dash), " ");
    const auto right = split(line.substr(dash + 3), " ");
    if (left.size() < 6 || right.size() < 3)
        return std::nullopt;
    Mount m{std::string(left[2]), unescape(left[3]), unescape(left[4]), std::string(right[0]), {}};
    if (m.fsType != "cgroup" && m.fsType != "cgroup2")
        return std::nullopt;
    for (const std::string_view opt : split(right[2], ",")) {
        const bool known = std::find(s_v1Names.begin(), s_v1Names.end(), opt) != s_v1Names.end();
        if (m.fsType == "cgroup" && (known || opt.starts_with("name=")))
            m.controllers.emplace_back(opt);
    }
    return m;
}

// The path of this process in the hierarchy whose /proc/self/cgroup controller list is `key`
// ("" for v2).
std::string ownCgroup(std::string_view selfCgroup, const std::vector<std::string> &key)
{
    const std::set<std::string> wanted(key.begin(), key.end());
    for (const std::string_view line : split(selfCgroup, "\n")) {
        const auto first = line.find(':');
        const auto second = line.find(':', first + 1);
        if (first == std::string_view::npos || second == std::string_view::npos)
            continue;
        std::set<std::string> names;
        for (const std::string_view n : split(line.substr(first + 1, second - first - 1), ","))
            names.emplace(n);
        if (names == wanted)
            return std::string(line.substr(second + 1));
    }
    return "/";
}

// The own cgroup relative to the mount point: strips the mount's root (bind mounts,
// cgroup namespaces); a path outside the mount ("/../x") counts as the top.
std::string relativeToMount(const std::string &path, const std::string &root)
{
    if (path.starts_with("/.."))
        return "/";
    if (root == "/" || root.empty())
        return path.empty() ? "/" : path;
    if (path == root)
        return "/";
    if (path.starts_with(root + "/"))
        return path.substr(root.size());
    return "/";
}

std::vector<std::string> readV2Controllers(const std::string &mountPoint)
{
    std::vector<std::string> out;
    if (auto text = readFile(joinPath(mountPoint, "cgroup.controllers")))
        for (const std::string_view name : split(*text, " \n"))
            out.emplace_back(name);
    return out;
}

} // namespace

Result<CgroupLayout> CgroupLayout::parse(std::string_view mountinfo, std::string_view selfCgroup,
                                         const std::string &prefix)
{
    CgroupLayout layout;
    std::set<std::string> seen;
    bool v1Controllers = false;
    bool v2 = false;
    for (const std::string_view line : split(mountinfo, "\n")) {
        auto mount = parseMountLine(line);
        if (!mount || !seen.insert(mount->majorMinor).second)
            continue;
        CgroupHierarchy h;
        h.mountPoint = prefix.empty() ? mount->mountPoint : joinPath(prefix, mount->mountPoint);
        h.unified = mount->fsType == "cgroup2";
        const std::vector<std::string> key =
            h.unified ? std::vector<std::string>{} : mount->controllers;
        h.ownPath = relativeToMount(ownCgroup(selfCgroup, key), mount->root);
        h.controllers = h.unified ? readV2Controllers(h.mountPoint) : mount->controllers;
        v2 = v2 || h.unified;
        v1Controllers =
            v1Controllers ||
            std::any_of(h.controllers.begin(), h.controllers.end(), [&](const std::string &c) {
                return !h.unified && !c.starts_with("name=");
            });
        layout.m_hierarchies.push_back(std::move(h));
    }
    if (!v2 && !v1Controllers)
        return fail(ErrorCode::Unsupported, "no cgroup file system is mounted (mountinfo lists "
                                            "neither a cgroup2 mount nor v1 controllers)");
    layout.m_mode = !v1Controllers ? CgroupMode::V2 : v2 ? CgroupMode::Hybrid : CgroupMode::V1;
    return layout;
}

Result<CgroupLayout> CgroupLayout::detect(const CgroupDetectOptions &options)
{
    auto mountinfo = readFile(options.mountinfoPath);
    if (!mountinfo)
        return fail(std::move(mountinfo.error()).wrap("detecting cgroups"));
    auto self = readFile(options.selfCgroupPath);
    if (!self)
        return fail(std::move(self.error()).wrap("detecting cgroups"));
    return parse(*mountinfo, *self, options.prefix);
}

const CgroupHierarchy *CgroupLayout::find(Controller controller) const
{
    for (const CgroupHierarchy &h : m_hierarchies)
        if (!h.unified && h.hasController(controllerName(controller)))
            return &h;
    for (const CgroupHierarchy &h : m_hierarchies) {
        if (!h.unified)
            continue;
        const std::string_view name = controllerNameV2(controller);
        if (name.empty() || h.hasController(name))
            return &h;
    }
    return nullptr;
}

std::vector<const CgroupHierarchy *> CgroupLayout::used() const
{
    std::vector<const CgroupHierarchy *> out;
    for (const Controller c : s_allControllers) {
        const CgroupHierarchy *h = find(c);
        if (h && std::find(out.begin(), out.end(), h) == out.end())
            out.push_back(h);
    }
    return out;
}

} // namespace Berth::Runtime
