#include "store/contentstore.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace Berth::Store {

using namespace Internal;

namespace {

constexpr char s_ociLayout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
constexpr char s_ingestPrefix[] = "ingest-";

Error missing(const Digest &digest)
{
    return ContentStore::missingBlob(digest);
}

} // namespace

Error ContentStore::missingBlob(const Digest &digest)
{
    return Error(ErrorCode::NotFound, "blob " + digest.toString() +
                                          " is missing from the store (run berthctl system check)");
}

namespace {

Error corrupt(const Digest &digest)
{
    return Error(ErrorCode::Conflict, "blob " + digest.toString() +
                                          " is corrupt: its content no longer matches its digest "
                                          "(run berthctl system check --repair)");
}

// A unique name per ingest in this process; O_EXCL makes it unique across processes too.
std::string nextTempName()
{
    static std::atomic<unsigned> s_counter{0};
    return s_ingestPrefix + std::to_string(::getpid()) + "-" + std::to_string(++s_counter);
}

} // namespace

ContentStore::ContentStore(std::string root, Fd rootFd, Fd blobsFd, Fd tmpFd)
    : m_root(std::move(root))
    , m_rootFd(std::move(rootFd))
    , m_blobsFd(std::move(blobsFd))
    , m_tmpFd(std::move(tmpFd))
{}

Result<ContentStore> ContentStore::open(std::string root)
{
    while (root.size() > 1 && root.back() == '/')
        root.pop_back();
    auto rootFd = openDirectory(root, true);
    if (!rootFd)
        return fail(std::move(rootFd).error().wrap("opening the store"));
    auto blobs = openDirectory(root + "/blobs/sha256", true);
    if (!blobs)
        return fail(std::move(blobs).error().wrap("opening the store"));
    auto tmp = openDirectory(root + "/tmp", true);
    if (!tmp)
        return fail(std::move(tmp).error().wrap("opening the store"));
    struct stat st;
    if (::fstatat(rootFd->get(), "oci-layout", &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (auto ok =
                writeFileAtomically(rootFd->get(), "oci-layout", s_ociLayout, root + "/oci-layout");
            !ok)
            return fail(std::move(ok).error());
    }
    ContentStore store(root, std::move(*rootFd), std::move(*blobs), std::move(*tmp));
    if (auto ok = store.sweepTemporary(); !ok)
        return fail(std::move(ok).error());
    return store;
}

Result<void> ContentStore::sweepTemporary()
{
    const int dupFd = ::dup(m_tmpFd.get());
    DIR *dir = dupFd >= 0 ? ::fdopendir(dupFd) : nullptr;
    if (!dir) {
        if (dupFd >= 0)
            ::close(dupFd);
        return fail(Error::fromErrno("list \"" + m_root + "/tmp\"", errno));
    }
    std::vector<std::string> names;
    while (dirent *entry = ::readdir(dir)) {
        const std::string name = entry->d_name;
        if (name.rfind(s_ingestPrefix, 0) != 0)
            continue;
        // An ingest of a process that is still running stays.
        const std::size_t dash = name.find('-', sizeof s_ingestPrefix - 1);
        const pid_t pid = pid_t(std::atoi(name.substr(sizeof s_ingestPrefix - 1, dash).c_str()));
        if (pid > 0 && pid != ::getpid() && ::kill(pid, 0) == 0)
            continue;
        if (pid == ::getpid())
            continue;
        names.push_back(name);
    }
    ::closedir(dir);
    for (const auto &name : names)
        if (::unlinkat(m_tmpFd.get(), name.c_str(), 0) != 0 && errno != ENOENT)
            return fail(Error::fromErrno("remove \"" + m_root + "/tmp/" + name + "\"", errno));
    return {};
}

std::string ContentStore::blobPath(const Digest &digest) const
{
    return m_root + "/blobs/" + digest.algorithm() + "/" + digest.hex();
}

bool ContentStore::contains(const Digest &digest) const
{
    struct stat st;
    return digest.algorithm() == "sha256" &&
           ::fstatat(m_blobsFd.get(), digest.hex().c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
           S_ISREG(st.st_mode);
}

Result<std::int64_t> ContentStore::size(const Digest &digest) const
{
    struct stat st;
    if (digest.algorithm() != "sha256" ||
        ::fstatat(m_blobsFd.get(), digest.hex().c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return fail(missing(digest));
    return std::int64_t(st.st_size);
}

Result<std::string> ContentStore::read(const Digest &digest, std::size_t maxSize) const
{
    if (digest.algorithm() != "sha256")
        return fail(missing(digest));
    auto bytes = readFileAt(m_blobsFd.get(), digest.hex(), maxSize, blobPath(digest));
    if (!bytes) {
        if (bytes.error().code() == ErrorCode::NotFound)
            return fail(missing(digest));
        return bytes;
    }
    if (Digest::sha256(*bytes) != digest)
        return fail(corrupt(digest));
    return bytes;
}

Result<Digest> ContentStore::write(std::string_view bytes, const Digest &expected)
{
    auto ingest = beginIngest();
    if (!ingest)
        return fail(std::move(ingest).error());
    if (auto ok = ingest->write(bytes); !ok)
        return fail(std::move(ok).error());
    return ingest->commit(expected, std::int64_t(bytes.size()));
}

Result<void> ContentStore::remove(const Digest &digest)
{
    if (digest.algorithm() != "sha256")
        return {};
    if (::unlinkat(m_blobsFd.get(), digest.hex().c_str(), 0) != 0 && errno != ENOENT)
        return fail(Error::fromErrno("remove \"" + blobPath(digest) + "\"", errno));
    return {};
}

Result<std::vector<Digest>> ContentStore::list() const
{
    const int dupFd = ::dup(m_blobsFd.get());
    DIR *dir = dupFd >= 0 ? ::fdopendir(dupFd) : nullptr;
    if (!dir) {
        if (dupFd >= 0)
            ::close(dupFd);
        return fail(Error::fromErrno("list \"" + m_root + "/blobs/sha256\"", errno));
    }
    ::rewinddir(dir);
    std::vector<Digest> out;
    while (dirent *entry = ::readdir(dir))
        if (auto d = Digest::parse(std::string("sha256:") + entry->d_name))
            out.push_back(std::move(*d));
    ::closedir(dir);
    std::sort(out.begin(), out.end());
    return out;
}

Result<void> ContentStore::verify(const Digest &digest) const
{
    if (digest.algorithm() != "sha256")
        return fail(missing(digest));
    Fd fd(::openat(m_blobsFd.get(), digest.hex().c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.isValid())
        return fail(errno == ENOENT ? missing(digest)
                                    : Error::fromErrno("open \"" + blobPath(digest) + "\"", errno));
    Sha256 hasher;
    std::vector<char> buffer(1 << 20);
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(Error::fromErrno("read \"" + blobPath(digest) + "\"", errno));
        if (n == 0)
            break;
        hasher.update(buffer.data(), std::size_t(n));
    }
    if (hasher.finish() != digest)
        return fail(corrupt(digest));
    return {};
}

Result<ContentStore::Ingest> ContentStore::beginIngest() const
{
    const std::string name = nextTempName();
    Fd fd(::openat(m_tmpFd.get(), name.c_str(),
                   O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644));
    if (!fd.isValid())
        return fail(Error::fromErrno("create \"" + m_root + "/tmp/" + name + "\"", errno));
    return Ingest(this, std::move(fd), name);
}

ContentStore::Ingest::Ingest(const ContentStore *store, Fd fd, std::string tempName)
    : m_store(store)
    , m_fd(std::move(fd))
    , m_tempName(std::move(tempName))
    , m_hasher(std::make_unique<Sha256>())
{}

ContentStore::Ingest::Ingest(Ingest &&other) noexcept
    : m_store(other.m_store)
    , m_fd(std::move(other.m_fd))
    , m_tempName(std::exchange(other.m_tempName, {}))
    , m_written(other.m_written)
    , m_hasher(std::move(other.m_hasher))
{}

ContentStore::Ingest &ContentStore::Ingest::operator=(Ingest &&other) noexcept
{
    if (this != &other) {
        abort();
        m_store = other.m_store;
        m_fd = std::move(other.m_fd);
        m_tempName = std::exchange(other.m_tempName, {});
        m_written = other.m_written;
        m_hasher = std::move(other.m_hasher);
    }
    return *this;
}

ContentStore::Ingest::~Ingest()
{
    abort();
}

void ContentStore::Ingest::abort()
{
    if (m_store && !m_tempName.empty())
        ::unlinkat(m_store->m_tmpFd.get(), m_tempName.c_str(), 0);
    m_tempName.clear();
    m_fd = Fd();
}

Result<void> ContentStore::Ingest::write(std::string_view data)
{
    if (m_tempName.empty())
        return fail(ErrorCode::Internal, "write to a finished ingest");
    if (auto ok = writeAll(m_fd.get(), data, m_store->m_root + "/tmp/" + m_tempName); !ok) {
        abort();
        return ok;
    }
    m_hasher->update(data);
    m_written += std::int64_t(data.size());
    return {};
}

Result<Digest> ContentStore::Ingest::commit(const Digest &expected, std::int64_t expectedSize,
                                            bool *existed)
{
    if (m_tempName.empty())
        return fail(ErrorCode::Internal, "commit of a finished ingest");
    const Digest actual = m_hasher->finish();
    auto reject = [&](Error error) -> Result<Digest> {
        abort();
        return fail(std::move(error));
    };
    if (expectedSize >= 0 && expectedSize != m_written)
        return reject(Error(ErrorCode::Invalid, "size mismatch: expected " +
                                                    std::to_string(expectedSize) + " bytes, got " +
                                                    std::to_string(m_written)));
    if (!expected.isEmpty() && expected != actual)
        return reject(Error(ErrorCode::Invalid, "digest mismatch: expected " + expected.toString() +
                                                    ", got " + actual.toString()));
    // A blob that is already there has the same content: keep it, drop ours.
    if (m_store->contains(actual)) {
        if (existed)
            *existed = true;
        abort();
        return actual;
    }
    if (existed)
        *existed = false;
    const std::string shown = m_store->m_root + "/tmp/" + m_tempName;
    if (auto ok = syncFd(m_fd.get(), shown); !ok)
        return reject(std::move(ok).error());
    if (::renameat(m_store->m_tmpFd.get(), m_tempName.c_str(), m_store->m_blobsFd.get(),
                   actual.hex().c_str()) != 0)
        return reject(
            Error::fromErrno("move blob into \"" + m_store->blobPath(actual) + "\"", errno));
    m_tempName.clear();
    m_fd = Fd();
    if (auto ok = syncFd(m_store->m_blobsFd.get(), m_store->m_root + "/blobs/sha256"); !ok)
        return fail(std::move(ok).error());
    return actual;
}

} // namespace Berth::Store
