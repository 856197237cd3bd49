#include "store/imagearchive.h"
#include "store/imagearchive_p.h"
#include "store/imagesource_p.h"

#include "archive/compression.h"
#include "archive/layerunpack.h"
#include "archive/saferoot.h"
#include "archive/tarreader.h"
#include "archive/tarwriter.h"
#include "archive/uniquefd.h"
#include "image/mediatype.h"
#include "image/platform.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <fcntl.h>
#include <functional>
#include <map>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace Berth::Store {

using namespace Internal;

namespace {

constexpr std::int64_t s_maxCached = 256 << 20; // small tar members kept by the first pass

Result<std::string> readAll(Archive::Reader &in, std::int64_t max, const std::string &what)
{
    std::string out;
    char buf[65536];
    for (;;) {
        auto n = in.read(buf, sizeof buf);
        if (!n)
            return fail(std::move(n).error().wrap("reading " + what));
        if (*n == 0)
            return out;
        if (std::int64_t(out.size() + *n) > max)
            return fail(ErrorCode::Invalid,
                        what + " is larger than " + std::to_string(max) + " bytes");
        out.append(buf, *n);
    }
}

class DirectorySource : public Source
{
public:
    DirectorySource(std::string root, Progress &progress)
        : Source(progress)
        , m_root(std::move(root))
    {}
    Result<std::optional<std::string>> file(const std::string &name) override
    {
        const std::string path = m_root + "/" + name;
        Archive::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd.isValid() && errno == ENOENT)
            return std::optional<std::string>();
        if (!fd.isValid())
            return fail(Error::fromErrno("open \"" + path + "\"", errno));
        Archive::FdReader reader(fd.get());
        auto bytes = readAll(reader, s_maxDocument, "\"" + path + "\"");
        if (!bytes)
            return fail(std::move(bytes).error());
        return std::optional<std::string>(std::move(*bytes));
    }
    Result<void> stream(const std::set<std::string> &wanted, const EachFile &each) override
    {
        for (const auto &name : wanted) {
            struct stat st;
            if (::stat((m_root + "/" + name).c_str(), &st) == 0)
                m_progress.expect(std::int64_t(st.st_size));
        }
        for (const auto &name : wanted) {
            auto fd = openFile(m_root + "/" + name);
            if (!fd)
                return fail(std::move(fd).error());
            Archive::FdReader raw(fd->get());
            ProgressReader reader(raw, m_progress);
            if (auto ok = each(name, reader); !ok)
                return ok;
        }
        return {};
    }

private:
    std::string m_root;
};

// A tar, plain or compressed, read twice: once for its small files, once for the blobs.
class TarSource : public Source
{
public:
    TarSource(std::string path, Progress &progress)
        : Source(progress)
        , m_path(std::move(path))
    {}
    Result<void> scan()
    {
        std::int64_t cached = 0;
        return walk([&](const std::string &name, Archive::Reader &data, std::int64_t size) {
            if (size > s_maxDocument || cached + size > s_maxCached)
                return Result<void>();
            auto bytes = readAll(data, size, "\"" + name + "\" in \"" + m_path + "\"");
            if (!bytes)
                return Result<void>(fail(std::move(bytes).error()));
            cached += size;
            m_files[name] = std::move(*bytes);
            return Result<void>();
        });
    }
    Result<std::optional<std::string>> file(const std::string &name) override
    {
        const auto it = m_files.find(name);
        if (it == m_files.end())
            return std::optional<std::string>();
        return std::optional<std::string>(it->second);
    }
    Result<void> stream(const std::set<std::string> &wanted, const EachFile &each) override
    {
        std::set<std::string> seen;
        auto ok = walk([&](const std::string &name, Archive::Reader &data, std::int64_t) {
            if (!wanted.count(name) || !seen.insert(name).second)
                return Result<void>();
            return each(name, data);
        });
        if (!ok)
            return ok;
        for (const auto &name : wanted)
            if (!seen.count(name))
                return fail(ErrorCode::NotFound, "\"" + m_path + "\" has no file \"" + name + "\"");
        return {};
    }

private:
    using EachEntry =
        std::function<Result<void>(const std::string &, Archive::Reader &, std::int64_t)>;
    // Calls `each` for every regular file of the archive.
    Result<void> walk(const EachEntry &each)
    {
        auto fd = openFile(m_path);
        if (!fd)
            return fail(std::move(fd).error());
        Archive::FdReader file(fd->get());
        ProgressReader raw(file, m_progress);
        Archive::AutoDecompressReader input(raw);
        Archive::TarReader tar(input);
        for (;;) {
            auto entry = tar.next();
            if (!entry)
                return fail(std::move(entry).error().wrap("reading \"" + m_path + "\""));
            if (!*entry)
                return {};
            if ((*entry)->type != Archive::TarEntry::Type::File)
                continue;
            if (auto ok = each(normalise((*entry)->path), tar, (*entry)->size); !ok)
                return ok;
        }
    }

    std::string m_path;
    std::map<std::string, std::string> m_files;
};

} // namespace

std::optional<ArchiveFormat> parseArchiveFormat(std::string_view name)
{
    if (name == "docker-archive")
        return ArchiveFormat::DockerArchive;
    if (name == "oci-archive")
        return ArchiveFormat::OciArchive;
    return std::nullopt;
}

Result<std::vector<ImageInfo>> loadImages(ImageStore &store, const std::string &path,
                                          const LoadOptions &options)
{
    struct stat st;
    if (::stat(path.c_str(), &st) != 0)
        return fail(Error::fromErrno("open \"" + path + "\"", errno));
    auto lock = StoreLock::acquire(store.root() + "/berth.lock", StoreLock::Mode::Shared);
    if (!lock)
        return fail(std::move(lock).error());
    Progress progress(options.progress);
    if (S_ISDIR(st.st_mode)) {
        DirectorySource source(path, progress);
        return loadFromSource(store, source, path);
    }
    progress.expect(2 * std::int64_t(st.st_size)); // scanned, then streamed
    TarSource source(path, progress);
    if (auto ok = source.scan(); !ok)
        return fail(std::move(ok).error());
    return loadFromSource(store, source, path);
}

} // namespace Berth::Store
