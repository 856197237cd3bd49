#pragma once

// Helpers shared by the LocalEngine tests.

#include "engine/imagetypes.h"

#include <QFile>
#include <QSignalSpy>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

namespace Berth::Testing {

inline QStringList ids(const QList<ImageSummary> &images)
{
    QStringList out;
    for (const auto &image : images)
        out.append(image.id);
    return out;
}

// The first argument of each emission of an ImageSummary signal.
inline QList<ImageSummary> summaries(const QSignalSpy &spy)
{
    QList<ImageSummary> out;
    for (const auto &args : spy)
        out.append(args.at(0).value<ImageSummary>());
    return out;
}

inline bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

// Writes to a FIFO, from a thread of its own, a tar whose one file never ends, for as long as
// anyone reads it and until stop() or a deadline. The deadline turns a reader that is never
// stopped into a failed check (timedOut()) instead of a test that hangs.
class EndlessFifoWriter
{
public:
    EndlessFifoWriter(const QString &fifo, int deadlineMs)
    {
        ::signal(SIGPIPE, SIG_IGN); // a reader that goes away is an error from write(), not a kill
        m_thread = std::thread(
            [this, path = QFile::encodeName(fifo), deadlineMs] { run(path, deadlineMs); });
    }
    ~EndlessFifoWriter() { stop(); }
    void stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    bool timedOut() const { return m_timedOut; }

private:
    void run(const QByteArray &path, int deadlineMs)
    {
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(deadlineMs);
        const int fd = ::open(path.constData(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        // Without a reader yet, opening fails with ENXIO: try again until one comes.
        int writer = fd;
        while (writer < 0 && !m_stop && std::chrono::steady_clock::now() < deadline) {
            ::poll(nullptr, 0, 10);
            writer = ::open(path.constData(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        }
        // A header for an 8 GiB file, then zeros.
        std::string block(512, '\0');
        block.replace(0, 7, "endless");
        block.replace(100, 8, "0000644");
        block.replace(124, 12, "77777777777");
        block[156] = '0';
        std::memcpy(block.data() + 148, "        ", 8);
        unsigned sum = 0;
        for (unsigned char c : block)
            sum += c;
        std::snprintf(block.data() + 148, 8, "%06o", sum);
        std::string data = block + std::string(64 * 1024, '\0');
        std::size_t offset = 0;
        while (writer >= 0 && !m_stop) {
            if (std::chrono::steady_clock::now() >= deadline) {
                m_timedOut = true;
                break;
            }
            pollfd p{writer, POLLOUT, 0};
            if (::poll(&p, 1, 10) <= 0)
                continue;
            const ssize_t n = ::write(writer, data.data() + offset, data.size() - offset);
            if (n < 0 && errno != EAGAIN)
                break; // the reader is gone
            if (n > 0)
                offset += std::size_t(n);
            if (offset == data.size()) {
                data.assign(64 * 1024, '\0');
                offset = 0;
            }
        }
        if (writer >= 0)
            ::close(writer);
    }

    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_timedOut{false};
    std::thread m_thread;
};

} // namespace Berth::Testing
