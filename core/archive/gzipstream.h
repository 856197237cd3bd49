#pragma once

#include "archive/stream.h"

#include <memory>
#include <vector>

namespace Berth::Archive {

// Compresses to gzip with ISA-L's igzip (several times faster than zlib). The header carries no
// name and a zero mtime, so the same input always gives the same bytes.
class GzipWriter : public Writer
{
public:
    // `level` is igzip's 0 (fastest) to 3 (smallest).
    explicit GzipWriter(Writer &out, int level = 1);
    ~GzipWriter() override;
    using Writer::write;
    Result<> write(const void *data, std::size_t size) override;
    // Writes the last block and the trailer, then finishes `out`.
    Result<> finish() override;

private:
    Result<> deflate(bool last);

    struct State;
    std::unique_ptr<State> m_state;
    Writer &m_out;
};

// Decompresses gzip (several members in a row too) with igzip, checking each member's CRC.
class GzipReader : public Reader
{
public:
    explicit GzipReader(Reader &in);
    ~GzipReader() override;
    Result<std::size_t> read(void *data, std::size_t size) override;

private:
    Result<bool> refill();
    Result<bool> startNextMember();

    struct State;
    std::unique_ptr<State> m_state;
    Reader &m_in;
};

} // namespace Berth::Archive
