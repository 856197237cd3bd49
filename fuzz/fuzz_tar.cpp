// libFuzzer target for layer tars. The bytes, plain or gzip/zstd as detectCompression() finds
// them, go (a) through TarReader, reading every entry's data, and (b) through extractLayer() into
// a fresh directory. Besides crashes and sanitizer reports it aborts when a property breaks: an
// entry is not what the reader promises, the extractor accepts what the reader refuses, or
// anything outside the extraction root changed.
//
// Layout of the per-process work dir ($TMPDIR/berth-fuzz-tar.XXXXXX):
//   canary/          empty; it and the work dir itself must never change
//   jail/in.XXXXXX/  the root of one input, holding a small "lower" tree; the only thing in jail/
// and /tmp/berth-fuzz-tar-canary must never exist. fuzz/make_tar_seeds.py aims at all of them.
#include "archive/compression.h"
#include "archive/extractor.h"
#include "archive/tarreader.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

using namespace Berth;
using namespace Berth::Archive;

namespace {

constexpr const char *AbsoluteCanary = "/tmp/berth-fuzz-tar-canary";

[[noreturn]] void fail(const std::string &what)
{
    std::fprintf(stderr, "fuzz_tar: %s\n", what.c_str());
    std::abort();
}

// Small, so that one input costs little: a few MiB and a few thousand entries at most.
ArchiveLimits fuzzLimits()
{
    ArchiveLimits limits;
    limits.maxHeaderBytes = 64 << 10;
    limits.maxPathDepth = 128;
    limits.maxEntries = 2000;
    limits.maxTotalBytes = 4 << 20;
    limits.maxRatio = 1000;
    limits.ratioFloorBytes = 1 << 20;
    return limits;
}

struct ReadSummary
{
    bool ok = false;
    std::int64_t entries = 0;
    std::int64_t total = 0;
    Compression compression = Compression::None;
};

// Reads one entry's data in odd-sized pieces; checks that exactly entry.size bytes come out.
bool readData(TarReader &tar, const TarEntry &entry, std::int64_t index)
{
    static std::vector<char> buffer(64 << 10);
    std::int64_t got = 0;
    for (std::size_t round = 0;; ++round) {
        const std::size_t want =
            round % 2 ? buffer.size() : 1 + static_cast<std::size_t>(index * 37 % 700);
        auto n = tar.read(buffer.data(), want);
        if (!n)
            return false;
        if (*n > want)
            fail("TarReader::read() gave more bytes than asked for");
        if (*n == 0)
            break;
        got += static_cast<std::int64_t>(*n);
    }
    if (got != entry.size)
        fail("an entry's data is not entry.size bytes long");
    return true;
}

void checkEntry(const TarEntry &e, const ArchiveLimits &limits)
{
    if (e.path.empty() || e.path.find('\0') != std::string::npos)
        fail("an entry path is empty or holds a NUL");
    if (e.path.size() > 1 && e.path.back() == '/')
        fail("an entry path ends with '/'");
    if (std::count(e.path.begin(), e.path.end(), '/') + 1 > limits.maxPathDepth)
        fail("an entry path is deeper than maxPathDepth");
    if (e.size < 0 || (e.type != TarEntry::Type::File && e.size != 0))
        fail("an entry's size is negative, or not 0 for a non-file");
    if (e.mode > 07777)
        fail("an entry's mode has bits beyond 07777");
    if (e.type == TarEntry::Type::HardLink &&
        (e.linkTarget.empty() || e.linkTarget.find('\0') != std::string::npos))
        fail("a hardlink target is empty or holds a NUL");
}

ReadSummary readArchive(std::string_view bytes)
{
    const ArchiveLimits limits = fuzzLimits();
    MemoryReader in(bytes);
    AutoDecompressReader decompressed(in);
    LimitedReader limited(decompressed, limits.maxTotalBytes, limits.maxRatio,
                          limits.ratioFloorBytes);
    TarReader tar(limited, limits);
    ReadSummary summary;
    for (;;) {
        auto entry = tar.next();
        if (!entry)
            return summary;
        if (!*entry)
            break;
        checkEntry(**entry, limits);
        if (!readData(tar, **entry, summary.entries))
            return summary;
        ++summary.entries;
    }
    auto again = tar.next();
    if (!again || *again)
        fail("next() after the end gave something else than the end");
    char rest[4096];
    for (;;) {
        auto n = limited.read(rest, sizeof rest);
        if (!n)
            return summary;
        if (*n == 0)
            break;
    }
    summary.ok = true;
    summary.total = limited.total();
    summary.compression = decompressed.compression();
    return summary;
}

// Names in a directory, without "." and "..".
std::vector<std::string> listNames(int dirFd)
{
    std::vector<std::string> names;
    DIR *dir = ::fdopendir(::fcntl(dirFd, F_DUPFD_CLOEXEC, 0));
    if (!dir)
        fail(std::string("fdopendir: ") + std::strerror(errno));
    ::rewinddir(dir);
    while (const dirent *e = ::readdir(dir)) {
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
            names.emplace_back(e->d_name);
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    return names;
}

constexpr int MaxRemoveDepth = 32;

// Empties `dirFd` without following symlinks. Directories below MaxRemoveDepth are moved up into
// `topFd` instead, for a later pass, so that few descriptors are open however deep the tree.
// Returns how many were moved; aborts when something cannot be removed.
int emptyDirectory(int topFd, int dirFd, int depth)
{
    static unsigned long s_moved = 0;
    if (::fchmod(dirFd, 0700) != 0) // extraction may have left it 0555 (or 0 for the root)
        fail(std::string("chmod for removal: ") + std::strerror(errno));
    int moved = 0;
    for (const auto &name : listNames(dirFd)) {
        if (::unlinkat(dirFd, name.c_str(), 0) == 0 || errno == ENOENT)
            continue;
        if (errno != EISDIR && errno != EPERM)
            fail("unlink \"" + name + "\": " + std::strerror(errno));
        if (depth >= MaxRemoveDepth) {
            std::string to;
            do
                to = ".fuzz-tar-deep." + std::to_string(s_moved++);
            while (::renameat2(dirFd, name.c_str(), topFd, to.c_str(), RENAME_NOREPLACE) != 0 &&
                   errno == EEXIST);
            ++moved;
            continue;
        }
        const int child =
            ::openat(dirFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (child < 0)
            fail("open \"" + name + "\" for removal: " + std::strerror(errno));
        moved += emptyDirectory(topFd, child, depth + 1);
        ::close(child);
        if (::unlinkat(dirFd, name.c_str(), AT_REMOVEDIR) != 0)
            fail("rmdir \"" + name + "\": " + std::strerror(errno));
    }
    return moved;
}

// Removes `name` in `parentFd` and everything under it.
void removeTree(int parentFd, const std::string &name)
{
    const int top =
        ::openat(parentFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (top < 0)
        fail("open \"" + name + "\" for removal: " + std::strerror(errno));
    while (emptyDirectory(top, top, 0) > 0) {
    }
    ::close(top);
    if (::unlinkat(parentFd, name.c_str(), AT_REMOVEDIR) != 0)
        fail("rmdir \"" + name + "\": " + std::strerror(errno));
}

bool sameStat(const struct stat &a, const struct stat &b)
{
    return a.st_ino == b.st_ino && a.st_mode == b.st_mode && a.st_uid == b.st_uid &&
           a.st_gid == b.st_gid && a.st_nlink == b.st_nlink &&
           a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec &&
           a.st_ctim.tv_sec == b.st_ctim.tv_sec && a.st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

struct stat statFd(int fd)
{
    struct stat st;
    if (::fstat(fd, &st) != 0)
        fail(std::string("fstat: ") + std::strerror(errno));
    return st;
}

class WorkDir
{
public:
    WorkDir()
    {
        const char *tmp = std::getenv("TMPDIR");
        std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/berth-fuzz-tar.XXXXXX";
        if (!::mkdtemp(path.data()))
            fail("mkdtemp " + path + ": " + std::strerror(errno));
        m_path = path;
        m_fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (m_fd < 0 || ::mkdirat(m_fd, "canary", 0755) != 0 || ::mkdirat(m_fd, "jail", 0755) != 0)
            fail("set up " + path + ": " + std::strerror(errno));
        m_canaryFd = ::openat(m_fd, "canary", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        m_jailFd = ::openat(m_fd, "jail", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (m_canaryFd < 0 || m_jailFd < 0)
            fail("open " + path + "/{canary,jail}: " + std::strerror(errno));
        m_stat = statFd(m_fd);
        m_canaryStat = statFd(m_canaryFd);
        checkAbsoluteCanary();
    }

    // Extracts `bytes` into a new jail/in.XXXXXX; returns whether it succeeded, after checking
    // that nothing outside changed, and removes it.
    Result<ExtractStats> extract(std::string_view bytes, WhiteoutMode whiteouts)
    {
        std::string root = m_path + "/jail/in.XXXXXX";
        if (!::mkdtemp(root.data()))
            fail("mkdtemp " + root + ": " + std::strerror(errno));
        const std::string name = root.substr(root.rfind('/') + 1);
        const int rootFd = ::openat(m_jailFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (rootFd < 0)
            fail("open " + root + ": " + std::strerror(errno));
        makeLowerTree(rootFd);
        ExtractOptions options;
        options.whiteouts = whiteouts;
        options.allowDevices = false;
        // Ownership is applied (the work dir is 0700), through a map that ids above 2^32 - 10^5
        // miss.
        options.uidMap = {{0, 100000, (1LL << 32) - 100001}};
        options.gidMap = options.uidMap;
        options.limits = fuzzLimits();
        options.warning = [](const std::string &) {
        };
        MemoryReader in(bytes);
        auto stats = extractLayer(in, rootFd, options);
        ::close(rootFd);
        checkContained(name);
        removeTree(m_jailFd, name);
        return stats;
    }

    ~WorkDir()
    {
        ::close(m_canaryFd);
        ::close(m_jailFd);
        ::close(m_fd);
        if (!m_path.empty()) {
            const std::string parent = m_path.substr(0, m_path.rfind('/'));
            const int parentFd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            removeTree(parentFd, m_path.substr(m_path.rfind('/') + 1));
            ::close(parentFd);
        }
    }

private:
    // What layers are applied on: a directory with a file and a subdirectory, and a symlink
    // aiming at the canary.
    static void makeLowerTree(int rootFd)
    {
        const int fd =
            ::openat(rootFd, "lower-file", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0 || ::write(fd, "lower", 5) != 5 || ::mkdirat(rootFd, "lower", 0755) != 0 ||
            ::mkdirat(rootFd, "lower/sub", 0755) != 0 ||
            ::symlinkat("../../../canary", rootFd, "lower/escape") != 0 ||
            ::linkat(rootFd, "lower-file", rootFd, "lower/file", 0) != 0)
            fail(std::string("make the lower tree: ") + std::strerror(errno));
        ::close(fd);
    }

    static void checkAbsoluteCanary()
    {
        struct stat st;
        if (::lstat(AbsoluteCanary, &st) == 0 || errno != ENOENT)
            fail(std::string(AbsoluteCanary) +
                 " exists: an extraction escaped its root (or a previous run's did: remove it)");
    }

    void checkContained(const std::string &inputName) const
    {
        checkAbsoluteCanary();
        if (listNames(m_fd) != std::vector<std::string>{"canary", "jail"})
            fail("the work dir " + m_path + " holds something else than canary/ and jail/");
        if (!sameStat(statFd(m_fd), m_stat))
            fail("the work dir " + m_path + " was changed");
        if (!listNames(m_canaryFd).empty() || !sameStat(statFd(m_canaryFd), m_canaryStat))
            fail(m_path + "/canary was changed");
        if (listNames(m_jailFd) != std::vector<std::string>{inputName})
            fail(m_path + "/jail holds something else than the extraction root " + inputName);
        struct stat st;
        if (::fstatat(m_jailFd, inputName.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISDIR(st.st_mode))
            fail("the extraction root is no longer a directory");
    }

    std::string m_path;
    int m_fd = -1;
    int m_canaryFd = -1;
    int m_jailFd = -1;
    struct stat m_stat = {};
    struct stat m_canaryStat = {};
};

WorkDir *s_work = nullptr;
bool s_verbose = false; // BERTH_FUZZ_TAR_VERBOSE=1: print each input's outcome

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    s_work = new WorkDir;
    s_verbose = std::getenv("BERTH_FUZZ_TAR_VERBOSE") != nullptr;
    std::atexit([] {
        delete s_work;
        s_work = nullptr;
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char *>(data), size);
    const ReadSummary read = readArchive(bytes);
    // The size's parity picks the whiteout mode: mutations try both on the same content.
    const auto mode = size % 2 ? WhiteoutMode::Apply : WhiteoutMode::Overlay;
    const auto stats = s_work->extract(bytes, mode);
    if (s_verbose)
        std::fprintf(stderr, "fuzz_tar: %zu bytes, %s whiteouts: read %s (%lld entries), %s\n",
                     size, mode == WhiteoutMode::Apply ? "apply" : "overlay",
                     read.ok ? "ok" : "refused", static_cast<long long>(read.entries),
                     stats ? "extracted" : stats.error().toString().c_str());
    if (stats) {
        if (!read.ok)
            fail("extractLayer() accepted an archive that TarReader refuses");
        if (stats->entries != read.entries || stats->uncompressedBytes != read.total ||
            stats->compression != read.compression)
            fail("extractLayer()'s stats differ from what TarReader read");
    }
    return 0;
}
