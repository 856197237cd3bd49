#include "engine/storeoperations.h"

#include "archive/stream.h"
#include "archive/uniquefd.h"
#include "store/bootstrap.h"
#include "store/imagearchive.h"
#include "store/imagestore.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Berth::Internal {

namespace {

QString fromStd(const std::string &text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

std::string toStd(const QString &text)
{
    return text.toStdString();
}

QDateTime fromSeconds(std::int64_t seconds)
{
    return seconds > 0 ? QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC) : QDateTime();
}

QStringList fromStd(const std::vector<std::string> &list)
{
    QStringList out;
    out.reserve(qsizetype(list.size()));
    for (const auto &s : list)
        out.append(fromStd(s));
    return out;
}

ImageTag tagOf(const std::string &stored)
{
    const auto reference = Image::Reference::parse(stored);
    if (!reference) // the store only keeps parsed references; show it as it is if not
        return {fromStd(stored), fromStd(stored), QString()};
    return {fromStd(reference->familiar()), fromStd(reference->familiarName()),
            fromStd(reference->tag())};
}

ImageSummary summaryOf(const Store::ImageInfo &info)
{
    ImageSummary s;
    s.id = fromStd(info.id());
    s.digest = fromStd(info.record.manifest.toString());
    for (const auto &t : info.tags)
        s.tags.append(tagOf(t));
    std::sort(s.tags.begin(), s.tags.end(),
              [](const ImageTag &a, const ImageTag &b) { return a.reference < b.reference; });
    s.size = info.record.size;
    s.created = fromSeconds(info.record.created);
    s.added = fromSeconds(info.record.added);
    return s;
}

Result<Store::ImageStore> openStore(const std::string &root)
{
    return Store::ImageStore::open(root);
}

// Counts what goes through and stops when the job is cancelled.
class ControlledReader : public Archive::Reader
{
public:
    ControlledReader(Archive::Reader &next, JobControl &control)
        : m_next(next)
        , m_control(control)
    {}
    Result<std::size_t> read(void *data, std::size_t size) override
    {
        if (m_control.cancelRequested)
            return fail(ErrorCode::Cancelled, "cancelled");
        auto n = m_next.read(data, size);
        if (n)
            m_control.done += qint64(*n);
        return n;
    }

private:
    Archive::Reader &m_next;
    JobControl &m_control;
};

class ControlledWriter : public Archive::Writer
{
public:
    ControlledWriter(Archive::Writer &next, JobControl &control)
        : m_next(next)
        , m_control(control)
    {}
    using Archive::Writer::write;
    Result<> write(const void *data, std::size_t size) override
    {
        if (m_control.cancelRequested)
            return fail(ErrorCode::Cancelled, "cancelled");
        auto ok = m_next.write(data, size);
        if (ok)
            m_control.done += qint64(size);
        return ok;
    }
    Result<> finish() override { return m_next.finish(); }

private:
    Archive::Writer &m_next;
    JobControl &m_control;
};

// Closes `fd` now, reporting the error close() gives.
bool closeNow(Archive::UniqueFd &fd)
{
    return ::close(fd.release()) == 0;
}

// Makes a rename in `directory` durable.
Result<void> syncDirectory(const std::string &directory)
{
    Archive::UniqueFd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.isValid() || ::fsync(fd.get()) != 0)
        return fail(Error::fromErrno("fsync \"" + directory + "\"", errno));
    return {};
}

} // namespace

Result<QList<ImageSummary>> listImages(const std::string &root)
{
    auto store = openStore(root);
    if (!store)
        return fail(std::move(store).error());
    auto images = store->images();
    if (!images)
        return fail(std::move(images).error());
    QList<ImageSummary> out;
    out.reserve(qsizetype(images->size()));
    for (const auto &info : *images)
        out.append(summaryOf(info));
    return out;
}

Result<ImageDetails> inspectImage(const std::string &root, const QString &nameOrId)
{
    auto store = openStore(root);
    if (!store)
        return fail(std::move(store).error());
    auto image = store->find(toStd(nameOrId));
    if (!image)
        return fail(std::move(image).error());
    auto config = store->config(*image);
    if (!config)
        return fail(std::move(config).error());
    ImageDetails d;
    d.image = summaryOf(*image);
    d.architecture = fromStd(config->architecture);
    d.os = fromStd(config->os);
    d.author = fromStd(config->author);
    d.user = fromStd(config->config.user);
    d.workingDir = fromStd(config->config.workingDir);
    d.env = fromStd(config->config.env);
    d.entrypoint = fromStd(config->config.entrypoint.value_or(std::vector<std::string>()));
    d.cmd = fromStd(config->config.cmd.value_or(std::vector<std::string>()));
    for (const auto &port : config->config.exposedPorts)
        d.exposedPorts.append(fromStd(port));
    for (const auto &[key, value] : config->config.labels)
        d.labels.insert(fromStd(key), fromStd(value));
    d.layers = int(config->rootfs.diffIds.size());
    d.configJson = QByteArray::fromStdString(Image::toJson(*config));
    return d;
}

Result<QList<HistoryStep>> imageHistory(const std::string &root, const QString &nameOrId)
{
    auto store = openStore(root);
    if (!store)
        return fail(std::move(store).error());
    auto image = store->find(toStd(nameOrId));
    if (!image)
        return fail(std::move(image).error());
    auto config = store->config(*image);
    if (!config)
        return fail(std::move(config).error());
    QList<HistoryStep> steps;
    for (const auto &entry : config->history)
        steps.append({QDateTime::fromString(fromStd(entry.created), Qt::ISODateWithMs),
                      fromStd(entry.createdBy), fromStd(entry.comment), entry.emptyLayer});
    return steps;
}

Result<void> tagImage(const std::string &root, const QString &source, const QString &target)
{
    auto reference = Image::Reference::parse(toStd(target));
    if (!reference)
        return fail(std::move(reference).error());
    auto store = openStore(root);
    if (!store)
        return fail(std::move(store).error());
    return store->tag(toStd(source), *reference);
}

Result<QStringList> removeImage(const std::string &root, const QString &nameOrId, bool force)
{
    auto store = openStore(root);
    if (!store)
        return fail(std::move(store).error());
    auto lines = store->remove(toStd(nameOrId), force);
    if (!lines)
        return fail(std::move(lines).error());
    return fromStd(*lines);
}

Result<PruneSummary> pruneImages(const std::string &root, bool all)
{
    auto store = openStore(root);
    if (!store)
        return fail(std::move(store).error());
    auto report = store->prune(all);
    if (!report)
        return fail(std::move(report).error());
    return PruneSummary{fromStd(report->deleted), report->reclaimed};
}

Result<DiskUsageSummary> diskUsage(const std::string &root)
{
    auto store = openStore(root);
    if (!store)
        return fail(std::move(store).error());
    auto usage = store->diskUsage();
    if (!usage)
        return fail(std::move(usage).error());
    return DiskUsageSummary{usage->images, usage->dangling, usage->blobs, usage->layers,
                            usage->reclaimable};
}

BusyboxStatus busyboxStatus(const QString &path)
{
    BusyboxStatus status;
    status.path = path;
    auto usable = Store::checkBusybox(toStd(path));
    status.exists = usable || usable.error().code() != ErrorCode::NotFound;
    status.isStatic = bool(usable);
    return status;
}

Result<ImageSummary> bootstrapBusybox(const std::string &root, const QString &busybox)
{
    auto store = openStore(root);
    if (!store)
        return fail(std::move(store).error());
    Store::BootstrapOptions options;
    options.busybox = toStd(busybox);
    auto image = Store::bootstrapBusybox(*store, options);
    if (!image)
        return fail(std::move(image).error());
    return summaryOf(*image);
}

Result<QList<ImageSummary>> loadArchive(const std::string &root, const QString &path,
                                        JobControl &control)
{
    auto store = openStore(root);
    if (!store)
        return fail(std::move(store).error());
    Store::LoadOptions options;
    options.progress = [&control](std::int64_t done, std::int64_t total) {
        control.done = qint64(done);
        control.total = qint64(total);
        return !control.cancelRequested;
    };
    auto images = Store::loadImages(*store, toStd(path), options);
    if (!images)
        return fail(std::move(images).error());
    QList<ImageSummary> out;
    for (const auto &info : *images)
        out.append(summaryOf(info));
    return out;
}

Result<void> saveArchive(const std::string &root, const QStringList &names, const QString &path,
                         ArchiveFormat format, JobControl &control)
{
    auto store = openStore(root);
    if (!store)
        return fail(std::move(store).error());
    std::vector<std::string> list;
    for (const auto &name : names)
        list.push_back(toStd(name));
    // A temporary file beside the target, renamed over it once complete: never a half archive.
    const std::string target = path.toLocal8Bit().toStdString();
    std::string temp = target + ".berth-XXXXXX";
    Archive::UniqueFd fd(::mkostemp(temp.data(), O_CLOEXEC));
    if (!fd.isValid())
        return fail(Error::fromErrno("create \"" + temp + "\"", errno));
    ::fchmod(fd.get(), 0644);
    Archive::FdWriter file(fd.get());
    ControlledWriter writer(file, control);
    auto saved = Store::saveImages(*store, list, writer,
                                   format == ArchiveFormat::OciArchive
                                       ? Store::ArchiveFormat::OciArchive
                                       : Store::ArchiveFormat::DockerArchive);
    if (saved && ::fsync(fd.get()) != 0)
        saved = fail(Error::fromErrno("fsync \"" + temp + "\"", errno));
    if (!closeNow(fd) && saved)
        saved = fail(Error::fromErrno("close \"" + temp + "\"", errno));
    // The last moment a cancel can win: after this the archive is there.
    if (saved && !control.commit())
        saved = fail(ErrorCode::Cancelled, "cancelled");
    if (saved && ::rename(temp.c_str(), target.c_str()) != 0)
        saved = fail(Error::fromErrno("rename \"" + temp + "\" to \"" + target + "\"", errno));
    if (!saved) {
        ::unlink(temp.c_str());
        return saved;
    }
    const auto slash = target.rfind('/');
    return syncDirectory(slash == std::string::npos ? std::string(".")
                         : slash == 0               ? std::string("/")
                                                    : target.substr(0, slash));
}

Result<QList<ImageSummary>> importRootfs(const std::string &root, const QString &path,
                                         const QString &reference, JobControl &control)
{
    auto parsed = Image::Reference::parse(toStd(reference));
    if (!parsed)
        return fail(std::move(parsed).error());
    const QByteArray local = path.toLocal8Bit();
    Archive::UniqueFd fd(::open(local.constData(), O_RDONLY | O_CLOEXEC));
    if (!fd.isValid())
        return fail(Error::fromErrno("open \"" + local.toStdString() + "\"", errno));
    struct stat st;
    if (::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode))
        control.total = qint64(st.st_size);
    auto store = openStore(root);
    if (!store)
        return fail(std::move(store).error());
    Archive::FdReader file(fd.get());
    ControlledReader reader(file, control);
    Store::ImportOptions options;
    options.createdBy = "berth import";
    auto image = store->importRootfs(reader, *parsed, options);
    if (!image)
        return fail(std::move(image).error());
    return QList<ImageSummary>{summaryOf(*image)};
}

} // namespace Berth::Internal
