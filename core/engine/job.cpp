#include "engine/job.h"

#include <QCoro/QCoroSignal>
#include <QPointer>
#include <QTimer>

namespace Berth {

namespace {

// The worker only counts bytes; the job reads the counters this often while it runs.
constexpr int s_sampleIntervalMs = 100;

} // namespace

Job::Job(Kind kind, QString subject, Cancellation cancellation, QObject *parent)
    : QObject(parent)
    , m_kind(kind)
    , m_subject(std::move(subject))
    , m_cancellation(cancellation)
    , m_outcome(fail(ErrorCode::Internal, "the job has not finished"))
    , m_control(std::make_shared<Internal::JobControl>())
    , m_sampler(new QTimer(this))
{
    m_sampler->setInterval(s_sampleIntervalMs);
    connect(m_sampler, &QTimer::timeout, this, &Job::sample);
    m_sampler->start();
}

Job::~Job()
{
    // A worker still running must not wait for a turn nobody will use.
    m_control->cancelRequested = true;
    if (m_control->wake)
        m_control->wake();
}

bool Job::canCancel() const
{
    if (m_state == State::Finished || m_control->cancelRequested)
        return false;
    const int state = m_control->state.load();
    return state == Internal::JobControl::Queued ||
           (state == Internal::JobControl::Running && m_cancellation == Cancellation::WhileRunning);
}

bool Job::cancel()
{
    if (!canCancel())
        return false;
    int expected = Internal::JobControl::Queued;
    const bool beforeStart =
        m_control->state.compare_exchange_strong(expected, Internal::JobControl::Cancelled);
    if (!beforeStart && m_cancellation == Cancellation::WhileQueued)
        return false; // it started in the meantime
    m_control->cancelRequested = true;
    if (m_control->wake)
        m_control->wake();
    return true;
}

void Job::appendLog(const QString &line)
{
    m_log.append(line);
    emit logged(line);
}

void Job::sample()
{
    if (m_state == State::Queued && m_control->state.load() == Internal::JobControl::Running) {
        m_state = State::Running;
        emit stateChanged(m_state);
    }
    const qint64 total = m_control->total.load();
    const int percent =
        total > 0 ? int(std::min<qint64>(100, m_control->done.load() * 100 / total)) : -1;
    if (percent != m_progress) {
        m_progress = percent;
        emit progressChanged(percent);
    }
}

void Job::finish(Result<QList<ImageSummary>> outcome)
{
    if (m_state == State::Finished)
        return;
    sample();
    m_sampler->stop();
    m_outcome = std::move(outcome);
    if (m_outcome && m_progress != 100) {
        m_progress = 100;
        emit progressChanged(m_progress);
    }
    m_state = State::Finished;
    emit stateChanged(m_state);
    emit finished();
}

QCoro::Task<Result<QList<ImageSummary>>> Job::result()
{
    if (m_state != State::Finished) {
        QPointer<Job> self(this);
        co_await qCoro(this, &Job::finished);
        if (!self)
            co_return fail(ErrorCode::Cancelled, "the job was deleted before it finished");
    }
    // A copy: GCC 12 moves from a member named in co_return.
    Result<QList<ImageSummary>> outcome = m_outcome;
    co_return outcome;
}

} // namespace Berth
