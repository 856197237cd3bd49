#pragma once

#include "base/result.h"
#include "engine/imagetypes.h"

#include <QObject>
#include <QStringList>

#include <QCoro/QCoroTask>

#include <atomic>
#include <coroutine>
#include <memory>
#include <optional>
#include <vector>

class QTimer;

namespace Berth {

namespace Internal {

// What a job shares with the worker thread doing it: plain atomics, no QObject.
struct JobControl
{
    // Queued -> Running -> Done, or Queued/Running -> Cancelled. Each transition is a
    // compare-and-swap, so the worker and cancel() agree on who won.
    enum State { Queued, Running, Cancelled, Done };
    std::atomic<int> state{Queued};
    std::atomic<bool> cancelRequested{false};
    std::atomic<qint64> done{0};   // bytes processed
    std::atomic<qint64> total{-1}; // bytes expected, -1 when unknown

    // Asks the work to stop at its next check; false once it is done.
    bool requestCancel();
    // For the worker's last step before it commits: false when a cancel came first.
    bool commit();
};

// How a job ended, shared with result()'s waiters so that they outlive the Job.
struct JobEnd
{
    std::optional<Result<QList<ImageSummary>>> outcome;
    std::vector<std::coroutine_handle<>> waiters;

    // Keeps the first outcome and resumes the waiters from the event loop.
    void settle(Result<QList<ImageSummary>> value);
};

} // namespace Internal

// A long operation (load, save, import) in flight. The engine starts it; the GUI follows its
// state, progress and log, may cancel it, and awaits result().
class Job : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Load, Save, Import };
    Q_ENUM(Kind)
    enum class State { Queued, Running, Finished };
    Q_ENUM(State)

    Job(Kind kind, QString subject, QObject *parent = nullptr);
    // A job deleted before it finished ends result() with ErrorCode::Cancelled.
    ~Job() override;

    Kind kind() const { return m_kind; }
    // The file or image the job works on.
    const QString &subject() const { return m_subject; }
    State state() const { return m_state; }
    bool isFinished() const { return m_state == State::Finished; }
    // 0 to 100, or -1 while the amount of work is unknown. 100 only once finished.
    int progress() const { return m_progress; }
    // Whether cancel() can still be asked.
    bool canCancel() const;
    // Asks the job to stop. True when it was still queued or running: it then stops at its next
    // check and finishes with ErrorCode::Cancelled, leaving nothing behind. A job already past
    // its last check (a load or import storing its images) still finishes normally: result()
    // says which happened. A save always honours a cancel that returned true.
    bool cancel();
    // Technical log lines, oldest first.
    const QStringList &log() const { return m_log; }
    // The images the job produced (none for save); valid once finished.
    const Result<QList<ImageSummary>> &outcome() const { return m_outcome; }
    // Waits for the end of the job and returns its outcome.
    QCoro::Task<Result<QList<ImageSummary>>> result();

    // For engines: the state shared with the worker, and how the job ends.
    std::shared_ptr<Internal::JobControl> control() const { return m_control; }
    void appendLog(const QString &line);
    void finish(Result<QList<ImageSummary>> outcome);

signals:
    void stateChanged(Berth::Job::State state);
    void progressChanged(int percent);
    void logged(const QString &line);
    void finished();

private:
    void sample();

    Kind m_kind;
    QString m_subject;
    State m_state = State::Queued;
    int m_progress = -1;
    QStringList m_log;
    Result<QList<ImageSummary>> m_outcome;
    std::shared_ptr<Internal::JobControl> m_control;
    std::shared_ptr<Internal::JobEnd> m_end;
    QTimer *m_sampler = nullptr;
};

} // namespace Berth
