#include "runtime/mounts.h"

#include "runtime/rootpath.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace Berth::Runtime::Internal {

namespace {

// Docker's masked paths (hidden behind /dev/null or an empty read-only tmpfs) and read-only
// paths, for a container that is not privileged.
constexpr const char *kMaskedPaths[] = {
    "/proc/asound",
    "/proc/acpi",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/devices/virtual/powercap",
};
constexpr const char *kReadOnlyPaths[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};
constexpr const char *kDevices[] = {"null", "zero", "full", "random", "urandom", "tty"};
constexpr const char *kDevLinks[][2] = {
    {"ptmx", "pts/ptmx"},          {"fd", "/proc/self/fd"},       {"stdin", "/proc/self/fd/0"},
    {"stdout", "/proc/self/fd/1"}, {"stderr", "/proc/self/fd/2"}, {"core", "/proc/kcore"},
};

// The container's root while it is being built: an fd, and its host path for messages.
struct Root
{
    int fd;
    const char *path;
};

// "/proc/self/fd/N": mounting there reaches exactly the file the fd holds.
struct FdPath
{
    char text[32];
    explicit FdPath(int fd) { std::snprintf(text, sizeof text, "/proc/self/fd/%d", fd); }
};

int openTarget(const Root &root, const char *target, Create create, ChildFailure &failure)
{
    const int fd = openInRoot(root.fd, target, create);
    if (fd < 0)
        failure.set(SetupFailed, -fd, "open mount target \"%s\" in \"%s\"", target, root.path);
    return fd;
}

bool mountAt(const Root &root, const char *target, int fd, const char *source, const char *type,
             unsigned long flags, const char *data, ChildFailure &failure)
{
    if (::mount(source, FdPath(fd).text, type, flags, data) == 0)
        return true;
    const bool bind = flags & MS_BIND;
    return failure.set(SetupFailed, errno, "mount %s%s on \"%s%s\"", bind ? "bind " : type,
                       bind ? source : "", root.path, target);
}

bool mountOn(const Root &root, const char *target, Create create, const char *source,
             const char *type, unsigned long flags, const char *data, ChildFailure &failure)
{
    const int fd = openTarget(root, target, create, failure);
    if (fd < 0)
        return false;
    const bool ok = mountAt(root, target, fd, source, type, flags, data, failure);
    ::close(fd);
    return ok;
}

unsigned long lockedFlags(int fd)
{
    struct statvfs st
    {};
    if (::fstatvfs(fd, &st) != 0)
        return 0;
    unsigned long flags = 0;
    flags |= (st.f_flag & ST_NOSUID) ? MS_NOSUID : 0;
    flags |= (st.f_flag & ST_NODEV) ? MS_NODEV : 0;
    flags |= (st.f_flag & ST_NOEXEC) ? MS_NOEXEC : 0;
    flags |= (st.f_flag & ST_NOATIME) ? MS_NOATIME : 0;
    flags |= (st.f_flag & ST_NODIRATIME) ? MS_NODIRATIME : 0;
    flags |= (st.f_flag & ST_RELATIME) ? MS_RELATIME : 0;
    return flags;
}

// Makes the mount now at `target` read-only; the target is opened again so that the fd is the
// new mount's root, not the directory under it.
bool remountReadOnly(const Root &root, const char *target, ChildFailure &failure)
{
    const int fd = openTarget(root, target, Create::Nothing, failure);
    if (fd < 0)
        return false;
    const unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY | lockedFlags(fd);
    const bool ok = ::mount(nullptr, FdPath(fd).text, nullptr, flags, nullptr) == 0;
    const int err = errno;
    ::close(fd);
    return ok || failure.set(SetupFailed, err, "remount \"%s%s\" read-only", root.path, target);
}

bool bindOn(const Root &root, const char *source, const char *target, Create create, bool readOnly,
            ChildFailure &failure)
{
    if (!mountOn(root, target, create, source, nullptr, MS_BIND | MS_REC, nullptr, failure))
        return false;
    return !readOnly || remountReadOnly(root, target, failure);
}

bool mountDev(const Root &root, ChildFailure &failure)
{
    // nodev: a node made with mknod here cannot be opened; the host nodes bound below keep
    // their own mounts. (Without a device cgroup yet, this is what stops a mknod'ed disk.)
    if (!mountOn(root, "/dev", Create::Directory, "tmpfs", "tmpfs",
                 MS_NOSUID | MS_NODEV | MS_STRICTATIME, "mode=755,size=65536k", failure))
        return false;
    char host[32];
    char target[32];
    for (const char *name : kDevices) {
        std::snprintf(host, sizeof host, "/dev/%s", name);
        std::snprintf(target, sizeof target, "/dev/%s", name);
        if (!bindOn(root, host, target, Create::File, false, failure))
            return false;
    }
    const unsigned long hidden = MS_NOSUID | MS_NOEXEC | MS_NODEV;
    if (!mountOn(root, "/dev/pts", Create::Directory, "devpts", "devpts", MS_NOSUID | MS_NOEXEC,
                 "newinstance,ptmxmode=0666,mode=0620,gid=5", failure) ||
        !mountOn(root, "/dev/shm", Create::Directory, "shm", "tmpfs", hidden,
                 "mode=1777,size=65536k", failure) ||
        !mountOn(root, "/dev/mqueue", Create::Directory, "mqueue", "mqueue", hidden, nullptr,
                 failure))
        return false;
    const int dev = openTarget(root, "/dev", Create::Nothing, failure);
    if (dev < 0)
        return false;
    for (const auto &link : kDevLinks) {
        if (::symlinkat(link[1], dev, link[0]) != 0 && errno != EEXIST) {
            const int err = errno;
            ::close(dev);
            return failure.set(SetupFailed, err, "symlink \"%s/dev/%s\"", root.path, link[0]);
        }
    }
    ::close(dev);
    return true;
}

bool maskPaths(const Root &root, ChildFailure &failure)
{
    for (const char *path : kMaskedPaths) {
        const int fd = openInRoot(root.fd, path, Create::Nothing);
        if (fd == -ENOENT)
            continue;
        if (fd < 0)
            return failure.set(SetupFailed, -fd, "mask \"%s%s\"", root.path, path);
        struct stat st
        {};
        const bool directory = ::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
        const bool ok =
            directory ? mountAt(root, path, fd, "tmpfs", "tmpfs", MS_RDONLY, nullptr, failure)
                      : mountAt(root, path, fd, "/dev/null", nullptr, MS_BIND, nullptr, failure);
        ::close(fd);
        if (!ok)
            return false;
    }
    return true;
}

bool makePathsReadOnly(const Root &root, ChildFailure &failure)
{
    for (const char *path : kReadOnlyPaths) {
        const int fd = openInRoot(root.fd, path, Create::Nothing);
        if (fd == -ENOENT)
            continue;
        if (fd < 0)
            return failure.set(SetupFailed, -fd, "open \"%s%s\"", root.path, path);
        const FdPath self(fd);
        const bool ok =
            mountAt(root, path, fd, self.text, nullptr, MS_BIND | MS_REC, nullptr, failure);
        ::close(fd);
        if (!ok || !remountReadOnly(root, path, failure))
            return false;
    }
    return true;
}

bool bindUserMounts(const Root &root, const ChildContext &c, ChildFailure &failure)
{
    for (std::size_t i = 0; i < c.spec.mounts.size(); ++i) {
        const BindMount &m = c.spec.mounts[i];
        const Create create = c.mountIsDirectory[i] ? Create::Directory : Create::File;
        if (!bindOn(root, m.source.c_str(), m.destination.c_str(), create, m.readOnly, failure))
            return false;
    }
    const char *const etc[][2] = {{c.spec.hostsFile.c_str(), "/etc/hosts"},
                                  {c.spec.hostnameFile.c_str(), "/etc/hostname"},
                                  {c.spec.resolvConfFile.c_str(), "/etc/resolv.conf"}};
    for (const auto &file : etc) {
        if (*file[0] && !bindOn(root, file[0], file[1], Create::File, false, failure))
            return false;
    }
    return true;
}

bool mountSystem(const Root &root, ChildFailure &failure)
{
    const unsigned long hidden = MS_NOSUID | MS_NODEV | MS_NOEXEC;
    return mountOn(root, "/proc", Create::Directory, "proc", "proc", hidden, nullptr, failure) &&
           mountDev(root, failure) &&
           mountOn(root, "/sys", Create::Directory, "sysfs", "sysfs", hidden | MS_RDONLY, nullptr,
                   failure);
}

bool pivotInto(const Root &root, ChildFailure &failure)
{
    if (::fchdir(root.fd) != 0)
        return failure.set(SetupFailed, errno, "chdir to \"%s\"", root.path);
    // pivot_root(".", "."): the old root ends up stacked on the new one, then detached.
    if (::syscall(SYS_pivot_root, ".", ".") != 0)
        return failure.set(SetupFailed, errno, "pivot_root to \"%s\"", root.path);
    if (::umount2(".", MNT_DETACH) != 0)
        return failure.set(SetupFailed, errno, "detach the old root");
    if (::chdir("/") != 0)
        return failure.set(SetupFailed, errno, "chdir to the new root");
    return true;
}

bool mountOverlay(const ChildContext &c, ChildFailure &failure)
{
    const char *rootfs = c.spec.rootfs.c_str();
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return failure.set(SetupFailed, errno, "make mount propagation private");
    // nodev: device nodes an image ships, or that the container makes, cannot be opened.
    if (::mount("overlay", rootfs, "overlay", MS_NODEV, c.overlayOptions.c_str()) != 0)
        return failure.set(SetupFailed, errno, "mount overlay on \"%s\"", rootfs);
    return true;
}

} // namespace

bool setupRootfs(const ChildContext &c, ChildFailure &failure)
{
    if (!mountOverlay(c, failure))
        return false;
    const Root root{::open(c.spec.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC),
                    c.spec.rootfs.c_str()};
    if (root.fd < 0)
        return failure.set(SetupFailed, errno, "open \"%s\"", root.path);
    const bool ok = mountSystem(root, failure) && bindUserMounts(root, c, failure) &&
                    maskPaths(root, failure) && makePathsReadOnly(root, failure) &&
                    pivotInto(root, failure);
    ::close(root.fd);
    return ok;
}

bool makeRootReadOnly(ChildFailure &failure)
{
    if (::mount(nullptr, "/", nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) != 0)
        return failure.set(SetupFailed, errno, "remount the root read-only");
    return true;
}

} // namespace Berth::Runtime::Internal
