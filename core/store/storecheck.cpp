// `berthctl system check [--repair]`: what a crash, a full disk or a hand in the store may have
// broken, found by walking every image, and fixed where the store still holds what it needs.
#include "store/imagearchive_p.h"
#include "store/imagestore.h"

#include "archive/saferoot.h"

#include <fcntl.h>
#include <map>
#include <sys/stat.h>

namespace Berth::Store {

using namespace Internal;

namespace {

// One check of one image; collects problems and what repairing them takes.
class ImageChecker
{
public:
    ImageChecker(ContentStore &content, int layersFd, bool quick, CheckReport &report)
        : m_content(content)
        , m_layersFd(layersFd)
        , m_quick(quick)
        , m_report(report)
    {}

    // Whether the image can be kept (possibly after unpacking layers again).
    bool check(const ImageInfo &image)
    {
        m_name = image.tags.empty() ? image.id().substr(0, 12) : familiar(image.tags.front());
        m_usable = true;
        auto manifest = blob(image.record.manifest, -1, true, "manifest");
        if (!manifest)
            return false;
        auto parsed = Image::parseManifest(*manifest, image.record.mediaType);
        if (!parsed) {
            damaged("blob " + image.record.manifest.toString(),
                    "the manifest does not parse: " + parsed.error().message());
            return false;
        }
        auto configBytes = blob(parsed->config.digest, parsed->config.size, true, "config");
        auto config = configBytes ? Image::parseConfig(*configBytes)
                                  : Result<Image::ImageConfig>(fail(ErrorCode::NotFound, ""));
        if (configBytes && !config)
            damaged("blob " + parsed->config.digest.toString(),
                    "the config does not parse: " + config.error().message());
        for (const auto &layer : parsed->layers)
            (void)blob(layer.digest, layer.size, !m_quick, "layer");
        if (!config)
            return false;
        if (config->rootfs.diffIds.size() != parsed->layers.size()) {
            damaged("blob " + parsed->config.digest.toString(),
                    "the config lists " + std::to_string(config->rootfs.diffIds.size()) +
                        " layers but the manifest " + std::to_string(parsed->layers.size()));
            return false;
        }
        for (std::size_t i = 0; i < parsed->layers.size(); ++i)
            unpacked(config->rootfs.diffIds[i], parsed->layers[i].digest);
        return m_usable;
    }

    std::vector<std::pair<Digest, Digest>> toUnpack; // (blob, diff id) of missing layers
    std::set<Digest> corruptBlobs;

private:
    // The blob's bytes when small and wanted, else an empty string; nullopt when it is missing,
    // of the wrong size or corrupt (a problem is recorded).
    std::optional<std::string> blob(const Digest &digest, std::int64_t expectedSize, bool verify,
                                    const char *what)
    {
        const std::string object = "blob " + digest.toString();
        auto size = m_content.size(digest);
        if (!size) {
            damaged(object, std::string("the ") + what + " is missing from the store");
            return std::nullopt;
        }
        if (expectedSize >= 0 && *size != expectedSize) {
            damaged(object, std::string("the ") + what + " has " + std::to_string(*size) +
                                " bytes instead of " + std::to_string(expectedSize));
            corruptBlobs.insert(digest);
            return std::nullopt;
        }
        if (std::string(what) != "layer") {
            auto bytes = m_content.read(digest);
            if (bytes)
                return std::move(*bytes);
            damaged(object, bytes.error().message());
            corruptBlobs.insert(digest);
            return std::nullopt;
        }
        if (verify && !m_verified.count(digest)) {
            if (auto ok = m_content.verify(digest); !ok) {
                damaged(object, ok.error().message());
                corruptBlobs.insert(digest);
                return std::nullopt;
            }
            m_verified.insert(digest);
        }
        return std::string();
    }

    void unpacked(const Digest &diffId, const Digest &blobDigest)
    {
        struct stat st;
        if (::fstatat(m_layersFd, diffId.hex().c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISDIR(st.st_mode))
            return;
        const bool blobOk = m_usable && m_content.contains(blobDigest);
        m_report.problems.push_back(
            {"layer " + diffId.toString(), m_name,
             "the layer is not unpacked (layers/" + diffId.hex() + " is missing)",
             blobOk ? "unpack it again from blob " + blobDigest.toString()
                    : "remove the image (its layer blob is damaged too)"});
        if (blobOk)
            toUnpack.emplace_back(blobDigest, diffId);
    }

    void damaged(const std::string &object, const std::string &message)
    {
        m_usable = false;
        m_report.problems.push_back(
            {object, m_name, message, "remove the image " + m_name + " (load or pull it again)"});
    }

    ContentStore &m_content;
    int m_layersFd;
    bool m_quick;
    CheckReport &m_report;
    std::string m_name;
    bool m_usable = true;
    std::set<Digest> m_verified;
};

} // namespace

Result<CheckReport> ImageStore::check(const CheckOptions &options)
{
    auto lock = StoreLock::acquire(lockPath(), options.repair ? StoreLock::Mode::Exclusive
                                                              : StoreLock::Mode::Shared);
    if (!lock)
        return fail(std::move(lock).error());
    auto all = images();
    if (!all)
        return fail(std::move(all).error());
    CheckReport report;
    report.images = int(all->size());
    if (auto blobs = m_content.list())
        report.blobs = int(blobs->size());
    if (auto layers = Archive::Internal::listDirectory(m_layersFd.get()))
        report.layers = int(layers->size());

    ImageChecker checker(m_content, m_layersFd.get(), options.quick, report);
    std::vector<ImageInfo> damaged;
    for (const auto &image : *all)
        if (!checker.check(image))
            damaged.push_back(image);

    std::set<std::string> orphanOwners; // containers removed without their roots
    if (auto roots = m_metadata.roots()) {
        for (const auto &root : *roots) {
            if (root.owner.starts_with("container:") &&
                !m_metadata.container(root.owner.substr(10)) && !orphanOwners.count(root.owner)) {
                orphanOwners.insert(root.owner);
                report.problems.push_back({root.owner,
                                           {},
                                           root.owner + " keeps content alive but no longer exists",
                                           "forget what it kept"});
                continue;
            }
            if (orphanOwners.count(root.owner))
                continue;
            const bool there = root.kind == GcRoot::Kind::Layer
                                   ? ::faccessat(m_layersFd.get(), root.target.hex().c_str(), F_OK,
                                                 AT_SYMLINK_NOFOLLOW) == 0
                                   : m_content.contains(root.target);
            if (!there)
                report.problems.push_back({root.target.toString(),
                                           {},
                                           root.owner + " uses " + root.target.toString() +
                                               ", which is missing from the store",
                                           "none: remove " + root.owner});
        }
    }
    auto index = indexJson();
    auto rootFd = openDirectory(m_root, false);
    if (index && rootFd) {
        auto current = readFileAt(rootFd->get(), "index.json", 256 << 20, m_root + "/index.json");
        if (!current || *current != *index)
            report.problems.push_back({"index.json",
                                       {},
                                       "index.json does not list the images the store holds",
                                       "write it again"});
    }

    if (!options.repair) {
        auto live = markLive();
        if (!live)
            return fail(std::move(live).error());
        if (auto blobs = m_content.list())
            for (const auto &d : *blobs)
                if (!live->blobs.count(d) && !checker.corruptBlobs.count(d)) {
                    report.unused.push_back("blob " + d.toString());
                    report.unreferenced += m_content.size(d).value_or(0);
                }
        if (auto layers = Archive::Internal::listDirectory(m_layersFd.get()))
            for (const auto &name : *layers)
                if (auto d = Digest::parse("sha256:" + name); d && !live->layers.count(*d)) {
                    report.unused.push_back("layer " + d->toString());
                    report.unreferenced += treeSize(m_layersFd.get(), name);
                }
        return report;
    }

    // Repair: corrupt blobs go first (they must never be read again), then images that cannot
    // be used, then missing layers are unpacked from their intact blobs.
    for (const auto &d : checker.corruptBlobs)
        if (auto ok = m_content.remove(d); !ok)
            return fail(std::move(ok).error().wrap("repairing the store"));
    for (const auto &image : damaged)
        if (auto ok = m_metadata.removeImage(image.record.manifest); !ok)
            return fail(std::move(ok).error().wrap("repairing the store"));
    for (const auto &owner : orphanOwners)
        if (auto ok = m_metadata.removeRoots(owner); !ok)
            return fail(std::move(ok).error().wrap("repairing the store"));
    for (const auto &[blob, diffId] : checker.toUnpack)
        if (auto ok = unpackLayer(blob, diffId); !ok)
            return fail(std::move(ok).error().wrap("repairing the store"));
    if (auto ok = writeIndex(); !ok)
        return fail(std::move(ok).error().wrap("repairing the store"));
    auto live = markLive();
    if (!live)
        return fail(std::move(live).error());
    auto freed = sweep(*live, &report.unused);
    if (!freed)
        return fail(std::move(freed).error().wrap("repairing the store"));
    report.unreferenced = *freed;
    report.repaired = true;
    return report;
}

} // namespace Berth::Store
