#include "archive/layerunpack.h"

#include "archive/saferoot.h"
#include "archive/uniquefd.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace Berth::Archive {

using namespace Internal;

namespace {

Result<> checkName(const std::string &name)
{
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos ||
        name.ends_with(IncompleteSuffix))
        return fail(ErrorCode::Invalid, "invalid layer directory name \"" + name + "\"");
    return {};
}

UniqueFd openDirectory(int dirFd, const std::string &name)
{
    return UniqueFd(::openat(dirFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

// Creates and locks `<name>.incomplete`, replacing a stale one that nobody holds.
Result<UniqueFd> createLocked(int layersDirFd, const std::string &temp)
{
    if (UniqueFd stale = openDirectory(layersDirFd, temp); stale.isValid()) {
        if (::flock(stale.get(), LOCK_EX | LOCK_NB) != 0)
            return fail(ErrorCode::Conflict,
                        "\"" + temp + "\" is being extracted by another process");
        if (auto r = removeTree(layersDirFd, temp); !r)
            return fail(std::move(r).error());
    }
    if (::mkdirat(layersDirFd, temp.c_str(), 0700) != 0)
        return fail(Error::fromErrno("mkdir \"" + temp + "\"", errno));
    UniqueFd dir = openDirectory(layersDirFd, temp);
    if (!dir.isValid())
        return fail(Error::fromErrno("open \"" + temp + "\"", errno));
    if (::flock(dir.get(), LOCK_EX | LOCK_NB) != 0)
        return fail(ErrorCode::Conflict, "\"" + temp + "\" is being extracted by another process");
    // Layers are lower dirs shared by containers: readable by all unless the layer says otherwise.
    if (::fchmod(dir.get(), 0755) != 0)
        return fail(Error::fromErrno("chmod \"" + temp + "\"", errno));
    return dir;
}

} // namespace

Result<ExtractStats> extractLayerAtomically(Reader &in, int layersDirFd, const std::string &name,
                                            const ExtractOptions &options)
{
    if (auto r = checkName(name); !r)
        return fail(std::move(r).error());
    const std::string temp = name + std::string(IncompleteSuffix);
    auto dir = createLocked(layersDirFd, temp);
    if (!dir)
        return fail(std::move(dir).error());
    auto stats = extractLayer(in, dir->get(), options);
    if (stats && ::syncfs(dir->get()) != 0)
        stats = fail(Error::fromErrno("sync \"" + temp + "\"", errno));
    if (stats &&
        ::renameat2(layersDirFd, temp.c_str(), layersDirFd, name.c_str(), RENAME_NOREPLACE) != 0)
        stats = fail(errno == EEXIST
                         ? Error(ErrorCode::Conflict, "layer \"" + name + "\" already exists")
                         : Error::fromErrno("rename \"" + temp + "\"", errno));
    if (!stats) {
        (void)removeTree(layersDirFd, temp); // best effort; sweepIncomplete() catches the rest
        return stats;
    }
    if (::fsync(layersDirFd) != 0)
        return fail(Error::fromErrno("fsync the layers directory", errno));
    return stats;
}

Result<int> sweepIncomplete(int layersDirFd)
{
    auto names = listDirectory(layersDirFd);
    if (!names)
        return fail(std::move(names).error());
    int removed = 0;
    for (const auto &name : *names) {
        if (!name.ends_with(IncompleteSuffix))
            continue;
        UniqueFd dir = openDirectory(layersDirFd, name);
        if (dir.isValid() && ::flock(dir.get(), LOCK_EX | LOCK_NB) != 0)
            continue; // a live extraction
        if (auto r = removeTree(layersDirFd, name); !r)
            return fail(std::move(r).error().wrap("sweeping \"" + name + "\""));
        ++removed;
    }
    return removed;
}

} // namespace Berth::Archive
