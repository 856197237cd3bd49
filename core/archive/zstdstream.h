#pragma once

#include "archive/stream.h"

#include <memory>

namespace Berth::Archive {

// Compresses to zstd (the OCI tar+zstd layer media type), single-threaded so the output is
// deterministic.
class ZstdWriter : public Writer
{
public:
    explicit ZstdWriter(Writer &out, int level = 3);
    ~ZstdWriter() override;
    using Writer::write;
    Result<> write(const void *data, std::size_t size) override;
    // Ends the frame, then finishes `out`.
    Result<> finish() override;

private:
    Result<> compress(const void *data, std::size_t size, bool last);

    struct State;
    std::unique_ptr<State> m_state;
    Writer &m_out;
};

// Decompresses zstd (several frames in a row too).
class ZstdReader : public Reader
{
public:
    explicit ZstdReader(Reader &in);
    ~ZstdReader() override;
    Result<std::size_t> read(void *data, std::size_t size) override;

private:
    struct State;
    std::unique_ptr<State> m_state;
    Reader &m_in;
};

} // namespace Berth::Archive
