// Real cgroups on this kernel (v1 or the hybrid mix; v2 where the machine has it), as root.
// Children are this binary in a helper mode, placed in the cgroup before they exec.
#include "runtime/cgroup.h"

#include <QFile>
#include <QtTest>

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

using namespace Berth::Runtime;
using namespace std::chrono_literals;

namespace {

// --- helper modes (run in the child after exec) ---

[[noreturn]] void hog(long mib)
{
    for (long i = 0; i < mib; ++i) {
        char *chunk = static_cast<char *>(std::malloc(1 << 20));
        if (!chunk)
            _exit(2);
        std::memset(chunk, int(i), 1 << 20);
    }
    _exit(0); // survived: the limit did not hold
}

double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

[[noreturn]] void burn()
{
    volatile unsigned long spin = 0;
    while (cpuSeconds() < 0.3)
        spin = spin + 1;
    char *memory = static_cast<char *>(std::malloc(24 << 20));
    std::memset(memory, 1, 24 << 20);
    (void)!write(1, "ready\n", 6);
    for (;;)
        pause();
}

[[noreturn]] void count(const char *path)
{
    const int fd = ::open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    for (long n = 1;; ++n) {
        char text[32];
        const int size = std::snprintf(text, sizeof text, "%020ld", n);
        (void)!pwrite(fd, text, size_t(size), 0);
        usleep(1000);
    }
}

// Refuses to run unless a pids limit holds it: a bug must not fork-bomb the machine.
[[noreturn]] void forkBomb(const char *pidsMaxFile)
{
    char text[32] = {};
    const int fd = ::open(pidsMaxFile, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || read(fd, text, sizeof text - 1) <= 0 || std::strncmp(text, "max", 3) == 0)
        _exit(3);
    for (;;)
        if (fork() < 0)
            usleep(1000);
}

// As an unprivileged user: prints why a memory limit cannot apply.
int tryUndelegated(const char *parent)
{
    auto layout = CgroupLayout::detect();
    if (!layout)
        return 65;
    CgroupOptions options;
    options.parent = parent;
    CgroupLimits limits;
    limits.memory = 64 << 20;
    auto cgroup = Cgroup::create(*layout, "undelegated", limits, options);
    const std::string text = cgroup ? "created" : cgroup.error().toString();
    (void)!write(1, text.data(), text.size());
    return 0;
}

int runHelper(int argc, char **argv)
{
    const std::string mode = argv[2];
    if (mode == "hog" && argc > 3)
        hog(std::atol(argv[3]));
    if (mode == "burn")
        burn();
    if (mode == "count" && argc > 3)
        count(argv[3]);
    if (mode == "forkbomb" && argc > 3)
        forkBomb(argv[3]);
    if (mode == "undelegated" && argc > 3 && setgid(65534) == 0 && setuid(65534) == 0)
        return tryUndelegated(argv[3]);
    return 64;
}

// --- the parent side ---

struct Child
{
    pid_t pid = -1;
    int out = -1; // the child's stdout
};

Child spawn(const Cgroup &cgroup, const QStringList &args)
{
    std::vector<std::string> strings{QCoreApplication::applicationFilePath().toStdString(),
                                     "--helper"};
    for (const QString &arg : args)
        strings.push_back(arg.toStdString());
    std::vector<char *> argv;
    for (std::string &s : strings)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    int sync[2], out[2];
    if (pipe2(sync, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0)
        return {};
    const pid_t pid = fork();
    if (pid == 0) {
        char go = 0;
        if (read(sync[0], &go, 1) != 1)
            _exit(126);
        dup2(out[1], 1);
        execv(argv[0], argv.data());
        _exit(127);
    }
    ::close(sync[0]);
    ::close(out[1]);
    const auto added = cgroup.addProcess(pid);
    if (added)
        (void)!write(sync[1], "x", 1);
    else
        qWarning("%s", added.error().toString().c_str());
    ::close(sync[1]);
    return {pid, out[0]};
}

// The wait status of `pid`, or -1 after `timeout`.
int waitExit(pid_t pid, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid)
            return status;
        usleep(2000);
    }
    return -1;
}

// Reaps orphans this process inherited as subreaper (a fork bomb's children).
void reapOrphans()
{
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
}

std::string readText(const std::string &path)
{
    QFile file(QString::fromStdString(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed().toStdString() : "<missing>";
}

long counterValue(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed().toLong() : 0;
}

// Kills a child and removes its cgroup whatever the test did, so no cgroup outlives a failure.
struct Cleanup
{
    std::optional<Cgroup> cgroup;
    Child child;
    ~Cleanup()
    {
        if (child.pid > 0) {
            ::kill(child.pid, SIGKILL);
            waitpid(child.pid, nullptr, 0);
        }
        if (child.out >= 0)
            ::close(child.out);
        if (cgroup)
            if (auto removed = cgroup->destroy(); !removed)
                qWarning("cleanup: %s", removed.error().toString().c_str());
        reapOrphans();
    }
};

} // namespace

class TestCgroup : public QObject
{
    Q_OBJECT

private:
    std::optional<CgroupLayout> m_layout;
    CgroupOptions m_options;
    QTemporaryDir m_dir;
    int m_serial = 0;

    std::string nextId()
    {
        return "t" + std::to_string(::getpid()) + "-" + std::to_string(++m_serial);
    }

    Cgroup make(const CgroupLimits &limits)
    {
        auto cgroup = Cgroup::create(*m_layout, nextId(), limits, m_options);
        if (!cgroup)
            qFatal("%s", cgroup.error().toString().c_str());
        return std::move(*cgroup);
    }

    bool unified(Controller c) const { return m_layout->find(c)->unified; }

private slots:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QSKIP("needs root: the test makes cgroups under /sys/fs/cgroup");
        auto layout = CgroupLayout::detect();
        QVERIFY2(layout, layout ? "" : layout.error().toString().c_str());
        m_layout = std::move(*layout);
        m_options.parent = "berth-test-" + std::to_string(::getpid());
        QVERIFY(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
        qInfo("cgroup mode: %s", cgroupModeName(m_layout->mode()));
    }

    void cleanupTestCase()
    {
        if (m_layout) {
            Cgroup::pruneParent(*m_layout, m_options);
            for (const CgroupHierarchy *h : m_layout->used())
                QVERIFY(!QFileInfo::exists(
                    QString::fromStdString(h->mountPoint + "/" + m_options.parent)));
        }
    }

    void createAndDestroyLeaveNothingInAnyHierarchy()
    {
        Cgroup cgroup = make({});
        QCOMPARE(cgroup.paths().size(), m_layout->used().size());
        for (const std::string &path : cgroup.paths())
            QVERIFY2(QFileInfo::exists(QString::fromStdString(path)), path.c_str());
        QVERIFY(cgroup.destroy());
        for (const CgroupHierarchy &h : m_layout->hierarchies()) {
            const QString path =
                QString::fromStdString(h.mountPoint + "/" + m_options.parent + "/" + cgroup.id());
            QVERIFY2(!QFileInfo::exists(path), qPrintable(path));
        }
    }

    void limitsAreWrittenToTheKernelFiles()
    {
        CgroupLimits limits;
        limits.memory = 32 << 20;
        limits.memoryReservation = 16 << 20;
        limits.cpuShares = 512;
        limits.setCpus(0.5);
        limits.pidsMax = 20;
        Cleanup guard{make(limits), {}};
        const Cgroup &cg = *guard.cgroup;
        const std::string mem = cg.path(Controller::Memory) + "/";
        const std::string cpu = cg.path(Controller::Cpu) + "/";
        if (unified(Controller::Memory)) {
            QCOMPARE(readText(mem + "memory.max"), std::string("33554432"));
            QCOMPARE(readText(mem + "memory.low"), std::string("16777216"));
        } else {
            QCOMPARE(readText(mem + "memory.limit_in_bytes"), std::string("33554432"));
            QCOMPARE(readText(mem + "memory.soft_limit_in_bytes"), std::string("16777216"));
            if (QFile::exists(QString::fromStdString(mem + "memory.memsw.limit_in_bytes")))
                QCOMPARE(readText(mem + "memory.memsw.limit_in_bytes"), std::string("67108864"));
            else
                QVERIFY(!cg.warnings().empty()); // "swap limit cannot apply"
        }
        if (unified(Controller::Cpu)) {
            QCOMPARE(readText(cpu + "cpu.max"), std::string("50000 100000"));
            QCOMPARE(readText(cpu + "cpu.weight"), std::string("20"));
        } else {
            QCOMPARE(readText(cpu + "cpu.cfs_quota_us"), std::string("50000"));
            QCOMPARE(readText(cpu + "cpu.cfs_period_us"), std::string("100000"));
            QCOMPARE(readText(cpu + "cpu.shares"), std::string("512"));
        }
        QCOMPARE(readText(cg.path(Controller::Pids) + "/pids.max"), std::string("20"));
    }

    void aChildIsPlacedInEveryHierarchy()
    {
        Cleanup guard{make({}), {}};
        const QString counter = m_dir.filePath("placed");
        guard.child = spawn(*guard.cgroup, {"count", counter});
        QVERIFY(guard.child.pid > 0);
        for (const std::string &path : guard.cgroup->paths())
            QCOMPARE(readText(path + "/cgroup.procs"), std::to_string(guard.child.pid));
        QTRY_VERIFY(counterValue(counter) > 0); // it runs after the exec
        QCOMPARE(guard.cgroup->processes().value_or(std::vector<pid_t>{}),
                 std::vector<pid_t>{guard.child.pid});
    }

    void aMemoryHogIsKilledByTheKernelAndReportedAsOom()
    {
        CgroupLimits limits;
        limits.memory = 32 << 20;
        Cleanup guard{make(limits), {}};
        QCOMPARE(guard.cgroup->oomKilled().value_or(true), false);
        guard.child = spawn(*guard.cgroup, {"hog", "200"});
        const int status = waitExit(guard.child.pid, 30s);
        QVERIFY2(status != -1, "the hog neither finished nor died within 30 s");
        guard.child.pid = -1;
        QVERIFY2(WIFSIGNALED(status), qPrintable(QString("exit status %1").arg(status)));
        QCOMPARE(WTERMSIG(status), SIGKILL);
        QCOMPARE(guard.cgroup->oomKilled().value_or(false), true);
    }

    void aForkBombIsContainedAndEveryProcessReaped()
    {
        CgroupLimits limits;
        limits.pidsMax = 20;
        Cleanup guard{make(limits), {}};
        const std::string pidsMax = guard.cgroup->path(Controller::Pids) + "/pids.max";
        guard.child = spawn(*guard.cgroup, {"forkbomb", QString::fromStdString(pidsMax)});
        const auto current = [&] {
            return guard.cgroup->stats().value_or(CgroupStats{}).pidsCurrent;
        };
        QTRY_COMPARE_WITH_TIMEOUT(current(), quint64(20), 10000);
        QVERIFY(guard.cgroup->processes().value_or(std::vector<pid_t>{}).size() <= 20);
        auto killed = guard.cgroup->killAll();
        QVERIFY2(killed, killed ? "" : killed.error().toString().c_str());
        QVERIFY(guard.cgroup->processes().value_or(std::vector<pid_t>{1}).empty());
        QVERIFY(waitExit(guard.child.pid, 5s) != -1);
        guard.child.pid = -1;
        reapOrphans();
        const std::vector<std::string> paths = guard.cgroup->paths();
        auto destroyed = guard.cgroup->destroy();
        QVERIFY2(destroyed, destroyed ? "" : destroyed.error().toString().c_str());
        for (const std::string &path : paths)
            QVERIFY2(!QFileInfo::exists(QString::fromStdString(path)), path.c_str());
    }

    void freezeStopsProgressAndThawResumesIt()
    {
        Cleanup guard{make({}), {}};
        const QString counter = m_dir.filePath("frozen");
        guard.child = spawn(*guard.cgroup, {"count", counter});
        QTRY_VERIFY(counterValue(counter) > 0);
        auto frozen = guard.cgroup->freeze();
        QVERIFY2(frozen, frozen ? "" : frozen.error().toString().c_str());
        QCOMPARE(guard.cgroup->isFrozen().value_or(false), true);
        const long stopped = counterValue(counter);
        // A running child advances the counter every millisecond or so.
        const auto until = std::chrono::steady_clock::now() + 300ms;
        while (std::chrono::steady_clock::now() < until)
            QCOMPARE(counterValue(counter), stopped);
        QVERIFY(guard.cgroup->thaw());
        QCOMPARE(guard.cgroup->isFrozen().value_or(true), false);
        QTRY_VERIFY(counterValue(counter) > stopped);
        QVERIFY(guard.cgroup->freeze());
        auto destroyed = guard.cgroup->destroy(); // a paused container can be removed
        QVERIFY2(destroyed, destroyed ? "" : destroyed.error().toString().c_str());
        QVERIFY(waitExit(guard.child.pid, 5s) != -1);
        guard.child.pid = -1;
    }

    void aLimitThatCannotApplySaysWhichAndWhy()
    {
        Cleanup guard{make({}), {}}; // the parent exists, owned by root
        guard.child =
            spawn(*guard.cgroup, {"undelegated", QString::fromStdString(m_options.parent)});
        const int status = waitExit(guard.child.pid, 10s);
        guard.child.pid = -1;
        QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        char text[1024] = {};
        QVERIFY(read(guard.child.out, text, sizeof text - 1) > 0);
        QVERIFY2(std::strstr(text, "memory limit cannot apply: cgroups are not delegated to uid "
                                   "65534") &&
                     std::strstr(text, "Permission denied"),
                 text);
    }

    void statsAreNonZeroAfterTheChildBurnsCpuAndMemory()
    {
        CgroupLimits limits;
        limits.memory = 64 << 20;
        limits.pidsMax = 10;
        Cleanup guard{make(limits), {}};
        guard.child = spawn(*guard.cgroup, {"burn"});
        pollfd ready{guard.child.out, POLLIN, 0};
        QVERIFY2(poll(&ready, 1, 20000) == 1, "the child did not finish burning in 20 s");
        auto stats = guard.cgroup->stats();
        QVERIFY2(stats, stats ? "" : stats.error().toString().c_str());
        QVERIFY2(stats->cpuUsageNs >= 250'000'000, qPrintable(QString::number(stats->cpuUsageNs)));
        QVERIFY2(stats->memoryUsage >= 20u << 20, qPrintable(QString::number(stats->memoryUsage)));
        QCOMPARE(stats->memoryLimit.value_or(0), quint64(64 << 20));
        QCOMPARE(stats->pidsCurrent, quint64(1));
        QCOMPARE(stats->pidsLimit.value_or(0), quint64(10));
        QCOMPARE(guard.cgroup->oomKilled().value_or(true), false);
    }
};

int main(int argc, char **argv)
{
    if (argc > 2 && std::strcmp(argv[1], "--helper") == 0)
        return runHelper(argc, argv);
    QCoreApplication app(argc, argv);
    TestCgroup test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_cgroup.moc"
