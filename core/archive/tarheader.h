#pragma once

#include "archive/tarentry.h"
#include "base/result.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

// The ustar/PAX/GNU header codec shared by TarReader and TarWriter.
namespace Berth::Archive::Internal {

constexpr std::size_t BlockSize = 512;

// Field offsets and widths of a ustar header.
struct Field
{
    std::size_t offset;
    std::size_t size;
};
inline constexpr Field NameField{0, 100}, ModeField{100, 8}, UidField{108, 8}, GidField{116, 8},
    SizeField{124, 12}, MtimeField{136, 12}, ChecksumField{148, 8}, TypeField{156, 1},
    LinkField{157, 100}, MagicField{257, 6}, VersionField{263, 2}, UnameField{265, 32},
    GnameField{297, 32}, DevMajorField{329, 8}, DevMinorField{337, 8}, PrefixField{345, 155};

// Parses an octal (NUL/space padded) or base-256 numeric field.
Result<std::int64_t> parseNumeric(std::string_view field);
// The text of a NUL-terminated string field.
std::string_view parseString(std::string_view field);
// Whether the stored checksum matches the block (unsigned or, for old writers, signed sum).
bool checksumMatches(const char *block);
// Fills the checksum field of a complete block.
void writeChecksum(char *block);
// Writes `value` as zero-padded octal with a NUL; false when it does not fit.
bool formatOctal(char *block, Field field, std::int64_t value);

// Parses PAX records ("len key=value\n") into `records`; later keys win.
Result<> parsePaxRecords(std::string_view data, std::map<std::string, std::string> &records);
// One PAX record with its self-inclusive length prefix.
std::string paxRecord(std::string_view key, std::string_view value);

char typeFlag(TarEntry::Type type);

} // namespace Berth::Archive::Internal
