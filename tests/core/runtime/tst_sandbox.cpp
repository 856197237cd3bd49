#include "sandboxtesting.h"

using namespace Berth;
using namespace Berth::Testing;

// A container's first process as Docker starts it: output, exit codes, PID 1, hostname, user,
// working directory, environment, the overlay's upper directory.
class TestSandbox : public QObject
{
    Q_OBJECT

    BusyboxFixture m_box;
    QStringList m_mountsBefore;
    QStringList m_fdsBefore;

    ContainerRun sh(const std::string &script)
    {
        return runContainer(m_box.spec({"sh", "-c", script}));
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

    void theProcessLeadsItsOwnSession()
    {
        // Field 6 of /proc/1/stat is the session: PID 1's own once it called setsid(); the
        // caller's session would show as 0 from inside the PID namespace.
        const ContainerRun run = sh("cut -d' ' -f6 /proc/1/stat");
        QVERIFY2(run.started, run.error.c_str());
        QCOMPARE(QString::fromStdString(run.out), QString("1\n"));
    }

    void echoPrintsHello()
    {
        const ContainerRun run = runContainer(m_box.spec({"echo", "hello"}));
        QVERIFY2(run.started, run.error.c_str());
        QCOMPARE(run.status, 0);
        QCOMPARE(QString::fromStdString(run.out), QString("hello\n"));
        QCOMPARE(QString::fromStdString(run.err), QString());
    }

    void exitStatusIsDockers_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("started");
        QTest::newRow("a command that succeeds gives 0") << QStringList{"true"} << 0 << true;
        QTest::newRow("a command's own status is kept")
            << QStringList{"sh", "-c", "exit 3"} << 3 << true;
        QTest::newRow("a file that is not executable gives 126")
            << QStringList{"/etc/passwd"} << 126 << false;
        QTest::newRow("a directory gives 126") << QStringList{"/etc"} << 126 << false;
        QTest::newRow("a command missing from PATH gives 127")
            << QStringList{"no-such-command"} << 127 << false;
        QTest::newRow("a missing absolute path gives 127")
            << QStringList{"/no/such"} << 127 << false;
        // An unknown user fails in setup, before exec: the engine's 125.
        QTest::newRow("a setup failure gives 125") << QStringList{"true"} << 125 << false;
    }
    void exitStatusIsDockers()
    {
        QFETCH(QStringList, args);
        QFETCH(int, status);
        QFETCH(bool, started);
        std::vector<std::string> argv;
        for (const QString &arg : args)
            argv.push_back(arg.toStdString());
        Runtime::ContainerSpec spec = m_box.spec(argv);
        if (status == 125)
            spec.user = "no-such-user";
        const ContainerRun run = runContainer(spec);
        QCOMPARE(run.started, started);
        QCOMPARE(run.status, status);
        if (!started) {
            QCOMPARE(run.failureStatus, status);
            QVERIFY(!run.error.empty());
        }
    }

    void aSignalGives128PlusN()
    {
        auto sandbox = Runtime::Sandbox::create(m_box.spec({"sleep", "100"}));
        QVERIFY2(sandbox, sandbox ? "" : sandbox.error().toString().c_str());
        QVERIFY(sandbox->pid() > 0);
        auto started = sandbox->start();
        QVERIFY2(started, started ? "" : started.error().toString().c_str());
        QVERIFY(sandbox->kill(SIGKILL));
        auto status = sandbox->wait();
        QVERIFY(status);
        QCOMPARE(*status, 137);
    }

    void aSandboxDestroyedBeforeStartLeavesNothing()
    {
        Runtime::ContainerSpec spec = m_box.spec({"touch", "/ran"});
        {
            auto sandbox = Runtime::Sandbox::create(spec);
            QVERIFY(sandbox);
        }
        QVERIFY(!QFile::exists(QString::fromStdString(spec.upperDir + "/ran")));
    }

    void theCallerWorksBetweenCreateAndStart()
    {
        // As the engine puts the pid into cgroups: here it only checks the child is waiting
        // in its own namespaces before it runs anything.
        auto sandbox = Runtime::Sandbox::create(m_box.spec({"true"}));
        QVERIFY(sandbox);
        const QString self = QFile::symLinkTarget("/proc/self/ns/pid");
        const QString child =
            QFile::symLinkTarget("/proc/" + QString::number(sandbox->pid()) + "/ns/pid");
        QVERIFY(!child.isEmpty() && child != self);
        QVERIFY(sandbox->start());
        QCOMPARE(*sandbox->wait(), 0);
    }

    void setupErrorsSayWhatFailedWhere()
    {
        Runtime::ContainerSpec spec = m_box.spec({"true"});
        spec.lowerDirs = {m_box.path("no-such-layer")};
        const ContainerRun run = runContainer(spec);
        QCOMPARE(run.failureStatus, 125);
        QCOMPARE(QString::fromStdString(run.error),
                 QString("mount overlay on \"%1\": No such file or directory")
                     .arg(QString::fromStdString(spec.rootfs)));
    }

    void notFoundMessageNamesTheCommand()
    {
        const ContainerRun run = runContainer(m_box.spec({"no-such-command"}));
        QCOMPARE(QString::fromStdString(run.error),
                 QString("exec: \"no-such-command\": executable file not found in $PATH"));
    }

    void processIsPidOne()
    {
        const ContainerRun run = sh("echo $$; cat /proc/self/stat | cut -d' ' -f4");
        QCOMPARE(QString::fromStdString(run.out), QString("1\n1\n")); // sh is 1, cat's parent is sh
    }

    void hostnameIsSet()
    {
        const ContainerRun run = sh("hostname; echo $HOSTNAME");
        QCOMPARE(QString::fromStdString(run.out), QString("berth-test\nberth-test\n"));
    }

    void defaultEnvironment()
    {
        Runtime::ContainerSpec spec = m_box.spec({"env"});
        spec.env = {"GREETING=hi"};
        const ContainerRun run = runContainer(spec);
        QVERIFY2(run.started, run.error.c_str());
        QVERIFY(run.out.find("GREETING=hi\n") != std::string::npos);
        QVERIFY(
            run.out.find("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n") !=
            std::string::npos);
        QVERIFY(run.out.find("HOME=/root\n") != std::string::npos);
        QVERIFY(run.out.find("TERM=") == std::string::npos); // no tty
    }

    void commandIsFoundInTheContainersPath()
    {
        const std::string tools = m_box.newDir("tools");
        writeFile(tools + "/opt/tools/hello-tool", "#!/bin/sh\necho from tool\n");
        QVERIFY(::chmod((tools + "/opt/tools/hello-tool").c_str(), 0755) == 0);
        Runtime::ContainerSpec spec = m_box.spec({"hello-tool"}, {tools});
        spec.env = {"PATH=/opt/tools:/bin"};
        const ContainerRun run = runContainer(spec);
        QVERIFY2(run.started, run.error.c_str());
        QCOMPARE(QString::fromStdString(run.out), QString("from tool\n"));
    }

    void onlyStdioIsOpen()
    {
        // sh stays PID 1 (two commands), ls runs as its child.
        const ContainerRun run = sh("ls /proc/1/fd; true");
        QCOMPARE(QString::fromStdString(run.out), QString("0\n1\n2\n"));
    }

    void writesLandInTheUpperDirectory()
    {
        Runtime::ContainerSpec spec = m_box.spec({"sh", "-c", "echo data > /new && rm /bin/cat"});
        const ContainerRun run = runContainer(spec);
        QCOMPARE(run.status, 0);
        QCOMPARE(QString::fromStdString(readFile(spec.upperDir + "/new")), QString("data\n"));
        struct stat st
        {};
        QVERIFY(::lstat((spec.upperDir + "/bin/cat").c_str(), &st) == 0);
        QVERIFY(S_ISCHR(st.st_mode) && st.st_rdev == 0); // a whiteout
        QVERIFY(!QFile::exists(QString::fromStdString(m_box.layer() + "/new")));
        QVERIFY(::lstat((m_box.layer() + "/bin/cat").c_str(), &st) == 0 && S_ISLNK(st.st_mode));
    }

    void workdirIsCreatedWhenMissing()
    {
        Runtime::ContainerSpec spec = m_box.spec({"pwd"});
        spec.cwd = "/srv/app/data";
        const ContainerRun run = runContainer(spec);
        QVERIFY2(run.started, run.error.c_str());
        QCOMPARE(QString::fromStdString(run.out), QString("/srv/app/data\n"));
        QVERIFY(QFileInfo(QString::fromStdString(spec.upperDir + "/srv/app/data")).isDir());
    }

    void userByNameFromTheImagesPasswd()
    {
        const std::string users = m_box.newDir("users");
        writeFile(users + "/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"
                                         "app:x:1000:1000:App:/home/app:/bin/sh\n");
        writeFile(users + "/etc/group", "root:x:0:\napp:x:1000:\nextra:x:2000:root,app\n");
        Runtime::ContainerSpec spec = m_box.spec(
            {"sh", "-c",
             "id -u; id -g; id -G; echo $HOME; grep -E '^Cap(Eff|Bnd)' /proc/self/status"},
            {users});
        spec.user = "app";
        const ContainerRun run = runContainer(spec);
        QVERIFY2(run.started, run.error.c_str());
        QCOMPARE(QString::fromStdString(run.out),
                 QString("1000\n1000\n1000 2000\n/home/app\n"
                         "CapEff:\t0000000000000000\nCapBnd:\t00000000a80425fb\n"));
    }

    void userByUidAndGid()
    {
        Runtime::ContainerSpec spec = m_box.spec({"sh", "-c", "id -u; id -g; echo $HOME"});
        spec.user = "1234:5678";
        const ContainerRun run = runContainer(spec);
        QVERIFY2(run.started, run.error.c_str());
        QCOMPARE(QString::fromStdString(run.out), QString("1234\n5678\n/\n"));
    }

    void userOutOfRangeIsAnError_data()
    {
        QTest::addColumn<QString>("user");
        // Above 2^31-1, Docker refuses: never wrap around to root.
        QTest::newRow("a uid of 2^31 is refused") << "2147483648";
        QTest::newRow("a uid of 2^32 is refused") << "4294967296";
        QTest::newRow("a gid of 2^32 is refused") << "0:4294967296";
        QTest::newRow("an unknown name is refused") << "nobody-at-all";
        QTest::newRow("an unknown group is refused") << "root:no-group";
    }
    void userOutOfRangeIsAnError()
    {
        QFETCH(QString, user);
        Runtime::ContainerSpec spec = m_box.spec({"id", "-u"});
        spec.user = user.toStdString();
        const ContainerRun run = runContainer(spec);
        QVERIFY(!run.started);
        QCOMPARE(run.failureStatus, 125);
        QCOMPARE(run.status, 125);
        QCOMPARE(QString::fromStdString(run.out), QString());
    }
};

QTEST_GUILESS_MAIN(TestSandbox)
#include "tst_sandbox.moc"
