#pragma once

// Runs real containers from a busybox image made once per test run; checks that none of them
// leaves a mount or a file descriptor behind in the test process.

#include "runtime/sandbox.h"
#include "store/bootstrap.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

namespace Berth::Testing {

// What a container did.
struct ContainerRun
{
    bool started = false;
    std::string error;     // start()'s error, when it failed
    int failureStatus = 0; // 125/126/127 when start() failed
    int status = -1;       // the process's exit status
    std::string out;
    std::string err;
};

inline std::string readAll(int fd)
{
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;)
        text.append(buffer, std::size_t(n));
    return text;
}

inline std::string readFile(const std::string &path)
{
    QFile file(QString::fromStdString(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll().toStdString() : std::string("<none>");
}

inline void writeFile(const std::string &path, const std::string &text)
{
    QDir().mkpath(QFileInfo(QString::fromStdString(path)).path());
    QFile file(QString::fromStdString(path));
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text.data(), qint64(text.size()));
}

inline int countEntries(const std::string &dir)
{
    return int(QDir(QString::fromStdString(dir))
                   .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System)
                   .size());
}

// Runs `spec` to its end, capturing stdout and stderr (small outputs: they fit in the pipes).
inline ContainerRun runContainer(Runtime::ContainerSpec spec)
{
    ContainerRun run;
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0)
        return run;
    spec.stdoutFd = out[1];
    spec.stderrFd = err[1];
    auto sandbox = Runtime::Sandbox::create(spec);
    ::close(out[1]);
    ::close(err[1]);
    if (!sandbox) {
        run.error = sandbox.error().toString();
    } else {
        auto started = sandbox->start();
        run.started = bool(started);
        if (!started) {
            run.error = started.error().toString();
            run.failureStatus = sandbox->failureStatus();
        }
        auto status = sandbox->wait();
        run.status = status ? *status : -1;
    }
    run.out = readAll(out[0]);
    run.err = readAll(err[0]);
    ::close(out[0]);
    ::close(err[0]);
    return run;
}

// The mounts of this process that mention `dir`, and its open descriptors.
inline QStringList mountsUnder(const QString &dir)
{
    QFile file("/proc/self/mountinfo");
    if (!file.open(QIODevice::ReadOnly))
        return {"<cannot read /proc/self/mountinfo>"};
    QStringList lines;
    for (const QByteArray &line : file.readAll().split('\n'))
        if (line.contains(dir.toUtf8()))
            lines << QString::fromUtf8(line);
    return lines;
}

inline QStringList openFds()
{
    return QDir("/proc/self/fd").entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System);
}

// A busybox image unpacked once; each container gets fresh upper, work and rootfs directories.
class BusyboxFixture
{
public:
    // Empty when the fixture is ready, else why it is not.
    QString setUp()
    {
        if (::geteuid() != 0)
            return "containers need root; rootless is not implemented yet";
        if (!m_dir.isValid())
            return "no temporary directory";
        auto store = Store::ImageStore::open(path("store"));
        if (!store)
            return QString::fromStdString(store.error().toString());
        auto image = Store::bootstrapBusybox(*store);
        if (!image)
            return QString::fromStdString(image.error().toString());
        const QStringList layers = QDir(QString::fromStdString(path("store/layers")))
                                       .entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        if (layers.size() != 1)
            return "expected one unpacked layer, found " + QString::number(layers.size());
        m_layer = path("store/layers/" + layers.front().toStdString());
        return {};
    }

    std::string path(const std::string &name) const
    {
        return m_dir.filePath(QString::fromStdString(name)).toStdString();
    }
    QString root() const { return m_dir.path(); }
    const std::string &layer() const { return m_layer; }

    // A spec running `args` on the busybox layer (below `extraLowers`), with its own dirs.
    Runtime::ContainerSpec spec(std::vector<std::string> args,
                                std::vector<std::string> extraLowers = {})
    {
        const std::string dir = path("c" + std::to_string(++m_containers));
        Runtime::ContainerSpec spec;
        spec.lowerDirs = std::move(extraLowers);
        spec.lowerDirs.push_back(m_layer);
        spec.upperDir = dir + "/upper";
        spec.workDir = dir + "/work";
        spec.rootfs = dir + "/rootfs";
        for (const std::string &d : {spec.upperDir, spec.workDir, spec.rootfs})
            QDir().mkpath(QString::fromStdString(d));
        spec.args = std::move(args);
        spec.hostname = "berth-test";
        return spec;
    }

    // A new, empty directory for a test's own lower layer or host files.
    std::string newDir(const std::string &name)
    {
        const std::string dir = path(name + std::to_string(++m_containers));
        QDir().mkpath(QString::fromStdString(dir));
        return dir;
    }

private:
    QTemporaryDir m_dir;
    std::string m_layer;
    int m_containers = 0;
};

} // namespace Berth::Testing
