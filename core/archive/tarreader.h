#pragma once

#include "archive/stream.h"
#include "archive/tarentry.h"

#include <map>
#include <optional>

namespace Berth::Archive {

// Bounds on what an archive may make us do; the defaults suit container layers.
struct ArchiveLimits
{
    std::int64_t maxHeaderBytes = 1 << 20;    // one PAX or GNU long-name header
    int maxPathDepth = 4096;                  // components in a path or hardlink target
    std::int64_t maxEntries = 4'000'000;      // headers, PAX and long-name ones included
    std::int64_t maxTotalBytes = 64LL << 30;  // decompressed bytes, for extraction
    double maxRatio = 1000;                   // decompressed / compressed, for extraction...
    std::int64_t ratioFloorBytes = 1LL << 30; // ...once this much came out
};

// Parses a tar stream: ustar, GNU long names and links ('L', 'K'), PAX local and global
// headers ('x', 'g'), base-256 numbers. Also a Reader of the current entry's data.
class TarReader : public Reader
{
public:
    // It reads `in` ahead (128 KiB at most): a caller that drains `in` after the end of the
    // archive goes on from where the read-ahead stopped.
    explicit TarReader(Reader &in, ArchiveLimits limits = {})
        : m_in(in)
        , m_limits(limits)
    {}

    // The next entry; nullopt at the end of the archive. Unread data is skipped.
    Result<std::optional<TarEntry>> next();
    // Reads the current entry's data; 0 at its end.
    Result<std::size_t> read(void *data, std::size_t size) override;

private:
    Result<> skipRest();
    Result<bool> readBlock(char *block);
    Result<std::string> readMetaData(std::int64_t size, std::string_view kind);
    Result<TarEntry> parseHeader(const char *block);
    Result<> applyPax(TarEntry &entry, const std::map<std::string, std::string> &records);
    Result<> checkPath(const std::string &path, std::string_view what) const;

    BufferedReader m_in; // one read() of the source for many headers and small files
    ArchiveLimits m_limits;
    std::map<std::string, std::string> m_globalPax;
    std::int64_t m_remaining = 0;
    std::int64_t m_padding = 0;
    std::int64_t m_entries = 0;
    bool m_ended = false;
};

} // namespace Berth::Archive
