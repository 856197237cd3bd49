#pragma once

#include "base/result.h"
#include "engine/imagetypes.h"

#include <QCoro/QCoroTask>
#include <QObject>

namespace Berth {

class Job;

// The facade the GUI drives (DESIGN.md, "The engine facade"). Every call returns a task that
// never throws and never blocks the calling thread; failures are Results carrying an Error.
// Events are ID-keyed and emitted after the engine's own operations and after changes another
// process (berthctl) makes to the same store.
class Engine : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // Every image, newest first.
    virtual QCoro::Task<Result<QList<ImageSummary>>> images() = 0;
    // An image by reference, id (or unique prefix) or digest, with its config.
    virtual QCoro::Task<Result<ImageDetails>> inspect(QString nameOrId) = 0;
    // The steps that made an image, oldest first.
    virtual QCoro::Task<Result<QList<HistoryStep>>> history(QString nameOrId) = 0;
    // Points the reference `target` (validated as validateReference does) at `source`'s image.
    virtual QCoro::Task<Result<void>> tag(QString source, QString target) = 0;
    // Docker's rmi: a tag untags; an id deletes the image, with `force` when several tags
    // point at it. Returns the "Untagged: ..." and "Deleted: ..." lines.
    virtual QCoro::Task<Result<QStringList>> remove(QString nameOrId, bool force) = 0;
    // Removes untagged images (every image with `all`) and the data only they used.
    virtual QCoro::Task<Result<PruneSummary>> prune(bool all) = 0;
    virtual QCoro::Task<Result<DiskUsageSummary>> diskUsage() = 0;
    // Whether /bin/busybox exists and is statically linked.
    virtual QCoro::Task<Result<BusyboxStatus>> busyboxStatus() = 0;
    // Makes busybox:latest from /bin/busybox: no registry needed.
    virtual QCoro::Task<Result<ImageSummary>> bootstrapBusybox() = 0;

    // Long operations. The caller owns the returned job (it starts at once) and deletes it
    // once it has finished.
    // Loads every image of a docker/podman save archive, an OCI archive or an OCI layout.
    virtual Job *load(QString path) = 0;
    // Writes images (references, ids or digests) to `path` as one archive.
    virtual Job *save(QStringList names, QString path, ArchiveFormat format) = 0;
    // Makes a one-layer image tagged `reference` from a root file system tar.
    virtual Job *importRootfs(QString path, QString reference) = 0;

    // The normalised, familiar form of an image reference to tag with ("app" gives
    // "app:latest"), or why it is not one. Parsing lives in core/image, not in dialogs.
    static Result<QString> validateReference(const QString &text);

signals:
    // The engine learnt of an image (after an operation, or a change made elsewhere). May repeat
    // for an image a listener already has: treat it as an update.
    void imageAdded(const Berth::ImageSummary &image);
    // An image's tags (or other fields) changed; `image.id` is the key.
    void imageChanged(const Berth::ImageSummary &image);
    void imageRemoved(const QString &id);
    // After a batch of the signals above.
    void imagesChanged();
};

} // namespace Berth
