#include "archive/extractor.h"

#include "archive/saferoot.h"
#include "archive/uniquefd.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include <cerrno>
#include <map>
#include <unordered_set>

namespace Berth::Archive {

using namespace Internal;

namespace {

constexpr std::string_view WhiteoutPrefix = ".wh.";
constexpr std::string_view OpaqueMarker = ".wh..wh..opq";

Error entryError(ErrorCode code, const std::string &message)
{
    return Error(code, message);
}

Result<std::int64_t> mapId(const std::vector<IdMapping> &map, std::int64_t id, const char *kind)
{
    if (map.empty())
        return id;
    for (const auto &m : map) {
        if (id >= m.containerId && id - m.containerId < m.size)
            return m.hostId + (id - m.containerId);
    }
    return fail(ErrorCode::Invalid, std::string(kind) + " " + std::to_string(id) +
                                        " has no mapping in the user namespace");
}

timespec toTimespec(const TarEntry &e)
{
    return timespec{static_cast<time_t>(e.mtime), static_cast<long>(e.mtimeNsec)};
}

// Extracts entries one by one; directories get their mode and times at the end.
class Extractor
{
public:
    Extractor(int root, const ExtractOptions &options)
        : m_root(root)
        , m_options(options)
    {}

    Result<> extract(const TarEntry &entry, Reader &data);
    Result<> finishDirectories();

private:
    Result<> extractAt(const TarEntry &entry, const std::string &path, Reader &data);
    Result<> whiteout(std::string_view parent, std::string_view name);
    Result<> opaque(std::string_view parent);
    Result<> prepareTarget(int parentFd, const std::string &name, bool keepDirectory);
    Result<> writeFile(int parentFd, const std::string &name, const TarEntry &entry, Reader &data);
    Result<> makeDirectory(int parentFd, const std::string &name, const std::string &path,
                           const TarEntry &entry);
    Result<> makeHardLink(int parentFd, const std::string &name, const TarEntry &entry);
    Result<> makeNode(int parentFd, const std::string &name, const TarEntry &entry);
    Result<> setOwner(int fd, int parentFd, const std::string &name, const TarEntry &entry);
    void setXattrs(int fd, int parentFd, const std::string &name, const TarEntry &entry);
    void warn(const std::string &message) const;
    void remember(const std::string &path);

    int m_root;
    const ExtractOptions &m_options;
    std::map<std::string, TarEntry> m_directories; // path → last entry, for mode and times
    std::unordered_set<std::string> m_written;     // paths this layer wrote, with their parents
    const bool m_isRoot = ::geteuid() == 0;
};

void Extractor::warn(const std::string &message) const
{
    if (m_options.warning)
        m_options.warning(message);
}

void Extractor::remember(const std::string &path)
{
    for (std::string p = path; !p.empty() && m_written.insert(p).second;)
        p = std::string(splitParent(p).first);
}

Result<> Extractor::extract(const TarEntry &entry, Reader &data)
{
    const auto path = cleanPath(entry.path);
    Result<> r = path ? extractAt(entry, *path, data)
                      : Result<>(fail(ErrorCode::Invalid, "path escapes the root"));
    if (!r)
        return fail(std::move(r).error().wrap("layer entry \"" + entry.path + "\""));
    return {};
}

Result<> Extractor::extractAt(const TarEntry &entry, const std::string &path, Reader &data)
{
    if (path.empty()) {
        if (entry.type != TarEntry::Type::Directory)
            return fail(ErrorCode::Invalid, "only a directory may stand for the root");
        m_directories[path] = entry;
        return {};
    }
    const auto [parent, name] = splitParent(path);
    if (name.starts_with(WhiteoutPrefix))
        return name == OpaqueMarker ? opaque(parent) : whiteout(parent, name.substr(4));
    auto parentFd = makeDirectories(m_root, parent, false);
    if (!parentFd)
        return fail(std::move(parentFd).error());
    const std::string n(name);
    const int dir = parentFd->get();
    if (auto r = prepareTarget(dir, n, entry.type == TarEntry::Type::Directory); !r)
        return r;
    remember(path);
    switch (entry.type) {
    case TarEntry::Type::File: return writeFile(dir, n, entry, data);
    case TarEntry::Type::Directory: return makeDirectory(dir, n, path, entry);
    case TarEntry::Type::HardLink: return makeHardLink(dir, n, entry);
    case TarEntry::Type::Symlink:
        if (::symlinkat(entry.linkTarget.c_str(), dir, n.c_str()) != 0)
            return fail(Error::fromErrno("symlink", errno));
        if (auto r = setOwner(-1, dir, n, entry); !r)
            return r;
        setXattrs(-1, dir, n, entry);
        if (const timespec t[2] = {toTimespec(entry), toTimespec(entry)};
            ::utimensat(dir, n.c_str(), t, AT_SYMLINK_NOFOLLOW) != 0)
            return fail(Error::fromErrno("set times", errno));
        return {};
    case TarEntry::Type::CharDevice:
    case TarEntry::Type::BlockDevice:
    case TarEntry::Type::Fifo: return makeNode(dir, n, entry);
    }
    return {};
}

// Makes room for the entry: a later entry replaces an earlier one, except that a directory
// over a directory merges.
Result<> Extractor::prepareTarget(int parentFd, const std::string &name, bool keepDirectory)
{
    struct stat st;
    if (::fstatat(parentFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? Result<>() : fail(Error::fromErrno("stat", errno));
    if (S_ISDIR(st.st_mode) && keepDirectory)
        return {};
    return removeTree(parentFd, name);
}

Result<> Extractor::writeFile(int parentFd, const std::string &name, const TarEntry &entry,
                              Reader &data)
{
    UniqueFd fd(::openat(parentFd, name.c_str(),
                         O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd.isValid())
        return fail(Error::fromErrno("create", errno));
    FdWriter out(fd.get());
    auto copied = copyStream(data, out);
    if (!copied)
        return fail(std::move(copied).error());
    if (auto r = setOwner(fd.get(), -1, name, entry); !r)
        return r;
    if (::fchmod(fd.get(), entry.mode & 07777) != 0)
        return fail(Error::fromErrno("chmod", errno));
    setXattrs(fd.get(), -1, name, entry);
    const timespec t[2] = {toTimespec(entry), toTimespec(entry)};
    if (::futimens(fd.get(), t) != 0)
        return fail(Error::fromErrno("set times", errno));
    return {};
}

Result<> Extractor::makeDirectory(int parentFd, const std::string &name, const std::string &path,
                                  const TarEntry &entry)
{
    // Owner-writable until finishDirectories() sets the real mode, so children can be added.
    if (::mkdirat(parentFd, name.c_str(), 0700) != 0 && errno != EEXIST)
        return fail(Error::fromErrno("mkdir", errno));
    UniqueFd fd(::openat(parentFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.isValid())
        return fail(Error::fromErrno("open directory", errno));
    if (auto r = setOwner(fd.get(), -1, name, entry); !r)
        return r;
    setXattrs(fd.get(), -1, name, entry);
    m_directories[path] = entry;
    return {};
}

Result<> Extractor::makeHardLink(int parentFd, const std::string &name, const TarEntry &entry)
{
    const auto target = cleanPath(entry.linkTarget);
    if (!target || target->empty())
        return fail(ErrorCode::Invalid,
                    "hardlink target \"" + entry.linkTarget + "\" escapes the root");
    const auto [targetParent, targetName] = splitParent(*target);
    // Refusing symlinks on the way keeps the link on the file the archive named.
    UniqueFd targetDir(openInRoot(m_root, targetParent, O_PATH | O_DIRECTORY, RESOLVE_NO_SYMLINKS));
    if (!targetDir.isValid()) {
        const int err = -targetDir.release();
        if (err == ELOOP)
            return fail(ErrorCode::Invalid,
                        "hardlink target \"" + entry.linkTarget + "\" goes through a symlink");
        return fail(Error::fromErrno("hardlink target \"" + entry.linkTarget + "\"", err));
    }
    const std::string tn(targetName);
    struct stat st;
    if (::fstatat(targetDir.get(), tn.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return fail(Error::fromErrno("hardlink target \"" + entry.linkTarget + "\"", errno));
    if (S_ISDIR(st.st_mode))
        return fail(ErrorCode::Invalid,
                    "hardlink target \"" + entry.linkTarget + "\" is a directory");
    if (::linkat(targetDir.get(), tn.c_str(), parentFd, name.c_str(), 0) != 0)
        return fail(Error::fromErrno("hardlink to \"" + entry.linkTarget + "\"", errno));
    return {};
}

Result<> Extractor::makeNode(int parentFd, const std::string &name, const TarEntry &entry)
{
    mode_t type = S_IFIFO;
    if (entry.type != TarEntry::Type::Fifo) {
        if (!m_options.allowDevices) {
            warn("layer entry \"" + entry.path + "\": device node skipped (not allowed)");
            return {};
        }
        type = entry.type == TarEntry::Type::CharDevice ? S_IFCHR : S_IFBLK;
    }
    if (::mknodat(parentFd, name.c_str(), type | (entry.mode & 07777),
                  makedev(entry.devMajor, entry.devMinor)) != 0)
        return fail(Error::fromErrno("mknod", errno));
    if (auto r = setOwner(-1, parentFd, name, entry); !r)
        return r;
    // Not a symlink (just created), so following is harmless; fchmodat has no NOFOLLOW here.
    if (::fchmodat(parentFd, name.c_str(), entry.mode & 07777, 0) != 0)
        return fail(Error::fromErrno("chmod", errno));
    setXattrs(-1, parentFd, name, entry);
    const timespec t[2] = {toTimespec(entry), toTimespec(entry)};
    if (::utimensat(parentFd, name.c_str(), t, AT_SYMLINK_NOFOLLOW) != 0)
        return fail(Error::fromErrno("set times", errno));
    return {};
}

Result<> Extractor::setOwner(int fd, int parentFd, const std::string &name, const TarEntry &entry)
{
    if (!m_options.preserveOwnership)
        return {};
    auto uid = mapId(m_options.uidMap, entry.uid, "uid");
    if (!uid)
        return fail(std::move(uid).error());
    auto gid = mapId(m_options.gidMap, entry.gid, "gid");
    if (!gid)
        return fail(std::move(gid).error());
    const int rc = fd >= 0 ? ::fchown(fd, static_cast<uid_t>(*uid), static_cast<gid_t>(*gid))
                           : ::fchownat(parentFd, name.c_str(), static_cast<uid_t>(*uid),
                                        static_cast<gid_t>(*gid), AT_SYMLINK_NOFOLLOW);
    if (rc != 0)
        return fail(Error::fromErrno("chown", errno));
    return {};
}

void Extractor::setXattrs(int fd, int parentFd, const std::string &name, const TarEntry &entry)
{
    for (const auto &[key, value] : entry.xattrs) {
        // Overlay's own xattrs (redirect, opaque...) in a layer would steer overlayfs.
        if (key.starts_with("trusted.overlay.") || key.starts_with("user.overlay.")) {
            warn("layer entry \"" + entry.path + "\": xattr " + key + " ignored");
            continue;
        }
        if (key.starts_with("trusted.") && !m_isRoot)
            continue;
        const int rc = fd >= 0 ? ::fsetxattr(fd, key.c_str(), value.data(), value.size(), 0)
                               : ::lsetxattr(procPath(parentFd, name).c_str(), key.c_str(),
                                             value.data(), value.size(), 0);
        if (rc != 0)
            warn("layer entry \"" + entry.path + "\": xattr " + key +
                 " not kept: " + Error::fromErrno("setxattr", errno).message());
    }
}

Result<> Extractor::whiteout(std::string_view parent, std::string_view victim)
{
    if (victim.empty() || victim == "." || victim == ".." || victim.starts_with(WhiteoutPrefix))
        return fail(ErrorCode::Invalid, "invalid whiteout (it would escape its directory)");
    const std::string path =
        parent.empty() ? std::string(victim) : std::string(parent) + '/' + std::string(victim);
    // Files of this very layer are never hidden by its own whiteouts (OCI image spec).
    if (m_written.contains(path))
        return {};
    const bool overlay = m_options.whiteouts == WhiteoutMode::Overlay;
    UniqueFd dir;
    if (overlay) {
        auto made = makeDirectories(m_root, parent, true);
        if (!made)
            return fail(made.error().sysErrno() == ELOOP
                            ? entryError(ErrorCode::Invalid, "whiteout under a symlinked directory")
                            : std::move(made).error());
        dir = std::move(*made);
    } else {
        dir.reset(openInRoot(m_root, parent, O_PATH | O_DIRECTORY, RESOLVE_NO_SYMLINKS));
        if (dir.get() == -ENOENT)
            return {};
        if (dir.get() == -ELOOP)
            return fail(ErrorCode::Invalid, "whiteout under a symlinked directory");
        if (!dir.isValid())
            return fail(Error::fromErrno("open directory", -dir.release()));
    }
    const std::string name(victim);
    if (auto r = removeTree(dir.get(), name); !r)
        return r;
    if (overlay && ::mknodat(dir.get(), name.c_str(), S_IFCHR, makedev(0, 0)) != 0)
        return fail(Error::fromErrno("mknod whiteout", errno));
    return {};
}

Result<> Extractor::opaque(std::string_view parent)
{
    const bool overlay = m_options.whiteouts == WhiteoutMode::Overlay;
    if (overlay) {
        if (auto made = makeDirectories(m_root, parent, true); !made)
            return fail(
                made.error().sysErrno() == ELOOP
                    ? entryError(ErrorCode::Invalid, "opaque marker under a symlinked directory")
                    : std::move(made).error());
    }
    UniqueFd dir(openInRoot(m_root, parent, O_RDONLY | O_DIRECTORY, RESOLVE_NO_SYMLINKS));
    if (!overlay && dir.get() == -ENOENT)
        return {};
    if (dir.get() == -ELOOP)
        return fail(ErrorCode::Invalid, "opaque marker under a symlinked directory");
    if (!dir.isValid())
        return fail(Error::fromErrno("open directory", -dir.release()));
    if (overlay) {
        const std::string key = m_options.overlayXattrPrefix + "overlay.opaque";
        if (::fsetxattr(dir.get(), key.c_str(), "y", 1, 0) != 0)
            return fail(Error::fromErrno("set " + key, errno));
        return {};
    }
    const std::string prefix = parent.empty() ? std::string() : std::string(parent) + '/';
    return clearDirectory(
        dir.get(), [&](const std::string &name) { return m_written.contains(prefix + name); });
}

Result<> Extractor::finishDirectories()
{
    // Children sort after their parents, so walking backwards sets a parent's time last.
    for (auto it = m_directories.rbegin(); it != m_directories.rend(); ++it) {
        const auto &[path, entry] = *it;
        UniqueFd fd(
            openInRoot(m_root, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, RESOLVE_NO_SYMLINKS));
        if (!fd.isValid()) {
            // Replaced or whited out by a later entry.
            const int err = -fd.release();
            if (err == ENOENT || err == ELOOP || err == ENOTDIR)
                continue;
            return fail(Error::fromErrno("open directory \"" + path + "\"", err));
        }
        const timespec t[2] = {toTimespec(entry), toTimespec(entry)};
        if (::fchmod(fd.get(), entry.mode & 07777) != 0 || ::futimens(fd.get(), t) != 0)
            return fail(Error::fromErrno("set mode and times of \"" + path + "\"", errno));
    }
    return {};
}

} // namespace

Result<ExtractStats> extractLayer(Reader &in, int destDirFd, const ExtractOptions &options)
{
    const ArchiveLimits &limits = options.limits;
    AutoDecompressReader decompressed(in);
    LimitedReader limited(decompressed, limits.maxTotalBytes, limits.maxRatio,
                          limits.ratioFloorBytes);
    DigestingReader hashed(limited);
    TarReader tar(hashed, limits);
    Extractor extractor(destDirFd, options);
    ExtractStats stats;
    for (;;) {
        auto entry = tar.next();
        if (!entry)
            return fail(std::move(entry).error());
        if (!*entry)
            break;
        if (auto r = extractor.extract(**entry, tar); !r)
            return fail(std::move(r).error());
        ++stats.entries;
    }
    if (auto r = extractor.finishDirectories(); !r)
        return fail(std::move(r).error());
    // Read to the end, so that the gzip/zstd checksums are verified.
    char buffer[64 * 1024];
    for (;;) {
        auto n = hashed.read(buffer, sizeof buffer);
        if (!n)
            return fail(std::move(n).error());
        if (*n == 0)
            break;
    }
    stats.uncompressedBytes = limited.total();
    stats.compression = decompressed.compression();
    stats.diffId = hashed.finish();
    if (!options.expectedDiffId.isEmpty() && stats.diffId != options.expectedDiffId)
        return fail(ErrorCode::Invalid, "layer content does not match its diff id: expected " +
                                            options.expectedDiffId.toString() + ", got " +
                                            stats.diffId.toString());
    return stats;
}

} // namespace Berth::Archive
