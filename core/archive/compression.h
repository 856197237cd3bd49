#pragma once

#include "archive/stream.h"

#include <memory>
#include <string>

namespace Berth::Archive {

enum class Compression { None, Gzip, Zstd };

// "none", "gzip", "zstd".
const char *compressionName(Compression compression);

// Recognises gzip and zstd by their magic bytes; anything else is taken as uncompressed.
Compression detectCompression(std::string_view firstBytes);

// A compressor writing to `out` (for None, a pass-through whose finish() finishes `out`).
std::unique_ptr<Writer> makeCompressor(Compression compression, Writer &out, int level = -1);

// Reads `in` decompressed, choosing gzip, zstd or none from the first bytes, and counts the
// compressed bytes consumed (for ratio limits).
class AutoDecompressReader : public Reader
{
public:
    explicit AutoDecompressReader(Reader &in);
    ~AutoDecompressReader() override;
    Result<std::size_t> read(void *data, std::size_t size) override;
    // What was detected; None before the first read.
    Compression compression() const { return m_compression; }
    std::int64_t compressedBytes() const;

private:
    Result<> detect();

    class Source;
    std::unique_ptr<Source> m_source;
    std::unique_ptr<Reader> m_decoder;
    Compression m_compression = Compression::None;
    bool m_detected = false;
};

// Fails once more than `maxBytes` came out of `in`, or once more than `floorBytes` came out at
// a ratio above `maxRatio` to the compressed bytes consumed (decompression bombs).
class LimitedReader : public Reader
{
public:
    LimitedReader(AutoDecompressReader &in, std::int64_t maxBytes, double maxRatio,
                  std::int64_t floorBytes);
    Result<std::size_t> read(void *data, std::size_t size) override;
    std::int64_t total() const { return m_total; }

private:
    AutoDecompressReader &m_in;
    std::int64_t m_maxBytes;
    double m_maxRatio;
    std::int64_t m_floorBytes;
    std::int64_t m_total = 0;
};

} // namespace Berth::Archive
