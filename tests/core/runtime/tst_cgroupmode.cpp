#include "runtime/cgroupmode.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace Berth::Runtime;

namespace {

// This machine: v1 controllers (cpu and cpuacct apart) and a v2 mount owning hugetlb only.
const char s_hybridHere[] =
    "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
    "33 30 0:30 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset\n"
    "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "36 30 0:33 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer\n"
    "37 30 0:34 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio\n"
    "38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
    "39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"
    "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
const char s_hybridHereSelf[] = "9:name=systemd:/\n8:pids:/\n4:memory:/process_api/15ad\n"
                                "2:cpuacct:/\n1:cpu:/\n0::/\n";

// An older systemd distribution: cpu,cpuacct mounted together, no v2 at all.
const char s_v1[] =
    "25 18 0:22 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755\n"
    "27 25 0:24 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd\n"
    "30 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
    "31 25 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
    "32 25 0:29 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
    "33 25 0:30 / /sys/fs/cgroup/blkio rw - cgroup cgroup rw,blkio\n"
    "34 25 0:31 / /sys/fs/cgroup/freezer rw - cgroup cgroup rw,freezer\n"
    "35 25 0:32 / /sys/fs/cgroup/net_cls,net_prio rw - cgroup cgroup rw,net_cls,net_prio\n";
const char s_v1Self[] = "5:freezer:/\n4:blkio:/user.slice\n3:pids:/user.slice/user-1000.slice\n"
                        "2:cpu,cpuacct:/user.slice\n1:name=systemd:/user.slice/session-2.scope\n";

// A current desktop: one cgroup2 mount (the bind mount of the same one is ignored).
const char s_v2[] = "35 24 0:30 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
                    "99 24 0:30 / /mnt/cg\\040copy rw - cgroup2 cgroup2 rw,nsdelegate\n";
const char s_v2Self[] = "0::/user.slice/user-1000.slice/user@1000.service/app.slice/berth.scope\n";

// Hybrid without a v1 freezer: the v2 mount provides cgroup.freeze and cpu.stat.
const char s_hybridNoFreezer[] = "31 30 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
                                 "32 30 0:29 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
                                 "33 30 0:30 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n";

} // namespace

class TestCgroupMode : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    void writeControllers(const QString &mount, const QByteArray &names)
    {
        QVERIFY(QDir().mkpath(m_dir.filePath(mount)));
        QFile file(m_dir.filePath(mount + "/cgroup.controllers"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(names + "\n");
    }
    std::string prefix() const { return m_dir.path().toStdString(); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        writeControllers("sys/fs/cgroup", "cpuset cpu io memory hugetlb pids rdma misc");
        writeControllers("sys/fs/cgroup/unified", "hugetlb");
    }

    void hybridUsesV1ForEverythingTheV2MountDoesNotOwn()
    {
        auto layout = CgroupLayout::parse(s_hybridHere, s_hybridHereSelf, prefix());
        QVERIFY2(layout, layout ? "" : layout.error().toString().c_str());
        QCOMPARE(layout->mode(), CgroupMode::Hybrid);
        const std::string top = prefix() + "/sys/fs/cgroup/";
        QCOMPARE(layout->find(Controller::Memory)->mountPoint, top + "memory");
        QCOMPARE(layout->find(Controller::Cpu)->mountPoint, top + "cpu");
        QCOMPARE(layout->find(Controller::CpuAcct)->mountPoint, top + "cpuacct");
        QCOMPARE(layout->find(Controller::Freezer)->mountPoint, top + "freezer");
        QCOMPARE(layout->find(Controller::Io)->mountPoint, top + "blkio");
        QCOMPARE(layout->find(Controller::Pids)->mountPoint, top + "pids");
        QCOMPARE(layout->find(Controller::Memory)->ownPath, std::string("/process_api/15ad"));
        QCOMPARE(layout->used().size(), std::size_t(6)); // cpuset, name=systemd and v2: unused
        for (const CgroupHierarchy *h : layout->used())
            QVERIFY(!h->unified);
    }

    void hybridWithoutV1FreezerFreezesThroughTheV2Mount()
    {
        auto layout = CgroupLayout::parse(s_hybridNoFreezer, "0::/\n", prefix());
        QVERIFY(layout);
        QCOMPARE(layout->mode(), CgroupMode::Hybrid);
        QVERIFY(layout->find(Controller::Freezer)->unified);
        QVERIFY(layout->find(Controller::CpuAcct)->unified);
        QVERIFY(!layout->find(Controller::Memory)->unified);
        QVERIFY(!layout->find(Controller::Cpu)); // v2 mount owns hugetlb only
        QCOMPARE(layout->used().size(), std::size_t(3));
    }

    void v1CoMountedCpuAndCpuacctIsOneHierarchy()
    {
        auto layout = CgroupLayout::parse(s_v1, s_v1Self, prefix());
        QVERIFY(layout);
        QCOMPARE(layout->mode(), CgroupMode::V1);
        QCOMPARE(layout->find(Controller::Cpu), layout->find(Controller::CpuAcct));
        QCOMPARE(layout->find(Controller::Cpu)->ownPath, std::string("/user.slice"));
        QCOMPARE(layout->find(Controller::Pids)->ownPath,
                 std::string("/user.slice/user-1000.slice"));
        QCOMPARE(layout->used().size(), std::size_t(5));
    }

    void v2ControllersComeFromTheRootsCgroupControllers()
    {
        auto layout = CgroupLayout::parse(s_v2, s_v2Self, prefix());
        QVERIFY(layout);
        QCOMPARE(layout->mode(), CgroupMode::V2);
        QCOMPARE(layout->hierarchies().size(), std::size_t(1)); // the bind mount is the same fs
        const CgroupHierarchy *h = layout->find(Controller::Memory);
        QVERIFY(h && h->unified);
        QCOMPARE(h->mountPoint, prefix() + "/sys/fs/cgroup");
        QCOMPARE(
            h->ownPath,
            std::string("/user.slice/user-1000.slice/user@1000.service/app.slice/berth.scope"));
        QCOMPARE(layout->find(Controller::Freezer), h);
        QCOMPARE(layout->find(Controller::Io), h);
        QCOMPARE(layout->used().size(), std::size_t(1));
    }

    void ownPathIsRelativeToABindMountedRoot()
    {
        const char mountinfo[] = "40 30 0:37 /user.slice /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
        auto layout = CgroupLayout::parse(mountinfo, "0::/user.slice/berth.scope\n", prefix());
        QVERIFY(layout);
        QCOMPARE(layout->hierarchies()[0].ownPath, std::string("/berth.scope"));
    }

    void escapedMountPointsAreDecoded()
    {
        const char mountinfo[] = "31 30 0:28 / /cg\\040v1/memory rw - cgroup cgroup rw,memory\n";
        auto layout = CgroupLayout::parse(mountinfo, "1:memory:/\n");
        QVERIFY(layout);
        QCOMPARE(layout->find(Controller::Memory)->mountPoint, std::string("/cg v1/memory"));
    }

    void noCgroupMountIsAClearError()
    {
        auto layout = CgroupLayout::parse("22 1 0:5 / /proc rw - proc proc rw\n", "");
        QVERIFY(!layout);
        QVERIFY(layout.error().message().find("no cgroup file system") != std::string::npos);
    }

    void detectsThisMachine()
    {
        auto layout = CgroupLayout::detect();
        QVERIFY2(layout, layout ? "" : layout.error().toString().c_str());
        QVERIFY(layout->find(Controller::Memory));
        QVERIFY(layout->find(Controller::Freezer));
    }
};

QTEST_GUILESS_MAIN(TestCgroupMode)
#include "tst_cgroupmode.moc"
