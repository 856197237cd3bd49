#include "engine/localengine.h"

#include "base/logging.h"
#include "engine/changequeue.h"
#include "engine/imagediff.h"
#include "engine/job.h"
#include "engine/storeoperations.h"
#include "store/imagestore.h"

#include <QCoro/QCoroFuture>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <thread>
#include <type_traits>

namespace Berth {

namespace {

// Futures are made in a statement of their own, then awaited: GCC 12 may destroy the
// temporaries of a co_await expression (here, the lambda and its captures) twice.

// Bursts of changes (a load rewrites index.json once per image) become one listing.
constexpr int s_debounceMs = 100;

Error engineGone()
{
    return Error(ErrorCode::Cancelled, "the engine was shut down");
}

// Runs `work` once it is this engine's turn to change the store.
template<class F> std::invoke_result_t<F> inTurn(Internal::ChangeQueue &queue, F work)
{
    static const std::atomic<bool> s_never{false};
    Internal::ChangeTurn turn(queue, s_never);
    if (!turn.held())
        return fail(engineGone());
    return work();
}

QString familiarOrId(const ImageSummary &image)
{
    return image.tags.isEmpty() ? QStringLiteral("ID: sha256:") + image.id
                                : image.tags.join(QStringLiteral(", "));
}

} // namespace

LocalEngine::LocalEngine(QString root, QObject *parent)
    : Engine(parent)
    , m_root(root.isEmpty() ? Store::ImageStore::defaultRoot() : root.toStdString())
    , m_busybox(QStringLiteral("/bin/busybox"))
    , m_changes(std::make_shared<Internal::ChangeQueue>())
    , m_debounce(new QTimer(this))
{
    while (m_root.size() > 1 && m_root.back() == '/')
        m_root.pop_back();
    m_pool.setObjectName(QStringLiteral("berth-engine"));
    // Queued changes wait in a worker; keep threads free for reads while they do.
    m_pool.setMaxThreadCount(std::max(4, int(std::thread::hardware_concurrency())));
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(s_debounceMs);
    connect(m_debounce, &QTimer::timeout, this, [this] { refresh(); });
}

LocalEngine::~LocalEngine()
{
    m_changes->close();
    m_pool.waitForDone();
}

QString LocalEngine::root() const
{
    return QString::fromStdString(m_root);
}

QCoro::Task<Result<QList<ImageSummary>>> LocalEngine::images()
{
    QPointer<LocalEngine> self(this);
    const quint64 ticket = ++m_lastTicket;
    auto listFuture =
        QtConcurrent::run(&m_pool, [root = m_root] { return Internal::listImages(root); });
    auto list = co_await listFuture;
    if (!self)
        co_return fail(engineGone());
    if (list)
        learn(*list, ticket);
    co_return list;
}

QCoro::Task<void> LocalEngine::refresh()
{
    auto list = co_await images();
    if (!list && list.error().code() != ErrorCode::Cancelled)
        qCWarning(lcEngine) << "listing images failed:" << list.error().toString().c_str();
}

void LocalEngine::learn(const QList<ImageSummary> &images, quint64 ticket)
{
    // Listings run in parallel; an older one finishing last must not undo a newer one.
    if (ticket < m_learntTicket)
        return;
    m_learntTicket = ticket;
    if (!m_watcher)
        watchStore();
    const Internal::ImageDiff diff = Internal::diffImages(m_known, images);
    m_known = images;
    if (diff.isEmpty())
        return;
    for (const auto &id : diff.removed)
        emit imageRemoved(id);
    for (const auto &image : diff.added)
        emit imageAdded(image);
    for (const auto &image : diff.changed)
        emit imageChanged(image);
    emit imagesChanged();
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
    m_debounce->stop(); // just listed
}

void LocalEngine::storeChanged()
{
    const QString root = QString::fromStdString(m_root);
    const QString index = root + QStringLiteral("/index.json");
    if (!QFileInfo::exists(index)) {
        if (!m_watcher->directories().contains(root))
            m_watcher->addPath(root);
        return;
    }
    // The file was replaced: the watch may still be on the old inode. Watch the current one.
    m_watcher->removePath(index);
    m_watcher->addPath(index);
    if (m_watcher->directories().contains(root))
        m_watcher->removePath(root);
    m_debounce->start();
}

QCoro::Task<Result<ImageDetails>> LocalEngine::inspect(QString nameOrId)
{
    QPointer<LocalEngine> self(this);
    auto detailsFuture = QtConcurrent::run(
        &m_pool, [root = m_root, nameOrId] { return Internal::inspectImage(root, nameOrId); });
    auto details = co_await detailsFuture;
    if (!self)
        co_return fail(engineGone());
    co_return details;
}

QCoro::Task<Result<QList<HistoryStep>>> LocalEngine::history(QString nameOrId)
{
    QPointer<LocalEngine> self(this);
    auto stepsFuture = QtConcurrent::run(
        &m_pool, [root = m_root, nameOrId] { return Internal::imageHistory(root, nameOrId); });
    auto steps = co_await stepsFuture;
    if (!self)
        co_return fail(engineGone());
    co_return steps;
}

QCoro::Task<Result<void>> LocalEngine::tag(QString source, QString target)
{
    QPointer<LocalEngine> self(this);
    auto doneFuture =
        QtConcurrent::run(&m_pool, [root = m_root, changes = m_changes, source, target] {
            return inTurn(*changes, [&] { return Internal::tagImage(root, source, target); });
        });
    auto done = co_await doneFuture;
    if (!self)
        co_return fail(engineGone());
    co_await refresh();
    co_return done;
}

QCoro::Task<Result<QStringList>> LocalEngine::remove(QString nameOrId, bool force)
{
    QPointer<LocalEngine> self(this);
    auto linesFuture =
        QtConcurrent::run(&m_pool, [root = m_root, changes = m_changes, nameOrId, force] {
            return inTurn(*changes, [&] { return Internal::removeImage(root, nameOrId, force); });
        });
    auto lines = co_await linesFuture;
    if (!self)
        co_return fail(engineGone());
    co_await refresh();
    co_return lines;
}

QCoro::Task<Result<PruneSummary>> LocalEngine::prune(bool all)
{
    QPointer<LocalEngine> self(this);
    auto reportFuture = QtConcurrent::run(&m_pool, [root = m_root, changes = m_changes, all] {
        return inTurn(*changes, [&] { return Internal::pruneImages(root, all); });
    });
    auto report = co_await reportFuture;
    if (!self)
        co_return fail(engineGone());
    co_await refresh();
    co_return report;
}

QCoro::Task<Result<DiskUsageSummary>> LocalEngine::diskUsage()
{
    QPointer<LocalEngine> self(this);
    auto usageFuture =
        QtConcurrent::run(&m_pool, [root = m_root] { return Internal::diskUsage(root); });
    auto usage = co_await usageFuture;
    if (!self)
        co_return fail(engineGone());
    co_return usage;
}

QCoro::Task<Result<BusyboxStatus>> LocalEngine::busyboxStatus()
{
    QPointer<LocalEngine> self(this);
    auto statusFuture =
        QtConcurrent::run(&m_pool, [path = m_busybox] { return Internal::busyboxStatus(path); });
    const BusyboxStatus status = co_await statusFuture;
    if (!self)
        co_return fail(engineGone());
    co_return status;
}

QCoro::Task<Result<ImageSummary>> LocalEngine::bootstrapBusybox()
{
    QPointer<LocalEngine> self(this);
    auto imageFuture =
        QtConcurrent::run(&m_pool, [root = m_root, changes = m_changes, busybox = m_busybox] {
            return inTurn(*changes, [&] { return Internal::bootstrapBusybox(root, busybox); });
        });
    auto image = co_await imageFuture;
    if (!self)
        co_return fail(engineGone());
    co_await refresh();
    co_return image;
}

Job *LocalEngine::load(QString path)
{
    return startJob(Job::Kind::Load, path, true,
                    [root = m_root, path](Internal::JobControl &control) {
                        return Internal::loadArchive(root, path, control);
                    });
}

Job *LocalEngine::save(QStringList names, QString path, ArchiveFormat format)
{
    return startJob(Job::Kind::Save, path, true,
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
    return startJob(Job::Kind::Import, path, true,
                    [root = m_root, path, reference](Internal::JobControl &control) {
                        return Internal::importRootfs(root, path, reference, control);
                    });
}

Job *LocalEngine::startJob(Job::Kind kind, QString subject, bool cancellableWhileRunning,
                           JobWork work)
{
    auto *job = new Job(kind, std::move(subject),
                        cancellableWhileRunning ? Job::Cancellation::WhileRunning
                                                : Job::Cancellation::WhileQueued,
                        this);
    job->control()->wake = [changes = m_changes] {
        changes->wake();
    };
    runJob(job, std::move(work));
    return job;
}

QCoro::Task<void> LocalEngine::runJob(QPointer<Job> job, JobWork work)
{
    QPointer<LocalEngine> self(this);
    static const char *const s_verbs[] = {"load", "save", "import"};
    job->appendLog(
        QStringLiteral("%1 \"%2\"").arg(QLatin1String(s_verbs[int(job->kind())]), job->subject()));
    auto outcomeFuture =
        QtConcurrent::run(&m_pool,
                          [control = job->control(), changes = m_changes,
                           work = std::move(work)]() -> Result<QList<ImageSummary>> {
                              Internal::ChangeTurn turn(*changes, control->cancelRequested);
                              int queued = Internal::JobControl::Queued;
                              if (!turn.held() || !control->state.compare_exchange_strong(
                                                      queued, Internal::JobControl::Running))
                                  return fail(ErrorCode::Cancelled, "cancelled before it started");
                              auto result = work(*control);
                              control->state = Internal::JobControl::Done;
                              return result;
                          });
    auto outcome = co_await outcomeFuture;
    if (!self) {
        if (job)
            job->finish(fail(engineGone()));
        co_return;
    }
    co_await refresh();
    if (!job)
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
