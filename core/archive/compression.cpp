#include "archive/compression.h"

#include "archive/gzipstream.h"
#include "archive/zstdstream.h"

#include <algorithm>
#include <cstring>

namespace Berth::Archive {

const char *compressionName(Compression compression)
{
    switch (compression) {
    case Compression::None: return "none";
    case Compression::Gzip: return "gzip";
    case Compression::Zstd: return "zstd";
    }
    return "none";
}

Compression detectCompression(std::string_view b)
{
    if (b.size() >= 2 && b[0] == '\x1f' && b[1] == '\x8b')
        return Compression::Gzip;
    if (b.size() >= 4 && b.substr(0, 4) == std::string_view("\x28\xb5\x2f\xfd", 4))
        return Compression::Zstd;
    return Compression::None;
}

namespace {
// Passes writes through; finish() finishes the sink too, like the compressors.
class PlainWriter : public Writer
{
public:
    explicit PlainWriter(Writer &out)
        : m_out(out)
    {}
    using Writer::write;
    Result<> write(const void *data, std::size_t size) override { return m_out.write(data, size); }
    Result<> finish() override { return m_out.finish(); }

private:
    Writer &m_out;
};
} // namespace

std::unique_ptr<Writer> makeCompressor(Compression compression, Writer &out, int level)
{
    switch (compression) {
    case Compression::Gzip: return std::make_unique<GzipWriter>(out, level < 0 ? 1 : level);
    case Compression::Zstd: return std::make_unique<ZstdWriter>(out, level < 0 ? 3 : level);
    case Compression::None: break;
    }
    return std::make_unique<PlainWriter>(out);
}

// Gives back the sniffed prefix first, then the rest of the input, counting all of it.
class AutoDecompressReader::Source : public Reader
{
public:
    explicit Source(Reader &in)
        : m_in(in)
    {}
    Result<std::size_t> read(void *data, std::size_t size) override
    {
        if (m_prefixPos < m_prefix.size()) {
            const std::size_t n = std::min(size, m_prefix.size() - m_prefixPos);
            std::memcpy(data, m_prefix.data() + m_prefixPos, n);
            m_prefixPos += n;
            return n;
        }
        auto n = m_in.read(data, size);
        if (n)
            m_count += static_cast<std::int64_t>(*n);
        return n;
    }
    Result<> sniff()
    {
        char buf[4];
        while (m_prefix.size() < sizeof buf) {
            auto n = m_in.read(buf, sizeof buf - m_prefix.size());
            if (!n)
                return fail(std::move(n).error());
            if (*n == 0)
                break;
            m_prefix.append(buf, *n);
            m_count += static_cast<std::int64_t>(*n);
        }
        return {};
    }
    const std::string &prefix() const { return m_prefix; }
    std::int64_t count() const { return m_count; }

private:
    Reader &m_in;
    std::string m_prefix;
    std::size_t m_prefixPos = 0;
    std::int64_t m_count = 0;
};

AutoDecompressReader::AutoDecompressReader(Reader &in)
    : m_source(std::make_unique<Source>(in))
{}

AutoDecompressReader::~AutoDecompressReader() = default;

std::int64_t AutoDecompressReader::compressedBytes() const
{
    return m_source->count();
}

Result<> AutoDecompressReader::detect()
{
    if (auto r = m_source->sniff(); !r)
        return r;
    m_compression = detectCompression(m_source->prefix());
    switch (m_compression) {
    case Compression::Gzip: m_decoder = std::make_unique<GzipReader>(*m_source); break;
    case Compression::Zstd: m_decoder = std::make_unique<ZstdReader>(*m_source); break;
    case Compression::None: break;
    }
    return {};
}

Result<std::size_t> AutoDecompressReader::read(void *data, std::size_t size)
{
    if (!m_detected) {
        m_detected = true;
        if (auto r = detect(); !r)
            return fail(std::move(r).error());
    }
    return m_decoder ? m_decoder->read(data, size) : m_source->read(data, size);
}

LimitedReader::LimitedReader(AutoDecompressReader &in, std::int64_t maxBytes, double maxRatio,
                             std::int64_t floorBytes)
    : m_in(in)
    , m_maxBytes(maxBytes)
    , m_maxRatio(maxRatio)
    , m_floorBytes(floorBytes)
{}

Result<std::size_t> LimitedReader::read(void *data, std::size_t size)
{
    auto n = m_in.read(data, size);
    if (!n)
        return n;
    m_total += static_cast<std::int64_t>(*n);
    if (m_maxBytes > 0 && m_total > m_maxBytes)
        return fail(ErrorCode::Invalid, "the layer decompresses to more than the " +
                                            std::to_string(m_maxBytes) + "-byte limit");
    const auto in = static_cast<double>(std::max<std::int64_t>(m_in.compressedBytes(), 1));
    if (m_maxRatio > 0 && m_total > m_floorBytes && static_cast<double>(m_total) / in > m_maxRatio)
        return fail(ErrorCode::Invalid, "the layer decompresses at a ratio above " +
                                            std::to_string(static_cast<long>(m_maxRatio)) +
                                            ":1 (a decompression bomb?)");
    return n;
}

} // namespace Berth::Archive
