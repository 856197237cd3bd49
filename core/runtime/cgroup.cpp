#include "runtime/cgroup.h"

#include "runtime/cgroupfs.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <dirent.h>
#include <unistd.h>

namespace Berth::Runtime {

using namespace Internal;
using Clock = std::chrono::steady_clock;

namespace {

bool isDenied(const Error &error)
{
    const int err = error.sysErrno();
    return err == EACCES || err == EPERM || err == EROFS;
}

std::string notDelegated()
{
    return "cgroups are not delegated to uid " + std::to_string(::geteuid());
}

std::string dirName(const std::string &path)
{
    const auto slash = path.rfind('/');
    return slash == std::string::npos || slash == 0 ? "/" : path.substr(0, slash);
}

// A fake tree mimics the kernel: a new v2 cgroup offers what its parent enabled.
void fakeInherit(const std::string &path)
{
    std::string controllers;
    if (auto text = readFile(joinPath(dirName(path), "cgroup.subtree_control")))
        for (std::string_view name : split(*text, " \n"))
            controllers +=
                (controllers.empty() ? "" : " ") + std::string(name.substr(name[0] == '+'));
    (void)writeFile(joinPath(path, "cgroup.controllers"), controllers, true);
}

void removeFakeFiles(const std::string &path)
{
    DIR *dir = ::opendir(path.c_str());
    if (!dir)
        return;
    while (const dirent *entry = ::readdir(dir))
        if (entry->d_type == DT_REG)
            ::unlink(joinPath(path, entry->d_name).c_str());
    ::closedir(dir);
}

constexpr std::array s_v2Controllers = {Controller::Cpu, Controller::Io, Controller::Memory,
                                        Controller::Pids};

} // namespace

Cgroup::Cgroup(CgroupLayout layout, std::string id, CgroupOptions options)
    : m_layout(std::move(layout))
    , m_id(std::move(id))
    , m_options(std::move(options))
{}

Result<Cgroup> Cgroup::create(const CgroupLayout &layout, const std::string &id,
                              const CgroupLimits &limits, const CgroupOptions &options)
{
    if (id.empty() || id.find('/') != std::string::npos || id == "." || id == "..")
        return fail(ErrorCode::Invalid, "invalid cgroup name \"" + id + "\"");
    Cgroup cgroup(layout, id, options);
    auto made = cgroup.makeDirs();
    if (made)
        made = cgroup.applyLimits(limits);
    if (!made) {
        for (const Dir &dir : cgroup.m_dirs)
            (void)cgroup.removeDir(dir.path);
        return fail(std::move(made.error()).wrap("creating cgroup \"" + id + "\""));
    }
    return cgroup;
}

Result<Cgroup> Cgroup::open(const CgroupLayout &layout, const std::string &id,
                            const CgroupOptions &options)
{
    Cgroup cgroup(layout, id, options);
    for (const CgroupHierarchy *h : cgroup.m_layout.used()) {
        const std::string path = joinPath(cgroup.base(*h), id);
        if (exists(path))
            cgroup.m_dirs.push_back({std::size_t(h - layout.hierarchies().data()), path});
    }
    if (cgroup.m_dirs.empty())
        return fail(ErrorCode::NotFound, "no cgroup \"" + id + "\" in any hierarchy");
    return cgroup;
}

void Cgroup::pruneParent(const CgroupLayout &layout, const CgroupOptions &options)
{
    const Cgroup probe(layout, {}, options);
    for (const CgroupHierarchy *h : probe.m_layout.used()) {
        const std::string path = probe.base(*h);
        if (options.fakeTree)
            removeFakeFiles(path);
        ::rmdir(path.c_str());
    }
}

std::string Cgroup::base(const CgroupHierarchy &h) const
{
    const std::string top =
        m_options.underOwnCgroup ? joinPath(h.mountPoint, h.ownPath) : h.mountPoint;
    return joinPath(top, m_options.parent);
}

const CgroupHierarchy &Cgroup::hierarchyOf(const Dir &dir) const
{
    return m_layout.hierarchies()[dir.hierarchy];
}

const Cgroup::Dir *Cgroup::dirFor(Controller controller) const
{
    const CgroupHierarchy *h = m_layout.find(controller);
    if (!h || m_missing.count(controller))
        return nullptr;
    const std::size_t index = std::size_t(h - m_layout.hierarchies().data());
    for (const Dir &dir : m_dirs)
        if (dir.hierarchy == index)
            return &dir;
    return nullptr;
}

void Cgroup::markMissing(const CgroupHierarchy &h, const std::string &why)
{
    for (const Controller c : {Controller::Memory, Controller::Cpu, Controller::CpuAcct,
                               Controller::Pids, Controller::Freezer, Controller::Io})
        if (m_layout.find(c) == &h)
            m_missing.emplace(c, why);
    m_warnings.push_back(why);
}

Result<void> Cgroup::makeDirs()
{
    for (const CgroupHierarchy *h : m_layout.used()) {
        Result<void> parents = makeParents(*h);
        const std::string path = joinPath(base(*h), m_id);
        Result<bool> made = parents ? makeDir(path) : fail(std::move(parents.error()));
        if (!made && isDenied(made.error())) {
            markMissing(*h, notDelegated() + ": " + made.error().toString());
            continue;
        }
        if (!made)
            return fail(std::move(made.error()));
        if (!*made)
            return fail(ErrorCode::Conflict, "cgroup \"" + path + "\" already exists");
        m_dirs.push_back({std::size_t(h - m_layout.hierarchies().data()), path});
        if (m_options.fakeTree && h->unified)
            fakeInherit(path);
    }
    return {};
}

// Makes the levels of `parent` and, in v2, enables the controllers Berth uses in each
// subtree_control on the way down.
Result<void> Cgroup::makeParents(const CgroupHierarchy &h)
{
    std::string level = m_options.underOwnCgroup ? joinPath(h.mountPoint, h.ownPath) : h.mountPoint;
    std::vector<std::string> levels{level};
    for (const std::string_view part : split(m_options.parent, "/"))
        levels.push_back(level = joinPath(level, part));
    for (std::size_t i = 0; i < levels.size(); ++i) {
        if (i > 0) {
            auto made = makeDir(levels[i]);
            if (!made)
                return fail(std::move(made.error()));
            if (*made && m_options.fakeTree && h.unified)
                fakeInherit(levels[i]);
        }
        if (!h.unified)
            continue;
        const auto offered = readFile(joinPath(levels[i], "cgroup.controllers"));
        const auto enabled = readFile(joinPath(levels[i], "cgroup.subtree_control"));
        std::string wanted;
        for (const Controller c : s_v2Controllers) {
            const std::string name = controllerNameV2(c);
            const auto has = [&](const Result<std::string> &text) {
                if (!text)
                    return false;
                const auto names = split(*text, " +\n");
                return std::find(names.begin(), names.end(), name) != names.end();
            };
            if (!has(offered)) {
                if (m_layout.find(c) == &h)
                    m_missing.emplace(c, "the " + name + " controller is not delegated to \"" +
                                             levels[i] + "\" (not in its cgroup.controllers)");
            } else if (!has(enabled)) {
                wanted += (wanted.empty() ? "+" : " +") + name;
            }
        }
        if (wanted.empty())
            continue;
        const std::string file = joinPath(levels[i], "cgroup.subtree_control");
        auto written = writeFile(file, wanted, m_options.fakeTree);
        if (written)
            continue;
        Error error = std::move(written.error());
        if (error.sysErrno() == EBUSY)
            error.wrap("cgroup v2 allows no process in \"" + levels[i] +
                       "\" once it enables controllers for children: move them to a leaf "
                       "cgroup or choose another parent");
        else if (isDenied(error))
            error.wrap(notDelegated());
        else
            return fail(std::move(error));
        for (const Controller c : s_v2Controllers)
            if (m_layout.find(c) == &h)
                m_missing.emplace(c, error.toString());
        m_warnings.push_back(error.toString());
    }
    return {};
}

Result<void> Cgroup::removeDir(const std::string &path) const
{
    if (m_options.fakeTree)
        removeFakeFiles(path);
    const auto deadline = Clock::now() + m_options.removeTimeout;
    for (int round = 0;; backoff(round)) {
        if (::rmdir(path.c_str()) == 0 || errno == ENOENT)
            return {};
        const int err = errno;
        if (err != EBUSY || Clock::now() >= deadline)
            return fail(Error::fromErrno("remove cgroup \"" + path + "\"", err)
                            .wrap(err == EBUSY
                                      ? "still busy after " +
                                            std::to_string(m_options.removeTimeout.count()) + " ms"
                                      : "destroying cgroup"));
    }
}

Result<void> Cgroup::addProcess(pid_t pid) const
{
    for (const Dir &dir : m_dirs) {
        auto written =
            writeFile(joinPath(dir.path, "cgroup.procs"), std::to_string(pid), m_options.fakeTree);
        if (!written)
            return fail(std::move(written.error())
                            .wrap("adding process " + std::to_string(pid) + " to cgroup"));
    }
    return {};
}

Result<std::vector<pid_t>> Cgroup::processes() const
{
    std::vector<pid_t> all;
    for (const Dir &dir : m_dirs) {
        auto text = readFile(joinPath(dir.path, "cgroup.procs"));
        if (!text && text.error().sysErrno() != ENOENT) // removed: empty
            return fail(std::move(text.error()));
        const auto pids = parsePids(text ? *text : std::string());
        all.insert(all.end(), pids.begin(), pids.end());
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return all;
}

std::string Cgroup::path(Controller controller) const
{
    const Dir *dir = dirFor(controller);
    return dir ? dir->path : std::string();
}

std::vector<std::string> Cgroup::paths() const
{
    std::vector<std::string> out;
    for (const Dir &dir : m_dirs)
        out.push_back(dir.path);
    return out;
}

} // namespace Berth::Runtime
