// The cgroup v2 code paths against a fake cgroup2 tree in a temporary directory: this machine
// binds every controller to v1, so the real kernel cannot exercise them.
#include "runtime/cgroup.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace Berth::Runtime;
using namespace std::chrono_literals;

class TestCgroupV2Fake : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::optional<CgroupLayout> m_layout;
    CgroupOptions m_options;

    QString top() const { return m_dir->filePath("sys/fs/cgroup"); }
    static QByteArray read(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed() : QByteArray("<missing>");
    }
    static void put(const QString &path, const QByteArray &text)
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(text);
    }
    QString dir(const Cgroup &cgroup) const
    {
        return QString::fromStdString(cgroup.path(Controller::Memory));
    }
    Cgroup create(const CgroupLimits &limits = {})
    {
        auto cgroup = Cgroup::create(*m_layout, "c0ffee", limits, m_options);
        if (!cgroup)
            qFatal("%s", cgroup.error().toString().c_str());
        return std::move(*cgroup);
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(QDir().mkpath(top()));
        put(top() + "/cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
        put(top() + "/cgroup.subtree_control", "");
        const std::string mountinfo = "35 24 0:30 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
        auto layout = CgroupLayout::parse(mountinfo, "0::/\n", m_dir->path().toStdString());
        QVERIFY(layout);
        m_layout = std::move(*layout);
        m_options = {};
        m_options.fakeTree = true;
        m_options.freezeTimeout = 50ms;
        m_options.killTimeout = 50ms;
    }

    void createEnablesControllersOnTheWayDownAndWritesTheLimits()
    {
        CgroupLimits limits;
        limits.memory = 64 << 20;
        limits.memoryReservation = 32 << 20;
        limits.cpuShares = 512;
        limits.setCpus(1.5);
        limits.pidsMax = 100;
        Cgroup cgroup = create(limits);
        QCOMPARE(dir(cgroup), top() + "/berth/c0ffee");
        QCOMPARE(cgroup.paths().size(), std::size_t(1));
        QCOMPARE(read(top() + "/cgroup.subtree_control"), "+cpu +io +memory +pids");
        QCOMPARE(read(top() + "/berth/cgroup.subtree_control"), "+cpu +io +memory +pids");
        const QString d = dir(cgroup);
        QCOMPARE(read(d + "/memory.max"), "67108864");
        QCOMPARE(read(d + "/memory.swap.max"), "67108864"); // memory+swap = 2 x memory
        QCOMPARE(read(d + "/memory.low"), "33554432");
        QCOMPARE(read(d + "/cpu.max"), "150000 100000");
        QCOMPARE(read(d + "/cpu.weight"), "20");
        QCOMPARE(read(d + "/pids.max"), "100");
    }

    void swapLimits_data()
    {
        QTest::addColumn<qint64>("memorySwap");
        QTest::addColumn<QByteArray>("swapMax");
        QTest::newRow("unlimited swap is max") << qint64(-1) << QByteArray("max");
        QTest::newRow("memory+swap of 96 MiB leaves 32 MiB of swap")
            << qint64(96 << 20) << QByteArray("33554432");
        QTest::newRow("memory+swap equal to memory forbids swap")
            << qint64(64 << 20) << QByteArray("0");
    }

    void swapLimits()
    {
        QFETCH(qint64, memorySwap);
        QFETCH(QByteArray, swapMax);
        CgroupLimits limits;
        limits.memory = 64 << 20;
        limits.memorySwap = memorySwap;
        QCOMPARE(read(dir(create(limits)) + "/memory.swap.max"), swapMax);
    }

    void invalidLimitsAreRefusedAndLeaveNothing_data()
    {
        QTest::addColumn<qint64>("memory");
        QTest::addColumn<qint64>("memorySwap");
        QTest::addColumn<QString>("message");
        QTest::newRow("swap below memory")
            << qint64(64 << 20) << qint64(32 << 20) << "is below the memory limit";
        QTest::newRow("swap without memory")
            << qint64(0) << qint64(32 << 20) << "needs a memory limit";
        QTest::newRow("memory below 6 MiB") << qint64(1 << 20) << qint64(0) << "minimum of 6 MiB";
    }

    void invalidLimitsAreRefusedAndLeaveNothing()
    {
        QFETCH(qint64, memory);
        QFETCH(qint64, memorySwap);
        QFETCH(QString, message);
        CgroupLimits limits;
        limits.memory = memory;
        limits.memorySwap = memorySwap;
        auto cgroup = Cgroup::create(*m_layout, "c0ffee", limits, m_options);
        QVERIFY(!cgroup);
        QVERIFY2(cgroup.error().toString().find(message.toStdString()) != std::string::npos,
                 cgroup.error().toString().c_str());
        QVERIFY(!QFileInfo::exists(top() + "/berth/c0ffee"));
    }

    void sharesConvertToWeightLikeRunc_data()
    {
        QTest::addColumn<quint64>("shares");
        QTest::addColumn<quint64>("weight");
        QTest::newRow("the minimum, 2, is weight 1") << quint64(2) << quint64(1);
        QTest::newRow("the default, 1024, is weight 39") << quint64(1024) << quint64(39);
        QTest::newRow("the maximum, 262144, is weight 10000") << quint64(262144) << quint64(10000);
    }

    void sharesConvertToWeightLikeRunc()
    {
        QFETCH(quint64, shares);
        QFETCH(quint64, weight);
        QCOMPARE(CgroupParse::sharesToWeight(shares), weight);
    }

    void addProcessWritesCgroupProcs()
    {
        Cgroup cgroup = create();
        QVERIFY(cgroup.addProcess(4242));
        QCOMPARE(read(dir(cgroup) + "/cgroup.procs"), "4242");
    }

    void statsAreParsedFromTheV2Files()
    {
        Cgroup cgroup = create();
        const QString d = dir(cgroup);
        put(d + "/cpu.stat", "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\n");
        put(d + "/memory.current", "50000000\n");
        put(d + "/memory.stat", "anon 30000000\nfile 20000000\ninactive_file 8000000\n"
                                "active_file 12000000\n");
        put(d + "/memory.max", "max\n");
        put(d + "/pids.current", "7\n");
        put(d + "/pids.max", "100\n");
        put(d + "/io.stat", "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n"
                            "8:16 rbytes=1000 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n");
        auto stats = cgroup.stats();
        QVERIFY2(stats, stats ? "" : stats.error().toString().c_str());
        QCOMPARE(stats->cpuUsageNs, quint64(1500000000));
        QCOMPARE(stats->memoryUsage, quint64(42000000)); // minus inactive_file
        QVERIFY(!stats->memoryLimit);                    // "max"
        QCOMPARE(stats->pidsCurrent, quint64(7));
        QCOMPARE(stats->pidsLimit.value_or(0), quint64(100));
        QCOMPARE(stats->blockRead, quint64(5096));
        QCOMPARE(stats->blockWrite, quint64(8192));
    }

    void oomKillComesFromMemoryEvents()
    {
        Cgroup cgroup = create();
        put(dir(cgroup) + "/memory.events", "low 0\nhigh 0\nmax 12\noom 1\noom_kill 0\n");
        QCOMPARE(cgroup.oomKilled().value_or(true), false); // hitting max is not a kill
        put(dir(cgroup) + "/memory.events", "low 0\nhigh 0\nmax 40\noom 2\noom_kill 1\n");
        QCOMPARE(cgroup.oomKilled().value_or(false), true);
    }

    void freezeWaitsForCgroupEventsFrozen()
    {
        Cgroup cgroup = create();
        put(dir(cgroup) + "/cgroup.events", "populated 1\nfrozen 1\n");
        QVERIFY(cgroup.freeze());
        QCOMPARE(read(dir(cgroup) + "/cgroup.freeze"), "1");
        QCOMPARE(cgroup.isFrozen().value_or(false), true);
    }

    void freezeThatNeverSettlesTimesOutAndThaws()
    {
        Cgroup cgroup = create();
        put(dir(cgroup) + "/cgroup.events", "populated 1\nfrozen 0\n");
        auto frozen = cgroup.freeze();
        QVERIFY(!frozen);
        QVERIFY2(frozen.error().message().find("not frozen after 50 ms") != std::string::npos,
                 frozen.error().message().c_str());
        QCOMPARE(read(dir(cgroup) + "/cgroup.freeze"), "0");
    }

    void killAllUsesCgroupKillAndReportsSurvivors()
    {
        Cgroup cgroup = create();
        put(dir(cgroup) + "/cgroup.kill", "");
        put(dir(cgroup) + "/cgroup.procs", "999999\n"); // the fake kernel never empties it
        auto killed = cgroup.killAll();
        QVERIFY(!killed);
        QCOMPARE(read(dir(cgroup) + "/cgroup.kill"), "1");
        QVERIFY2(killed.error().message().find("1 processes left after 50 ms (999999)") !=
                     std::string::npos,
                 killed.error().message().c_str());
    }

    void destroyAndPruneLeaveOnlyTheTop()
    {
        Cgroup cgroup = create();
        QVERIFY(cgroup.destroy());
        QVERIFY(!QFileInfo::exists(top() + "/berth/c0ffee"));
        Cgroup::pruneParent(*m_layout, m_options);
        QCOMPARE(QDir(top()).entryList(QDir::Dirs | QDir::NoDotAndDotDot), QStringList());
        QVERIFY(!Cgroup::open(*m_layout, "c0ffee", m_options));
    }

    void openFindsAnExistingCgroup()
    {
        Cgroup cgroup = create();
        auto found = Cgroup::open(*m_layout, "c0ffee", m_options);
        QVERIFY(found);
        QCOMPARE(found->paths(), cgroup.paths());
    }

    void aControllerNotDelegatedNamesTheLimitThatCannotApply()
    {
        put(top() + "/cgroup.controllers", "cpu pids\n");
        CgroupLimits limits;
        limits.memory = 64 << 20;
        auto cgroup = Cgroup::create(*m_layout, "c0ffee", limits, m_options);
        QVERIFY(!cgroup);
        const std::string message = cgroup.error().message();
        QVERIFY2(message.find("memory limit cannot apply: the memory controller is not "
                              "delegated") != std::string::npos,
                 message.c_str());
        QCOMPARE(cgroup.error().code(), Berth::ErrorCode::Unsupported);
        QVERIFY(!QFileInfo::exists(top() + "/berth/c0ffee"));
        limits.memory.reset();
        limits.pidsMax = 10; // what is delegated still applies
        auto partial = Cgroup::create(*m_layout, "c0ffee", limits, m_options);
        QVERIFY(partial);
        QCOMPARE(read(QString::fromStdString(partial->path(Controller::Pids)) + "/pids.max"), "10");
        QVERIFY(partial->path(Controller::Memory).empty());
    }

    void rootlessNestsUnderTheOwnCgroup()
    {
        const QString own = top() + "/user.slice/user@1000.service/app.slice/berth.scope";
        QVERIFY(QDir().mkpath(own));
        put(own + "/cgroup.controllers", "cpu memory pids\n");
        const std::string mountinfo = "35 24 0:30 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
        auto layout = CgroupLayout::parse(
            mountinfo, "0::/user.slice/user@1000.service/app.slice/berth.scope\n",
            m_dir->path().toStdString());
        QVERIFY(layout);
        m_options.underOwnCgroup = true;
        auto cgroup = Cgroup::create(*layout, "c0ffee", CgroupLimits{}, m_options);
        QVERIFY(cgroup);
        QCOMPARE(QString::fromStdString(cgroup->path(Controller::Memory)), own + "/berth/c0ffee");
        QCOMPARE(read(own + "/cgroup.subtree_control"), "+cpu +memory +pids");
    }
};

QTEST_GUILESS_MAIN(TestCgroupV2Fake)
#include "tst_cgroupv2fake.moc"
