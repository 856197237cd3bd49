#include "engine/localengine.h"

#include "base/logging.h"
#include "engine/imagediff.h"
#include "engine/job.h"
#include "engine/storeoperations.h"
#include "store/imagestore.h"

#include <QCoro/QCoroFuture>
#include <QFileSystemWatcher>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <thread>

namespace Berth {

namespace {

// Futures and tasks are made in a statement of their own, then awaited: GCC 12 may destroy the
// temporaries of a co_await expression (here, lambdas and their captures) twice.

// Bursts of changes (a load rewrites index.json once per image) become one listing.
constexpr int s_debounceMs = 100;

Error engineGone()
{
    return Error(ErrorCode::Cancelled, "the engine was shut down");
}

QString familiarOrId(const ImageSummary &image)
{
    return image.tags.isEmpty() ? QStringLiteral("ID: sha256:") + image.id
                                : image.references().join(QStringLiteral(", "));
}

} // namespace

LocalEngine::LocalEngine(QString root, QObject *parent)
    : Engine(parent)
    , m_root(root.isEmpty() ? Store::ImageStore::defaultRoot() : root.toStdString())
    , m_busybox(QStringLiteral("/bin/busybox"))
    , m_closing(std::make_shared<std::atomic<bool>>(false))
    , m_debounce(new QTimer(this))
{
    while (m_root.size() > 1 && m_root.back() == '/')
        m_root.pop_back();
    m_pool.setObjectName(QStringLiteral("berth-engine"));
    m_pool.setMaxThreadCount(std::max(2, int(std::thread::hardware_concurrency())));
    // One thread: changes run in the order they were asked for, and none waits in a thread.
    m_changes.setObjectName(QStringLiteral("berth-engine-changes"));
    m_changes.setMaxThreadCount(1);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(s_debounceMs);
    connect(m_debounce, &QTimer::timeout, this, [this] { refresh(); });
}

LocalEngine::~LocalEngine()
{
    // Queued work gives up and running jobs stop at their next check: closing the application
    // does not wait for a long load to end.
    m_closing->store(true);
    for (const auto &control : std::as_const(m_jobs))
        control->requestCancel();
    m_changes.waitForDone();
    m_pool.waitForDone();
}

QString LocalEngine::root() const
{
    return QString::fromStdString(m_root);
}

template<class F> QCoro::Task<std::invoke_result_t<F>> LocalEngine::read(F work)
{
    QPointer<LocalEngine> self(this);
    auto future = QtConcurrent::run(&m_pool, std::move(work));
    auto result = co_await future;
    if (!self)
        co_return fail(engineGone());
    co_return result;
}

template<class F> QCoro::Task<std::invoke_result_t<F>> LocalEngine::change(F work)
{
    QPointer<LocalEngine> self(this);
    auto future = QtConcurrent::run(
        &m_changes, [closing = m_closing, work = std::move(work)]() -> std::invoke_result_t<F> {
            if (closing->load())
                return fail(engineGone());
            return work();
        });
    auto result = co_await future;
    if (!self)
        co_return fail(engineGone());
    auto refreshing = refresh();
    co_await refreshing;
    co_return result;
}

QCoro::Task<Result<QList<ImageSummary>>> LocalEngine::images()
{
    QPointer<LocalEngine> self(this);
    const quint64 ticket = ++m_lastTicket;
    auto listing = read([root = m_root] { return Internal::listImages(root); });
    auto list = co_await listing;
    if (!self || !list)
        co_return list;
    if (!learn(*list, ticket)) {
        QList<ImageSummary> newest = m_known; // a copy: GCC 12 moves from a member in co_return
        co_return newest;
    }
    co_return list;
}

QCoro::Task<void> LocalEngine::refresh()
{
    auto listing = images();
    auto list = co_await listing;
    if (!list && list.error().code() != ErrorCode::Cancelled)
        qCWarning(lcEngine) << "listing images failed:" << list.error().toString().c_str();
}

bool LocalEngine::learn(const QList<ImageSummary> &images, quint64 ticket)
{
    // Listings run in parallel; an older one finishing last must not undo a newer one.
    if (ticket < m_learntTicket)
        return false;
    m_learntTicket = ticket;
    if (!m_watcher)
        watchStore();
    const Internal::ImageDiff diff = Internal::diffImages(m_known, images);
    m_known = images;
    if (diff.isEmpty())
        return true;
    for (const auto &id : diff.removed)
        emit imageRemoved(id);
    for (const auto &image : diff.added)
        emit imageAdded(image);
    for (const auto &image : diff.changed)
        emit imageChanged(image);
    emit imagesChanged();
    return true;
}

// index.json is replaced (renamed over) on every change, by this process or another one. A
// fresh store has none yet: watch the root until it appears. The root itself is not watched
// for good: SQLite creates and removes its -wal and -shm files there on every open and close.
void LocalEngine::watchStore()
{
    m_watcher = new QFileSystemWatcher(this);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &LocalEngine::storeChanged);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &LocalEngine::storeChanged);
    storeChanged();
    // A change between the listing that got here and the watch would go unseen: list again.
    m_debounce->start();
}

void LocalEngine::storeChanged()
{
    const QString root = QString::fromStdString(m_root);
    const QString index = root + QStringLiteral("/index.json");
    // The file was replaced: the watch may still be on the old inode. Watching the current one
    // also says whether it exists (one inotify call on a local file, which the watch needs
    // anyway), so the GUI thread does no other file-system call here.
    m_watcher->removePath(index);
    if (!m_watcher->addPath(index)) {
        if (!m_watcher->directories().contains(root))
            m_watcher->addPath(root);
        return;
    }
    if (m_watcher->directories().contains(root))
        m_watcher->removePath(root);
    m_debounce->start();
}

QCoro::Task<Result<ImageDetails>> LocalEngine::inspect(QString nameOrId)
{
    return read([root = m_root, nameOrId] { return Internal::inspectImage(root, nameOrId); });
}

QCoro::Task<Result<QList<HistoryStep>>> LocalEngine::history(QString nameOrId)
{
    return read([root = m_root, nameOrId] { return Internal::imageHistory(root, nameOrId); });
}

QCoro::Task<Result<void>> LocalEngine::tag(QString source, QString target)
{
    return change(
        [root = m_root, source, target] { return Internal::tagImage(root, source, target); });
}

QCoro::Task<Result<QStringList>> LocalEngine::remove(QString nameOrId, bool force)
{
    return change(
        [root = m_root, nameOrId, force] { return Internal::removeImage(root, nameOrId, force); });
}

QCoro::Task<Result<PruneSummary>> LocalEngine::prune(bool all)
{
    return change([root = m_root, all] { return Internal::pruneImages(root, all); });
}

QCoro::Task<Result<DiskUsageSummary>> LocalEngine::diskUsage()
{
    return read([root = m_root] { return Internal::diskUsage(root); });
}

QCoro::Task<Result<BusyboxStatus>> LocalEngine::busyboxStatus()
{
    return read(
        [path = m_busybox]() -> Result<BusyboxStatus> { return Internal::busyboxStatus(path); });
}

QCoro::Task<Result<ImageSummary>> LocalEngine::bootstrapBusybox()
{
    return change(
        [root = m_root, busybox = m_busybox] { return Internal::bootstrapBusybox(root, busybox); });
}

Job *LocalEngine::load(QString path)
{
    return startJob(Job::Kind::Load, path, &m_changes,
                    [root = m_root, path](Internal::JobControl &control) {
                        return Internal::loadArchive(root, path, control);
                    });
}

// A save only reads the store: it needs no turn.
Job *LocalEngine::save(QStringList names, QString path, ArchiveFormat format)
{
    return startJob(Job::Kind::Save, path, &m_pool,
                    [root = m_root, names, path,
                     format](Internal::JobControl &control) -> Result<QList<ImageSummary>> {
                        auto saved = Internal::saveArchive(root, names, path, format, control);
                        if (!saved)
                            return fail(std::move(saved).error());
                        return QList<ImageSummary>();
                    });
}

Job *LocalEngine::importRootfs(QString path, QString reference)
{
    return startJob(Job::Kind::Import, path, &m_changes,
                    [root = m_root, path, reference](Internal::JobControl &control) {
                        return Internal::importRootfs(root, path, reference, control);
                    });
}

Job *LocalEngine::startJob(Job::Kind kind, QString subject, QThreadPool *pool, JobWork work)
{
    auto *job = new Job(kind, std::move(subject), this);
    m_jobs.append(job->control());
    runJob(job, pool, std::move(work));
    return job;
}

QCoro::Task<void> LocalEngine::runJob(QPointer<Job> job, QThreadPool *pool, JobWork work)
{
    QPointer<LocalEngine> self(this);
    const std::shared_ptr<Internal::JobControl> control = job->control();
    static const char *const s_verbs[] = {"load", "save", "import"};
    job->appendLog(
        QStringLiteral("%1 \"%2\"").arg(QLatin1String(s_verbs[int(job->kind())]), job->subject()));
    auto outcomeFuture =
        QtConcurrent::run(pool, [control, work = std::move(work)]() -> Result<QList<ImageSummary>> {
            int queued = Internal::JobControl::Queued;
            if (!control->state.compare_exchange_strong(queued, Internal::JobControl::Running))
                return fail(ErrorCode::Cancelled, "cancelled before it started");
            auto result = work(*control);
            control->commit(); // a save committed already; a load or import is past its checks
            return result;
        });
    auto outcome = co_await outcomeFuture;
    if (!self) {
        if (job)
            job->finish(fail(engineGone()));
        co_return;
    }
    m_jobs.removeOne(control);
    if (pool == &m_changes) {
        auto refreshing = refresh();
        co_await refreshing;
    }
    if (!job || job->isFinished())
        co_return;
    if (outcome) {
        for (const auto &image : *outcome)
            job->appendLog((job->kind() == Job::Kind::Import ? QStringLiteral("Imported image: ")
                                                             : QStringLiteral("Loaded image: ")) +
                           familiarOrId(image));
    } else {
        job->appendLog(QStringLiteral("Error: ") +
                       QString::fromStdString(outcome.error().toString()));
    }
    job->finish(std::move(outcome));
}

} // namespace Berth
