#include "archive/layerwriter.h"

#include "archive/saferoot.h"
#include "archive/uniquefd.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include <cerrno>
#include <map>
#include <vector>

namespace Berth::Archive {

using namespace Internal;

namespace {

// Reads all xattrs of `path` (without following a final symlink).
Result<std::map<std::string, std::string>> readXattrs(const std::string &path)
{
    std::map<std::string, std::string> out;
    ssize_t size = ::llistxattr(path.c_str(), nullptr, 0);
    if (size < 0)
        return errno == ENOTSUP ? Result<std::map<std::string, std::string>>(out)
                                : fail(Error::fromErrno("list xattrs", errno));
    std::string names(static_cast<std::size_t>(size), '\0');
    size = ::llistxattr(path.c_str(), names.data(), names.size());
    if (size < 0)
        return fail(Error::fromErrno("list xattrs", errno));
    names.resize(static_cast<std::size_t>(size));
    for (std::size_t pos = 0; pos < names.size();) {
        const std::string name(names.c_str() + pos);
        pos += name.size() + 1;
        const ssize_t vsize = ::lgetxattr(path.c_str(), name.c_str(), nullptr, 0);
        if (vsize < 0)
            return fail(Error::fromErrno("get xattr " + name, errno));
        std::string value(static_cast<std::size_t>(vsize), '\0');
        const ssize_t got = ::lgetxattr(path.c_str(), name.c_str(), value.data(), value.size());
        if (got < 0)
            return fail(Error::fromErrno("get xattr " + name, errno));
        value.resize(static_cast<std::size_t>(got));
        out[name] = std::move(value);
    }
    return out;
}

bool isOverlayXattr(const std::string &name)
{
    return name.starts_with("trusted.overlay.") || name.starts_with("user.overlay.");
}

// Walks one tree; keeps the (device, inode) → path map for hardlinks.
class TreeWalker
{
public:
    TreeWalker(TarWriter &tar, const TreeOptions &options)
        : m_tar(tar)
        , m_options(options)
    {}

    Result<> walk(int dirFd, const std::string &prefix);

private:
    Result<> addEntry(int dirFd, const std::string &name, const std::string &path);
    Result<> addFile(int dirFd, const std::string &name, TarEntry &entry, const struct stat &st);
    Result<> addWhiteout(const std::string &path, const TarEntry &like);

    TarWriter &m_tar;
    const TreeOptions &m_options;
    std::map<std::pair<dev_t, ino_t>, std::string> m_inodes;
};

Result<> TreeWalker::walk(int dirFd, const std::string &prefix)
{
    auto names = listDirectory(dirFd);
    if (!names)
        return fail(std::move(names).error());
    for (const auto &name : *names) {
        const std::string path = prefix.empty() ? name : prefix + '/' + name;
        if (auto r = addEntry(dirFd, name, path); !r)
            return fail(std::move(r).error().wrap("adding \"" + path + "\" to the layer"));
    }
    return {};
}

Result<> TreeWalker::addWhiteout(const std::string &path, const TarEntry &like)
{
    TarEntry wh = like;
    const auto [parent, name] = splitParent(path);
    wh.path =
        (parent.empty() ? std::string() : std::string(parent) + '/') + ".wh." + std::string(name);
    wh.type = TarEntry::Type::File;
    wh.size = 0;
    wh.devMajor = wh.devMinor = 0;
    wh.xattrs.clear();
    return m_tar.writeHeader(wh);
}

Result<> TreeWalker::addEntry(int dirFd, const std::string &name, const std::string &path)
{
    struct stat st;
    if (::fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return fail(Error::fromErrno("stat", errno));
    if (S_ISSOCK(st.st_mode))
        return {};
    TarEntry entry;
    entry.path = path;
    entry.mode = st.st_mode & 07777;
    entry.uid = st.st_uid;
    entry.gid = st.st_gid;
    entry.mtime = m_options.maxMtime >= 0
                      ? std::min<std::int64_t>(st.st_mtim.tv_sec, m_options.maxMtime)
                      : st.st_mtim.tv_sec;
    auto xattrs = readXattrs(procPath(dirFd, name));
    if (!xattrs)
        return fail(std::move(xattrs).error());
    bool opaque = false;
    for (auto &[key, value] : *xattrs) {
        if (isOverlayXattr(key)) {
            const std::string what = key.substr(key.find("overlay.") + 8);
            if (what == "opaque")
                opaque = value == "y";
            else if (what == "redirect" || what == "metacopy")
                return fail(ErrorCode::Unsupported,
                            "overlay " + what +
                                " in an upper dir (mount with redirect_dir=off, metacopy=off)");
        } else if (key != "security.selinux") { // host labels do not belong in an image
            entry.xattrs.emplace(key, std::move(value));
        }
    }
    if (m_options.overlayUpper && S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) {
        entry.mode = 0600;
        return addWhiteout(path, entry);
    }
    if (S_ISREG(st.st_mode))
        return addFile(dirFd, name, entry, st);
    if (S_ISDIR(st.st_mode)) {
        entry.type = TarEntry::Type::Directory;
        if (auto r = m_tar.writeHeader(entry); !r)
            return r;
        if (m_options.overlayUpper && opaque) {
            TarEntry marker = entry;
            marker.path = path + "/.wh..wh..opq";
            marker.type = TarEntry::Type::File;
            marker.xattrs.clear();
            if (auto r = m_tar.writeHeader(marker); !r)
                return r;
        }
        UniqueFd child(
            ::openat(dirFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!child.isValid())
            return fail(Error::fromErrno("open directory", errno));
        return walk(child.get(), path);
    }
    if (S_ISLNK(st.st_mode)) {
        entry.type = TarEntry::Type::Symlink;
        std::string target(static_cast<std::size_t>(st.st_size) + 1, '\0');
        const ssize_t n = ::readlinkat(dirFd, name.c_str(), target.data(), target.size());
        if (n < 0)
            return fail(Error::fromErrno("readlink", errno));
        target.resize(static_cast<std::size_t>(n));
        entry.linkTarget = std::move(target);
    } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
        entry.type = S_ISCHR(st.st_mode) ? TarEntry::Type::CharDevice : TarEntry::Type::BlockDevice;
        entry.devMajor = major(st.st_rdev);
        entry.devMinor = minor(st.st_rdev);
    } else if (S_ISFIFO(st.st_mode)) {
        entry.type = TarEntry::Type::Fifo;
    }
    return m_tar.writeHeader(entry);
}

Result<> TreeWalker::addFile(int dirFd, const std::string &name, TarEntry &entry,
                             const struct stat &st)
{
    if (st.st_nlink > 1) {
        const auto [it, inserted] = m_inodes.emplace(std::pair(st.st_dev, st.st_ino), entry.path);
        if (!inserted) {
            entry.type = TarEntry::Type::HardLink;
            entry.linkTarget = it->second;
            entry.xattrs.clear();
            return m_tar.writeHeader(entry);
        }
    }
    UniqueFd fd(::openat(dirFd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.isValid())
        return fail(Error::fromErrno("open", errno));
    entry.type = TarEntry::Type::File;
    entry.size = st.st_size;
    if (auto r = m_tar.writeHeader(entry); !r)
        return r;
    std::vector<char> buffer(256 * 1024);
    for (std::int64_t left = entry.size; left > 0;) {
        const ssize_t n = ::read(fd.get(), buffer.data(),
                                 static_cast<std::size_t>(std::min<std::int64_t>(
                                     left, static_cast<std::int64_t>(buffer.size()))));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(Error::fromErrno("read", errno));
        if (n == 0)
            return fail(ErrorCode::Conflict, "the file shrank while it was being archived");
        if (auto r = m_tar.writeData(buffer.data(), static_cast<std::size_t>(n)); !r)
            return r;
        left -= n;
    }
    return {};
}

} // namespace

Result<> addDirectoryTree(TarWriter &tar, int dirFd, const TreeOptions &options)
{
    TreeWalker walker(tar, options);
    return walker.walk(dirFd, std::string());
}

Result<LayerDigests> writeLayer(int dirFd, Writer &out, const LayerWriteOptions &options)
{
    DigestingWriter compressed(out);
    auto compressor = makeCompressor(options.compression, compressed, options.level);
    DigestingWriter uncompressed(*compressor);
    TarWriter tar(uncompressed);
    if (auto r = addDirectoryTree(tar, dirFd, options.tree); !r)
        return fail(std::move(r).error());
    if (auto r = tar.finish(); !r)
        return fail(std::move(r).error());
    return LayerDigests{uncompressed.digest(), compressed.digest(), compressed.size()};
}

} // namespace Berth::Archive
