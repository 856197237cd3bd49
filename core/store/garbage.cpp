// Garbage collection: mark what images and GC roots use, sweep the rest, under the exclusive
// store lock so that nothing an operation in flight is writing (it holds the lock shared) is
// ever collected.
#include "store/imagearchive_p.h"
#include "store/imagestore.h"

#include "archive/saferoot.h"

#include <fcntl.h>
#include <map>
#include <sys/stat.h>

namespace Berth::Store {

using namespace Internal;

Result<void> ImageStore::markImage(const Digest &manifestDigest, LiveSet &live)
{
    live.blobs.insert(manifestDigest);
    auto bytes = m_content.read(manifestDigest);
    if (!bytes)
        return bytes.error().code() == ErrorCode::NotFound ? Result<void>()
                                                           : fail(std::move(bytes).error());
    auto manifest = Image::parseManifest(*bytes);
    if (!manifest)
        return {}; // a manifest that does not parse references nothing we can see
    live.blobs.insert(manifest->config.digest);
    for (const auto &layer : manifest->layers)
        live.blobs.insert(layer.digest);
    auto configBytes = m_content.read(manifest->config.digest);
    if (!configBytes)
        return configBytes.error().code() == ErrorCode::NotFound
                   ? Result<void>()
                   : fail(std::move(configBytes).error());
    if (auto config = Image::parseConfig(*configBytes))
        live.layers.insert(config->rootfs.diffIds.begin(), config->rootfs.diffIds.end());
    return {};
}

Result<ImageStore::LiveSet> ImageStore::markLive()
{
    LiveSet live;
    auto records = m_metadata.images();
    if (!records)
        return fail(std::move(records).error());
    for (const auto &record : *records)
        if (auto ok = markImage(record.manifest, live); !ok)
            return fail(std::move(ok).error());
    auto roots = m_metadata.roots();
    if (!roots)
        return fail(std::move(roots).error());
    for (const auto &root : *roots) {
        switch (root.kind) {
        case GcRoot::Kind::Image:
            live.heldImages.insert(root.target);
            if (auto ok = markImage(root.target, live); !ok)
                return fail(std::move(ok).error());
            break;
        case GcRoot::Kind::Blob: live.blobs.insert(root.target); break;
        case GcRoot::Kind::Layer: live.layers.insert(root.target); break;
        }
    }
    return live;
}

Result<std::int64_t> ImageStore::sweep(const LiveSet &live, std::vector<std::string> *removed)
{
    std::int64_t freed = 0;
    auto stored = m_content.list();
    if (!stored)
        return fail(std::move(stored).error());
    for (const auto &blob : *stored) {
        if (live.blobs.count(blob))
            continue;
        freed += m_content.size(blob).value_or(0);
        if (auto ok = m_content.remove(blob); !ok)
            return fail(std::move(ok).error());
        if (removed)
            removed->push_back("blob " + blob.toString());
    }
    auto layers = Archive::Internal::listDirectory(m_layersFd.get());
    if (!layers)
        return fail(std::move(layers).error());
    for (const auto &name : *layers) {
        // Half-unpacked layers belong to the sweep at open, which knows who holds them.
        const auto diffId = Digest::parse("sha256:" + name);
        if (!diffId || live.layers.count(*diffId))
            continue;
        freed += treeSize(m_layersFd.get(), name);
        if (auto ok = Archive::Internal::removeTree(m_layersFd.get(), name); !ok)
            return fail(std::move(ok).error());
        if (removed)
            removed->push_back("layer " + diffId->toString());
    }
    return freed;
}

bool ImageStore::isBlobUsed(const Digest &blob)
{
    auto live = markLive();
    return !live || live->blobs.count(blob);
}

// Removes the image record, then (under the exclusive store lock, so no import in flight can
// be using them) its blobs and unpacked layers that nothing else uses.
Result<void> ImageStore::deleteImage(const ImageInfo &image)
{
    LiveSet own;
    if (auto ok = markImage(image.record.manifest, own); !ok)
        return ok;
    if (auto ok = m_metadata.removeImage(image.record.manifest); !ok)
        return ok;
    auto lock = StoreLock::acquire(lockPath(), StoreLock::Mode::Exclusive);
    if (!lock)
        return fail(std::move(lock).error());
    auto live = markLive();
    if (!live)
        return fail(std::move(live).error());
    for (const auto &d : own.blobs)
        if (!live->blobs.count(d))
            if (auto ok = m_content.remove(d); !ok)
                return ok;
    for (const auto &d : own.layers)
        if (!live->layers.count(d))
            if (auto ok = Archive::Internal::removeTree(m_layersFd.get(), d.hex());
                !ok && ok.error().code() != ErrorCode::NotFound)
                return fail(std::move(ok).error());
    return {};
}

Result<PruneReport> ImageStore::prune(bool all)
{
    auto images = this->images();
    if (!images)
        return fail(std::move(images).error());
    auto live = markLive();
    if (!live)
        return fail(std::move(live).error());
    PruneReport report;
    for (const auto &image : *images) {
        if ((!all && !image.tags.empty()) || live->heldImages.count(image.record.manifest))
            continue;
        for (const auto &t : image.tags) {
            if (auto ok = m_metadata.untag(t); !ok)
                return fail(std::move(ok).error());
            report.deleted.push_back("Untagged: " + familiar(t));
        }
        if (auto ok = m_metadata.removeImage(image.record.manifest); !ok)
            return fail(std::move(ok).error());
        report.deleted.push_back("Deleted: " + image.record.config.toString());
    }
    auto freed = collectGarbage();
    if (!freed)
        return fail(std::move(freed).error());
    report.reclaimed = *freed;
    if (auto ok = writeIndex(); !ok)
        return fail(std::move(ok).error());
    return report;
}

Result<std::int64_t> ImageStore::collectGarbage()
{
    auto lock = StoreLock::acquire(lockPath(), StoreLock::Mode::Exclusive);
    if (!lock)
        return fail(std::move(lock).error());
    auto live = markLive();
    if (!live)
        return fail(std::move(live).error());
    return sweep(*live);
}

Result<DiskUsage> ImageStore::diskUsage()
{
    auto images = this->images();
    if (!images)
        return fail(std::move(images).error());
    DiskUsage usage;
    usage.images = int(images->size());
    std::map<Digest, int> users; // how many images use each blob
    std::vector<std::set<Digest>> blobsPerImage;
    for (const auto &image : *images) {
        LiveSet own;
        if (auto ok = markImage(image.record.manifest, own); !ok)
            return fail(std::move(ok).error());
        blobsPerImage.push_back(std::move(own.blobs));
        for (const auto &d : blobsPerImage.back())
            ++users[d];
    }
    for (const auto &[blob, count] : users)
        usage.blobs += m_content.size(blob).value_or(0);
    for (std::size_t i = 0; i < images->size(); ++i) {
        if (!(*images)[i].tags.empty())
            continue;
        ++usage.dangling;
        for (const auto &d : blobsPerImage[i])
            if (users[d] == 1)
                usage.reclaimable += m_content.size(d).value_or(0);
    }
    auto layers = Archive::Internal::listDirectory(m_layersFd.get());
    for (const auto &name : layers ? *layers : std::vector<std::string>())
        usage.layers += treeSize(m_layersFd.get(), name);
    return usage;
}

} // namespace Berth::Store
