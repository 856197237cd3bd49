#pragma once

#include "base/result.h"
#include "engine/imagetypes.h"

#include <QCoro/QCoroTask>
#include <QObject>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

class QTimer;

namespace Berth {

namespace Internal {

// What a job shares with the worker thread doing it: plain atomics, no QObject.
struct JobControl
{
    // Queued -> Running -> Done, or Queued -> Cancelled: the worker and cancel() race for the
    // first transition with compare-and-swap, so a cancel that returns true always takes effect.
    enum State { Queued, Running, Cancelled, Done };
    std::atomic<int> state{Queued};
    std::atomic<bool> cancelRequested{false};
    std::atomic<qint64> done{0};   // bytes processed
    std::atomic<qint64> total{-1}; // bytes expected, -1 when unknown
    // Set by the engine before the work starts: makes a queued worker see a cancellation.
    std::function<void()> wake;
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
    // Whether cancel() can stop the job once it runs, or only while it waits for its turn.
    enum class Cancellation { WhileQueued, WhileRunning };

    Job(Kind kind, QString subject, Cancellation cancellation, QObject *parent = nullptr);
    ~Job() override;

    Kind kind() const { return m_kind; }
    // The file or image the job works on.
    const QString &subject() const { return m_subject; }
    State state() const { return m_state; }
    bool isFinished() const { return m_state == State::Finished; }
    // 0 to 100, or -1 while the amount of work is unknown.
    int progress() const { return m_progress; }
    // Whether cancel() would still stop the job.
    bool canCancel() const;
    // Asks the job to stop; true when it will then finish with ErrorCode::Cancelled, leaving
    // nothing behind.
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
    Cancellation m_cancellation;
    State m_state = State::Queued;
    int m_progress = -1;
    QStringList m_log;
    Result<QList<ImageSummary>> m_outcome;
    std::shared_ptr<Internal::JobControl> m_control;
    QTimer *m_sampler = nullptr;
};

} // namespace Berth
