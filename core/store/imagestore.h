#pragma once

#include "archive/stream.h"
#include "image/imageconfig.h"
#include "image/manifest.h"
#include "image/reference.h"
#include "store/contentstore.h"
#include "store/metadata.h"

#include <string>
#include <vector>

namespace Berth::Store {

// An image as users see it: its record and the tags pointing at it.
struct ImageInfo
{
    ImageRecord record;
    std::vector<std::string> tags; // fully qualified references, sorted

    // The id Docker shows: the config digest's hex.
    std::string id() const { return record.config.hex(); }
};

struct PruneReport
{
    std::vector<std::string> deleted; // "Deleted: sha256:..." (config digests) and "Untagged: ..."
    std::int64_t reclaimed = 0;       // bytes of blobs and unpacked layers removed
};

struct DiskUsage
{
    int images = 0;
    int dangling = 0;             // images without a tag
    std::int64_t blobs = 0;       // bytes in blobs/ (each blob once)
    std::int64_t layers = 0;      // bytes of unpacked layers
    std::int64_t reclaimable = 0; // what image prune would free (blobs only dangling images use)
};

struct ImportOptions
{
    std::string createdBy = "berthctl import"; // the history line of the layer
    std::string created;                       // RFC 3339; now when empty
    Image::ContainerConfig config;             // Cmd, Env, ... of the new image
};

// The image side of the store root (DESIGN.md, "On disk"): blobs (an OCI layout), layers/
// (each layer unpacked once, an overlay lower directory), berth.db, tmp/, and the store lock.
class ImageStore
{
public:
    // $BERTH_ROOT, else /var/lib/berth as root, else $XDG_DATA_HOME/berth (~/.local/share/berth).
    static std::string defaultRoot();
    // Opens (creating) the store; removes half-written ingests and half-unpacked layers.
    static Result<ImageStore> open(std::string root);

    const std::string &root() const { return m_root; }
    ContentStore &content() { return m_content; }
    Metadata &metadata() { return m_metadata; }

    // Makes a one-layer image from a root file system tar (plain, gzip or zstd), tags it
    // `reference`, and unpacks its layer. Nothing is recorded if any step fails.
    Result<ImageInfo> importRootfs(Archive::Reader &tar, const Image::Reference &reference,
                                   const ImportOptions &options = {});
    // Records an image whose blobs are stored and layers unpacked, with its tags (fully
    // qualified), in one metadata transaction, and rewrites index.json.
    Result<ImageInfo> recordImage(const ImageRecord &record, const std::vector<std::string> &tags);
    // Every image, newest first.
    Result<std::vector<ImageInfo>> images();
    // An image by reference ("busybox", "busybox:1.36"), id or id prefix (at least 4 hex
    // characters), or digest ("sha256:..." of its manifest or config).
    Result<ImageInfo> find(std::string_view nameOrId);
    Result<Image::Manifest> manifest(const ImageInfo &image);
    Result<Image::ImageConfig> config(const ImageInfo &image);
    // Adds the tag `target` to the image `source` names.
    Result<void> tag(std::string_view source, const Image::Reference &target);
    // Docker's rmi: a reference untags (and deletes the image once no tag is left); an id
    // deletes the image, which needs `force` when several tags point at it. Returns Docker's
    // "Untagged: ..." and "Deleted: ..." lines.
    Result<std::vector<std::string>> remove(std::string_view nameOrId, bool force);
    // Removes untagged images (all images with `all`: no container uses one yet), then collects
    // garbage.
    Result<PruneReport> prune(bool all);
    // Mark and sweep under the exclusive store lock: blobs and unpacked layers that no image
    // references are removed. Returns the bytes freed.
    Result<std::int64_t> collectGarbage();
    Result<DiskUsage> diskUsage();
    // The directory of an unpacked layer (it may not exist).
    std::string layerPath(const Digest &diffId) const;

private:
    ImageStore(std::string root, ContentStore content, Metadata metadata, Internal::Fd layersFd);
    Result<void> writeIndex();
    Result<void> deleteImage(const ImageInfo &image);
    Result<std::vector<Digest>> blobsOf(const Digest &manifest);
    // Whether an image in the metadata uses the blob.
    bool isBlobUsed(const Digest &blob);
    std::string lockPath() const { return m_root + "/berth.lock"; }

    std::string m_root;
    ContentStore m_content;
    Metadata m_metadata;
    Internal::Fd m_layersFd;
};

} // namespace Berth::Store
