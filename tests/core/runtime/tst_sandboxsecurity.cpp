#include "sandboxtesting.h"

#include <QSet>

#include <sys/stat.h>
#include <sys/sysmacros.h>

using namespace Berth;
using namespace Berth::Testing;

// What a container cannot do: capabilities, no_new_privs, seccomp, masked and read-only paths,
// and symlinks in an image or under a mount destination that try to reach the host.
class TestSandboxSecurity : public QObject
{
    Q_OBJECT

    BusyboxFixture m_box;
    QStringList m_mountsBefore;
    QStringList m_fdsBefore;

    ContainerRun sh(const std::string &script, std::vector<std::string> lowers = {})
    {
        return runContainer(m_box.spec({"sh", "-c", script}, std::move(lowers)));
    }

private slots:
    void initTestCase()
    {
        const QString why = m_box.setUp();
        if (!why.isEmpty() && ::geteuid() != 0)
            QSKIP(qPrintable(why));
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }
    void init()
    {
        m_mountsBefore = mountsUnder(m_box.root());
        m_fdsBefore = openFds();
    }
    void cleanup()
    {
        QCOMPARE(mountsUnder(m_box.root()), m_mountsBefore);
        QCOMPARE(openFds(), m_fdsBefore);
    }

    void capabilitiesAreDockersDefault()
    {
        const ContainerRun run = sh("grep ^Cap /proc/self/status");
        QCOMPARE(QString::fromStdString(run.out),
                 QString("CapInh:\t0000000000000000\nCapPrm:\t00000000a80425fb\n"
                         "CapEff:\t00000000a80425fb\nCapBnd:\t00000000a80425fb\n"
                         "CapAmb:\t0000000000000000\n"));
    }

    void noNewPrivsAndSeccompAreOn()
    {
        const ContainerRun run = sh("grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status");
        QCOMPARE(QString::fromStdString(run.out), QString("NoNewPrivs:\t1\nSeccomp:\t2\n"));
    }

    void seccompBlocksNamespacesAndMounts_data()
    {
        QTest::addColumn<QString>("script");
        QTest::newRow("unshare of a mount namespace is refused") << "unshare -m true";
        // Capabilities alone would allow a user namespace: only seccomp refuses this one.
        QTest::newRow("unshare of a user namespace is refused") << "unshare -U true";
        QTest::newRow("mount is refused") << "mount -t tmpfs none /mnt";
        QTest::newRow("umount is refused") << "umount /proc";
        QTest::newRow("setns is refused") << "nsenter -t 1 -m true";
    }
    void seccompBlocksNamespacesAndMounts()
    {
        QFETCH(QString, script);
        // Root in the container with CAP_SYS_ADMIN out of reach: the call itself fails.
        const ContainerRun run = sh(script.toStdString() + " 2>&1; echo status=$?");
        QVERIFY2(run.out.find("status=0") == std::string::npos, run.out.c_str());
        const QString out = QString::fromStdString(run.out);
        QVERIFY2(out.contains("not permitted") || out.contains("permission denied"),
                 run.out.c_str());
    }

    void allowedPersonalitiesWork()
    {
        const ContainerRun run = sh("linux32 uname -m; linux64 uname -m");
        QCOMPARE(QString::fromStdString(run.out), QString("i686\nx86_64\n"));
    }

    void maskedPathsAreHidden_data()
    {
        QTest::addColumn<QString>("path");
        for (const char *path : {"/proc/kcore", "/proc/keys", "/proc/timer_list",
                                 "/proc/sched_debug", "/proc/acpi", "/proc/scsi", "/sys/firmware"})
            QTest::newRow(path) << path;
    }
    void maskedPathsAreHidden()
    {
        QFETCH(QString, path);
        const QFileInfo host(path);
        if (!host.exists())
            QSKIP("this kernel has no such path");
        // A file becomes /dev/null, a directory an empty read-only tmpfs.
        const std::string p = path.toStdString();
        const ContainerRun run = host.isDir()
                                     ? sh("ls -A " + p + " | wc -l; touch " + p + "/x 2>&1")
                                     : sh("test -c " + p + " && echo masked; wc -c < " + p);
        const QString expected = host.isDir() ? "0\ntouch: " + path + "/x: Read-only file system\n"
                                              : QString("masked\n0\n");
        QCOMPARE(QString::fromStdString(run.out), expected);
    }

    void readOnlyPathsRefuseWrites_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("script");
        QTest::newRow("/sys") << "/sys/kernel"
                              << "touch /sys/kernel/berth";
        QTest::newRow("/proc/sys") << "/proc/sys/kernel/hostname"
                                   << "echo x > /proc/sys/kernel/hostname";
        QTest::newRow("/proc/irq") << "/proc/irq/default_smp_affinity"
                                   << "echo 1 > /proc/irq/default_smp_affinity";
        QTest::newRow("/proc/sysrq-trigger") << "/proc/sysrq-trigger"
                                             << "echo h > /proc/sysrq-trigger";
    }
    void readOnlyPathsRefuseWrites()
    {
        QFETCH(QString, path);
        QFETCH(QString, script);
        if (!QFileInfo::exists(path))
            QSKIP("this kernel has no such path");
        const ContainerRun run = sh("{ " + script.toStdString() + "; } 2>&1; echo status=$?");
        QVERIFY2(run.out.find("Read-only file system") != std::string::npos, run.out.c_str());
        QVERIFY2(run.out.find("status=0") == std::string::npos, run.out.c_str());
    }

    void devicesArePresent()
    {
        const ContainerRun run =
            sh("for d in null zero full random urandom tty; do test -c /dev/$d || echo $d; done; "
               "test -L /dev/ptmx && test -c /dev/pts/ptmx && test -d /dev/shm "
               "&& test -d /dev/mqueue && echo ok; head -c 4 /dev/zero | wc -c");
        QCOMPARE(QString::fromStdString(run.out), QString("ok\n4\n"));
    }

    void privateNetworkHasOnlyLoopback()
    {
        const ContainerRun run = sh("ls /sys/class/net");
        QCOMPARE(QString::fromStdString(run.out), QString("lo\n"));
    }

    void hostNetworkSeesTheHostsInterfaces()
    {
        Runtime::ContainerSpec spec = m_box.spec({"ls", "/sys/class/net"});
        spec.privateNetwork = false;
        const ContainerRun run = runContainer(spec);
        QStringList host = QDir("/sys/class/net")
                               .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System);
        QCOMPARE(QString::fromStdString(run.out).split('\n', Qt::SkipEmptyParts), host);
    }

    void etcFilesAreBound()
    {
        Runtime::ContainerSpec spec =
            m_box.spec({"cat", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf"});
        const std::string dir = m_box.newDir("etc");
        spec.hostsFile = dir + "/hosts";
        spec.hostnameFile = dir + "/hostname";
        spec.resolvConfFile = dir + "/resolv.conf";
        writeFile(spec.hostsFile, "127.0.0.1 localhost\n");
        writeFile(spec.hostnameFile, "berth-test\n");
        writeFile(spec.resolvConfFile, "nameserver 10.0.2.3\n");
        const ContainerRun run = runContainer(spec);
        QVERIFY2(run.started, run.error.c_str());
        QCOMPARE(QString::fromStdString(run.out),
                 QString("127.0.0.1 localhost\nberth-test\nnameserver 10.0.2.3\n"));
    }

    void readOnlyRootfsRefusesWrites()
    {
        Runtime::ContainerSpec spec =
            m_box.spec({"sh", "-c", "touch /x 2>&1; echo > /dev/shm/ok && echo shm"});
        spec.readOnlyRootfs = true;
        const ContainerRun run = runContainer(spec);
        QVERIFY2(run.out.find("Read-only file system") != std::string::npos, run.out.c_str());
        QVERIFY2(run.out.find("shm") != std::string::npos, run.out.c_str());
    }

    void workdirThroughProcSelfFdIsRefused()
    {
        Runtime::ContainerSpec spec = m_box.spec({"pwd"});
        spec.cwd = "/proc/self/fd/3";
        const ContainerRun run = runContainer(spec);
        QVERIFY(!run.started);
        QCOMPARE(run.failureStatus, 125);
        QVERIFY2(run.error.find("magic link") != std::string::npos, run.error.c_str());
        QCOMPARE(QString::fromStdString(run.out), QString());
    }

    void deviceNodesMadeOrShippedCannotBeOpened()
    {
        // The block device that holds the host's root file system: shipped by the image (made
        // here in a layer directory, as an unpack as root would) and made by the container with
        // CAP_MKNOD, in its root and in /dev. Opening any of them must fail.
        struct stat root;
        QCOMPARE(::stat("/", &root), 0);
        const unsigned major = ::major(root.st_dev), minor = ::minor(root.st_dev);
        const std::string image = m_box.newDir("image");
        QVERIFY(::mknod((image + "/disk").c_str(), S_IFBLK | 0666, root.st_dev) == 0);
        const std::string nums = std::to_string(major) + " " + std::to_string(minor);
        const ContainerRun run = sh("head -c1 /disk >/dev/null && echo shipped-opened; "
                                    "mknod /made b " +
                                        nums +
                                        " && head -c1 /made >/dev/null && "
                                        "echo made-opened; mknod /dev/made b " +
                                        nums +
                                        " && head -c1 /dev/made >/dev/null && echo dev-opened; "
                                        "head -c1 /dev/zero | wc -c",
                                    {image});
        QVERIFY2(run.started, run.error.c_str());
        QCOMPARE(QString::fromStdString(run.out), QString("1\n")); // only /dev/zero opened
        QCOMPARE(QString::fromStdString(run.err).count("Permission denied"), 3);
    }

    void aFifoAsEtcPasswdDoesNotHangTheStart()
    {
        // Read with every capability held, before the user switch: it must not block or open a
        // device. The user cannot be found in it, which is the error.
        const std::string image = m_box.newDir("image");
        QDir().mkpath(QString::fromStdString(image + "/etc"));
        QVERIFY(::mkfifo((image + "/etc/passwd").c_str(), 0644) == 0);
        auto spec = m_box.spec({"true"}, {image});
        spec.user = "app";
        const ContainerRun run = runContainer(spec);
        QVERIFY(!run.started);
        QCOMPARE(run.failureStatus, 125);
        QVERIFY2(run.error.find("app") != std::string::npos, run.error.c_str());
    }

    void imageDevSymlinkedToTheHostLeavesTheHostAlone()
    {
        const std::string host = m_box.newDir("hostdev");
        const std::string image = m_box.newDir("image");
        QVERIFY(::symlink(host.c_str(), (image + "/dev").c_str()) == 0);
        const ContainerRun run = sh("echo secret > /dev/null; ls /dev/null", {image});
        QVERIFY2(run.started, run.error.c_str());
        QCOMPARE(QString::fromStdString(run.out), QString("/dev/null\n"));
        QCOMPARE(countEntries(host), 0); // the tmpfs went inside the root, at its copy of the path
    }

    void imageDevNullSymlinkedToAHostFileLeavesItAlone()
    {
        const std::string host = m_box.newDir("hostnull");
        writeFile(host + "/file", "untouched\n");
        const std::string image = m_box.newDir("image");
        QDir().mkpath(QString::fromStdString(image + "/dev"));
        QVERIFY(::symlink((host + "/file").c_str(), (image + "/dev/null").c_str()) == 0);
        const ContainerRun run = sh("echo secret > /dev/null; echo ok", {image});
        QCOMPARE(QString::fromStdString(run.out), QString("ok\n"));
        QCOMPARE(QString::fromStdString(readFile(host + "/file")), QString("untouched\n"));
    }

    void bindDestinationSymlinkedOutsideLandsInside()
    {
        const std::string outside = m_box.newDir("outside");
        const std::string source = m_box.newDir("source");
        writeFile(source + "/marker", "bound\n");
        const std::string image = m_box.newDir("image");
        QVERIFY(::symlink(outside.c_str(), (image + "/data").c_str()) == 0);
        Runtime::ContainerSpec spec =
            m_box.spec({"sh", "-c", "cat /data/marker; touch /data/new 2>&1"}, {image});
        spec.mounts.push_back({source, "/data", true});
        const ContainerRun run = runContainer(spec);
        QVERIFY2(run.started, run.error.c_str());
        QVERIFY2(run.out.find("bound\n") == 0, run.out.c_str());
        QVERIFY2(run.out.find("Read-only file system") != std::string::npos, run.out.c_str());
        QCOMPARE(countEntries(outside), 0);
        QVERIFY(QFileInfo(QString::fromStdString(spec.upperDir + outside)).isDir());
    }

    void bindDestinationWithDotDotStaysInside()
    {
        const std::string source = m_box.newDir("source");
        writeFile(source + "/marker", "bound\n");
        Runtime::ContainerSpec spec = m_box.spec({"cat", "/escape/marker"});
        spec.mounts.push_back({source, "/../../../escape", false});
        const ContainerRun run = runContainer(spec);
        QCOMPARE(QString::fromStdString(run.out), QString("bound\n"));
    }
};

QTEST_GUILESS_MAIN(TestSandboxSecurity)
#include "tst_sandboxsecurity.moc"
