#include "runtime/capabilities.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace Berth::Runtime::Internal {

namespace {

bool dropBoundingSet(std::uint64_t keep, int lastCap, ChildFailure &failure)
{
    for (int cap = 0; cap <= lastCap; ++cap) {
        if (keep & (std::uint64_t(1) << cap))
            continue;
        if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL)
            return failure.set(SetupFailed, errno, "drop capability %d from the bounding set", cap);
    }
    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
        return failure.set(SetupFailed, errno, "clear the ambient capabilities");
    return true;
}

bool setCapabilitySets(std::uint64_t caps, ChildFailure &failure)
{
    __user_cap_header_struct header{};
    header.version = _LINUX_CAPABILITY_VERSION_3;
    __user_cap_data_struct data[2] = {};
    for (int i = 0; i < 2; ++i) {
        const auto word = std::uint32_t(caps >> (32 * i));
        data[i].effective = word;
        data[i].permitted = word;
        data[i].inheritable = 0; // empty, as Docker since CVE-2022-24769
    }
    if (::syscall(SYS_capset, &header, data) != 0)
        return failure.set(SetupFailed, errno, "set capabilities");
    return true;
}

bool setIds(const ResolvedUser &user, ChildFailure &failure)
{
    if (::setgroups(std::size_t(user.groupCount), user.groups) != 0)
        return failure.set(SetupFailed, errno, "setgroups");
    if (::setresgid(user.gid, user.gid, user.gid) != 0)
        return failure.set(SetupFailed, errno, "setgid %u", unsigned(user.gid));
    if (::setresuid(user.uid, user.uid, user.uid) != 0)
        return failure.set(SetupFailed, errno, "setuid %u", unsigned(user.uid));
    return true;
}

} // namespace

int lastCapability()
{
    const int fd = ::open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return CAP_LAST_CAP;
    char text[16] = {};
    const ssize_t n = ::read(fd, text, sizeof text - 1);
    ::close(fd);
    return n > 0 ? std::atoi(text) : CAP_LAST_CAP;
}

bool switchUser(const ResolvedUser &user, std::uint64_t keep, int lastCap, ChildFailure &failure)
{
    if (!dropBoundingSet(keep, lastCap, failure))
        return false;
    if (::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0)
        return failure.set(SetupFailed, errno, "keep capabilities across setuid");
    if (!setIds(user, failure))
        return false;
    if (::prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0)
        return failure.set(SetupFailed, errno, "reset keep-capabilities");
    return setCapabilitySets(user.uid == 0 ? keep : 0, failure);
}

} // namespace Berth::Runtime::Internal
