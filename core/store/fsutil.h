#pragma once

#include "base/result.h"

#include <cstdint>
#include <string>
#include <string_view>

// Small fd-based file-system helpers: every failure is an Error naming the path.
namespace Berth::Store::Internal {

// An owned file descriptor, closed on destruction.
class Fd
{
public:
    Fd() = default;
    explicit Fd(int fd)
        : m_fd(fd)
    {}
    Fd(Fd &&other) noexcept
        : m_fd(other.release())
    {}
    Fd &operator=(Fd &&other) noexcept;
    ~Fd();
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;

    int get() const { return m_fd; }
    bool isValid() const { return m_fd >= 0; }
    int release();

private:
    int m_fd = -1;
};

// Opens (creating with mkdir -p semantics) a directory; O_DIRECTORY|O_CLOEXEC.
Result<Fd> openDirectory(const std::string &path, bool create);
// mkdirat, accepting an existing directory.
Result<void> makeDirectoryAt(int dirFd, const std::string &name, const std::string &shownPath);
// Writes all of `data`, retrying on EINTR and short writes.
Result<void> writeAll(int fd, std::string_view data, const std::string &shownPath);
// fsync of a file or directory descriptor.
Result<void> syncFd(int fd, const std::string &shownPath);
// Replaces `name` in `dirFd` atomically with `data` (temporary file, fsync, rename, fsync dir).
Result<void> writeFileAtomically(int dirFd, const std::string &name, std::string_view data,
                                 const std::string &shownPath);
// Reads a whole file relative to `dirFd`, refusing more than `maxSize` bytes.
Result<std::string> readFileAt(int dirFd, const std::string &name, std::size_t maxSize,
                               const std::string &shownPath);

// Bytes the regular files under `name` take, never following symlinks; 0 when unreadable.
std::int64_t treeSize(int dirFd, const std::string &name);

} // namespace Berth::Store::Internal
