#include "store/imagearchive.h"
#include "store/imagearchive_p.h"

#include "archive/compression.h"
#include "archive/tarwriter.h"
#include "archive/uniquefd.h"
#include "image/mediatype.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <fcntl.h>
#include <map>
#include <set>
#include <unistd.h>

// Saving: docker-archive and oci-archive tars of stored images.
namespace Berth::Store {

using namespace Internal;

namespace {

// Writes the current tar entry's data.
class TarDataWriter : public Archive::Writer
{
public:
    explicit TarDataWriter(Archive::TarWriter &tar)
        : m_tar(tar)
    {}
    using Archive::Writer::write;
    Result<> write(const void *data, std::size_t size) override
    {
        return m_tar.writeData(data, size);
    }

private:
    Archive::TarWriter &m_tar;
};

class NullWriter : public Archive::Writer
{
public:
    using Archive::Writer::write;
    Result<> write(const void *, std::size_t) override { return {}; }
};

Archive::TarEntry tarEntry(std::string path, std::int64_t size, bool directory = false)
{
    Archive::TarEntry e;
    e.path = std::move(path);
    e.type = directory ? Archive::TarEntry::Type::Directory : Archive::TarEntry::Type::File;
    e.mode = directory ? 0755 : 0644;
    e.size = size;
    return e;
}

Result<void> writeBytes(Archive::TarWriter &tar, const std::string &name, std::string_view bytes)
{
    if (auto ok = tar.writeHeader(tarEntry(name, std::int64_t(bytes.size()))); !ok)
        return ok;
    return tar.writeData(bytes.data(), bytes.size());
}

// Copies a stored blob into the archive as it is.
Result<void> writeBlob(Archive::TarWriter &tar, const ContentStore &content, const Digest &digest,
                       const std::string &name)
{
    auto size = content.size(digest);
    if (!size)
        return fail(std::move(size).error());
    auto fd = openBlob(content, digest);
    if (!fd)
        return fail(std::move(fd).error());
    if (auto ok = tar.writeHeader(tarEntry(name, *size)); !ok)
        return ok;
    Archive::FdReader in(fd->get());
    TarDataWriter out(tar);
    if (auto copied = Archive::copyStream(in, out); !copied)
        return fail(std::move(copied).error().wrap("writing " + digest.toString()));
    return {};
}

// Copies a stored layer decompressed into `out`; returns its diff id and size.
Result<std::pair<Digest, std::int64_t>> copyLayer(const ContentStore &content, const Digest &blob,
                                                  Archive::Writer &out)
{
    auto fd = openBlob(content, blob);
    if (!fd)
        return fail(std::move(fd).error());
    Archive::FdReader raw(fd->get());
    Archive::AutoDecompressReader in(raw);
    Archive::DigestingWriter digesting(out);
    if (auto copied = Archive::copyStream(in, digesting); !copied)
        return fail(std::move(copied).error().wrap("reading layer " + blob.toString()));
    if (auto done = digesting.finish(); !done)
        return fail(std::move(done).error());
    return std::pair(digesting.digest(), digesting.size());
}

// docker save wants each layer as an uncompressed tar whose size comes first in its header:
// one pass measures (and checks the diff id), the next writes.
Result<void> writeLayer(Archive::TarWriter &tar, const ContentStore &content, const Digest &blob,
                        const Digest &diffId, const std::string &name)
{
    if (blob == diffId) {
        // Stored uncompressed: one pass, its digest checked on the way (a mismatch fails the
        // save, whose output is then removed).
        auto size = content.size(blob);
        if (!size)
            return fail(std::move(size).error());
        if (auto ok = tar.writeHeader(tarEntry(name, *size)); !ok)
            return ok;
        TarDataWriter out(tar);
        auto written = copyLayer(content, blob, out);
        if (!written)
            return fail(std::move(written).error());
        if (written->first != diffId || written->second != *size)
            return fail(ErrorCode::Invalid, "layer " + blob.toString() +
                                                " no longer matches its digest (run berthctl "
                                                "system check --repair)");
        return {};
    }
    // Compressed: measured first, because the tar header needs the uncompressed size.
    NullWriter null;
    auto measured = copyLayer(content, blob, null);
    if (!measured)
        return fail(std::move(measured).error());
    if (measured->first != diffId)
        return fail(ErrorCode::Invalid, "layer " + blob.toString() +
                                            " does not match its diff id " + diffId.toString());
    if (auto ok = tar.writeHeader(tarEntry(name, measured->second)); !ok)
        return ok;
    TarDataWriter out(tar); // its finish() leaves the archive open
    auto written = copyLayer(content, blob, out);
    if (!written)
        return fail(std::move(written).error());
    return {};
}

struct SaveItem
{
    ImageInfo image;
    Image::Manifest manifest;
    std::vector<std::string> tags;
};

// A reference saves that tag; an id or a digest saves the image untagged.
Result<std::vector<SaveItem>> resolve(ImageStore &store, const std::vector<std::string> &names)
{
    std::vector<SaveItem> items;
    for (const auto &name : names) {
        auto image = store.find(name);
        if (!image)
            return fail(std::move(image).error());
        std::vector<std::string> tags;
        if (auto ref = Image::Reference::parse(name)) {
            const std::string full = ref->withDefaultTag().toString();
            if (std::find(image->tags.begin(), image->tags.end(), full) != image->tags.end())
                tags.push_back(full);
        }
        auto same = std::find_if(items.begin(), items.end(), [&](const SaveItem &item) {
            return item.image.record.manifest == image->record.manifest;
        });
        if (same != items.end()) {
            same->tags.insert(same->tags.end(), tags.begin(), tags.end());
            continue;
        }
        auto manifest = store.manifest(*image);
        if (!manifest)
            return fail(std::move(manifest).error());
        items.push_back({std::move(*image), std::move(*manifest), std::move(tags)});
    }
    return items;
}

Result<void> saveOci(ImageStore &store, const std::vector<SaveItem> &items, Archive::TarWriter &tar)
{
    Image::Index index;
    index.mediaType = std::string(Image::MediaType::OciIndex);
    for (const auto &item : items) {
        auto size = store.content().size(item.image.record.manifest);
        if (!size)
            return fail(std::move(size).error());
        const Image::Descriptor d =
            Image::makeDescriptor(item.image.record.mediaType, item.image.record.manifest, *size);
        if (item.tags.empty())
            index.manifests.push_back(d);
        for (const auto &t : item.tags) {
            Image::Descriptor tagged = d;
            tagged.annotations["io.containerd.image.name"] = t;
            tagged.annotations["org.opencontainers.image.ref.name"] = t;
            index.manifests.push_back(std::move(tagged));
        }
    }
    if (auto ok = writeBytes(tar, "oci-layout", R"({"imageLayoutVersion":"1.0.0"})"); !ok)
        return ok;
    if (auto ok = writeBytes(tar, "index.json", Image::toJson(index)); !ok)
        return ok;
    for (const char *dir : {"blobs", "blobs/sha256"})
        if (auto ok = tar.writeHeader(tarEntry(dir, 0, true)); !ok)
            return ok;
    std::set<Digest> written;
    for (const auto &item : items) {
        std::vector<Digest> blobs = {item.image.record.manifest, item.manifest.config.digest};
        for (const auto &layer : item.manifest.layers)
            blobs.push_back(layer.digest);
        for (const auto &blob : blobs)
            if (written.insert(blob).second)
                if (auto ok = writeBlob(tar, store.content(), blob, blobName(blob)); !ok)
                    return ok;
    }
    return {};
}

Result<Json> saveDockerImage(ImageStore &store, const SaveItem &item, Archive::TarWriter &tar,
                             std::set<Digest> &written, Json &repositories)
{
    const Digest &configDigest = item.manifest.config.digest;
    auto config = store.config(item.image);
    if (!config)
        return fail(std::move(config).error());
    if (config->rootfs.diffIds.size() != item.manifest.layers.size())
        return fail(ErrorCode::Invalid, "image " + item.image.id() +
                                            ": the manifest and the config disagree on the layers");
    const std::string configName = configDigest.hex() + ".json";
    if (written.insert(configDigest).second)
        if (auto ok = writeBlob(tar, store.content(), configDigest, configName); !ok)
            return fail(std::move(ok).error());
    Json layers = Json::array();
    for (std::size_t i = 0; i < item.manifest.layers.size(); ++i) {
        const Digest &diffId = config->rootfs.diffIds[i];
        const std::string name = diffId.hex() + "/layer.tar";
        layers.push_back(name);
        if (written.insert(diffId).second)
            if (auto ok =
                    writeLayer(tar, store.content(), item.manifest.layers[i].digest, diffId, name);
                !ok)
                return fail(std::move(ok).error());
    }
    Json repoTags = item.tags.empty() ? Json() : Json::array();
    for (const auto &t : item.tags)
        if (auto ref = Image::Reference::parse(t)) {
            repoTags.push_back(ref->familiar());
            if (!config->rootfs.diffIds.empty())
                repositories[ref->familiarName()][ref->tag()] = config->rootfs.diffIds.back().hex();
        }
    Json entry = Json::object();
    entry["Config"] = configName;
    entry["RepoTags"] = repoTags;
    entry["Layers"] = layers;
    return entry;
}

Result<void> saveDocker(ImageStore &store, const std::vector<SaveItem> &items,
                        Archive::TarWriter &tar)
{
    Json manifest = Json::array();
    Json repositories = Json::object();
    std::set<Digest> written;
    for (const auto &item : items) {
        auto entry = saveDockerImage(store, item, tar, written, repositories);
        if (!entry)
            return fail(std::move(entry).error());
        manifest.push_back(std::move(*entry));
    }
    if (auto ok = writeBytes(tar, "manifest.json", manifest.dump()); !ok)
        return ok;
    return writeBytes(tar, "repositories", repositories.dump());
}

} // namespace

Result<void> saveImages(ImageStore &store, const std::vector<std::string> &names,
                        Archive::Writer &out, ArchiveFormat format)
{
    if (names.empty())
        return fail(ErrorCode::Invalid, "no image to save");
    auto lock = StoreLock::acquire(store.root() + "/berth.lock", StoreLock::Mode::Shared);
    if (!lock)
        return fail(std::move(lock).error());
    auto items = resolve(store, names);
    if (!items)
        return fail(std::move(items).error());
    Archive::TarWriter tar(out);
    auto saved = format == ArchiveFormat::OciArchive ? saveOci(store, *items, tar)
                                                     : saveDocker(store, *items, tar);
    if (!saved)
        return saved;
    return tar.finish();
}

} // namespace Berth::Store
