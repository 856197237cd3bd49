#include "runtime/rootpath.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

namespace Berth::Runtime::Internal {

namespace {

constexpr int kMaxSymlinks = 40;

// The walk's state: what is left to resolve and the (symlink-free) path resolved so far.
struct Walk
{
    int rootFd;
    int current = -1;
    char rest[2 * PATH_MAX] = {};
    std::size_t pos = 0;
    char done[PATH_MAX] = {};
    std::size_t doneLength = 0;
    int links = 0;
};

int reopenDone(Walk &w)
{
    open_how how{};
    how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    const char *path = w.doneLength == 0 ? "." : w.done;
    const long fd = ::syscall(SYS_openat2, w.rootFd, path, &how, sizeof how);
    if (fd < 0)
        return -errno;
    ::close(w.current);
    w.current = static_cast<int>(fd);
    return 0;
}

int goUp(Walk &w)
{
    while (w.doneLength > 0 && w.done[w.doneLength - 1] != '/')
        --w.doneLength;
    if (w.doneLength > 0)
        --w.doneLength; // the slash
    w.done[w.doneLength] = '\0';
    return reopenDone(w);
}

// Replaces the component just read (a symlink) by its target.
int followLink(Walk &w, int linkFd)
{
    if (++w.links > kMaxSymlinks)
        return -ELOOP;
    char target[PATH_MAX];
    const ssize_t n = ::readlinkat(linkFd, "", target, sizeof target - 1);
    if (n < 0)
        return -errno;
    target[n] = '\0';
    const std::size_t restLength = std::strlen(w.rest + w.pos);
    if (std::size_t(n) + 1 + restLength >= sizeof w.rest)
        return -ENAMETOOLONG;
    char joined[sizeof w.rest];
    std::memcpy(joined, target, std::size_t(n));
    joined[n] = '/';
    std::memcpy(joined + n + 1, w.rest + w.pos, restLength + 1);
    std::memcpy(w.rest, joined, std::size_t(n) + 2 + restLength);
    w.pos = 0;
    if (target[0] == '/') {
        w.doneLength = 0;
        w.done[0] = '\0';
        return reopenDone(w);
    }
    return 0;
}

int createMissing(int dirFd, const char *name, bool last, Create create)
{
    if (last && create == Create::File) {
        const int fd =
            ::openat(dirFd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
            return errno == EEXIST ? 0 : -errno;
        ::close(fd);
        return 0;
    }
    if (::mkdirat(dirFd, name, 0755) != 0 && errno != EEXIST)
        return -errno;
    return 0;
}

// Resolves one component `name` below w.current; returns 0, or -errno.
int step(Walk &w, const char *name, bool last, Create create)
{
    int fd = ::openat(w.current, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create != Create::Nothing) {
        if (const int rc = createMissing(w.current, name, last, create); rc < 0)
            return rc;
        fd = ::openat(w.current, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd < 0)
        return -errno;
    struct stat st
    {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return -err;
    }
    if (S_ISLNK(st.st_mode)) {
        const int rc = followLink(w, fd);
        ::close(fd);
        return rc;
    }
    if (!last && !S_ISDIR(st.st_mode)) {
        ::close(fd);
        return -ENOTDIR;
    }
    const std::size_t length = std::strlen(name);
    if (w.doneLength + length + 2 >= sizeof w.done) {
        ::close(fd);
        return -ENAMETOOLONG;
    }
    if (w.doneLength > 0)
        w.done[w.doneLength++] = '/';
    std::memcpy(w.done + w.doneLength, name, length + 1);
    w.doneLength += length;
    ::close(w.current);
    w.current = fd;
    return 0;
}

bool onlySlashesFrom(const char *s)
{
    while (*s == '/')
        ++s;
    return *s == '\0';
}

int walk(Walk &w, Create create)
{
    for (;;) {
        while (w.rest[w.pos] == '/')
            ++w.pos;
        if (w.rest[w.pos] == '\0')
            return 0;
        std::size_t end = w.pos;
        while (w.rest[end] != '\0' && w.rest[end] != '/')
            ++end;
        char name[NAME_MAX + 1];
        if (end - w.pos > NAME_MAX)
            return -ENAMETOOLONG;
        std::memcpy(name, w.rest + w.pos, end - w.pos);
        name[end - w.pos] = '\0';
        w.pos = end;
        const bool last = onlySlashesFrom(w.rest + end);
        int rc = 0;
        if (std::strcmp(name, "..") == 0)
            rc = goUp(w);
        else if (std::strcmp(name, ".") != 0)
            rc = step(w, name, last, create);
        if (rc < 0)
            return rc;
    }
}

} // namespace

int openInRoot(int rootFd, const char *path, Create create)
{
    if (std::strlen(path) >= PATH_MAX)
        return -ENAMETOOLONG;
    Walk w;
    w.rootFd = rootFd;
    std::strcpy(w.rest, path);
    w.current = ::openat(rootFd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (w.current < 0)
        return -errno;
    if (const int rc = walk(w, create); rc < 0) {
        ::close(w.current);
        return rc;
    }
    return w.current;
}

} // namespace Berth::Runtime::Internal
