#pragma once

#include "archive/stream.h"
#include "archive/uniquefd.h"
#include "base/digest.h"
#include "base/result.h"
#include "image/reference.h"
#include "store/contentstore.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <ctime>
#include <fcntl.h>
#include <string>

// What importing, loading and saving images share.
namespace Berth::Store::Internal {

using Json = nlohmann::json;

// "blobs/sha256/<hex>", a blob's name inside an OCI layout.
inline std::string blobName(const Digest &digest)
{
    return "blobs/" + digest.algorithm() + "/" + digest.hex();
}

inline Result<Archive::UniqueFd> openFile(const std::string &path)
{
    Archive::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.isValid())
        return fail(Error::fromErrno("open \"" + path + "\"", errno));
    return fd;
}

// A stored blob, opened for reading; a missing one is named as such.
inline Result<Archive::UniqueFd> openBlob(const ContentStore &content, const Digest &digest)
{
    auto fd = openFile(content.blobPath(digest));
    if (!fd && fd.error().sysErrno() == ENOENT)
        return fail(ContentStore::missingBlob(digest));
    return fd;
}

// Feeds a content-store ingest.
class IngestWriter : public Archive::Writer
{
public:
    explicit IngestWriter(ContentStore::Ingest &ingest)
        : m_ingest(ingest)
    {}
    using Archive::Writer::write;
    Result<> write(const void *data, std::size_t size) override
    {
        return m_ingest.write(std::string_view(static_cast<const char *>(data), size));
    }

private:
    ContentStore::Ingest &m_ingest;
};

// "busybox:latest" for "docker.io/library/busybox:latest", as Docker prints references.
inline std::string familiar(const std::string &reference)
{
    auto parsed = Image::Reference::parse(reference);
    return parsed ? parsed->familiar() : reference;
}

// Seconds since the epoch of an RFC 3339 time ("2026-11-29T05:13:02Z"); 0 when unreadable.
inline std::int64_t parseRfc3339(const std::string &text)
{
    std::tm tm{};
    if (!::strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm))
        return 0;
    return std::int64_t(::timegm(&tm));
}

} // namespace Berth::Store::Internal
