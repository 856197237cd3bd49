#include "archive/gzipstream.h"

#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <climits>

namespace Berth::Archive {

namespace {
constexpr std::size_t BufferSize = 256 * 1024;

std::uint32_t levelBufferSize(int level)
{
    switch (level) {
    case 1: return ISAL_DEF_LVL1_DEFAULT;
    case 2: return ISAL_DEF_LVL2_DEFAULT;
    case 3: return ISAL_DEF_LVL3_DEFAULT;
    default: return 0;
    }
}
} // namespace

struct GzipWriter::State
{
    isal_zstream stream{};
    std::vector<std::uint8_t> levelBuffer;
    std::vector<std::uint8_t> out = std::vector<std::uint8_t>(BufferSize);
    bool finished = false;
};

GzipWriter::GzipWriter(Writer &out, int level)
    : m_state(std::make_unique<State>())
    , m_out(out)
{
    level = std::clamp(level, 0, 3);
    isal_deflate_init(&m_state->stream);
    m_state->stream.level = static_cast<std::uint32_t>(level);
    m_state->levelBuffer.resize(levelBufferSize(level));
    m_state->stream.level_buf =
        m_state->levelBuffer.empty() ? nullptr : m_state->levelBuffer.data();
    m_state->stream.level_buf_size = static_cast<std::uint32_t>(m_state->levelBuffer.size());
    m_state->stream.gzip_flag = IGZIP_GZIP;
}

GzipWriter::~GzipWriter() = default;

Result<> GzipWriter::write(const void *data, std::size_t size)
{
    if (m_state->finished)
        return fail(ErrorCode::Internal, "gzip: write after finish");
    auto *p = static_cast<const std::uint8_t *>(data);
    while (size > 0) {
        // avail_in is 32-bit.
        const std::size_t chunk = std::min<std::size_t>(size, UINT32_MAX / 2);
        m_state->stream.next_in = const_cast<std::uint8_t *>(p);
        m_state->stream.avail_in = static_cast<std::uint32_t>(chunk);
        if (auto r = deflate(false); !r)
            return r;
        p += chunk;
        size -= chunk;
    }
    return {};
}

Result<> GzipWriter::finish()
{
    if (m_state->finished)
        return {};
    m_state->stream.next_in = nullptr;
    m_state->stream.avail_in = 0;
    if (auto r = deflate(true); !r)
        return r;
    m_state->finished = true;
    return m_out.finish();
}

Result<> GzipWriter::deflate(bool last)
{
    isal_zstream &s = m_state->stream;
    s.end_of_stream = last ? 1 : 0;
    do {
        s.next_out = m_state->out.data();
        s.avail_out = static_cast<std::uint32_t>(m_state->out.size());
        if (const int rc = isal_deflate(&s); rc != COMP_OK)
            return fail(ErrorCode::Internal,
                        "gzip: isal_deflate failed (" + std::to_string(rc) + ")");
        const std::size_t produced = m_state->out.size() - s.avail_out;
        if (produced > 0) {
            if (auto w = m_out.write(m_state->out.data(), produced); !w)
                return w;
        }
    } while (s.avail_in > 0 || s.avail_out == 0 || (last && s.internal_state.state != ZSTATE_END));
    return {};
}

struct GzipReader::State
{
    inflate_state stream{};
    std::vector<std::uint8_t> in = std::vector<std::uint8_t>(BufferSize);
    bool inputEnded = false;
    bool started = false;
};

GzipReader::GzipReader(Reader &in)
    : m_state(std::make_unique<State>())
    , m_in(in)
{
    isal_inflate_init(&m_state->stream);
    m_state->stream.crc_flag = ISAL_GZIP;
}

GzipReader::~GzipReader() = default;

Result<bool> GzipReader::refill()
{
    auto n = m_in.read(m_state->in.data(), m_state->in.size());
    if (!n)
        return fail(std::move(n).error());
    m_state->stream.next_in = m_state->in.data();
    m_state->stream.avail_in = static_cast<std::uint32_t>(*n);
    m_state->inputEnded = *n == 0;
    return *n > 0;
}

// After a member ends: false at the end of input, true when another member follows.
Result<bool> GzipReader::startNextMember()
{
    inflate_state &s = m_state->stream;
    if (s.avail_in == 0) {
        auto more = refill();
        if (!more || !*more)
            return more;
    }
    if (s.next_in[0] != 0x1f)
        return fail(ErrorCode::Parse, "gzip: trailing garbage after the compressed stream");
    uint8_t *next = s.next_in;
    const std::uint32_t avail = s.avail_in;
    isal_inflate_reset(&s);
    s.crc_flag = ISAL_GZIP;
    s.next_in = next;
    s.avail_in = avail;
    return true;
}

Result<std::size_t> GzipReader::read(void *data, std::size_t size)
{
    inflate_state &s = m_state->stream;
    size = std::min<std::size_t>(size, UINT32_MAX / 2);
    for (;;) {
        if (s.block_state == ISAL_BLOCK_FINISH) {
            auto more = startNextMember();
            if (!more)
                return fail(std::move(more).error());
            if (!*more)
                return std::size_t(0);
        }
        if (s.avail_in == 0 && !m_state->inputEnded) {
            if (auto r = refill(); !r)
                return fail(std::move(r).error());
        }
        s.next_out = static_cast<std::uint8_t *>(data);
        s.avail_out = static_cast<std::uint32_t>(size);
        const std::uint32_t availBefore = s.avail_in;
        if (const int rc = isal_inflate(&s); rc < 0)
            return fail(ErrorCode::Parse,
                        "gzip: corrupt data (igzip error " + std::to_string(rc) + ")");
        const std::size_t produced = size - s.avail_out;
        if (produced > 0)
            return produced;
        if (s.block_state != ISAL_BLOCK_FINISH && m_state->inputEnded &&
            s.avail_in == availBefore) {
            if (!m_state->started && availBefore == 0)
                return fail(ErrorCode::Parse, "gzip: empty stream");
            return fail(ErrorCode::Parse, "gzip: unexpected end of the compressed stream");
        }
        m_state->started = true;
    }
}

} // namespace Berth::Archive
