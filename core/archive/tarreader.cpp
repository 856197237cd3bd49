#include "archive/tarreader.h"

#include "archive/tarheader.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <memory>

namespace Berth::Archive {

using namespace Internal;

namespace {

Result<std::int64_t> parseDecimal(std::string_view key, std::string_view text)
{
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    // mtime may carry a fraction; the rest must be whole.
    if (ec != std::errc() || (end != text.data() + text.size() && *end != '.'))
        return fail(ErrorCode::Parse,
                    "invalid PAX " + std::string(key) + " \"" + std::string(text) + "\"");
    return value;
}

Result<TarEntry::Type> entryType(char flag)
{
    switch (flag) {
    case '0':
    case '\0':
    case '7': return TarEntry::Type::File;
    case '1': return TarEntry::Type::HardLink;
    case '2': return TarEntry::Type::Symlink;
    case '3': return TarEntry::Type::CharDevice;
    case '4': return TarEntry::Type::BlockDevice;
    case '5': return TarEntry::Type::Directory;
    case '6': return TarEntry::Type::Fifo;
    default: break;
    }
    return fail(ErrorCode::Unsupported, std::string("unsupported tar entry type '") + flag + "'");
}

bool isZeroBlock(const char *block)
{
    return std::all_of(block, block + BlockSize, [](char c) { return c == 0; });
}

} // namespace

Result<bool> TarReader::readBlock(char *block)
{
    std::size_t done = 0;
    while (done < BlockSize) {
        auto n = m_in.read(block + done, BlockSize - done);
        if (!n)
            return fail(std::move(n).error());
        if (*n == 0) {
            if (done == 0)
                return false;
            return fail(ErrorCode::Parse, "tar: truncated header block");
        }
        done += *n;
    }
    return true;
}

Result<std::string> TarReader::readMetaData(std::int64_t size, std::string_view kind)
{
    if (size > m_limits.maxHeaderBytes)
        return fail(ErrorCode::Invalid, "tar: " + std::string(kind) + " header of " +
                                            std::to_string(size) + " bytes exceeds the " +
                                            std::to_string(m_limits.maxHeaderBytes) +
                                            "-byte limit");
    std::string data(static_cast<std::size_t>(size), '\0');
    if (auto r = readExact(m_in, data.data(), data.size(), std::string(kind) + " header"); !r)
        return fail(std::move(r).error());
    const std::size_t padding = (BlockSize - data.size() % BlockSize) % BlockSize;
    std::array<char, BlockSize> pad;
    if (auto r = readExact(m_in, pad.data(), padding, std::string(kind) + " header"); !r)
        return fail(std::move(r).error());
    return data;
}

Result<> TarReader::skipRest()
{
    if (m_remaining > 0) {
        constexpr std::size_t size = 64 * 1024;
        const auto buffer = std::make_unique_for_overwrite<char[]>(size);
        while (m_remaining > 0) {
            auto n = read(buffer.get(), size);
            if (!n)
                return fail(std::move(n).error());
        }
    }
    std::array<char, BlockSize> pad;
    const auto padding = static_cast<std::size_t>(std::exchange(m_padding, 0));
    return readExact(m_in, pad.data(), padding, "entry padding");
}

Result<std::size_t> TarReader::read(void *data, std::size_t size)
{
    if (m_remaining == 0)
        return std::size_t(0);
    size = static_cast<std::size_t>(
        std::min<std::int64_t>(static_cast<std::int64_t>(size), m_remaining));
    auto n = m_in.read(data, size);
    if (!n)
        return n;
    if (*n == 0)
        return fail(ErrorCode::Parse, "tar: unexpected end of the archive inside an entry's data");
    m_remaining -= static_cast<std::int64_t>(*n);
    return n;
}

Result<std::optional<TarEntry>> TarReader::next()
{
    if (m_ended)
        return std::optional<TarEntry>();
    if (auto r = skipRest(); !r)
        return fail(std::move(r).error());
    std::map<std::string, std::string> pax;
    std::optional<std::string> longName, longLink;
    std::array<char, BlockSize> block;
    for (;;) {
        auto got = readBlock(block.data());
        if (!got)
            return fail(std::move(got).error());
        // A zero block (or the end of the stream) ends the archive; the second one is optional.
        if (!*got || isZeroBlock(block.data())) {
            m_ended = true;
            return std::optional<TarEntry>();
        }
        if (++m_entries > m_limits.maxEntries)
            return fail(ErrorCode::Invalid,
                        "tar: more than " + std::to_string(m_limits.maxEntries) + " entries");
        if (!checksumMatches(block.data()))
            return fail(ErrorCode::Parse, "tar: header checksum mismatch (not a tar archive?)");
        const char flag = block[TypeField.offset];
        if (flag != 'x' && flag != 'g' && flag != 'L' && flag != 'K') {
            auto entry = parseHeader(block.data());
            if (!entry)
                return fail(std::move(entry).error());
            if (longName)
                entry->path = *longName;
            if (longLink)
                entry->linkTarget = *longLink;
            std::map<std::string, std::string> merged = m_globalPax;
            for (auto &[k, v] : pax)
                merged[k] = v;
            if (auto r = applyPax(*entry, merged); !r)
                return fail(std::move(r).error());
            while (entry->path.size() > 1 && entry->path.back() == '/')
                entry->path.pop_back();
            if (auto r = checkPath(entry->path, "path"); !r)
                return fail(std::move(r).error());
            if (entry->type == TarEntry::Type::HardLink) {
                if (auto r = checkPath(entry->linkTarget, "hardlink target"); !r)
                    return fail(std::move(r).error());
            }
            m_remaining = entry->type == TarEntry::Type::File ? entry->size : 0;
            m_padding =
                (static_cast<std::int64_t>(BlockSize) - m_remaining % BlockSize) % BlockSize;
            return std::optional<TarEntry>(std::move(*entry));
        }
        auto size = parseNumeric(std::string_view(block.data() + SizeField.offset, SizeField.size));
        if (!size)
            return fail(std::move(size).error());
        const char *kind = flag == 'L' ? "GNU long name" : flag == 'K' ? "GNU long link" : "PAX";
        auto data = readMetaData(*size, kind);
        if (!data)
            return fail(std::move(data).error());
        if (flag == 'L')
            longName = std::string(parseString(*data));
        else if (flag == 'K')
            longLink = std::string(parseString(*data));
        else if (auto r = parsePaxRecords(*data, flag == 'g' ? m_globalPax : pax); !r)
            return fail(std::move(r).error());
    }
}

Result<TarEntry> TarReader::parseHeader(const char *block)
{
    auto field = [block](Field f) {
        return std::string_view(block + f.offset, f.size);
    };
    TarEntry entry;
    std::string name(parseString(field(NameField)));
    const std::string_view magic = field(MagicField);
    // Only POSIX ustar has a prefix; GNU's old format keeps times there.
    if (magic == std::string_view("ustar\0", 6) && !parseString(field(PrefixField)).empty())
        name = std::string(parseString(field(PrefixField))) + '/' + name;
    entry.path = std::move(name);
    entry.linkTarget = std::string(parseString(field(LinkField)));
    entry.uname = std::string(parseString(field(UnameField)));
    entry.gname = std::string(parseString(field(GnameField)));
    auto type = entryType(block[TypeField.offset]);
    if (!type)
        return fail(std::move(type).error().wrap("tar entry \"" + entry.path + "\""));
    entry.type = *type;
    std::int64_t numbers[7] = {};
    const Field fields[7] = {ModeField,  UidField,      GidField,     SizeField,
                             MtimeField, DevMajorField, DevMinorField};
    for (int i = 0; i < 7; ++i) {
        auto value = parseNumeric(field(fields[i]));
        if (!value)
            return fail(std::move(value).error().wrap("tar entry \"" + entry.path + "\""));
        numbers[i] = *value;
    }
    entry.mode = static_cast<std::uint32_t>(numbers[0] & 07777);
    entry.uid = numbers[1];
    entry.gid = numbers[2];
    entry.size = entry.type == TarEntry::Type::File ? numbers[3] : 0;
    entry.mtime = numbers[4];
    entry.devMajor = static_cast<std::uint32_t>(numbers[5]);
    entry.devMinor = static_cast<std::uint32_t>(numbers[6]);
    if (entry.type == TarEntry::Type::File && !entry.path.empty() && entry.path.back() == '/')
        entry.type = TarEntry::Type::Directory; // old tars mark directories by the slash only
    return entry;
}

Result<> TarReader::applyPax(TarEntry &entry, const std::map<std::string, std::string> &records)
{
    static const std::string xattrPrefix = "SCHILY.xattr.";
    for (const auto &[key, value] : records) {
        if (key == "path") {
            entry.path = value;
        } else if (key == "linkpath") {
            entry.linkTarget = value;
        } else if (key == "uname") {
            entry.uname = value;
        } else if (key == "gname") {
            entry.gname = value;
        } else if (key == "size" || key == "uid" || key == "gid" || key == "mtime") {
            auto number = parseDecimal(key, value);
            if (!number)
                return fail(std::move(number).error().wrap("tar entry \"" + entry.path + "\""));
            if (*number < 0 && key != "mtime")
                return fail(ErrorCode::Parse,
                            "tar entry \"" + entry.path + "\": negative PAX " + key);
            (key == "size"  ? entry.size
             : key == "uid" ? entry.uid
             : key == "gid" ? entry.gid
                            : entry.mtime) = *number;
        } else if (key.starts_with(xattrPrefix) && key.size() > xattrPrefix.size()) {
            entry.xattrs[key.substr(xattrPrefix.size())] = value;
        } else if (key.starts_with("GNU.sparse.")) {
            return fail(ErrorCode::Unsupported,
                        "tar entry \"" + entry.path + "\": sparse files are not supported");
        }
    }
    if (entry.type != TarEntry::Type::File)
        entry.size = 0;
    return {};
}

Result<> TarReader::checkPath(const std::string &path, std::string_view what) const
{
    if (path.empty())
        return fail(ErrorCode::Invalid, "tar: an entry with an empty " + std::string(what));
    if (path.find('\0') != std::string::npos)
        return fail(ErrorCode::Invalid, "tar: a NUL byte in an entry's " + std::string(what));
    const auto depth = std::count(path.begin(), path.end(), '/') + 1;
    if (depth > m_limits.maxPathDepth)
        return fail(ErrorCode::Invalid, "tar: " + std::string(what) + " \"" + path.substr(0, 64) +
                                            "...\" is " + std::to_string(depth) +
                                            " components deep, above the limit of " +
                                            std::to_string(m_limits.maxPathDepth));
    return {};
}

} // namespace Berth::Archive
