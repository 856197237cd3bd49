#pragma once

#include "engine/engine.h"
#include "engine/job.h"

#include <QPointer>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>

class QFileSystemWatcher;
class QTimer;

namespace Berth {

// The engine in this process, over the image store at a root directory.
//
// Threads: blocking work runs on the engine's own thread pools and opens its own
// Store::ImageStore there, because an ImageStore holds an SQLite connection and is not
// thread-safe. Opening one is cheap, and its start-up sweeps leave live work alone (ingest files
// carry the pid of a running process; half-unpacked layers are flock'ed). Reads (listings,
// inspect, save) run in parallel; operations that change the store (tag, remove, prune, load,
// import) run one at a time in the order they were asked for, on a pool of one thread, because
// two writers in one process would race on the store's index.json rewrite. A queued job can be
// cancelled while it waits; destroying the engine cancels every job and waits only for the
// current step of each.
//
// Events: after each operation, and when the store's index.json changes (the store rewrites it
// on every change, whichever process makes it), the engine lists the images again and emits the
// difference with what it knew.
class LocalEngine : public Engine
{
    Q_OBJECT
public:
    // An empty `root` means Store::ImageStore::defaultRoot(). The store is opened (and created)
    // on first use, on a worker thread.
    explicit LocalEngine(QString root = {}, QObject *parent = nullptr);
    ~LocalEngine() override;

    QString root() const;
    // The busybox that busyboxStatus() and bootstrapBusybox() use; /bin/busybox by default.
    void setBusyboxPath(QString path) { m_busybox = std::move(path); }
    QString busyboxPath() const { return m_busybox; }

    QCoro::Task<Result<QList<ImageSummary>>> images() override;
    QCoro::Task<Result<ImageDetails>> inspect(QString nameOrId) override;
    QCoro::Task<Result<QList<HistoryStep>>> history(QString nameOrId) override;
    QCoro::Task<Result<void>> tag(QString source, QString target) override;
    QCoro::Task<Result<QStringList>> remove(QString nameOrId, bool force) override;
    QCoro::Task<Result<PruneSummary>> prune(bool all) override;
    QCoro::Task<Result<DiskUsageSummary>> diskUsage() override;
    QCoro::Task<Result<BusyboxStatus>> busyboxStatus() override;
    QCoro::Task<Result<ImageSummary>> bootstrapBusybox() override;
    Job *load(QString path) override;
    Job *save(QStringList names, QString path, ArchiveFormat format) override;
    Job *importRootfs(QString path, QString reference) override;

private:
    using JobWork = std::function<Result<QList<ImageSummary>>(Internal::JobControl &)>;

    // Runs `work()` on a reader thread.
    template<class F> QCoro::Task<std::invoke_result_t<F>> read(F work);
    // Runs `work()` in its turn to change the store, then lists the images again.
    template<class F> QCoro::Task<std::invoke_result_t<F>> change(F work);
    Job *startJob(Job::Kind kind, QString subject, QThreadPool *pool, JobWork work);
    QCoro::Task<void> runJob(QPointer<Job> job, QThreadPool *pool, JobWork work);
    // Lists the images again and emits what changed.
    QCoro::Task<void> refresh();
    // False (and nothing learnt) when a newer listing was applied already.
    bool learn(const QList<ImageSummary> &images, quint64 ticket);
    void watchStore();
    void storeChanged();

    std::string m_root;
    QString m_busybox;
    // Set when the engine goes away: queued changes then give up.
    std::shared_ptr<std::atomic<bool>> m_closing;
    // Of the jobs queued or running, to cancel them when the engine goes away.
    QList<std::shared_ptr<Internal::JobControl>> m_jobs;
    QList<ImageSummary> m_known;
    quint64 m_lastTicket = 0;   // of the newest listing asked for
    quint64 m_learntTicket = 0; // of the newest listing applied
    QFileSystemWatcher *m_watcher = nullptr;
    QTimer *m_debounce = nullptr;
    // Last, so that their destructors (which wait for the workers) run first.
    QThreadPool m_pool;    // reads, in parallel
    QThreadPool m_changes; // changes, one at a time, first asked first run
};

} // namespace Berth
