#pragma once

#include "archive/stream.h"
#include "store/imagestore.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>

// How a load reads its input: the files of an archive or a layout directory (imagearchive.cpp),
// and what is done with them (imageloader.cpp).
namespace Berth::Store {
struct LoadOptions;
}

namespace Berth::Store::Internal {

inline constexpr std::int64_t s_maxDocument = 16 << 20; // a manifest, an index or a config

// "./a/b" and "/a/b" as "a/b": names inside an archive.
inline std::string normalise(std::string path)
{
    while (path.rfind("./", 0) == 0)
        path.erase(0, 2);
    while (!path.empty() && path.front() == '/')
        path.erase(0, 1);
    return path;
}

// Counts the input read for LoadOptions::progress, which may cancel the load.
class Progress
{
public:
    explicit Progress(std::function<bool(std::int64_t, std::int64_t)> callback)
        : m_callback(std::move(callback))
    {}
    void expect(std::int64_t bytes) { m_total += bytes; }
    Result<void> advance(std::int64_t bytes)
    {
        m_done += bytes;
        if (m_callback && !m_callback(m_done, m_total))
            return fail(ErrorCode::Cancelled, "the load was cancelled");
        return {};
    }

private:
    std::function<bool(std::int64_t, std::int64_t)> m_callback;
    std::int64_t m_done = 0;
    std::int64_t m_total = 0;
};

// Reports what is read through it to a Progress.
class ProgressReader : public Archive::Reader
{
public:
    ProgressReader(Archive::Reader &next, Progress &progress)
        : m_next(next)
        , m_progress(progress)
    {}
    Result<std::size_t> read(void *data, std::size_t size) override
    {
        auto n = m_next.read(data, size);
        if (n && *n > 0)
            if (auto ok = m_progress.advance(std::int64_t(*n)); !ok)
                return fail(std::move(ok).error());
        return n;
    }

private:
    Archive::Reader &m_next;
    Progress &m_progress;
};

// Calls back with one file's name and data.
using EachFile = std::function<Result<void>(const std::string &, Archive::Reader &)>;

// The files of an archive or a layout directory, by '/'-separated relative names.
class Source
{
public:
    explicit Source(Progress &progress)
        : m_progress(progress)
    {}
    virtual ~Source() = default;
    Progress &progress() { return m_progress; }
    // A small file (a JSON document); nullopt when there is none.
    virtual Result<std::optional<std::string>> file(const std::string &name) = 0;
    // Calls `each` once for every name in `wanted`; a missing one is an error.
    virtual Result<void> stream(const std::set<std::string> &wanted, const EachFile &each) = 0;

protected:
    Progress &m_progress;
};

// Loads the images `source` holds (an OCI layout, or a docker archive); `path` names it in
// errors.
Result<std::vector<ImageInfo>> loadFromSource(ImageStore &store, Source &source,
                                              const std::string &path);

} // namespace Berth::Store::Internal
