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
    ImageStore store(std::move(root), std::move(*content), std::move(*metadata),
                     std::move(*layers));
    if (auto ok = store.writeIndex(); !ok)
        return fail(std::move(ok).error());
    return store;
}

std::string ImageStore::layerPath(const Digest &diffId) const
{
    return m_root + "/layers/" + diffId.hex();
}

Result<bool> ImageStore::unpackLayer(const Digest &blob, const Digest &diffId)
{
    struct stat st;
    if (::fstatat(m_layersFd.get(), diffId.hex().c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0)
        return false;
    auto fd = openBlob(m_content, blob);
    if (!fd)
        return fail(std::move(fd).error());
    Archive::FdReader reader(fd->get());
    Archive::ExtractOptions options;
    // An uncompressed blob was checked against this digest when it was stored.
    if (blob != diffId)
        options.expectedDiffId = diffId;
    auto unpacked =
        Archive::extractLayerAtomically(reader, m_layersFd.get(), diffId.hex(), options);
    if (!unpacked) {
        // Another process unpacked the same layer at the same time.
        if (unpacked.error().code() == ErrorCode::Conflict)
            return false;
        return fail(std::move(unpacked).error().wrap("unpacking layer " + blob.toString()));
    }
    return true;
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

    if (auto unpacked = unpackLayer(*layerDigest, diffId); !unpacked) {
        // Not a usable root file system: keep no blob that only this import made.
        if (!isBlobUsed(*layerDigest))
            (void)m_content.remove(*layerDigest);
        return fail(std::move(unpacked).error().wrap("unpacking the root file system"));
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
    auto recorded = recordImages({{record, tags}});
    if (!recorded)
        return fail(std::move(recorded).error());
    return std::move(recorded->front());
}

Result<std::vector<ImageInfo>> ImageStore::recordImages(
    const std::vector<std::pair<ImageRecord, std::vector<std::string>>> &images)
{
    if (auto ok = m_metadata.transaction([&]() -> Result<void> {
            for (const auto &[record, tags] : images) {
                if (auto put = m_metadata.putImage(record); !put)
                    return put;
                for (const auto &t : tags)
                    if (auto tagged = m_metadata.tag(t, record.manifest); !tagged)
                        return tagged;
            }
            return {};
        });
        !ok)
        return fail(std::move(ok).error());
    if (auto ok = writeIndex(); !ok)
        return fail(std::move(ok).error());
    std::vector<ImageInfo> out;
    for (const auto &image : images) {
        auto info = find(image.first.manifest.toString());
        if (!info)
            return fail(std::move(info).error());
        out.push_back(std::move(*info));
    }
    return out;
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
        return fail(std::move(bytes).error().wrap("reading the manifest of image " +
                                                  image.id().substr(0, 12)));
    return Image::parseManifest(*bytes, image.record.mediaType);
}

Result<Image::ImageConfig> ImageStore::config(const ImageInfo &image)
{
    auto bytes = m_content.read(image.record.config);
    if (!bytes)
        return fail(std::move(bytes).error().wrap("reading the config of image " +
                                                  image.id().substr(0, 12)));
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
    if (auto ok = writeIndex(); !ok)
        return fail(std::move(ok).error());
    return {};
}

Result<std::vector<std::string>> ImageStore::holdersOf(const Digest &manifest)
{
    auto roots = m_metadata.roots();
    if (!roots)
        return fail(std::move(roots).error());
    std::vector<std::string> out;
    for (const auto &root : *roots)
        if (root.kind == GcRoot::Kind::Image && root.target == manifest)
            out.push_back(root.owner);
    return out;
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
    auto holders = holdersOf(image->record.manifest);
    if (!holders)
        return fail(std::move(holders).error());
    const bool last = untag.size() == image->tags.size();
    if (last && !holders->empty() && !force)
        return fail(ErrorCode::Conflict,
                    "unable to remove " + (byTag ? familiar(ref) : image->id().substr(0, 12)) +
                        " (must be forced): " + holders->front() + " is using it");
    for (const auto &t : untag) {
        if (auto ok = m_metadata.untag(t); !ok)
            return fail(std::move(ok).error());
        lines.push_back("Untagged: " + familiar(t));
    }
    // Forced, an image something still uses loses its tags but stays, as with Docker.
    if (last && holders->empty()) {
        if (auto ok = deleteImage(*image); !ok)
            return fail(std::move(ok).error());
        lines.push_back("Deleted: " + image->record.config.toString());
    }
    if (auto ok = writeIndex(); !ok)
        return fail(std::move(ok).error());
    return lines;
}

// index.json lists every image, tagged ones once per tag with the OCI ref.name annotation,
// so tools reading the layout (skopeo, umoci) see the same images Berth does.
Result<std::string> ImageStore::indexJson()
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
    return Image::toJson(index);
}

// Inside a write transaction: writers take turns and each writes what the database holds then,
// so the last index.json written is the newest. A crash between a change and this leaves a
// stale file, which the next open rewrites.
Result<bool> ImageStore::writeIndex()
{
    auto rootFd = openDirectory(m_root, false);
    if (!rootFd)
        return fail(std::move(rootFd).error());
    const auto isCurrent = [&](const Result<std::string> &json) {
        auto current = readFileAt(rootFd->get(), "index.json", 256 << 20, m_root + "/index.json");
        return json && current && *current == *json;
    };
    if (isCurrent(indexJson()))
        return false; // the common case takes no write lock
    bool written = false;
    auto ok = m_metadata.transaction([&]() -> Result<void> {
        auto json = indexJson();
        if (!json)
            return fail(std::move(json).error());
        if (isCurrent(json))
            return {};
        written = true;
        return writeFileAtomically(rootFd->get(), "index.json", *json, m_root + "/index.json");
    });
    if (!ok)
        return fail(std::move(ok).error().wrap("updating index.json"));
    return written;
}

} // namespace Berth::Store
