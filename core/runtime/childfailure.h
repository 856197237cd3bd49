#pragma once

#include "base/error.h"

#include <cstdarg>
#include <cstdio>

namespace Berth::Runtime::Internal {

// Docker's exit statuses for a container that did not start.
enum StartStatus : int {
    SetupFailed = 125,   // the engine could not set the container up
    NotExecutable = 126, // the command exists but cannot be executed
    CommandNotFound = 127,
};

// What the container's child process reports through the error pipe when setup or exec fails.
// Fixed size and written with one write(2) (under PIPE_BUF), filled without allocating.
struct ChildFailure
{
    int status = SetupFailed;
    int err = 0; // errno, 0 when the message says it all
    char message[1536] = {};

    // Records a failure; printf-like. Returns false so that callers can `return f.set(...)`.
    bool set(int exitStatus, int error, const char *format, ...)
        __attribute__((format(printf, 4, 5)))
    {
        status = exitStatus;
        err = error;
        va_list args;
        va_start(args, format);
        std::vsnprintf(message, sizeof message, format, args);
        va_end(args);
        return false;
    }

    // The Error the caller sees: `message: strerror(err)` when there is an errno.
    Error toError() const
    {
        if (err != 0)
            return Error::fromErrno(message, err);
        return Error(status == CommandNotFound ? ErrorCode::NotFound : ErrorCode::Invalid, message);
    }
};

} // namespace Berth::Runtime::Internal
