#pragma once

#include "base/result.h"
#include "engine/imagetypes.h"
#include "engine/job.h"

#include <string>

// The blocking side of LocalEngine: each function opens the store at `root` for itself, does one
// thing, and returns plain values. They run on worker threads and touch no QObject.
namespace Berth::Internal {

Result<QList<ImageSummary>> listImages(const std::string &root);
Result<ImageDetails> inspectImage(const std::string &root, const QString &nameOrId);
Result<QList<HistoryStep>> imageHistory(const std::string &root, const QString &nameOrId);
Result<void> tagImage(const std::string &root, const QString &source, const QString &target);
Result<QStringList> removeImage(const std::string &root, const QString &nameOrId, bool force);
Result<PruneSummary> pruneImages(const std::string &root, bool all);
Result<DiskUsageSummary> diskUsage(const std::string &root);
BusyboxStatus busyboxStatus(const QString &path);
Result<ImageSummary> bootstrapBusybox(const std::string &root, const QString &busybox);

// Long operations; `control` carries cancellation and byte counts.
Result<QList<ImageSummary>> loadArchive(const std::string &root, const QString &path,
                                        JobControl &control);
Result<void> saveArchive(const std::string &root, const QStringList &names, const QString &path,
                         ArchiveFormat format, JobControl &control);
Result<QList<ImageSummary>> importRootfs(const std::string &root, const QString &path,
                                         const QString &reference, JobControl &control);

} // namespace Berth::Internal
