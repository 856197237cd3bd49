#pragma once

#include "archive/stream.h"
#include "archive/tarentry.h"

namespace Berth::Archive {

// Writes a tar stream: ustar headers, with PAX records where ustar cannot hold a value (long or
// non-ASCII names, sizes of 8 GiB and more, large ids, xattrs). Field content depends only on
// the entry (no host names, no pids, no sub-second times), so equal input gives equal bytes.
class TarWriter
{
public:
    explicit TarWriter(Writer &out)
        : m_out(out)
    {}

    // Starts an entry; a regular file's `size` bytes must follow through writeData().
    Result<> writeHeader(const TarEntry &entry);
    // Writes part of the current entry's data.
    Result<> writeData(const void *data, std::size_t size);
    // Writes the two zero blocks that end an archive, then finishes `out`.
    Result<> finish();

private:
    Result<> closeEntry();
    Result<> writePaxHeader(const TarEntry &entry, const std::string &records);

    Writer &m_out;
    std::int64_t m_remaining = 0;
    std::int64_t m_padding = 0;
    std::string m_currentPath;
};

} // namespace Berth::Archive
