#include "base/error.h"

#include <cstring>

namespace Berth {

const char *errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::NotFound: return "not-found";
    case ErrorCode::Parse: return "parse";
    case ErrorCode::Io: return "io";
    case ErrorCode::Sys: return "sys";
    case ErrorCode::Network: return "network";
    case ErrorCode::Registry: return "registry";
    case ErrorCode::Unauthorized: return "unauthorized";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::Conflict: return "conflict";
    case ErrorCode::Invalid: return "invalid";
    case ErrorCode::Internal: return "internal";
    }
    return "internal";
}

std::string SourceLocation::toString() const
{
    std::string out = file.empty() ? std::string("<input>") : file;
    if (line > 0) {
        out += ':' + std::to_string(line);
        if (column > 0)
            out += ':' + std::to_string(column);
    }
    return out;
}

Error::Error(ErrorCode code, std::string message)
    : m_code(code)
    , m_message(std::move(message))
{}

Error Error::fromErrno(std::string what, int err)
{
    Error e(ErrorCode::Sys, std::move(what) + ": " + std::strerror(err));
    e.m_errno = err;
    return e;
}

Error &Error::wrap(std::string context) &
{
    m_context.push_back(std::move(context));
    return *this;
}

Error &&Error::wrap(std::string context) &&
{
    m_context.push_back(std::move(context));
    return std::move(*this);
}

Error &Error::at(SourceLocation location) &
{
    m_location = std::move(location);
    return *this;
}

Error &&Error::at(SourceLocation location) &&
{
    m_location = std::move(location);
    return std::move(*this);
}

std::string Error::toString() const
{
    std::string out;
    for (auto it = m_context.rbegin(); it != m_context.rend(); ++it)
        out += *it + ": ";
    if (m_location)
        out += m_location->toString() + ": ";
    return out + m_message;
}

} // namespace Berth
