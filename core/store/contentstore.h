#pragma once

#include "base/digest.h"
#include "base/result.h"
#include "store/fsutil.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace Berth::Store {

// Blobs addressed by digest, kept as an OCI image layout (oci-layout, blobs/sha256/<hex>) so
// other tools can read the store. A blob appears under its name only once its size and digest
// were verified and it was synced to disk; unfinished ingests live in tmp/ and are swept when
// the store is opened.
class ContentStore
{
public:
    // Opens (creating when missing) the store at `root`, and removes leftover ingests.
    static Result<ContentStore> open(std::string root);

    const std::string &root() const { return m_root; }
    // The path of a blob (it may not exist).
    std::string blobPath(const Digest &digest) const;
    bool contains(const Digest &digest) const;
    // The size of a stored blob; NotFound names the digest when it is missing.
    Result<std::int64_t> size(const Digest &digest) const;
    // The blob's bytes, re-hashed: a blob that no longer matches its digest is an error.
    Result<std::string> read(const Digest &digest, std::size_t maxSize = 64 << 20) const;
    // Stores `bytes`; when `expected` is given the bytes must hash to it.
    Result<Digest> write(std::string_view bytes, const Digest &expected = {});
    // Removes a blob; removing a missing blob is not an error.
    Result<void> remove(const Digest &digest);
    // Every stored blob, sorted.
    Result<std::vector<Digest>> list() const;
    // The error for a blob that is not there, naming it.
    static Error missingBlob(const Digest &digest);
    // Re-hashes a stored blob.
    Result<void> verify(const Digest &digest) const;

    // A blob being written piece by piece (from a download or a tar writer). Destroying it
    // without commit() removes the partial data.
    class Ingest
    {
    public:
        Ingest(Ingest &&) noexcept;
        Ingest &operator=(Ingest &&) noexcept;
        ~Ingest();

        Result<void> write(std::string_view data);
        std::int64_t written() const { return m_written; }
        // Verifies the digest (and the size when not negative), syncs and moves the blob into
        // place. Nothing is committed whose digest did not match. `existed` tells whether the
        // store had the blob already (then it is kept as it is).
        Result<Digest> commit(const Digest &expected = {}, std::int64_t expectedSize = -1,
                              bool *existed = nullptr);

    private:
        friend class ContentStore;
        Ingest(const ContentStore *store, Internal::Fd fd, std::string tempName);
        void abort();

        const ContentStore *m_store = nullptr;
        Internal::Fd m_fd;
        std::string m_tempName;
        std::int64_t m_written = 0;
        std::unique_ptr<Sha256> m_hasher;
    };

    Result<Ingest> beginIngest() const;

private:
    ContentStore(std::string root, Internal::Fd rootFd, Internal::Fd blobsFd, Internal::Fd tmpFd);
    Result<void> sweepTemporary();

    std::string m_root;
    Internal::Fd m_rootFd;
    Internal::Fd m_blobsFd; // blobs/sha256
    Internal::Fd m_tmpFd;
};

} // namespace Berth::Store
