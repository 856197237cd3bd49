#include "runtime/logfile.h"
#include "runtime/logfile_p.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace Berth::Runtime {

using namespace Internal;

namespace Internal {

std::string logPath(const std::string &dir, int index)
{
    return dir + "/" + s_currentLog + (index == 0 ? std::string() : "." + std::to_string(index));
}

// "2026-11-29T07:25:26[.fraction](Z|±hh:mm)" or "2026-11-29" to nanoseconds.
std::optional<std::int64_t> parseRfc3339(std::string_view t)
{
    std::tm tm{};
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(t, 0, 4, year) || t.size() < 10 || t[4] != '-' || !digits(t, 5, 2, month) ||
        t[7] != '-' || !digits(t, 8, 2, day))
        return std::nullopt;
    std::size_t at = 10;
    std::int64_t fraction = 0;
    std::int64_t offset = 0;
    if (t.size() > 10) {
        if ((t[10] != 'T' && t[10] != 't') || !digits(t, 11, 2, hour) || t.size() < 19 ||
            t[13] != ':' || !digits(t, 14, 2, minute) || t[16] != ':' || !digits(t, 17, 2, second))
            return std::nullopt;
        at = 19;
        if (at < t.size() && t[at] == '.') {
            std::size_t n = 0;
            for (++at; at < t.size() && t[at] >= '0' && t[at] <= '9'; ++at, ++n)
                if (n < 9)
                    fraction = fraction * 10 + (t[at] - '0');
            if (n == 0)
                return std::nullopt;
            for (; n < 9; ++n)
                fraction *= 10;
        }
        if (at < t.size() && (t[at] == 'Z' || t[at] == 'z')) {
            ++at;
        } else if (at < t.size() && (t[at] == '+' || t[at] == '-')) {
            int oh = 0, om = 0;
            if (!digits(t, at + 1, 2, oh) || t.size() < at + 6 || t[at + 3] != ':' ||
                !digits(t, at + 4, 2, om))
                return std::nullopt;
            offset = (t[at] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
            at += 6;
        } else {
            return std::nullopt;
        }
    }
    if (at != t.size() || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 ||
        minute > 59 || second > 60)
        return std::nullopt;
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    return (std::int64_t(::timegm(&tm)) - offset) * 1'000'000'000 + fraction;
}

} // namespace Internal

namespace {

constexpr std::size_t s_maxPiece = 16 * 1024; // a longer line is written in pieces

Result<void> writeAll(int fd, std::string_view data, const std::string &path)
{
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(Error::fromErrno("write \"" + path + "\"", errno));
        data.remove_prefix(std::size_t(n));
    }
    return {};
}

// Go's durations as Docker takes them: "1h30m", "45s", "1.5h", "300ms".
std::optional<std::int64_t> parseDuration(std::string_view t)
{
    if (t.empty())
        return std::nullopt;
    double total = 0;
    std::size_t at = 0;
    while (at < t.size()) {
        std::size_t end = at;
        while (end < t.size() && ((t[end] >= '0' && t[end] <= '9') || t[end] == '.'))
            ++end;
        if (end == at)
            return std::nullopt;
        const double value = std::strtod(std::string(t.substr(at, end - at)).c_str(), nullptr);
        std::size_t unitEnd = end;
        while (unitEnd < t.size() &&
               !((t[unitEnd] >= '0' && t[unitEnd] <= '9') || t[unitEnd] == '.'))
            ++unitEnd;
        const std::string_view unit = t.substr(end, unitEnd - end);
        double scale = 0;
        if (unit == "h")
            scale = 3600e9;
        else if (unit == "m")
            scale = 60e9;
        else if (unit == "s")
            scale = 1e9;
        else if (unit == "ms")
            scale = 1e6;
        else if (unit == "us" || unit == "µs")
            scale = 1e3;
        else if (unit == "ns")
            scale = 1;
        else
            return std::nullopt;
        total += value * scale;
        at = unitEnd;
    }
    return std::int64_t(total);
}

} // namespace

std::string formatLogTime(std::int64_t timeNs)
{
    const std::time_t seconds = std::time_t(timeNs / 1'000'000'000);
    std::tm tm{};
    ::gmtime_r(&seconds, &tm);
    char buf[48];
    const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(buf + n, sizeof buf - n, ".%09lldZ", (long long)(timeNs % 1'000'000'000));
    return buf;
}

Result<std::int64_t> parseLogTime(std::string_view text, std::int64_t nowNs)
{
    if (auto t = parseRfc3339(text))
        return *t;
    if (auto d = parseDuration(text))
        return nowNs - *d;
    // Unix seconds, with an optional fraction ("1700000000.5").
    const std::size_t dot = text.find('.');
    std::int64_t seconds = 0;
    if (digits(text, 0, std::min(dot, text.size()), seconds)) {
        std::int64_t ns = 0;
        if (dot != std::string_view::npos) {
            const std::string_view frac = text.substr(dot + 1);
            if (frac.empty() || frac.size() > 9 || !digits(frac, 0, frac.size(), ns))
                return fail(ErrorCode::Invalid, "\"" + std::string(text) + "\": not a time");
            for (std::size_t i = frac.size(); i < 9; ++i)
                ns *= 10;
        }
        return seconds * 1'000'000'000 + ns;
    }
    return fail(ErrorCode::Invalid,
                "\"" + std::string(text) +
                    "\": not a time (use 2026-11-29T07:25:26Z, a Unix time, or a duration such as "
                    "10m or 1h30m)");
}

Result<LogOptions> parseLogOptions(const std::vector<std::string> &options)
{
    LogOptions out;
    for (const auto &option : options) {
        const std::size_t eq = option.find('=');
        const std::string key = option.substr(0, eq);
        const std::string value = eq == std::string::npos ? std::string() : option.substr(eq + 1);
        const auto bad = [&](const std::string &why) {
            return fail(ErrorCode::Invalid, "--log-opt \"" + option + "\": " + why);
        };
        if (key == "max-size") {
            std::int64_t number = 0;
            const auto [end, ec] =
                std::from_chars(value.data(), value.data() + value.size(), number);
            const std::string_view unit(end, std::size_t(value.data() + value.size() - end));
            std::int64_t scale = 0;
            if (unit.empty() || unit == "b")
                scale = 1;
            else if (unit == "k" || unit == "kb")
                scale = 1024;
            else if (unit == "m" || unit == "mb")
                scale = 1024 * 1024;
            else if (unit == "g" || unit == "gb")
                scale = 1024 * 1024 * 1024;
            if (ec != std::errc() || scale == 0 || number <= 0)
                return bad("a size such as 512k, 10m or 1g");
            out.maxSize = number * scale;
        } else if (key == "max-file") {
            int number = 0;
            const auto [end, ec] =
                std::from_chars(value.data(), value.data() + value.size(), number);
            if (ec != std::errc() || end != value.data() + value.size() || number < 1)
                return bad("a number of files, 1 or more");
            out.maxFiles = number;
        } else {
            return bad("unknown option (Berth's log takes max-size and max-file)");
        }
    }
    return out;
}

LogWriter::LogWriter(std::string dir, LogOptions options, int fd, std::int64_t size)
    : m_dir(std::move(dir))
    , m_options(options)
    , m_fd(fd)
    , m_size(size)
{}

LogWriter::LogWriter(LogWriter &&other) noexcept
    : m_dir(std::move(other.m_dir))
    , m_options(other.m_options)
    , m_fd(std::exchange(other.m_fd, -1))
    , m_size(other.m_size)
    , m_pending{std::move(other.m_pending[0]), std::move(other.m_pending[1])}
    , m_buffer(std::move(other.m_buffer))
{}

LogWriter &LogWriter::operator=(LogWriter &&other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_dir = std::move(other.m_dir);
        m_options = other.m_options;
        m_fd = std::exchange(other.m_fd, -1);
        m_size = other.m_size;
        m_pending[0] = std::move(other.m_pending[0]);
        m_pending[1] = std::move(other.m_pending[1]);
        m_buffer = std::move(other.m_buffer);
    }
    return *this;
}

LogWriter::~LogWriter()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Result<LogWriter> LogWriter::open(std::string dir, LogOptions options)
{
    const std::string path = logPath(dir, 0);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0)
        return fail(Error::fromErrno("open \"" + path + "\"", errno));
    struct stat st;
    const std::int64_t size = ::fstat(fd, &st) == 0 ? std::int64_t(st.st_size) : 0;
    return LogWriter(std::move(dir), options, fd, size);
}

Result<void> LogWriter::record(LogStream stream, char kind, std::string_view text,
                               std::int64_t timeNs)
{
    std::string line = formatLogTime(timeNs);
    line += stream == LogStream::Stdout ? " stdout " : " stderr ";
    line += kind;
    line += ' ';
    line += text;
    line += '\n';
    if (m_size > 0 && m_size + std::int64_t(line.size()) > m_options.maxSize) {
        if (auto ok = commit(); !ok)
            return ok;
        if (auto ok = rotate(); !ok)
            return ok;
    }
    m_buffer += line;
    m_size += std::int64_t(line.size());
    return {};
}

// One write() for all the lines of one call: a million short lines are not a million syscalls.
Result<void> LogWriter::commit()
{
    auto ok = writeAll(m_fd, m_buffer, logPath(m_dir, 0));
    m_buffer.clear();
    return ok;
}

Result<void> LogWriter::rotate()
{
    ::close(m_fd);
    m_fd = -1;
    const int last = m_options.maxFiles - 1;
    if (last == 0 || (::unlink(logPath(m_dir, last).c_str()) != 0 && errno != ENOENT)) {
        if (last != 0)
            return fail(Error::fromErrno("remove \"" + logPath(m_dir, last) + "\"", errno));
    }
    for (int i = last; i > 0; --i)
        if (::rename(logPath(m_dir, i - 1).c_str(), logPath(m_dir, i).c_str()) != 0 &&
            errno != ENOENT)
            return fail(Error::fromErrno("rotate \"" + logPath(m_dir, i - 1) + "\"", errno));
    const std::string path = logPath(m_dir, 0);
    // A new file (a new inode) even with max-file=1, so that a follower notices the rotation.
    if (last == 0 && ::unlink(path.c_str()) != 0 && errno != ENOENT)
        return fail(Error::fromErrno("remove \"" + path + "\"", errno));
    m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0640);
    if (m_fd < 0)
        return fail(Error::fromErrno("open \"" + path + "\"", errno));
    m_size = 0;
    return {};
}

Result<void> LogWriter::write(LogStream stream, std::string_view data, std::int64_t timeNs)
{
    std::string &pending = m_pending[stream == LogStream::Stderr];
    while (!data.empty()) {
        const std::size_t newline = data.find('\n');
        if (newline == std::string_view::npos) {
            pending.append(data);
            break;
        }
        if (pending.empty()) {
            if (auto ok = record(stream, 'F', data.substr(0, newline), timeNs); !ok)
                return ok;
        } else {
            pending.append(data.substr(0, newline));
            if (auto ok = record(stream, 'F', pending, timeNs); !ok)
                return ok;
            pending.clear();
        }
        data.remove_prefix(newline + 1);
    }
    while (pending.size() >= s_maxPiece) {
        if (auto ok = record(stream, 'P', std::string_view(pending).substr(0, s_maxPiece), timeNs);
            !ok)
            return ok;
        pending.erase(0, s_maxPiece);
    }
    return commit();
}

Result<void> LogWriter::flush(std::int64_t timeNs)
{
    for (LogStream stream : {LogStream::Stdout, LogStream::Stderr}) {
        std::string &pending = m_pending[stream == LogStream::Stderr];
        if (pending.empty())
            continue;
        if (auto ok = record(stream, 'P', pending, timeNs); !ok)
            return ok;
        pending.clear();
    }
    return commit();
}

} // namespace Berth::Runtime
