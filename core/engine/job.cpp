#include "engine/job.h"

#include <QTimer>

namespace Berth {

namespace {

// The worker only counts bytes; the job reads the counters this often while it runs.
constexpr int s_sampleIntervalMs = 100;

// Waits on a JobEnd, which outlives the Job that fills it.
class JobEndAwaiter
{
public:
    explicit JobEndAwaiter(std::shared_ptr<Internal::JobEnd> end)
        : m_end(std::move(end))
    {}
    bool await_ready() const noexcept { return m_end->outcome.has_value(); }
    void await_suspend(std::coroutine_handle<> waiter) { m_end->waiters.push_back(waiter); }
    Result<QList<ImageSummary>> await_resume() const { return *m_end->outcome; }

private:
    std::shared_ptr<Internal::JobEnd> m_end;
};

} // namespace

namespace Internal {

bool JobControl::requestCancel()
{
    cancelRequested = true;
    for (int from : {Queued, Running}) {
        int expected = from;
        if (state.compare_exchange_strong(expected, Cancelled))
            return true;
    }
    return false;
}

bool JobControl::commit()
{
    int expected = Running;
    return state.compare_exchange_strong(expected, Done);
}

void JobEnd::settle(Result<QList<ImageSummary>> value)
{
    if (outcome)
        return;
    outcome = std::move(value);
    // From the event loop: a waiter resumed here could delete the Job that is settling.
    for (std::coroutine_handle<> waiter : std::exchange(waiters, {}))
        QTimer::singleShot(0, [waiter] { waiter.resume(); });
}

} // namespace Internal

Job::Job(Kind kind, QString subject, QObject *parent)
    : QObject(parent)
    , m_kind(kind)
    , m_subject(std::move(subject))
    , m_outcome(fail(ErrorCode::Internal, "the job has not finished"))
    , m_control(std::make_shared<Internal::JobControl>())
    , m_end(std::make_shared<Internal::JobEnd>())
    , m_sampler(new QTimer(this))
{
    m_sampler->setInterval(s_sampleIntervalMs);
    connect(m_sampler, &QTimer::timeout, this, &Job::sample);
    m_sampler->start();
}

Job::~Job()
{
    // Nobody will read what a worker still running produces.
    m_control->requestCancel();
    m_end->settle(fail(ErrorCode::Cancelled, "the job was deleted before it finished"));
}

bool Job::canCancel() const
{
    if (m_state == State::Finished || m_control->cancelRequested)
        return false;
    const int state = m_control->state.load();
    return state == Internal::JobControl::Queued || state == Internal::JobControl::Running;
}

bool Job::cancel()
{
    if (!canCancel())
        return false;
    m_control->cancelRequested = true;
    int expected = Internal::JobControl::Queued;
    if (m_control->state.compare_exchange_strong(expected, Internal::JobControl::Cancelled)) {
        // It never started: end now rather than once its turn comes. Queued, so that callers
        // see finished() after cancel() returns, as for a running job.
        QMetaObject::invokeMethod(
            this, [this] { finish(fail(ErrorCode::Cancelled, "cancelled before it started")); },
            Qt::QueuedConnection);
        return true;
    }
    return m_control->requestCancel();
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
    // At most 99 until finished: a load still unpacks layers once every byte is read.
    const qint64 total = m_control->total.load();
    const int percent =
        total > 0 ? int(std::min<qint64>(99, m_control->done.load() * 100 / total)) : -1;
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
    m_end->settle(m_outcome);
    emit finished();
}

QCoro::Task<Result<QList<ImageSummary>>> Job::result()
{
    // `this` is not touched after the co_await: the Job may be gone by then.
    JobEndAwaiter ending(m_end);
    auto outcome = co_await ending;
    co_return outcome;
}

} // namespace Berth
