#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// What writing and reading the log share.
namespace Berth::Runtime::Internal {

inline constexpr char s_currentLog[] = "ctr.log";

// <dir>/ctr.log, or ctr.log.<index> for the rotated ones.
std::string logPath(const std::string &dir, int index);

// Digits at `at` as a number; false when they are not all digits.
template<class T>
inline bool digits(std::string_view text, std::size_t at, std::size_t count, T &out)
{
    if (at + count > text.size())
        return false;
    const auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + count, out);
    return ec == std::errc() && end == text.data() + at + count;
}

// "2026-11-29T07:25:26[.fraction](Z|+hh:mm)" or "2026-11-29" as nanoseconds since the epoch.
std::optional<std::int64_t> parseRfc3339(std::string_view text);

} // namespace Berth::Runtime::Internal
