#include "store/imagestore.h"
#include "store/imagearchive_p.h"

#include "archive/compression.h"
#include "archive/gzipstream.h"
#include "archive/layerunpack.h"
#include "archive/saferoot.h"
#include "image/mediatype.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <map>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace Berth::Store {

using namespace Internal;

namespace {

std::string nowRfc3339()
{
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

bool isHexPrefix(std::string_view s)
{
    return s.size() >= 4 && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

Error noSuchImage(std::string_view nameOrId)
{
    return Error(ErrorCode::NotFound, "no such image: \"" + std::string(nameOrId) + "\"");
}

std::string familiar(const std::string &reference)
{
    auto parsed = Image::Reference::parse(reference);
    return parsed ? parsed->familiar() : reference;
}

} // namespace

std::string ImageStore::defaultRoot()
{
    if (const char *root = std::getenv("BERTH_ROOT"); root && *root)
        return root;
    if (::geteuid() == 0)
        return "/var/lib/berth";
    if (const char *data = std::getenv("XDG_DATA_HOME"); data && *data)
        return std::string(data) + "/berth";
    const char *home = std::getenv("HOME");
    return std::string(home && *home ? home : "/tmp") + "/.local/share/berth";
}

ImageStore::ImageStore(std::string root, ContentStore content, Metadata metadata, Fd layersFd)
    : m_root(std::move(root))
    , m_content(std::move(content))
    , m_metadata(std::move(metadata))
    , m_layersFd(std::move(layersFd))
{}

Result<ImageStore> ImageStore::open(std::string root)
{
    while (root.size() > 1 && root.back() == '/')
        root.pop_back();
    auto content = ContentStore::open(root);
    if (!content)
        return fail(std::move(content).error());
    auto layers = openDirectory(root + "/layers", true);
    if (!layers)
        return fail(std::move(layers).error().wrap("opening the store"));
    if (auto swept = Archive::sweepIncomplete(layers->get()); !swept)
        return fail(std::move(swept).error().wrap("removing half-unpacked layers"));
    auto metadata = Metadata::open(root + "/berth.db");
    if (!metadata)
        return fail(std::move(metadata).error());
    return ImageStore(std::move(root), std::move(*content), std::move(*metadata),
                      std::move(*layers));
}

std::string ImageStore::layerPath(const Digest &diffId) const
{
    return m_root + "/layers/" + diffId.hex();
}

Result<ImageInfo> ImageStore::importRootfs(Archive::Reader &tar, const Image::Reference &reference,
                                           const ImportOptions &options)
{
    auto lock = StoreLock::acquire(lockPath(), StoreLock::Mode::Shared);
    if (!lock)
        return fail(std::move(lock).error());
    // One pass: decompress the input, hash it (diff id), gzip it, hash that (the blob).
    Archive::AutoDecompressReader input(tar);
    auto ingest = m_content.beginIngest();
    if (!ingest)
        return fail(std::move(ingest).error());
    IngestWriter sink(*ingest);
    Archive::GzipWriter gzip(sink);
    Archive::DigestingWriter uncompressed(gzip);
    if (auto copied = Archive::copyStream(input, uncompressed); !copied)
        return fail(std::move(copied).error().wrap("reading the root file system"));
    if (auto done = uncompressed.finish(); !done)
        return fail(std::move(done).error().wrap("compressing the layer"));
    const Digest diffId = uncompressed.digest();
    const std::int64_t layerSize = ingest->written();
    auto layerDigest = ingest->commit();
    if (!layerDigest)
        return fail(std::move(layerDigest).error().wrap("storing the layer"));

    // Unpacked once; an identical layer imported before is already there.
    struct stat st;
    if (::fstatat(m_layersFd.get(), diffId.hex().c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        Archive::UniqueFd blob(
            ::open(m_content.blobPath(*layerDigest).c_str(), O_RDONLY | O_CLOEXEC));
        if (blob.get() < 0)
            return fail(
                Error::fromErrno("open \"" + m_content.blobPath(*layerDigest) + "\"", errno));
        Archive::FdReader reader(blob.get());
        if (auto unpacked = Archive::extractLayerAtomically(reader, m_layersFd.get(), diffId.hex());
            !unpacked && unpacked.error().code() != ErrorCode::Conflict) {
            // Not a usable root file system: keep no blob that only this import made.
            if (!isBlobUsed(*layerDigest))
                (void)m_content.remove(*layerDigest);
            return fail(std::move(unpacked).error().wrap("unpacking the root file system"));
        }
    }

    Image::ImageConfig config;
    const Image::Platform host = Image::Platform::host();
    config.created = options.created.empty() ? nowRfc3339() : options.created;
    config.architecture = host.architecture;
    config.os = host.os;
    config.variant = host.variant;
    config.config = options.config;
    config.rootfs.diffIds = {diffId};
    config.history.push_back({config.created, options.createdBy, {}, {}, false});
    const std::string configJson = Image::toJson(config);
    auto configDigest = m_content.write(configJson);
    if (!configDigest)
        return fail(std::move(configDigest).error().wrap("storing the image config"));

    Image::Manifest manifest;
    manifest.mediaType = std::string(Image::MediaType::OciManifest);
    manifest.config = Image::makeDescriptor(Image::MediaType::OciConfig, *configDigest,
                                            std::int64_t(configJson.size()));
    manifest.layers.push_back(
        Image::makeDescriptor(Image::MediaType::OciLayerGzip, *layerDigest, layerSize));
    const std::string manifestJson = Image::toJson(manifest);
    auto manifestDigest = m_content.write(manifestJson);
    if (!manifestDigest)
        return fail(std::move(manifestDigest).error().wrap("storing the manifest"));

    ImageRecord record{*manifestDigest,
                       *configDigest,
                       manifest.mediaType,
                       std::int64_t(manifestJson.size() + configJson.size()) + layerSize,
                       parseRfc3339(config.created),
                       0};
    const std::string ref = reference.withDefaultTag().toString();
    if (auto ok = m_metadata.transaction([&]() -> Result<void> {
            if (auto put = m_metadata.putImage(record); !put)
                return put;
            return m_metadata.tag(ref, record.manifest);
        });
        !ok)
        return fail(std::move(ok).error());
    if (auto ok = writeIndex(); !ok)
        return fail(std::move(ok).error());
    return find(ref);
}

Result<ImageInfo> ImageStore::recordImage(const ImageRecord &record,
                                          const std::vector<std::string> &tags)
{
    if (auto ok = m_metadata.transaction([&]() -> Result<void> {
            if (auto put = m_metadata.putImage(record); !put)
                return put;
            for (const auto &t : tags)
                if (auto tagged = m_metadata.tag(t, record.manifest); !tagged)
                    return tagged;
            return {};
        });
        !ok)
        return fail(std::move(ok).error());
    if (auto ok = writeIndex(); !ok)
        return fail(std::move(ok).error());
    return find(record.manifest.toString());
}

Result<std::vector<ImageInfo>> ImageStore::images()
{
    auto records = m_metadata.images();
    if (!records)
        return fail(std::move(records).error());
    auto tags = m_metadata.tags();
    if (!tags)
        return fail(std::move(tags).error());
    std::map<Digest, std::vector<std::string>> byManifest;
    for (auto &t : *tags)
        byManifest[t.manifest].push_back(std::move(t.reference));
    std::vector<ImageInfo> out;
    for (auto &r : *records) {
        const Digest manifest = r.manifest;
        out.push_back({std::move(r), byManifest[manifest]});
    }
    return out;
}

Result<ImageInfo> ImageStore::find(std::string_view nameOrId)
{
    auto all = images();
    if (!all)
        return fail(std::move(all).error());
    if (const auto digest = Digest::parse(nameOrId)) {
        for (auto &image : *all)
            if (image.record.manifest == *digest || image.record.config == *digest)
                return image;
        return fail(noSuchImage(nameOrId));
    }
    if (isHexPrefix(nameOrId)) {
        std::vector<ImageInfo *> matches;
        for (auto &image : *all)
            if (image.id().rfind(nameOrId, 0) == 0)
                matches.push_back(&image);
        if (matches.size() == 1)
            return *matches.front();
        if (matches.size() > 1)
            return fail(ErrorCode::Conflict, "\"" + std::string(nameOrId) +
                                                 "\" matches several images: give more of the id");
    }
    auto reference = Image::Reference::parse(nameOrId);
    if (!reference)
        return fail(std::move(reference).error());
    const std::string ref = reference->withDefaultTag().toString();
    for (auto &image : *all)
        if (std::find(image.tags.begin(), image.tags.end(), ref) != image.tags.end())
            return image;
    return fail(noSuchImage(nameOrId));
}

Result<Image::Manifest> ImageStore::manifest(const ImageInfo &image)
{
    auto bytes = m_content.read(image.record.manifest);
    if (!bytes)
        return fail(std::move(bytes).error());
    return Image::parseManifest(*bytes, image.record.mediaType);
}

Result<Image::ImageConfig> ImageStore::config(const ImageInfo &image)
{
    auto bytes = m_content.read(image.record.config);
    if (!bytes)
        return fail(std::move(bytes).error());
    return Image::parseConfig(*bytes);
}

Result<void> ImageStore::tag(std::string_view source, const Image::Reference &target)
{
    auto image = find(source);
    if (!image)
        return fail(std::move(image).error());
    if (!target.digest().isEmpty())
        return fail(ErrorCode::Invalid,
                    "a tag cannot contain a digest: \"" + target.toString() + "\"");
    if (auto ok = m_metadata.tag(target.withDefaultTag().toString(), image->record.manifest); !ok)
        return ok;
    return writeIndex();
}

Result<std::vector<std::string>> ImageStore::remove(std::string_view nameOrId, bool force)
{
    auto image = find(nameOrId);
    if (!image)
        return fail(std::move(image).error());
    std::vector<std::string> lines;
    std::vector<std::string> untag = image->tags;
    const auto reference = Image::Reference::parse(nameOrId);
    const std::string ref = reference ? reference->withDefaultTag().toString() : std::string();
    const bool byTag = std::find(untag.begin(), untag.end(), ref) != untag.end();
    if (byTag && untag.size() > 1)
        untag = {ref};
    else if (!byTag && untag.size() > 1 && !force)
        return fail(ErrorCode::Conflict, "unable to delete " + image->id().substr(0, 12) +
                                             " (must be forced): the image is tagged in several "
                                             "repositories (use -f, or remove a tag by name)");
    for (const auto &t : untag) {
        if (auto ok = m_metadata.untag(t); !ok)
            return fail(std::move(ok).error());
        lines.push_back("Untagged: " + familiar(t));
    }
    if (untag.size() == image->tags.size()) {
        if (auto ok = deleteImage(*image); !ok)
            return fail(std::move(ok).error());
        lines.push_back("Deleted: " + image->record.config.toString());
    }
    if (auto ok = writeIndex(); !ok)
        return fail(std::move(ok).error());
    return lines;
}

bool ImageStore::isBlobUsed(const Digest &blob)
{
    auto all = m_metadata.images();
    if (!all)
        return true; // when in doubt, keep it
    for (const auto &image : *all) {
        const auto blobs = *blobsOf(image.manifest);
        if (std::find(blobs.begin(), blobs.end(), blob) != blobs.end())
            return true;
    }
    return false;
}

Result<std::vector<Digest>> ImageStore::blobsOf(const Digest &manifestDigest)
{
    std::vector<Digest> out = {manifestDigest};
    auto bytes = m_content.read(manifestDigest);
    if (!bytes)
        return out; // a missing manifest references nothing we can see
    auto parsed = Image::parseManifest(*bytes);
    if (!parsed)
        return out;
    out.push_back(parsed->config.digest);
    for (const auto &layer : parsed->layers)
        out.push_back(layer.digest);
    return out;
}

// Removes the image record, then (under the exclusive store lock, so no import in flight can
// be using them) its blobs and unpacked layers that no other image uses.
Result<void> ImageStore::deleteImage(const ImageInfo &image)
{
    std::vector<Digest> blobs = *blobsOf(image.record.manifest);
    std::vector<Digest> diffIds;
    if (auto cfg = config(image))
        diffIds = cfg->rootfs.diffIds;
    if (auto ok = m_metadata.removeImage(image.record.manifest); !ok)
        return ok;
    auto lock = StoreLock::acquire(lockPath(), StoreLock::Mode::Exclusive);
    if (!lock)
        return fail(std::move(lock).error());
    auto rest = images();
    if (!rest)
        return fail(std::move(rest).error());
    std::set<Digest> used;
    std::set<Digest> usedLayers;
    for (const auto &other : *rest) {
        const std::vector<Digest> otherBlobs = *blobsOf(other.record.manifest);
        used.insert(otherBlobs.begin(), otherBlobs.end());
        if (auto cfg = config(other))
            usedLayers.insert(cfg->rootfs.diffIds.begin(), cfg->rootfs.diffIds.end());
    }
    for (const auto &d : blobs)
        if (!used.count(d))
            if (auto ok = m_content.remove(d); !ok)
                return ok;
    for (const auto &d : diffIds)
        if (!usedLayers.count(d))
            if (auto ok = Archive::Internal::removeTree(m_layersFd.get(), d.hex());
                !ok && ok.error().code() != ErrorCode::NotFound)
                return fail(std::move(ok).error());
    return {};
}

// index.json lists every image, tagged ones once per tag with the OCI ref.name annotation,
// so tools reading the layout (skopeo, umoci) see the same images Berth does.
Result<void> ImageStore::writeIndex()
{
    auto all = images();
    if (!all)
        return fail(std::move(all).error());
    Image::Index index;
    index.mediaType = std::string(Image::MediaType::OciIndex);
    for (const auto &image : *all) {
        Image::Descriptor d =
            Image::makeDescriptor(image.record.mediaType, image.record.manifest, 0);
        if (auto size = m_content.size(image.record.manifest))
            d.size = *size;
        if (image.tags.empty())
            index.manifests.push_back(d);
        for (const auto &t : image.tags) {
            Image::Descriptor tagged = d;
            tagged.annotations["io.containerd.image.name"] = t;
            if (auto parsed = Image::Reference::parse(t))
                tagged.annotations["org.opencontainers.image.ref.name"] = parsed->tag();
            index.manifests.push_back(std::move(tagged));
        }
    }
    auto rootFd = openDirectory(m_root, false);
    if (!rootFd)
        return fail(std::move(rootFd).error());
    return writeFileAtomically(rootFd->get(), "index.json", Image::toJson(index),
                               m_root + "/index.json");
}

namespace {

// Bytes a directory tree takes (regular files), never following symlinks.
std::int64_t treeSize(int dirFd, const std::string &name)
{
    Archive::UniqueFd fd(
        ::openat(dirFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.isValid())
        return 0;
    auto entries = Archive::Internal::listDirectory(fd.get());
    std::int64_t total = 0;
    for (const auto &entry : entries ? *entries : std::vector<std::string>()) {
        struct stat st;
        if (::fstatat(fd.get(), entry.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            total += treeSize(fd.get(), entry);
        else if (S_ISREG(st.st_mode))
            total += std::int64_t(st.st_size);
    }
    return total;
}

} // namespace

Result<PruneReport> ImageStore::prune(bool all)
{
    auto images = this->images();
    if (!images)
        return fail(std::move(images).error());
    PruneReport report;
    for (const auto &image : *images) {
        if (!all && !image.tags.empty())
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
    auto images = this->images();
    if (!images)
        return fail(std::move(images).error());
    std::set<Digest> liveBlobs;
    std::set<std::string> liveLayers;
    for (const auto &image : *images) {
        const std::vector<Digest> blobs = *blobsOf(image.record.manifest);
        liveBlobs.insert(blobs.begin(), blobs.end());
        if (auto cfg = config(image))
            for (const auto &d : cfg->rootfs.diffIds)
                liveLayers.insert(d.hex());
    }
    std::int64_t freed = 0;
    auto stored = m_content.list();
    if (!stored)
        return fail(std::move(stored).error());
    for (const auto &blob : *stored) {
        if (liveBlobs.count(blob))
            continue;
        freed += m_content.size(blob).value_or(0);
        if (auto ok = m_content.remove(blob); !ok)
            return fail(std::move(ok).error());
    }
    auto layers = Archive::Internal::listDirectory(m_layersFd.get());
    if (!layers)
        return fail(std::move(layers).error());
    for (const auto &name : *layers) {
        // Half-unpacked layers belong to the sweep at open, which knows who holds them.
        if (liveLayers.count(name) || name.find('.') != std::string::npos)
            continue;
        freed += treeSize(m_layersFd.get(), name);
        if (auto ok = Archive::Internal::removeTree(m_layersFd.get(), name); !ok)
            return fail(std::move(ok).error());
    }
    return freed;
}

Result<DiskUsage> ImageStore::diskUsage()
{
    auto images = this->images();
    if (!images)
        return fail(std::move(images).error());
    DiskUsage usage;
    usage.images = int(images->size());
    std::map<Digest, int> users; // how many images use each blob
    std::vector<std::vector<Digest>> blobsPerImage;
    for (const auto &image : *images) {
        blobsPerImage.push_back(*blobsOf(image.record.manifest));
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
