#include "archive/tarheader.h"

#include <charconv>
#include <cstring>
#include <limits>

namespace Berth::Archive::Internal {

static Result<std::int64_t> parseBase256(std::string_view field)
{
    const auto first = static_cast<unsigned char>(field[0]);
    if (first == 0xff)
        return fail(ErrorCode::Parse, "negative base-256 number in a tar header");
    std::uint64_t value = first & 0x7f;
    for (std::size_t i = 1; i < field.size(); ++i) {
        if (value > (std::numeric_limits<std::uint64_t>::max() >> 8) / 2)
            return fail(ErrorCode::Parse, "base-256 number overflows in a tar header");
        value = (value << 8) | static_cast<unsigned char>(field[i]);
    }
    return static_cast<std::int64_t>(value);
}

Result<std::int64_t> parseNumeric(std::string_view field)
{
    if (!field.empty() && (static_cast<unsigned char>(field[0]) & 0x80))
        return parseBase256(field);
    std::size_t i = 0;
    while (i < field.size() && (field[i] == ' ' || field[i] == '\0'))
        ++i;
    std::uint64_t value = 0;
    std::size_t digits = 0;
    for (; i < field.size() && field[i] >= '0' && field[i] <= '7'; ++i, ++digits) {
        if (value > (std::numeric_limits<std::uint64_t>::max() >> 4))
            return fail(ErrorCode::Parse, "octal number overflows in a tar header");
        value = value * 8 + static_cast<unsigned>(field[i] - '0');
    }
    for (; i < field.size(); ++i) {
        if (field[i] != ' ' && field[i] != '\0')
            return fail(ErrorCode::Parse, "invalid octal number \"" +
                                              std::string(parseString(field)) +
                                              "\" in a tar header");
    }
    if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return fail(ErrorCode::Parse, "number overflows in a tar header");
    return static_cast<std::int64_t>(value);
}

std::string_view parseString(std::string_view field)
{
    const auto nul = field.find('\0');
    return nul == std::string_view::npos ? field : field.substr(0, nul);
}

bool checksumMatches(const char *block)
{
    auto stored = parseNumeric(std::string_view(block + ChecksumField.offset, ChecksumField.size));
    if (!stored)
        return false;
    std::int64_t unsignedSum = 0;
    std::int64_t signedSum = 0;
    for (std::size_t i = 0; i < BlockSize; ++i) {
        const bool inField =
            i >= ChecksumField.offset && i < ChecksumField.offset + ChecksumField.size;
        const char c = inField ? ' ' : block[i];
        unsignedSum += static_cast<unsigned char>(c);
        signedSum += static_cast<signed char>(c);
    }
    return *stored == unsignedSum || *stored == signedSum;
}

void writeChecksum(char *block)
{
    std::memset(block + ChecksumField.offset, ' ', ChecksumField.size);
    unsigned sum = 0;
    for (std::size_t i = 0; i < BlockSize; ++i)
        sum += static_cast<unsigned char>(block[i]);
    // Six octal digits, NUL, space: what GNU tar writes.
    std::snprintf(block + ChecksumField.offset, 8, "%06o", sum);
    block[ChecksumField.offset + 7] = ' ';
}

bool formatOctal(char *block, Field field, std::int64_t value)
{
    if (value < 0)
        return false;
    const std::size_t digits = field.size - 1;
    if (digits < 22 && static_cast<std::uint64_t>(value) >= (std::uint64_t(1) << (3 * digits)))
        return false;
    char *p = block + field.offset;
    for (std::size_t i = digits; i-- > 0;) {
        p[i] = static_cast<char>('0' + (value & 7));
        value >>= 3;
    }
    p[digits] = '\0';
    return true;
}

Result<> parsePaxRecords(std::string_view data, std::map<std::string, std::string> &records)
{
    while (!data.empty()) {
        // A NUL-padded tail is tolerated, as GNU tar does.
        if (data.find_first_not_of('\0') == std::string_view::npos)
            break;
        const auto space = data.find(' ');
        std::size_t length = 0;
        const auto [end, ec] =
            std::from_chars(data.data(), data.data() + std::min(space, data.size()), length);
        if (space == std::string_view::npos || ec != std::errc() || end != data.data() + space ||
            length <= space + 1 || length > data.size() || data[length - 1] != '\n')
            return fail(ErrorCode::Parse, "malformed PAX record");
        const std::string_view record = data.substr(space + 1, length - space - 2);
        const auto eq = record.find('=');
        if (eq == std::string_view::npos || eq == 0)
            return fail(ErrorCode::Parse, "malformed PAX record");
        records[std::string(record.substr(0, eq))] = std::string(record.substr(eq + 1));
        data.remove_prefix(length);
    }
    return {};
}

std::string paxRecord(std::string_view key, std::string_view value)
{
    const std::size_t body = key.size() + value.size() + 3; // ' ', '=', '\n'
    std::size_t length = body + 1;
    // The length counts its own digits.
    while (std::to_string(length).size() + body != length)
        length = std::to_string(length).size() + body;
    return std::to_string(length) + ' ' + std::string(key) + '=' + std::string(value) + '\n';
}

char typeFlag(TarEntry::Type type)
{
    switch (type) {
    case TarEntry::Type::File: return '0';
    case TarEntry::Type::HardLink: return '1';
    case TarEntry::Type::Symlink: return '2';
    case TarEntry::Type::CharDevice: return '3';
    case TarEntry::Type::BlockDevice: return '4';
    case TarEntry::Type::Directory: return '5';
    case TarEntry::Type::Fifo: return '6';
    }
    return '0';
}

} // namespace Berth::Archive::Internal
