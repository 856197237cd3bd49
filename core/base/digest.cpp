#include "base/digest.h"

#include <openssl/evp.h>

#include <algorithm>

namespace Berth {

namespace {

constexpr char s_hex[] = "0123456789abcdef";

std::size_t hexLength(std::string_view algorithm)
{
    if (algorithm == "sha256")
        return 64;
    if (algorithm == "sha512")
        return 128;
    return 0;
}

std::string shown(std::string_view text)
{
    return text.size() > 80 ? std::string(text.substr(0, 80)) + "..." : std::string(text);
}

} // namespace

Result<Digest> Digest::parse(std::string_view text)
{
    auto bad = [&](const std::string &why) {
        return fail(ErrorCode::Parse, "invalid digest \"" + shown(text) + "\": " + why);
    };
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos)
        return bad("expected algorithm:hex, such as sha256:<64 hex characters>");
    const std::string_view algorithm = text.substr(0, colon);
    const std::string_view hex = text.substr(colon + 1);
    const std::size_t want = hexLength(algorithm);
    if (want == 0)
        return bad("unsupported algorithm \"" + shown(algorithm) + "\" (use sha256)");
    if (!std::all_of(hex.begin(), hex.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
        return bad("the hex part may only hold 0-9 and a-f");
    if (hex.size() != want)
        return bad(std::to_string(hex.size()) + " hex characters, " + std::string(algorithm) +
                   " needs " + std::to_string(want));
    return Digest(std::string(algorithm), std::string(hex));
}

Digest Digest::sha256(std::string_view data)
{
    Sha256 hasher;
    hasher.update(data);
    return hasher.finish();
}

std::string Digest::toString() const
{
    return isEmpty() ? std::string() : m_algorithm + ':' + m_hex;
}

struct Sha256::Context
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    ~Context() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256()
    : m_context(std::make_unique<Context>())
{
    EVP_DigestInit_ex(m_context->ctx, EVP_sha256(), nullptr);
}

Sha256::~Sha256() = default;

void Sha256::update(const void *data, std::size_t size)
{
    EVP_DigestUpdate(m_context->ctx, data, size);
}

Digest Sha256::finish()
{
    unsigned char raw[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(m_context->ctx, raw, &size);
    EVP_DigestInit_ex(m_context->ctx, EVP_sha256(), nullptr);
    std::string hex;
    hex.reserve(size * 2);
    for (unsigned int i = 0; i < size; ++i) {
        hex += s_hex[raw[i] >> 4];
        hex += s_hex[raw[i] & 15];
    }
    return Digest("sha256", std::move(hex));
}

} // namespace Berth
