// Reading a container's log: `logs` (readLog) and `logs -f` (followLog).
#include "runtime/logfile.h"
#include "runtime/logfile_p.h"

#include "archive/uniquefd.h"

#include <cerrno>
#include <deque>
#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace Berth::Runtime {

using namespace Internal;

namespace {

// Turns the bytes of log files into lines: records split across reads wait for their end, pieces
// of one line wait for its "F", and the seconds of a time are parsed once per second.
class LogParser
{
public:
    explicit LogParser(const LogQuery &query)
        : m_query(query)
    {}

    // Feeds bytes; false once `each` asked to stop.
    bool feed(std::string_view bytes, const std::function<bool(const LogLine &)> &each)
    {
        m_carry.append(bytes);
        std::size_t start = 0;
        for (std::size_t end; (end = m_carry.find('\n', start)) != std::string::npos;
             start = end + 1)
            if (!line(std::string_view(m_carry).substr(start, end - start), each)) {
                m_carry.erase(0, end + 1);
                return false;
            }
        m_carry.erase(0, start); // a record still being written waits for the next read
        return true;
    }
    // A file ended: a record cut short there (a crash mid-write) is dropped.
    void endOfFile() { m_carry.clear(); }
    // The output that ended without a newline, then what --tail kept.
    bool finish(const std::function<bool(const LogLine &)> &each)
    {
        for (int s = 0; s < 2; ++s)
            if (!m_pending[s].empty() &&
                !emit({m_pendingTime[s], LogStream(s), std::move(m_pending[s]), false}, each))
                return false;
        return flushTail(each);
    }
    // What --tail kept: given once the history has been read.
    bool flushTail(const std::function<bool(const LogLine &)> &each)
    {
        m_tailDone = true;
        for (const auto &l : m_last)
            if (!each(l))
                return false;
        m_last.clear();
        return true;
    }

private:
    bool line(std::string_view text, const std::function<bool(const LogLine &)> &each)
    {
        const std::size_t space = text.find(' ');
        if (space == std::string_view::npos || space != 30 || text.size() < space + 10)
            return true; // not a record: skipped
        if (text.substr(0, 19) != m_timePrefix) {
            const auto whole = parseRfc3339(std::string(text.substr(0, 19)) + "Z");
            if (!whole)
                return true;
            m_timePrefix = std::string(text.substr(0, 19));
            m_seconds = *whole / 1'000'000'000;
        }
        std::int64_t fraction = 0;
        if (text[19] != '.' || text[29] != 'Z' || !digits(text, 20, 9, fraction))
            return true;
        const std::string_view stream = text.substr(space + 1, 7);
        if (stream != "stdout " && stream != "stderr ")
            return true;
        const char kind = text[space + 8];
        if ((kind != 'F' && kind != 'P') || text[space + 9] != ' ')
            return true;
        const int s = stream == "stderr " ? 1 : 0;
        const std::int64_t time = m_seconds * 1'000'000'000 + fraction;
        const std::string_view content = text.substr(space + 10);
        if (kind == 'P') {
            m_pending[s].append(content);
            m_pendingTime[s] = time;
            return true;
        }
        LogLine out{time, LogStream(s),
                    m_pending[s].empty() ? std::string(content)
                                         : m_pending[s] + std::string(content),
                    true};
        m_pending[s].clear();
        return emit(std::move(out), each);
    }

    bool emit(LogLine l, const std::function<bool(const LogLine &)> &each)
    {
        if ((m_query.sinceNs && l.timeNs < *m_query.sinceNs) ||
            (m_query.untilNs && l.timeNs >= *m_query.untilNs))
            return true;
        if (!m_query.tail || m_tailDone)
            return each(l);
        m_last.push_back(std::move(l));
        if (std::int64_t(m_last.size()) > *m_query.tail)
            m_last.pop_front();
        return true;
    }

    LogQuery m_query;
    std::string m_carry;
    std::string m_pending[2];
    std::int64_t m_pendingTime[2] = {0, 0};
    std::string m_timePrefix;
    std::int64_t m_seconds = 0;
    std::deque<LogLine> m_last;
    bool m_tailDone = false;
};

// Reads `fd` from where it is to its end into the parser; false once `each` asked to stop.
Result<bool> drain(int fd, const std::string &path, LogParser &parser,
                   const std::function<bool(const LogLine &)> &each)
{
    std::vector<char> chunk(1 << 20);
    for (;;) {
        const ssize_t n = ::read(fd, chunk.data(), chunk.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(Error::fromErrno("read \"" + path + "\"", errno));
        if (n == 0)
            return true;
        if (!parser.feed(std::string_view(chunk.data(), std::size_t(n)), each))
            return false;
    }
}

// The rotated files, oldest first.
std::vector<std::string> rotatedFiles(const std::string &dir)
{
    std::vector<std::string> files;
    for (int i = 1;; ++i) {
        struct stat st;
        if (::stat(logPath(dir, i).c_str(), &st) != 0)
            return files;
        files.insert(files.begin(), logPath(dir, i));
    }
}

// Reads the rotated files through `parser`; false once `each` asked to stop.
Result<bool> readRotated(const std::string &dir, LogParser &parser,
                         const std::function<bool(const LogLine &)> &each)
{
    for (const auto &file : rotatedFiles(dir)) {
        Archive::UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd.isValid())
            continue; // rotated away meanwhile
        auto more = drain(fd.get(), file, parser, each);
        if (!more || !*more)
            return more;
        parser.endOfFile();
    }
    return true;
}

} // namespace

Result<void> readLog(const std::string &dir, const LogQuery &query,
                     const std::function<bool(const LogLine &)> &each)
{
    LogParser parser(query);
    auto more = readRotated(dir, parser, each);
    if (!more)
        return fail(std::move(more).error());
    if (!*more)
        return {};
    const std::string current = logPath(dir, 0);
    Archive::UniqueFd fd(::open(current.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.isValid()) {
        more = drain(fd.get(), current, parser, each);
        if (!more)
            return fail(std::move(more).error());
        if (!*more)
            return {};
        parser.endOfFile();
    } else if (errno != ENOENT) {
        return fail(Error::fromErrno("open \"" + current + "\"", errno));
    }
    parser.finish(each);
    return {};
}

Result<void> followLog(const std::string &dir, const LogQuery &query,
                       const std::function<bool(const LogLine &)> &each,
                       const std::function<bool()> &keepGoing)
{
    // Watch first, then open: whatever is written after the history was read wakes us.
    Archive::UniqueFd watch(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
    if (!watch.isValid() ||
        ::inotify_add_watch(watch.get(), dir.c_str(),
                            IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM) < 0)
        return fail(Error::fromErrno("watch \"" + dir + "\"", errno));
    const std::string current = logPath(dir, 0);
    LogParser parser(query);
    // The current file is opened before the rotated ones are read, so that a rotation meanwhile
    // shows as a changed inode below rather than as lost lines.
    Archive::UniqueFd fd(::open(current.c_str(), O_RDONLY | O_CLOEXEC));
    auto more = readRotated(dir, parser, each);
    if (!more)
        return fail(std::move(more).error());
    bool going = *more;
    bool historyDone = false;
    while (going) {
        if (fd.isValid()) {
            more = drain(fd.get(), current, parser, each);
            if (!more)
                return fail(std::move(more).error());
            going = *more;
        }
        if (going && !historyDone) {
            historyDone = true;
            going = parser.flushTail(each);
        }
        // Rotated: the file we read is now ctr.log.1; go on with the new ctr.log.
        struct stat now, open;
        const bool exists = ::stat(current.c_str(), &now) == 0;
        if (going && exists &&
            (!fd.isValid() || (::fstat(fd.get(), &open) == 0 && open.st_ino != now.st_ino))) {
            if (fd.isValid()) {
                // What was written to the old file between our last read and the rotation.
                more = drain(fd.get(), current, parser, each);
                if (!more)
                    return fail(std::move(more).error());
                going = *more;
                parser.endOfFile();
            }
            fd = Archive::UniqueFd(::open(current.c_str(), O_RDONLY | O_CLOEXEC));
            continue;
        }
        if (!going || !keepGoing())
            break;
        pollfd p{watch.get(), POLLIN, 0};
        if (::poll(&p, 1, 250) > 0) {
            char events[4096];
            while (::read(watch.get(), events, sizeof events) > 0) {
            }
        }
    }
    if (going && fd.isValid()) {
        // What the container wrote last, before it was told to stop.
        more = drain(fd.get(), current, parser, each);
        if (!more)
            return fail(std::move(more).error());
        going = *more;
    }
    if (going)
        parser.finish(each);
    return {};
}

} // namespace Berth::Runtime
