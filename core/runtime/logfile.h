#pragma once

#include "base/result.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// A container's log: one file per container with a timestamp and a stream for every line, in the
// CRI format Podman and Kubernetes use, so that it stays readable with a pager:
//
//   2026-11-29T07:25:26.123456789Z stdout F a whole line
//   2026-11-29T07:25:26.123456790Z stderr P the first 16 KiB of a longer line...
//
// "F" ends a line, "P" is a piece of one (a long line, or output without a final newline).
// Rotated by size into ctr.log.1, ctr.log.2, ..., oldest last, so a log never fills the disk.
namespace Berth::Runtime {

enum class LogStream { Stdout, Stderr };

struct LogOptions
{
    std::int64_t maxSize = 20 << 20; // bytes per file (--log-opt max-size)
    int maxFiles = 5;                // files kept, the current one included (--log-opt max-file)
};

// --log-opt values: "10m", "512k", "1g", "2000" (bytes); "3" files. Errors name the option.
Result<LogOptions> parseLogOptions(const std::vector<std::string> &options);

// Appends a container's output to its log. Not thread safe: the shim owns it.
class LogWriter
{
public:
    // Opens (creating) `<dir>/ctr.log`, appending to what is there.
    static Result<LogWriter> open(std::string dir, LogOptions options = {});
    LogWriter(LogWriter &&) noexcept;
    LogWriter &operator=(LogWriter &&) noexcept;
    ~LogWriter();

    // Writes what a stream produced; complete lines go out at once, a trailing piece waits for
    // the rest of its line (at most 16 KiB, then it is written as a "P" piece).
    Result<void> write(LogStream stream, std::string_view data, std::int64_t timeNs);
    // Writes the pieces still waiting (the stream ended without a newline).
    Result<void> flush(std::int64_t timeNs);

private:
    LogWriter(std::string dir, LogOptions options, int fd, std::int64_t size);
    Result<void> record(LogStream stream, char kind, std::string_view text, std::int64_t timeNs);
    Result<void> rotate();
    Result<void> commit();

    std::string m_dir;
    LogOptions m_options;
    int m_fd = -1;
    std::int64_t m_size = 0;
    std::string m_pending[2]; // the unfinished line of stdout and of stderr
    std::string m_buffer;     // lines not written yet
};

// One line as `logs` shows it.
struct LogLine
{
    std::int64_t timeNs = 0;
    LogStream stream = LogStream::Stdout;
    std::string text;    // without its newline
    bool newline = true; // false for output that ended without one
};

struct LogQuery
{
    std::optional<std::int64_t> sinceNs; // lines at or after
    std::optional<std::int64_t> untilNs; // lines before
    std::optional<std::int64_t> tail;    // the last N lines only
};

// Calls `each` for every line of the log in `dir`, oldest first (rotated files included);
// `each` returns false to stop. Pieces of one line come back joined.
Result<void> readLog(const std::string &dir, const LogQuery &query,
                     const std::function<bool(const LogLine &)> &each);

// `logs -f`: readLog, then the lines written from then on, across rotations, until `keepGoing`
// returns false (it is asked at least every 250 ms and after new output); the last output is
// read before returning.
Result<void> followLog(const std::string &dir, const LogQuery &query,
                       const std::function<bool(const LogLine &)> &each,
                       const std::function<bool()> &keepGoing);

// The nanoseconds since the epoch of an RFC 3339 time ("2026-11-29T07:25:26.5Z", with or without
// fraction, "Z" or "+01:00"), or of a duration before now ("10m", "1h30m", "45s") as
// `logs --since` takes them.
Result<std::int64_t> parseLogTime(std::string_view text, std::int64_t nowNs);

// "2026-11-29T07:25:26.123456789Z".
std::string formatLogTime(std::int64_t timeNs);

} // namespace Berth::Runtime
