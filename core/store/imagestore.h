#pragma once

#include "archive/stream.h"
#include "image/imageconfig.h"
#include "image/manifest.h"
#include "image/reference.h"
#include "store/contentstore.h"
#include "store/metadata.h"

#include <set>
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

// What `system check` found: one line per problem, and what --repair did about it.
struct CheckProblem
{
    std::string object;  // what is damaged: "blob sha256:...", "layer sha256:...", "index.json"
    std::string image;   // the image it breaks (a tag, else the id), empty when none
    std::string message; // what is wrong
    std::string repair;  // what --repair does (or did) about it
};

struct CheckReport
{
    int images = 0;
    int blobs = 0;  // blobs stored
    int layers = 0; // layers unpacked
    std::vector<CheckProblem> problems;
    bool repaired = false;           // problems were repaired
    std::int64_t unreferenced = 0;   // bytes no image uses (freed by image prune or --repair)
    std::vector<std::string> unused; // those blobs and layers
    bool consistent() const { return problems.empty(); }
};

struct CheckOptions
{
    bool repair = false; // remove damaged images and blobs, unpack missing layers, collect garbage
    bool quick = false;  // check sizes only, without hashing every layer blob
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
    // Records several images in one transaction: all of them or none.
    Result<std::vector<ImageInfo>>
    recordImages(const std::vector<std::pair<ImageRecord, std::vector<std::string>>> &images);
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
    // deletes the image, which needs `force` when several tags point at it. An image a GC root
    // holds (a container uses it) keeps its last tag unless forced, and is never deleted.
    // Returns Docker's "Untagged: ..." and "Deleted: ..." lines.
    Result<std::vector<std::string>> remove(std::string_view nameOrId, bool force);
    // Removes untagged images (all unused images with `all`; an image a GC root holds stays),
    // then collects garbage.
    Result<PruneReport> prune(bool all);
    // Mark and sweep under the exclusive store lock: blobs and unpacked layers that no image
    // references are removed. Returns the bytes freed.
    Result<std::int64_t> collectGarbage();
    Result<DiskUsage> diskUsage();
    // Checks every image (its manifest, config and layer blobs, by size and digest, and its
    // unpacked layers), the GC roots and index.json; with `repair`, fixes what it can: a layer
    // whose blob is intact is unpacked again; an image missing a blob is removed (load or pull it
    // again); corrupt blobs are removed; then garbage is collected.
    Result<CheckReport> check(const CheckOptions &options = {});
    // Records a container made from the image `record.image` (a manifest digest of this store):
    // a new id, the creation time, a generated name when `record.name` is empty (else the name
    // is checked), and a GC root so that the image stays while the container does. One
    // transaction.
    Result<ContainerRecord> createContainer(ContainerRecord record);
    // Forgets a container and what it held; false when there was none.
    Result<bool> removeContainer(const std::string &id);

    // The owners of the GC roots that hold an image ("container:3f2a...").
    Result<std::vector<std::string>> holdersOf(const Digest &manifest);
    // The directory of an unpacked layer (it may not exist).
    std::string layerPath(const Digest &diffId) const;
    // Unpacks the stored layer blob `blob` into layers/<diff id hex> unless it is there already,
    // checking that its uncompressed content hashes to `diffId`. True when this call unpacked it.
    Result<bool> unpackLayer(const Digest &blob, const Digest &diffId);

private:
    // What images and GC roots keep alive.
    struct LiveSet
    {
        std::set<Digest> blobs;
        std::set<Digest> layers;     // diff ids
        std::set<Digest> heldImages; // manifests a GC root holds
    };

    ImageStore(std::string root, ContentStore content, Metadata metadata, Internal::Fd layersFd);
    Result<std::string> indexJson();
    // Rewrites index.json when it differs from the metadata; true when it did.
    Result<bool> writeIndex();
    Result<void> deleteImage(const ImageInfo &image);
    // Adds an image's manifest, config, layer blobs and diff ids to `live`. A missing manifest
    // or config marks what can be seen; any other error fails, so nothing is swept on doubt.
    Result<void> markImage(const Digest &manifest, LiveSet &live);
    Result<LiveSet> markLive();
    // Removes what `live` does not hold; the exclusive store lock must be held.
    Result<std::int64_t> sweep(const LiveSet &live, std::vector<std::string> *removed = nullptr);
    // Whether an image or a GC root uses the blob (true when that cannot be known).
    bool isBlobUsed(const Digest &blob);
    std::string lockPath() const { return m_root + "/berth.lock"; }

    std::string m_root;
    ContentStore m_content;
    Metadata m_metadata;
    Internal::Fd m_layersFd;
};

} // namespace Berth::Store
