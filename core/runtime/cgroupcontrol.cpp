// Freezing, killing and removing a container cgroup.
#include "runtime/cgroup.h"

#include "runtime/cgroupfs.h"

#include <algorithm>
#include <cerrno>
#include <csignal>

namespace Berth::Runtime {

using namespace Internal;
using Clock = std::chrono::steady_clock;

namespace {

std::string pidList(const std::vector<pid_t> &pids)
{
    std::string out;
    for (std::size_t i = 0; i < pids.size() && i < 10; ++i)
        out += (i ? " " : "") + std::to_string(pids[i]);
    return pids.size() > 10 ? out + " ..." : out;
}

// Whether the freezer says the cgroup in `dir` is in the state asked for.
Result<bool> settled(const std::string &dir, bool v2, bool frozen)
{
    if (v2) {
        auto events = readFile(joinPath(dir, "cgroup.events"));
        if (!events)
            return fail(std::move(events.error()));
        const bool isFrozen = events->find("frozen 1") != std::string::npos;
        return isFrozen == frozen;
    }
    auto state = readFile(joinPath(dir, "freezer.state"));
    if (!state)
        return fail(std::move(state.error()));
    return trim(*state) == (frozen ? "FROZEN" : "THAWED");
}

} // namespace

Result<void> Cgroup::setFrozen(bool frozen) const
{
    const Dir *dir = dirFor(Controller::Freezer);
    if (!dir) {
        const auto why = m_missing.find(Controller::Freezer);
        return fail(ErrorCode::Unsupported,
                    std::string(frozen ? "pause" : "unpause") + " cannot apply: " +
                        (why != m_missing.end() ? why->second : "no freezer cgroup is mounted"));
    }
    const bool v2 = hierarchyOf(*dir).unified;
    const std::string file = joinPath(dir->path, v2 ? "cgroup.freeze" : "freezer.state");
    const std::string value = v2 ? (frozen ? "1" : "0") : (frozen ? "FROZEN" : "THAWED");
    const auto deadline = Clock::now() + m_options.freezeTimeout;
    for (int round = 0;; backoff(round)) {
        // v1 may stay FREEZING while a task races a fork; writing again retries the walk.
        if (auto written = writeFile(file, value, m_options.fakeTree); !written)
            return fail(std::move(written.error()));
        auto done = settled(dir->path, v2, frozen);
        if (!done)
            return fail(std::move(done.error()));
        if (*done)
            return {};
        if (Clock::now() >= deadline)
            break;
    }
    if (frozen)
        (void)setFrozen(false);
    return fail(ErrorCode::Sys, std::string(frozen ? "freeze" : "thaw") + " cgroup \"" + dir->path +
                                    "\": not " + (frozen ? "frozen" : "thawed") + " after " +
                                    std::to_string(m_options.freezeTimeout.count()) +
                                    " ms (a process may be stuck in the kernel)" +
                                    (frozen ? "; thawed again" : ""));
}

Result<void> Cgroup::freeze() const
{
    return setFrozen(true);
}

Result<void> Cgroup::thaw() const
{
    return setFrozen(false);
}

Result<bool> Cgroup::isFrozen() const
{
    const Dir *dir = dirFor(Controller::Freezer);
    if (!dir)
        return false;
    return settled(dir->path, hierarchyOf(*dir).unified, true);
}

// One pass: stop everything (so no pid is reused or forked behind our back), SIGKILL every
// listed pid, let them run to die.
Result<void> Cgroup::killRound() const
{
    for (const Dir &dir : m_dirs) {
        const std::string kill = joinPath(dir.path, "cgroup.kill");
        if (hierarchyOf(dir).unified && exists(kill))
            return writeFile(kill, "1");
    }
    const bool frozen = dirFor(Controller::Freezer) && setFrozen(true);
    auto pids = processes();
    if (pids)
        for (const pid_t pid : *pids)
            ::kill(pid, SIGKILL);
    if (frozen)
        (void)setFrozen(false);
    return pids ? Result<void>() : fail(std::move(pids.error()));
}

Result<void> Cgroup::killAll() const
{
    const auto deadline = Clock::now() + m_options.killTimeout;
    for (int round = 0;; backoff(round)) {
        auto pids = processes();
        if (!pids)
            return fail(std::move(pids.error()).wrap("killing the processes of a cgroup"));
        if (pids->empty())
            return {};
        if (Clock::now() >= deadline)
            return fail(ErrorCode::Sys, "kill cgroup \"" + m_id +
                                            "\": " + std::to_string(pids->size()) +
                                            " processes left after " +
                                            std::to_string(m_options.killTimeout.count()) +
                                            " ms (" + pidList(*pids) + ")");
        if (auto killed = killRound(); !killed)
            return fail(std::move(killed.error()).wrap("killing the processes of a cgroup"));
    }
}

Result<void> Cgroup::destroy()
{
    if (auto killed = killAll(); !killed)
        return killed;
    for (auto it = m_dirs.rbegin(); it != m_dirs.rend(); ++it)
        if (auto removed = removeDir(it->path); !removed)
            return removed;
    m_dirs.clear();
    return {};
}

} // namespace Berth::Runtime
