#pragma once

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Berth {

// One tag of an image, split by core/image so that views need not parse references.
struct ImageTag
{
    QString reference;  // familiar form: "busybox:latest", "localhost:5000/team/app:1"
    QString repository; // familiar name: "busybox", "localhost:5000/team/app"
    QString tag;        // "latest"

    friend bool operator==(const ImageTag &, const ImageTag &) = default;
};

// One image as lists show it. Plain values, copied freely between threads.
struct ImageSummary
{
    QString id;           // the config digest's hex, as Docker shows it (64 characters)
    QString digest;       // the manifest digest, "sha256:..."
    QList<ImageTag> tags; // every tag, sorted by reference; empty when untagged
    qint64 size = 0;      // manifest + config + compressed layers, in bytes
    QDateTime created;    // from the image config (invalid when the config has none)
    QDateTime added;      // when this store got it

    QString shortId() const { return id.left(12); }
    // The tags' references, in the same order.
    QStringList references() const
    {
        QStringList out;
        out.reserve(tags.size());
        for (const auto &t : tags)
            out.append(t.reference);
        return out;
    }
    friend bool operator==(const ImageSummary &, const ImageSummary &) = default;
};

// One step of an image's history, newest last.
struct HistoryStep
{
    QDateTime created;
    QString createdBy;
    QString comment;
    bool emptyLayer = false; // ENV, CMD, ...: no layer
};

// What `inspect` shows: the summary and the parts of the config users ask about.
struct ImageDetails
{
    ImageSummary image;
    QString architecture;
    QString os;
    QString author;
    QString user;
    QString workingDir;
    QStringList env;
    QStringList entrypoint;
    QStringList cmd;
    QStringList exposedPorts;
    QMap<QString, QString> labels;
    int layers = 0;
    QByteArray configJson; // the config, canonical JSON
};

struct PruneSummary
{
    QStringList deleted; // "Deleted: sha256:..." and "Untagged: ..." lines
    qint64 reclaimed = 0;
};

struct DiskUsageSummary
{
    int images = 0;
    int dangling = 0;
    qint64 blobs = 0;
    qint64 layers = 0;
    qint64 reclaimable = 0;
};

// Whether this computer's busybox can become busybox:latest.
struct BusyboxStatus
{
    QString path;          // "/bin/busybox"
    bool exists = false;   // the file is there and executable
    bool isStatic = false; // statically linked (Debian's busybox-static)

    bool usable() const { return exists && isStatic; }
};

enum class ArchiveFormat {
    DockerArchive, // docker save: manifest.json, <config>.json, <diff id>/layer.tar
    OciArchive,    // a tar of an OCI image layout
};

} // namespace Berth

Q_DECLARE_METATYPE(Berth::ImageSummary)
