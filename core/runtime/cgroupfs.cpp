#include "runtime/cgroupfs.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <fcntl.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace Berth::Runtime::Internal {

std::string joinPath(std::string_view base, std::string_view name)
{
    std::string out(base);
    while (out.size() > 1 && out.back() == '/')
        out.pop_back();
    while (!name.empty() && name.front() == '/')
        name.remove_prefix(1);
    if (name.empty())
        return out;
    if (out.empty() || out.back() != '/')
        out += '/';
    return out + std::string(name);
}

static std::string quoted(const std::string &path)
{
    return '"' + path + '"';
}

Result<std::string> readFile(const std::string &path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(Error::fromErrno("read " + quoted(path), errno));
    std::string out;
    char buffer[8192];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            return fail(Error::fromErrno("read " + quoted(path), err));
        }
        if (n == 0)
            break;
        out.append(buffer, std::size_t(n));
    }
    ::close(fd);
    return out;
}

Result<void> writeFile(const std::string &path, std::string_view value, bool create)
{
    const int flags = O_WRONLY | O_CLOEXEC | (create ? O_CREAT | O_TRUNC : 0);
    const int fd = ::open(path.c_str(), flags, 0644);
    if (fd < 0)
        return fail(Error::fromErrno("write " + quoted(path), errno));
    ssize_t n;
    do {
        n = ::write(fd, value.data(), value.size());
    } while (n < 0 && errno == EINTR);
    const int err = n < 0 ? errno : 0;
    ::close(fd);
    if (err != 0)
        return fail(Error::fromErrno("write " + quoted(path), err));
    if (std::size_t(n) != value.size())
        return fail(ErrorCode::Io, "write " + quoted(path) + ": short write");
    return {};
}

bool exists(const std::string &path)
{
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

Result<bool> makeDir(const std::string &path)
{
    if (::mkdir(path.c_str(), 0755) == 0)
        return true;
    if (errno == EEXIST)
        return false;
    return fail(Error::fromErrno("mkdir " + quoted(path), errno));
}

void backoff(int &round)
{
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(1 << std::min(round, 5), 20)));
    ++round;
}

std::string_view trim(std::string_view text)
{
    const auto isSpace = [](char c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r';
    };
    while (!text.empty() && isSpace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back()))
        text.remove_suffix(1);
    return text;
}

std::vector<std::string_view> split(std::string_view text, std::string_view separators)
{
    std::vector<std::string_view> out;
    while (!text.empty()) {
        const auto end = text.find_first_of(separators);
        if (end != 0)
            out.push_back(text.substr(0, end));
        if (end == std::string_view::npos)
            break;
        text.remove_prefix(end + 1);
    }
    return out;
}

std::vector<pid_t> parsePids(std::string_view text)
{
    std::vector<pid_t> pids;
    for (const std::string_view line : split(text, "\n")) {
        pid_t pid = 0;
        const auto [ptr, ec] = std::from_chars(line.data(), line.data() + line.size(), pid);
        if (ec == std::errc() && pid > 0)
            pids.push_back(pid);
    }
    return pids;
}

} // namespace Berth::Runtime::Internal
