#include "engine/changequeue.h"

namespace Berth::Internal {

bool ChangeQueue::acquire(const std::atomic<bool> &cancelled)
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return !m_busy || m_closed || cancelled.load(); });
    if (m_closed || cancelled.load())
        return false;
    m_busy = true;
    return true;
}

void ChangeQueue::release()
{
    {
        std::lock_guard lock(m_mutex);
        m_busy = false;
    }
    m_changed.notify_all();
}

void ChangeQueue::wake()
{
    // Taking the mutex orders the caller's flag store before the waiters' predicate check.
    {
        std::lock_guard lock(m_mutex);
    }
    m_changed.notify_all();
}

void ChangeQueue::close()
{
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
    }
    m_changed.notify_all();
}

} // namespace Berth::Internal
