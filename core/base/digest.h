#pragma once

#include "base/result.h"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace Berth {

// A content digest as OCI writes it: "sha256:<64 lower-case hex>" (sha512 with 128 hex is
// accepted too). An empty Digest is "no digest".
class Digest
{
public:
    Digest() = default;

    // Validates "algorithm:hex"; errors name the problem ("invalid digest \"sha256:xyz\":
    // 3 hex characters, sha256 needs 64").
    static Result<Digest> parse(std::string_view text);
    // The SHA-256 of `data`.
    static Digest sha256(std::string_view data);

    bool isEmpty() const { return m_hex.empty(); }
    const std::string &algorithm() const { return m_algorithm; }
    const std::string &hex() const { return m_hex; }
    // "sha256:abcd..."; "" when empty.
    std::string toString() const;
    // The first 12 hex characters, as image ids are shown.
    std::string shortHex() const { return m_hex.substr(0, 12); }

    friend bool operator==(const Digest &, const Digest &) = default;
    friend auto operator<=>(const Digest &, const Digest &) = default;

private:
    friend class Sha256;
    Digest(std::string algorithm, std::string hex)
        : m_algorithm(std::move(algorithm))
        , m_hex(std::move(hex))
    {}
    std::string m_algorithm;
    std::string m_hex;
};

// Streaming SHA-256 (OpenSSL), for hashing while reading or writing.
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void update(const void *data, std::size_t size);
    void update(std::string_view data) { update(data.data(), data.size()); }
    // The digest of everything given so far; the hasher starts over afterwards.
    Digest finish();

private:
    struct Context;
    std::unique_ptr<Context> m_context;
};

} // namespace Berth
