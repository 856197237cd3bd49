#include "archive/zstdstream.h"

#include <zstd.h>

#include <vector>

namespace Berth::Archive {

namespace {
Error zstdError(const char *what, std::size_t code)
{
    return Error(ErrorCode::Parse, std::string("zstd: ") + what + ": " + ZSTD_getErrorName(code));
}
} // namespace

struct ZstdWriter::State
{
    ZSTD_CCtx *context = ZSTD_createCCtx();
    std::vector<char> out = std::vector<char>(ZSTD_CStreamOutSize());
    bool finished = false;
    ~State() { ZSTD_freeCCtx(context); }
};

ZstdWriter::ZstdWriter(Writer &out, int level)
    : m_state(std::make_unique<State>())
    , m_out(out)
{
    ZSTD_CCtx_setParameter(m_state->context, ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(m_state->context, ZSTD_c_checksumFlag, 1);
}

ZstdWriter::~ZstdWriter() = default;

Result<> ZstdWriter::write(const void *data, std::size_t size)
{
    if (m_state->finished)
        return fail(ErrorCode::Internal, "zstd: write after finish");
    return compress(data, size, false);
}

Result<> ZstdWriter::finish()
{
    if (m_state->finished)
        return {};
    if (auto r = compress(nullptr, 0, true); !r)
        return r;
    m_state->finished = true;
    return m_out.finish();
}

Result<> ZstdWriter::compress(const void *data, std::size_t size, bool last)
{
    ZSTD_inBuffer in{data, size, 0};
    for (;;) {
        ZSTD_outBuffer out{m_state->out.data(), m_state->out.size(), 0};
        const std::size_t left =
            ZSTD_compressStream2(m_state->context, &out, &in, last ? ZSTD_e_end : ZSTD_e_continue);
        if (ZSTD_isError(left))
            return fail(zstdError("compress", left));
        if (out.pos > 0) {
            if (auto w = m_out.write(out.dst, out.pos); !w)
                return w;
        }
        const bool done = last ? left == 0 : in.pos == in.size;
        if (done)
            return {};
    }
}

struct ZstdReader::State
{
    ZSTD_DCtx *context = ZSTD_createDCtx();
    std::vector<char> in = std::vector<char>(ZSTD_DStreamInSize());
    ZSTD_inBuffer input{nullptr, 0, 0};
    std::size_t lastHint = 0;
    bool inputEnded = false;
    bool sawData = false;
    ~State() { ZSTD_freeDCtx(context); }
};

ZstdReader::ZstdReader(Reader &in)
    : m_state(std::make_unique<State>())
    , m_in(in)
{}

ZstdReader::~ZstdReader() = default;

Result<std::size_t> ZstdReader::read(void *data, std::size_t size)
{
    State &st = *m_state;
    for (;;) {
        if (st.input.pos == st.input.size && !st.inputEnded) {
            auto n = m_in.read(st.in.data(), st.in.size());
            if (!n)
                return fail(std::move(n).error());
            st.input = ZSTD_inBuffer{st.in.data(), *n, 0};
            st.inputEnded = *n == 0;
            st.sawData = st.sawData || *n > 0;
        }
        if (st.inputEnded && st.input.pos == st.input.size) {
            // A hint of 0 means the last frame is complete.
            if (!st.sawData || st.lastHint != 0)
                return fail(ErrorCode::Parse, "zstd: unexpected end of the compressed stream");
            return std::size_t(0);
        }
        ZSTD_outBuffer out{data, size, 0};
        const std::size_t hint = ZSTD_decompressStream(st.context, &out, &st.input);
        if (ZSTD_isError(hint))
            return fail(zstdError("corrupt data", hint));
        st.lastHint = hint;
        if (out.pos > 0)
            return out.pos;
    }
}

} // namespace Berth::Archive
