#include "archive/saferoot.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace Berth::Archive::Internal {

int openInRoot(int rootFd, std::string_view path, int flags, std::uint64_t extraResolve)
{
    const std::string p = path.empty() ? std::string(".") : std::string(path);
    open_how how{};
    how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | extraResolve;
    for (;;) {
        const long fd = ::syscall(SYS_openat2, rootFd, p.c_str(), &how, sizeof how);
        if (fd >= 0)
            return static_cast<int>(fd);
        // EAGAIN: a rename raced the lookup; the kernel asks us to retry.
        if (errno != EAGAIN && errno != EINTR)
            return -errno;
    }
}

Result<UniqueFd> makeDirectories(int rootFd, std::string_view path, bool noSymlinks)
{
    const std::uint64_t resolve = noSymlinks ? RESOLVE_NO_SYMLINKS : 0;
    const int flags = O_PATH | O_DIRECTORY;
    int fd = openInRoot(rootFd, path, flags, resolve);
    if (fd >= 0)
        return UniqueFd(fd);
    if (fd != -ENOENT)
        return fail(Error::fromErrno("open directory \"" + std::string(path) + "\"", -fd));
    UniqueFd current(openInRoot(rootFd, "", flags));
    std::size_t start = 0;
    while (start < path.size()) {
        const std::size_t slash = std::min(path.find('/', start), path.size());
        const std::string name(path.substr(start, slash - start));
        const std::string_view prefix = path.substr(0, slash);
        fd = openInRoot(rootFd, prefix, flags, resolve);
        if (fd == -ENOENT) {
            if (::mkdirat(current.get(), name.c_str(), 0755) != 0 && errno != EEXIST)
                return fail(Error::fromErrno("mkdir \"" + std::string(prefix) + "\"", errno));
            fd = openInRoot(rootFd, prefix, flags, resolve);
        }
        if (fd < 0)
            return fail(Error::fromErrno("open directory \"" + std::string(prefix) + "\"", -fd));
        current.reset(fd);
        start = slash + 1;
    }
    return current;
}

std::optional<std::string> cleanPath(std::string_view path)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t slash = std::min(path.find('/', start), path.size());
        const std::string_view part = path.substr(start, slash - start);
        if (part == "..") {
            if (parts.empty())
                return std::nullopt;
            parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        start = slash + 1;
    }
    std::string out;
    for (const auto part : parts) {
        if (!out.empty())
            out += '/';
        out += part;
    }
    return out;
}

std::pair<std::string_view, std::string_view> splitParent(std::string_view path)
{
    const auto slash = path.rfind('/');
    if (slash == std::string_view::npos)
        return {std::string_view(), path};
    return {path.substr(0, slash), path.substr(slash + 1)};
}

Result<std::vector<std::string>> listDirectory(int dirFd)
{
    const int copy = ::fcntl(dirFd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0)
        return fail(Error::fromErrno("dup", errno));
    DIR *dir = ::fdopendir(copy);
    if (!dir) {
        const int err = errno;
        ::close(copy);
        return fail(Error::fromErrno("opendir", err));
    }
    ::rewinddir(dir);
    std::vector<std::string> names;
    errno = 0;
    while (const dirent *e = ::readdir(dir)) {
        const std::string_view name(e->d_name);
        if (name != "." && name != "..")
            names.emplace_back(name);
        errno = 0;
    }
    const int err = errno;
    ::closedir(dir);
    if (err != 0)
        return fail(Error::fromErrno("readdir", err));
    std::sort(names.begin(), names.end());
    return names;
}

Result<> removeTree(int dirFd, const std::string &name)
{
    if (::unlinkat(dirFd, name.c_str(), 0) == 0 || errno == ENOENT)
        return {};
    if (errno != EISDIR && errno != EPERM)
        return fail(Error::fromErrno("remove \"" + name + "\"", errno));
    UniqueFd child(::openat(dirFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!child.isValid())
        return fail(Error::fromErrno("open \"" + name + "\"", errno));
    if (auto r = clearDirectory(child.get(), [](const std::string &) { return false; }); !r)
        return fail(std::move(r).error().wrap("remove \"" + name + "\""));
    child.reset();
    if (::unlinkat(dirFd, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT)
        return fail(Error::fromErrno("remove \"" + name + "\"", errno));
    return {};
}

Result<> clearDirectory(int dirFd, const std::function<bool(const std::string &)> &keep)
{
    auto names = listDirectory(dirFd);
    if (!names)
        return fail(std::move(names).error());
    for (const auto &name : *names) {
        if (keep(name))
            continue;
        if (auto r = removeTree(dirFd, name); !r)
            return r;
    }
    return {};
}

std::string procPath(int dirFd, std::string_view name)
{
    return "/proc/self/fd/" + std::to_string(dirFd) + "/" + std::string(name);
}

} // namespace Berth::Archive::Internal
