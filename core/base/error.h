#pragma once

#include <optional>
#include <string>
#include <vector>

namespace Berth {

// What kind of failure; the UI picks its translated headline from this.
enum class ErrorCode {
    NotFound,
    Parse,
    Io,
    Sys,
    Network,
    Registry,
    Unauthorized,
    Cancelled,
    Unsupported,
    Conflict,
    Invalid,
    Internal,
};

// Stable lower-case name of a code ("not-found"), for JSON and logs.
const char *errorCodeName(ErrorCode code);

// Where in a file an error comes from; lines and columns are 1-based, 0 when unknown.
struct SourceLocation
{
    std::string file;
    int line = 0;
    int column = 0;
    int endLine = 0;
    int endColumn = 0;

    // "Dockerfile:12:1" (or "Dockerfile:12", or "Dockerfile").
    std::string toString() const;
};

// A failure: a code, a technical English message, the chain of what was being done, an errno
// when the system said no, and a source location when it comes from a file.
class Error
{
public:
    Error() = default;
    Error(ErrorCode code, std::string message);

    // An error from a system call: message is `what: strerror(err)`.
    static Error fromErrno(std::string what, int err);

    ErrorCode code() const { return m_code; }
    const std::string &message() const { return m_message; }
    int sysErrno() const { return m_errno; }
    const std::vector<std::string> &context() const { return m_context; }
    const std::optional<SourceLocation> &location() const { return m_location; }

    // Adds what was being done when this happened ("building stage \"app\""); the outermost
    // context is the last added.
    Error &wrap(std::string context) &;
    Error &&wrap(std::string context) &&;
    Error &&at(SourceLocation location) &&;
    Error &at(SourceLocation location) &;

    // "building stage \"app\": Dockerfile:12:1: unknown instruction \"RUNN\"".
    std::string toString() const;

private:
    ErrorCode m_code = ErrorCode::Internal;
    std::string m_message;
    int m_errno = 0;
    std::vector<std::string> m_context;
    std::optional<SourceLocation> m_location;
};

} // namespace Berth
