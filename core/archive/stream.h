#pragma once

#include "base/digest.h"
#include "base/result.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace Berth::Archive {

// A source of bytes.
class Reader
{
public:
    virtual ~Reader() = default;
    // Reads up to `size` bytes into `data`; 0 means the end of the stream.
    virtual Result<std::size_t> read(void *data, std::size_t size) = 0;
};

// A sink of bytes.
class Writer
{
public:
    virtual ~Writer() = default;
    // Writes all of `data` or fails.
    virtual Result<> write(const void *data, std::size_t size) = 0;
    // Ends the stream: compressors write their trailer, then finish what they write to.
    virtual Result<> finish() { return {}; }

    Result<> write(std::string_view data) { return write(data.data(), data.size()); }
};

// Reads exactly `size` bytes; a short stream is an error naming `what`.
Result<> readExact(Reader &in, void *data, std::size_t size, std::string_view what);
// Copies `in` to `out` until the end of `in`; returns the bytes copied.
Result<std::int64_t> copyStream(Reader &in, Writer &out);

// Reads a file descriptor it does not own.
class FdReader : public Reader
{
public:
    explicit FdReader(int fd)
        : m_fd(fd)
    {}
    Result<std::size_t> read(void *data, std::size_t size) override;

private:
    int m_fd;
};

// Writes to a file descriptor it does not own; finish() does not fsync.
class FdWriter : public Writer
{
public:
    explicit FdWriter(int fd)
        : m_fd(fd)
    {}
    using Writer::write;
    Result<> write(const void *data, std::size_t size) override;

private:
    int m_fd;
};

// Reads `source` ahead in large blocks, so that many small reads (tar headers, small files) cost
// one read of the source. What it read ahead is its own: read `source` only through it.
class BufferedReader : public Reader
{
public:
    explicit BufferedReader(Reader &source, std::size_t capacity = 128 * 1024)
        : m_source(source)
        , m_capacity(capacity)
    {}
    Result<std::size_t> read(void *data, std::size_t size) override;

private:
    Reader &m_source;
    std::unique_ptr<char[]> m_buffer; // allocated on the first small read
    std::size_t m_capacity;
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
};

// Reads a string held elsewhere.
class MemoryReader : public Reader
{
public:
    explicit MemoryReader(std::string_view data)
        : m_data(data)
    {}
    // It does not own the bytes: a temporary would dangle.
    explicit MemoryReader(std::string &&) = delete;
    Result<std::size_t> read(void *data, std::size_t size) override;

private:
    std::string_view m_data;
};

// Appends to a string.
class StringWriter : public Writer
{
public:
    using Writer::write;
    Result<> write(const void *data, std::size_t size) override;
    const std::string &data() const { return m_data; }

private:
    std::string m_data;
};

// Hashes and counts what is written through it to `next`.
class DigestingWriter : public Writer
{
public:
    explicit DigestingWriter(Writer &next)
        : m_next(next)
    {}
    using Writer::write;
    Result<> write(const void *data, std::size_t size) override;
    Result<> finish() override;
    // The SHA-256 of everything written; valid after finish().
    const Digest &digest() const { return m_digest; }
    std::int64_t size() const { return m_size; }

private:
    Writer &m_next;
    Sha256 m_hasher;
    Digest m_digest;
    std::int64_t m_size = 0;
};

// Hashes and counts what is read through it from `source`.
class DigestingReader : public Reader
{
public:
    explicit DigestingReader(Reader &source)
        : m_source(source)
    {}
    Result<std::size_t> read(void *data, std::size_t size) override;
    // The SHA-256 of everything read so far; call once, at the end of the stream.
    Digest finish() { return m_hasher.finish(); }
    std::int64_t size() const { return m_size; }

private:
    Reader &m_source;
    Sha256 m_hasher;
    std::int64_t m_size = 0;
};

} // namespace Berth::Archive
