#include "archive/tarwriter.h"

#include "archive/tarheader.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace Berth::Archive {

using namespace Internal;

namespace {
constexpr std::int64_t MaxOctalId = 07777777; // 7 digits in an 8-byte field
constexpr std::int64_t MaxOctalSize = 077777777777LL;

bool isAscii(std::string_view s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return c > 0 && c < 0x7f; });
}

void putString(char *block, Field field, std::string_view value)
{
    if (!value.empty())
        std::memcpy(block + field.offset, value.data(), std::min(value.size(), field.size));
}

// Splits `path` into ustar prefix and name; false when it cannot be.
bool splitUstar(std::string_view path, std::string_view &prefix, std::string_view &name)
{
    if (path.size() <= NameField.size) {
        prefix = {};
        name = path;
        return true;
    }
    for (auto slash = path.rfind('/'); slash != std::string_view::npos && slash > 0;
         slash = path.rfind('/', slash - 1)) {
        if (path.size() - slash - 1 > NameField.size)
            return false;
        if (slash <= PrefixField.size) {
            prefix = path.substr(0, slash);
            name = path.substr(slash + 1);
            return !name.empty();
        }
    }
    return false;
}

std::string storedPath(const TarEntry &entry)
{
    return entry.type == TarEntry::Type::Directory ? entry.path + '/' : entry.path;
}

// The PAX records this entry needs, in a fixed order (xattrs sorted by name).
std::string paxRecordsFor(const TarEntry &entry, const std::string &path)
{
    std::string records;
    std::string_view prefix, name;
    if (!isAscii(entry.linkTarget) || entry.linkTarget.size() > LinkField.size)
        records += paxRecord("linkpath", entry.linkTarget);
    if (entry.gid > MaxOctalId || entry.gid < 0)
        records += paxRecord("gid", std::to_string(entry.gid));
    if (entry.mtime < 0 || entry.mtime > MaxOctalSize)
        records += paxRecord("mtime", std::to_string(entry.mtime));
    if (!isAscii(path) || !splitUstar(path, prefix, name))
        records += paxRecord("path", path);
    if (entry.size > MaxOctalSize)
        records += paxRecord("size", std::to_string(entry.size));
    if (entry.uid > MaxOctalId || entry.uid < 0)
        records += paxRecord("uid", std::to_string(entry.uid));
    for (const auto &[key, value] : entry.xattrs)
        records += paxRecord("SCHILY.xattr." + key, value);
    return records;
}

} // namespace

Result<> TarWriter::writeHeader(const TarEntry &entry)
{
    if (auto r = closeEntry(); !r)
        return r;
    if (entry.path.empty())
        return fail(ErrorCode::Invalid, "tar: an entry without a path");
    const std::string path = storedPath(entry);
    if (const std::string records = paxRecordsFor(entry, path); !records.empty()) {
        if (auto r = writePaxHeader(entry, records); !r)
            return r;
    }
    std::array<char, BlockSize> block{};
    std::string_view prefix, name;
    if (isAscii(path) && splitUstar(path, prefix, name)) {
        putString(block.data(), NameField, name);
        putString(block.data(), PrefixField, prefix);
    } else {
        putString(block.data(), NameField, path.substr(0, NameField.size));
    }
    const bool isFile = entry.type == TarEntry::Type::File;
    formatOctal(block.data(), ModeField, entry.mode & 07777);
    formatOctal(block.data(), UidField, std::clamp<std::int64_t>(entry.uid, 0, MaxOctalId));
    formatOctal(block.data(), GidField, std::clamp<std::int64_t>(entry.gid, 0, MaxOctalId));
    formatOctal(block.data(), SizeField, isFile && entry.size <= MaxOctalSize ? entry.size : 0);
    formatOctal(block.data(), MtimeField, std::clamp<std::int64_t>(entry.mtime, 0, MaxOctalSize));
    block[TypeField.offset] = typeFlag(entry.type);
    if (isAscii(entry.linkTarget))
        putString(block.data(), LinkField, entry.linkTarget);
    putString(block.data(), MagicField, std::string_view("ustar\0", 6));
    putString(block.data(), VersionField, "00");
    putString(block.data(), UnameField, entry.uname);
    putString(block.data(), GnameField, entry.gname);
    formatOctal(block.data(), DevMajorField, entry.devMajor);
    formatOctal(block.data(), DevMinorField, entry.devMinor);
    writeChecksum(block.data());
    if (auto r = m_out.write(block.data(), block.size()); !r)
        return r;
    m_currentPath = entry.path;
    m_remaining = isFile ? entry.size : 0;
    m_padding = (static_cast<std::int64_t>(BlockSize) - m_remaining % BlockSize) % BlockSize;
    return {};
}

Result<> TarWriter::writePaxHeader(const TarEntry &entry, const std::string &records)
{
    // Named like Go's archive/tar: deterministic, unlike GNU tar's "PaxHeaders.<pid>".
    std::string base = entry.path.substr(entry.path.rfind('/') + 1);
    std::string name = "PaxHeaders.0/" + base;
    if (!isAscii(name) || name.size() > NameField.size)
        name = "PaxHeaders.0/entry";
    std::array<char, BlockSize> block{};
    putString(block.data(), NameField, name);
    formatOctal(block.data(), ModeField, 0644);
    formatOctal(block.data(), UidField, 0);
    formatOctal(block.data(), GidField, 0);
    formatOctal(block.data(), SizeField, static_cast<std::int64_t>(records.size()));
    formatOctal(block.data(), MtimeField, 0);
    block[TypeField.offset] = 'x';
    putString(block.data(), MagicField, std::string_view("ustar\0", 6));
    putString(block.data(), VersionField, "00");
    writeChecksum(block.data());
    if (auto r = m_out.write(block.data(), block.size()); !r)
        return r;
    if (auto r = m_out.write(records); !r)
        return r;
    static const std::array<char, BlockSize> zeros{};
    return m_out.write(zeros.data(), (BlockSize - records.size() % BlockSize) % BlockSize);
}

Result<> TarWriter::writeData(const void *data, std::size_t size)
{
    if (static_cast<std::int64_t>(size) > m_remaining)
        return fail(ErrorCode::Invalid,
                    "tar entry \"" + m_currentPath + "\": more data than the header's size");
    m_remaining -= static_cast<std::int64_t>(size);
    return m_out.write(data, size);
}

Result<> TarWriter::closeEntry()
{
    if (m_remaining != 0)
        return fail(ErrorCode::Invalid, "tar entry \"" + m_currentPath + "\": " +
                                            std::to_string(m_remaining) + " bytes of data missing");
    static const std::array<char, BlockSize> zeros{};
    const auto padding = static_cast<std::size_t>(std::exchange(m_padding, 0));
    return m_out.write(zeros.data(), padding);
}

Result<> TarWriter::finish()
{
    if (auto r = closeEntry(); !r)
        return r;
    static const std::array<char, 2 * BlockSize> zeros{};
    if (auto r = m_out.write(zeros.data(), zeros.size()); !r)
        return r;
    return m_out.finish();
}

} // namespace Berth::Archive
