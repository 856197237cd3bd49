// Loading images: what an archive or layout holds, verified and stored, recorded all at once
// or not at all.
#include "store/imagearchive_p.h"
#include "store/imagesource_p.h"

#include "archive/compression.h"
#include "archive/saferoot.h"
#include "archive/uniquefd.h"
#include "image/mediatype.h"
#include "image/platform.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fcntl.h>
#include <map>
#include <set>
#include <sys/stat.h>

namespace Berth::Store::Internal {

namespace {

Result<Json> parseJson(std::string_view bytes, const std::string &what)
{
    try {
        return Json::parse(bytes);
    } catch (const Json::exception &e) {
        return fail(ErrorCode::Parse, what + ": " + e.what());
    }
}

// The tag an OCI index entry names: containerd's full name, else ref.name when it is a full
// reference. A bare tag ("1.0") names no repository, so the image is loaded untagged.
Result<std::vector<std::string>> ociTags(const std::map<std::string, std::string> &annotations)
{
    std::string name;
    if (auto it = annotations.find("io.containerd.image.name"); it != annotations.end())
        name = it->second;
    else if (auto ref = annotations.find("org.opencontainers.image.ref.name");
             ref != annotations.end() && ref->second.find_first_of(":/") != std::string::npos)
        name = ref->second;
    if (name.empty())
        return std::vector<std::string>();
    auto reference = Image::Reference::parse(name);
    if (!reference)
        return fail(std::move(reference).error().wrap("reading the image name of index.json"));
    return std::vector<std::string>{reference->withDefaultTag().toString()};
}

// One image of the source, ready to be stored.
struct Pending
{
    std::string manifestBytes; // exactly as loaded (made, for a docker archive)
    Digest manifest;
    std::string mediaType;
    Digest config;
    std::int64_t configSize = 0;
    std::string created;
    std::vector<Image::Descriptor> layers;
    std::vector<Digest> diffIds;
    std::vector<std::string> tags;       // fully qualified
    std::vector<std::string> layerFiles; // a docker archive's layer files, in order
};

// One docker save entry of manifest.json.
struct DockerEntry
{
    std::string config;
    std::vector<std::string> repoTags;
    std::vector<std::string> layers;
};

Result<DockerEntry> parseDockerEntry(const Json &json)
{
    try {
        DockerEntry e;
        e.config = normalise(json.at("Config").get<std::string>());
        if (json.contains("RepoTags") && !json.at("RepoTags").is_null())
            e.repoTags = json.at("RepoTags").get<std::vector<std::string>>();
        for (const auto &layer : json.at("Layers").get<std::vector<std::string>>())
            e.layers.push_back(normalise(layer));
        return e;
    } catch (const Json::exception &e) {
        return fail(ErrorCode::Parse, std::string("manifest.json: ") + e.what());
    }
}

// Stores the images of a source; undoes what it stored unless the load went through.
class Loader
{
public:
    Loader(ImageStore &store, Source &source, Fd layersFd)
        : m_store(store)
        , m_source(source)
        , m_layersFd(std::move(layersFd))
    {}
    ~Loader()
    {
        if (!m_done)
            rollback();
    }
    Result<std::vector<ImageInfo>> loadOci();
    Result<std::vector<ImageInfo>> loadDocker();

private:
    Result<Pending> ociImage(const Image::Descriptor &d);
    Result<Pending> dockerImage(const DockerEntry &entry,
                                std::map<std::string, Image::Descriptor> &wanted);
    Result<void> makeDockerManifest(Pending &p);
    Result<std::string> document(const std::string &name);
    Result<Digest> storeBytes(std::string_view bytes, const Digest &expected);
    Result<void> ingestLayers(const std::map<std::string, Image::Descriptor> &wanted,
                              bool docker = false);
    Result<void> unpack(const Pending &p);
    Result<std::vector<ImageInfo>> finish();
    void merge(Pending p);
    void rollback();

    ImageStore &m_store;
    Source &m_source;
    Fd m_layersFd;
    std::vector<Pending> m_images;
    std::vector<Digest> m_newBlobs;
    std::map<std::string, Image::Descriptor> m_dockerLayers; // file name -> the blob stored
    std::vector<std::string> m_newLayers;
    bool m_done = false;
};

Result<std::string> Loader::document(const std::string &name)
{
    auto bytes = m_source.file(name);
    if (!bytes)
        return fail(std::move(bytes).error());
    if (!*bytes)
        return fail(ErrorCode::NotFound, "the archive has no \"" + name + "\"");
    return std::move(**bytes);
}

// Small blobs are checked here, as ingests are, before anything is written.
Result<Digest> Loader::storeBytes(std::string_view bytes, const Digest &expected)
{
    const Digest actual = Digest::sha256(bytes);
    if (!expected.isEmpty() && expected != actual)
        return fail(ErrorCode::Invalid, "digest mismatch: expected " + expected.toString() +
                                            ", got " + actual.toString());
    if (m_store.content().contains(actual))
        return actual;
    auto written = m_store.content().write(bytes, actual);
    if (!written)
        return fail(std::move(written).error());
    m_newBlobs.push_back(actual);
    return actual;
}

void Loader::merge(Pending p)
{
    for (auto &other : m_images)
        if (other.manifest == p.manifest && other.config == p.config) {
            other.tags.insert(other.tags.end(), p.tags.begin(), p.tags.end());
            return;
        }
    m_images.push_back(std::move(p));
}

Result<Pending> Loader::ociImage(const Image::Descriptor &d)
{
    auto bytes = document(blobName(d.digest));
    if (!bytes)
        return fail(std::move(bytes).error());
    auto doc = Image::ManifestDocument::parse(std::move(*bytes), d.mediaType, d.digest);
    if (!doc)
        return fail(std::move(doc).error().wrap("loading manifest " + d.digest.toString()));
    if (doc->isIndex()) {
        const Image::Descriptor *child = doc->index()->select(Image::Platform::host());
        if (!child)
            return fail(ErrorCode::NotFound, "index " + d.digest.toString() + " has no image for " +
                                                 Image::Platform::host().toString());
        Image::Descriptor named = *child;
        named.annotations = d.annotations;
        return ociImage(named);
    }
    const Image::Manifest &m = *doc->manifest();
    auto configBytes = document(blobName(m.config.digest));
    if (!configBytes)
        return fail(std::move(configBytes).error());
    if (auto stored = storeBytes(*configBytes, m.config.digest); !stored)
        return fail(std::move(stored).error().wrap("loading config " + m.config.digest.toString()));
    auto config = Image::parseConfig(*configBytes);
    if (!config)
        return fail(std::move(config).error());
    if (config->rootfs.diffIds.size() != m.layers.size())
        return fail(ErrorCode::Invalid,
                    "manifest " + d.digest.toString() + " has " + std::to_string(m.layers.size()) +
                        " layers but its config " + std::to_string(config->rootfs.diffIds.size()));
    auto tags = ociTags(d.annotations);
    if (!tags)
        return fail(std::move(tags).error());
    return Pending{doc->bytes,
                   doc->digest,
                   doc->mediaType.empty() ? std::string(Image::MediaType::OciManifest)
                                          : doc->mediaType,
                   m.config.digest,
                   std::int64_t(configBytes->size()),
                   config->created,
                   m.layers,
                   config->rootfs.diffIds,
                   std::move(*tags),
                   {}};
}

Result<std::vector<ImageInfo>> Loader::loadOci()
{
    auto bytes = document("index.json");
    if (!bytes)
        return fail(std::move(bytes).error());
    auto index = Image::parseIndex(*bytes);
    if (!index)
        return fail(std::move(index).error().wrap("reading index.json"));
    for (const auto &d : index->manifests) {
        auto image = ociImage(d);
        if (!image)
            return fail(std::move(image).error());
        merge(std::move(*image));
    }
    std::map<std::string, Image::Descriptor> wanted;
    for (const auto &image : m_images)
        for (const auto &layer : image.layers)
            if (!m_store.content().contains(layer.digest))
                wanted[blobName(layer.digest)] = layer;
    if (auto ok = ingestLayers(wanted); !ok)
        return fail(std::move(ok).error());
    for (const auto &image : m_images)
        if (auto ok = storeBytes(image.manifestBytes, image.manifest); !ok)
            return fail(std::move(ok).error());
    return finish();
}

Result<Pending> Loader::dockerImage(const DockerEntry &entry,
                                    std::map<std::string, Image::Descriptor> &wanted)
{
    auto configBytes = document(entry.config);
    if (!configBytes)
        return fail(std::move(configBytes).error());
    auto configDigest = storeBytes(*configBytes, {});
    if (!configDigest)
        return fail(std::move(configDigest).error());
    auto config = Image::parseConfig(*configBytes);
    if (!config)
        return fail(std::move(config).error().wrap("reading \"" + entry.config + "\""));
    if (config->rootfs.diffIds.size() != entry.layers.size())
        return fail(ErrorCode::Invalid, "manifest.json lists " +
                                            std::to_string(entry.layers.size()) + " layers but \"" +
                                            entry.config + "\" has " +
                                            std::to_string(config->rootfs.diffIds.size()));
    Pending p;
    p.config = *configDigest;
    p.configSize = std::int64_t(configBytes->size());
    p.created = config->created;
    p.diffIds = config->rootfs.diffIds;
    // Layers are usually uncompressed tars, stored as they are: each blob's digest is its diff
    // id. A compressed one is found out while it is stored (ingestLayers).
    p.layerFiles = entry.layers;
    for (std::size_t i = 0; i < entry.layers.size(); ++i) {
        p.layers.push_back(Image::makeDescriptor(Image::MediaType::OciLayer, p.diffIds[i], 0));
        if (!m_store.content().contains(p.diffIds[i]))
            wanted[entry.layers[i]] = p.layers.back();
    }
    for (const auto &t : entry.repoTags) {
        auto reference = Image::Reference::parse(t);
        if (!reference)
            return fail(std::move(reference).error().wrap("reading manifest.json"));
        p.tags.push_back(reference->withDefaultTag().toString());
    }
    return p;
}

// A docker archive has no manifest: the one made here is new, its config (the id) is not.
Result<void> Loader::makeDockerManifest(Pending &p)
{
    Image::Manifest m;
    m.mediaType = std::string(Image::MediaType::OciManifest);
    m.config = Image::makeDescriptor(Image::MediaType::OciConfig, p.config, p.configSize);
    for (auto &layer : p.layers) {
        auto size = m_store.content().size(layer.digest);
        if (!size)
            return fail(std::move(size).error());
        layer.size = *size;
    }
    m.layers = p.layers;
    p.manifestBytes = Image::toJson(m);
    p.mediaType = m.mediaType;
    auto digest = storeBytes(p.manifestBytes, {});
    if (!digest)
        return fail(std::move(digest).error());
    p.manifest = *digest;
    return {};
}

Result<std::vector<ImageInfo>> Loader::loadDocker()
{
    auto bytes = document("manifest.json");
    if (!bytes)
        return fail(std::move(bytes).error());
    auto json = parseJson(*bytes, "manifest.json");
    if (!json)
        return fail(std::move(json).error());
    if (!json->is_array())
        return fail(ErrorCode::Parse, "manifest.json: not an array");
    std::map<std::string, Image::Descriptor> wanted;
    for (const auto &item : *json) {
        auto entry = parseDockerEntry(item);
        if (!entry)
            return fail(std::move(entry).error());
        auto image = dockerImage(*entry, wanted);
        if (!image)
            return fail(std::move(image).error());
        merge(std::move(*image));
    }
    if (auto ok = ingestLayers(wanted, true); !ok)
        return fail(std::move(ok).error());
    for (auto &image : m_images)
        for (std::size_t i = 0; i < image.layerFiles.size(); ++i)
            if (auto it = m_dockerLayers.find(image.layerFiles[i]); it != m_dockerLayers.end())
                image.layers[i] = it->second;
    for (auto &image : m_images)
        if (auto ok = makeDockerManifest(image); !ok)
            return fail(std::move(ok).error());
    return finish();
}

namespace {

// Passes bytes on, keeping the first few (to recognise a compressed stream).
class HeadKeepingWriter : public Archive::Writer
{
public:
    explicit HeadKeepingWriter(Archive::Writer &next)
        : m_next(next)
    {}
    using Archive::Writer::write;
    Result<> write(const void *data, std::size_t size) override
    {
        if (m_head.size() < 8)
            m_head.append(static_cast<const char *>(data),
                          std::min<std::size_t>(size, 8 - m_head.size()));
        return m_next.write(data, size);
    }
    const std::string &head() const { return m_head; }

private:
    Archive::Writer &m_next;
    std::string m_head;
};

} // namespace

Result<void> Loader::ingestLayers(const std::map<std::string, Image::Descriptor> &wanted,
                                  bool docker)
{
    std::set<std::string> names;
    for (const auto &[name, d] : wanted)
        names.insert(name);
    return m_source.stream(names, [&](const std::string &name, Archive::Reader &data) {
        const Image::Descriptor &d = wanted.at(name);
        auto ingest = m_store.content().beginIngest();
        if (!ingest)
            return Result<void>(fail(std::move(ingest).error()));
        IngestWriter sink(*ingest);
        HeadKeepingWriter head(sink);
        if (auto copied = Archive::copyStream(data, head); !copied)
            return Result<void>(fail(std::move(copied).error().wrap("reading \"" + name + "\"")));
        // A docker archive's compressed layer is stored compressed under its own digest; its
        // content is checked against the diff id when it is unpacked.
        const auto compression = Archive::detectCompression(head.head());
        const bool compressed = docker && compression != Archive::Compression::None;
        Image::Descriptor stored = d;
        if (compressed)
            stored.mediaType = compression == Archive::Compression::Gzip
                                   ? std::string(Image::MediaType::OciLayerGzip)
                                   : std::string(Image::MediaType::OciLayerZstd);
        bool existed = false;
        auto committed = compressed ? ingest->commit({}, -1, &existed)
                                    : ingest->commit(d.digest, d.size > 0 ? d.size : -1, &existed);
        if (!committed)
            return Result<void>(
                fail(std::move(committed).error().wrap("loading \"" + name + "\"")));
        stored.digest = *committed;
        if (docker)
            m_dockerLayers[name] = stored;
        if (!existed)
            m_newBlobs.push_back(stored.digest);
        return Result<void>();
    });
}

// Unpacked once, as importRootfs does; a layer unpacked before is already there.
Result<void> Loader::unpack(const Pending &p)
{
    for (std::size_t i = 0; i < p.layers.size(); ++i) {
        if (auto ok = m_source.progress().advance(0); !ok)
            return ok;
        auto unpacked = m_store.unpackLayer(p.layers[i].digest, p.diffIds[i]);
        if (!unpacked)
            return fail(std::move(unpacked).error());
        if (*unpacked)
            m_newLayers.push_back(p.diffIds[i].hex());
    }
    return {};
}

Result<std::vector<ImageInfo>> Loader::finish()
{
    if (m_images.empty())
        return fail(ErrorCode::NotFound, "the archive holds no image");
    for (const auto &image : m_images)
        if (auto ok = unpack(image); !ok)
            return fail(std::move(ok).error());
    std::vector<std::pair<ImageRecord, std::vector<std::string>>> records;
    for (const auto &image : m_images) {
        std::int64_t size = std::int64_t(image.manifestBytes.size()) + image.configSize;
        for (const auto &layer : image.layers)
            size += layer.size;
        records.push_back(
            {{image.manifest, image.config, image.mediaType, size, parseRfc3339(image.created), 0},
             image.tags});
    }
    // All images of the archive are recorded in one transaction, or none is.
    auto recorded = m_store.recordImages(records);
    if (!recorded)
        return fail(std::move(recorded).error());
    m_done = true;
    return recorded;
}

void Loader::rollback()
{
    for (const auto &blob : m_newBlobs)
        (void)m_store.content().remove(blob);
    for (const auto &layer : m_newLayers)
        (void)Archive::Internal::removeTree(m_layersFd.get(), layer);
}

Result<std::vector<ImageInfo>> loadFrom(ImageStore &store, Source &source, bool oci)
{
    auto layersFd = openDirectory(store.root() + "/layers", true);
    if (!layersFd)
        return fail(std::move(layersFd).error());
    Loader loader(store, source, std::move(*layersFd));
    return oci ? loader.loadOci() : loader.loadDocker();
}

} // namespace

Result<std::vector<ImageInfo>> loadFromSource(ImageStore &store, Source &source,
                                              const std::string &path)
{
    auto layout = source.file("oci-layout");
    if (!layout)
        return fail(std::move(layout).error());
    if (*layout)
        return loadFrom(store, source, true);
    auto manifest = source.file("manifest.json");
    if (!manifest)
        return fail(std::move(manifest).error());
    if (*manifest)
        return loadFrom(store, source, false);
    return fail(ErrorCode::Unsupported,
                "\"" + path +
                    "\" is neither a docker archive (no manifest.json) nor an OCI "
                    "layout or archive (no oci-layout)");
}

} // namespace Berth::Store::Internal
