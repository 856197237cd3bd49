#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace Berth::Internal {

// Lets one operation that changes the store run at a time in this process (LocalEngine says
// why). Waiting happens on worker threads, never on the GUI thread.
class ChangeQueue
{
public:
    // Blocks until it is this caller's turn. False (without the turn) when `cancelled` becomes
    // true or the queue is closed first.
    bool acquire(const std::atomic<bool> &cancelled);
    void release();
    // Makes waiters look at their cancellation flag again.
    void wake();
    // Makes every current and future acquire() fail: the engine is going away.
    void close();

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_busy = false;
    bool m_closed = false;
};

// Holds the turn for a scope.
class ChangeTurn
{
public:
    ChangeTurn(ChangeQueue &queue, const std::atomic<bool> &cancelled)
        : m_queue(queue)
        , m_held(queue.acquire(cancelled))
    {}
    ~ChangeTurn()
    {
        if (m_held)
            m_queue.release();
    }
    ChangeTurn(const ChangeTurn &) = delete;
    ChangeTurn &operator=(const ChangeTurn &) = delete;

    bool held() const { return m_held; }

private:
    ChangeQueue &m_queue;
    bool m_held;
};

} // namespace Berth::Internal
