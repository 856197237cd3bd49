#include "store/fsutil.h"

#include "archive/saferoot.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Berth::Store::Internal {

Fd &Fd::operator=(Fd &&other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = other.release();
    }
    return *this;
}

Fd::~Fd()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

int Fd::release()
{
    const int fd = m_fd;
    m_fd = -1;
    return fd;
}

Result<Fd> openDirectory(const std::string &path, bool create)
{
    if (create) {
        // mkdir -p, one component at a time.
        for (std::size_t pos = 1; pos <= path.size(); ++pos) {
            if (pos != path.size() && path[pos] != '/')
                continue;
            const std::string prefix = path.substr(0, pos);
            if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST)
                return fail(Error::fromErrno("create directory \"" + prefix + "\"", errno));
        }
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return fail(Error::fromErrno("open directory \"" + path + "\"", errno));
    return Fd(fd);
}

Result<void> makeDirectoryAt(int dirFd, const std::string &name, const std::string &shownPath)
{
    if (::mkdirat(dirFd, name.c_str(), 0700) != 0 && errno != EEXIST)
        return fail(Error::fromErrno("create directory \"" + shownPath + "\"", errno));
    return {};
}

Result<void> writeAll(int fd, std::string_view data, const std::string &shownPath)
{
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail(Error::fromErrno("write \"" + shownPath + "\"", errno));
        }
        data.remove_prefix(std::size_t(n));
    }
    return {};
}

Result<void> syncFd(int fd, const std::string &shownPath)
{
    if (::fsync(fd) != 0)
        return fail(Error::fromErrno("sync \"" + shownPath + "\"", errno));
    return {};
}

Result<void> writeFileAtomically(int dirFd, const std::string &name, std::string_view data,
                                 const std::string &shownPath)
{
    const std::string temp = "." + name + ".tmp";
    Fd fd(
        ::openat(dirFd, temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644));
    if (!fd.isValid())
        return fail(Error::fromErrno("create \"" + shownPath + ".tmp\"", errno));
    auto ok = writeAll(fd.get(), data, shownPath);
    if (ok)
        ok = syncFd(fd.get(), shownPath);
    if (ok && ::renameat(dirFd, temp.c_str(), dirFd, name.c_str()) != 0)
        ok = fail(Error::fromErrno("rename into \"" + shownPath + "\"", errno));
    if (!ok) {
        ::unlinkat(dirFd, temp.c_str(), 0);
        return ok;
    }
    return syncFd(dirFd, shownPath);
}

Result<std::string> readFileAt(int dirFd, const std::string &name, std::size_t maxSize,
                               const std::string &shownPath)
{
    Fd fd(::openat(dirFd, name.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd.isValid()) {
        const int err = errno;
        Error e = Error::fromErrno("open \"" + shownPath + "\"", err);
        if (err == ENOENT)
            e = Error(ErrorCode::NotFound, e.message());
        return fail(std::move(e));
    }
    std::string out;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail(Error::fromErrno("read \"" + shownPath + "\"", errno));
        }
        if (n == 0)
            break;
        if (out.size() + std::size_t(n) > maxSize)
            return fail(ErrorCode::Invalid, "\"" + shownPath + "\" is larger than " +
                                                std::to_string(maxSize) + " bytes");
        out.append(buf, std::size_t(n));
    }
    return out;
}

std::int64_t treeSize(int dirFd, const std::string &name)
{
    Archive::UniqueFd fd(
        ::openat(dirFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.isValid())
        return 0;
    auto entries = Archive::Internal::listDirectory(fd.get());
    std::int64_t total = 0;
    for (const auto &entry : entries ? *entries : std::vector<std::string>()) {
        struct stat st;
        if (::fstatat(fd.get(), entry.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            total += treeSize(fd.get(), entry);
        else if (S_ISREG(st.st_mode))
            total += std::int64_t(st.st_size);
    }
    return total;
}

} // namespace Berth::Store::Internal
