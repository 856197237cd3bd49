#include "runtime/processconfig.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Berth;
using namespace Berth::Runtime;

namespace {

using Args = std::vector<std::string>;

HostEnvironment hostWith(std::map<std::string, std::string> vars)
{
    return [vars](const std::string &key) -> std::optional<std::string> {
        const auto it = vars.find(key);
        return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

Image::ContainerConfig imageWith(std::optional<Args> entrypoint, std::optional<Args> cmd)
{
    Image::ContainerConfig c;
    c.entrypoint = std::move(entrypoint);
    c.cmd = std::move(cmd);
    return c;
}

QString joined(const Args &args)
{
    QStringList out;
    for (const auto &a : args)
        out << QString::fromStdString(a);
    return out.join('|');
}

} // namespace

Q_DECLARE_METATYPE(std::optional<Args>)
Q_DECLARE_METATYPE(std::optional<std::string>)
Q_DECLARE_METATYPE(Args)

// ENTRYPOINT, CMD, environment, user, working directory and stop signal combined as `docker run`
// combines them.
class TestProcessConfig : public QObject
{
    Q_OBJECT
private slots:
    void commandLine_data()
    {
        QTest::addColumn<std::optional<Args>>("entrypoint");
        QTest::addColumn<std::optional<Args>>("cmd");
        QTest::addColumn<std::optional<std::string>>("entrypointFlag");
        QTest::addColumn<Args>("args");
        QTest::addColumn<QString>("expected");
        const std::optional<std::string> none;
        QTest::newRow("CMD alone runs")
            << std::optional<Args>() << std::optional<Args>({"sh"}) << none << Args{} << "sh";
        QTest::newRow("ENTRYPOINT and CMD are joined")
            << std::optional<Args>({"/bin/app", "--serve"}) << std::optional<Args>({"--port", "80"})
            << none << Args{} << "/bin/app|--serve|--port|80";
        QTest::newRow("arguments replace CMD and keep ENTRYPOINT")
            << std::optional<Args>({"/bin/app"}) << std::optional<Args>({"--port", "80"}) << none
            << Args{"--help"} << "/bin/app|--help";
        // docker run --entrypoint drops the image's CMD too.
        QTest::newRow("--entrypoint drops the image's CMD")
            << std::optional<Args>({"/bin/app"}) << std::optional<Args>({"--port", "80"})
            << std::optional<std::string>("/bin/sh") << Args{} << "/bin/sh";
        QTest::newRow("--entrypoint with arguments")
            << std::optional<Args>({"/bin/app"}) << std::optional<Args>({"x"})
            << std::optional<std::string>("/bin/echo") << Args{"a", "b"} << "/bin/echo|a|b";
        QTest::newRow("--entrypoint \"\" clears it")
            << std::optional<Args>({"/bin/app"}) << std::optional<Args>({"x"})
            << std::optional<std::string>("") << Args{"ls", "/"} << "ls|/";
        // The shell form is stored by the builder as ["/bin/sh", "-c", "..."]: nothing to do here.
        QTest::newRow("a shell-form CMD stays one argument")
            << std::optional<Args>() << std::optional<Args>({"/bin/sh", "-c", "echo $HOME && ls"})
            << none << Args{} << "/bin/sh|-c|echo $HOME && ls";
    }
    void commandLine()
    {
        QFETCH(std::optional<Args>, entrypoint);
        QFETCH(std::optional<Args>, cmd);
        QFETCH(std::optional<std::string>, entrypointFlag);
        QFETCH(Args, args);
        QFETCH(QString, expected);
        RunOverrides o;
        o.entrypoint = entrypointFlag;
        o.args = args;
        auto p = resolveProcess(imageWith(entrypoint, cmd), o, hostWith({}));
        QVERIFY2(p, p ? "" : p.error().toString().c_str());
        QCOMPARE(joined(p->args), expected);
    }

    void noCommandIsAnError()
    {
        auto p = resolveProcess(imageWith(std::nullopt, std::nullopt), {}, hostWith({}));
        QVERIFY(!p);
        QCOMPARE(p.error().code(), ErrorCode::Invalid);
        QVERIFY(p.error().toString().starts_with("no command specified"));
        // ENTRYPOINT [] in the image and no arguments: nothing to run either.
        QVERIFY(!resolveProcess(imageWith(Args{}, std::nullopt), {}, hostWith({})));
    }

    void environment()
    {
        QTemporaryDir dir;
        const QString envFile = dir.filePath("app.env");
        QFile f(envFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("# settings\n\nMODE=file\n  FROM_HOST\nNOT_ON_HOST\nSPACES=a b  \r\n");
        f.close();
        Image::ContainerConfig image = imageWith(std::nullopt, Args{"sh"});
        image.env = {"PATH=/opt/bin:/bin", "MODE=image", "KEEP=1"};
        RunOverrides o;
        o.envFiles = {envFile.toStdString()};
        o.env = {"MODE=flag", "EXTRA=x=y", "HOME_DIR", "UNSET_ON_HOST"};
        auto p = resolveProcess(image, o, hostWith({{"FROM_HOST", "h"}, {"HOME_DIR", "/home/me"}}));
        QVERIFY2(p, p ? "" : p.error().toString().c_str());
        // Image order first, later sources replace a value in place, new ones come at the end.
        QCOMPARE(joined(p->env), QString("PATH=/opt/bin:/bin|MODE=flag|KEEP=1|FROM_HOST=h|"
                                         "SPACES=a b  |EXTRA=x=y|HOME_DIR=/home/me"));
        // Without PATH in the image, the default one.
        auto bare = resolveProcess(imageWith(std::nullopt, Args{"sh"}), {}, hostWith({}));
        QCOMPARE(joined(bare->env),
                 QString("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
    }

    void badEnvironmentIsNamedWithItsPlace()
    {
        QTemporaryDir dir;
        const QString envFile = dir.filePath("bad.env");
        QFile f(envFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("OK=1\n# fine\nMY VAR=1\n");
        f.close();
        RunOverrides o;
        o.envFiles = {envFile.toStdString()};
        auto p = resolveProcess(imageWith(std::nullopt, Args{"sh"}), o, hostWith({}));
        QVERIFY(!p);
        QCOMPARE(QString::fromStdString(p.error().toString()),
                 "--env-file: " + envFile +
                     ":3: \"MY VAR=1\": a variable name cannot contain a space");
        RunOverrides flag;
        flag.env = {"=oops"};
        auto q = resolveProcess(imageWith(std::nullopt, Args{"sh"}), flag, hostWith({}));
        QVERIFY(!q);
        QCOMPARE(QString::fromStdString(q.error().toString()),
                 QString("-e \"=oops\": a variable needs a name"));
        RunOverrides missing;
        missing.envFiles = {dir.filePath("none.env").toStdString()};
        auto r = resolveProcess(imageWith(std::nullopt, Args{"sh"}), missing, hostWith({}));
        QVERIFY(!r);
        QVERIFY(r.error().toString().find("No such file or directory") != std::string::npos);
    }

    void userAndWorkdir()
    {
        Image::ContainerConfig image = imageWith(std::nullopt, Args{"sh"});
        image.user = "app";
        image.workingDir = "/srv/./app/../www/";
        auto p = resolveProcess(image, {}, hostWith({}));
        QVERIFY(p);
        QCOMPARE(p->user, std::string("app"));
        QCOMPARE(p->workdir, std::string("/srv/www"));
        RunOverrides o;
        o.user = "1000:1000";
        o.workdir = "/tmp";
        p = resolveProcess(image, o, hostWith({}));
        QCOMPARE(p->user, std::string("1000:1000"));
        QCOMPARE(p->workdir, std::string("/tmp"));
        QCOMPARE(resolveProcess(imageWith(std::nullopt, Args{"sh"}), {}, hostWith({}))->workdir,
                 std::string("/"));
        o.workdir = "relative/dir";
        auto bad = resolveProcess(image, o, hostWith({}));
        QVERIFY(!bad);
        QCOMPARE(QString::fromStdString(bad.error().toString()),
                 QString("the working directory \"relative/dir\" is invalid: it must be an "
                         "absolute path"));
    }

    void signalNames_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("expected"); // 0: an error
        QTest::newRow("a full name") << "SIGTERM" << int(SIGTERM);
        QTest::newRow("without SIG") << "QUIT" << int(SIGQUIT);
        QTest::newRow("in lower case") << "sigint" << int(SIGINT);
        QTest::newRow("a number") << "9" << int(SIGKILL);
        QTest::newRow("a real-time signal") << "SIGRTMIN+3" << SIGRTMIN + 3;
        QTest::newRow("the last real-time signal") << "RTMAX" << SIGRTMAX;
        QTest::newRow("an unknown name") << "SIGFOO" << 0;
        QTest::newRow("zero") << "0" << 0;
        QTest::newRow("too large") << "65" << 0;
        QTest::newRow("beyond the real-time range") << "RTMIN+40" << 0;
        QTest::newRow("empty") << "" << 0;
    }
    void signalNames()
    {
        QFETCH(QString, text);
        QFETCH(int, expected);
        auto s = parseSignal(text.toStdString());
        if (expected == 0) {
            QVERIFY(!s);
            QCOMPARE(s.error().code(), ErrorCode::Invalid);
        } else {
            QVERIFY2(s, s ? "" : s.error().toString().c_str());
            QCOMPARE(*s, expected);
        }
    }

    void stopSignalFromTheImageOrTheFlag()
    {
        Image::ContainerConfig image = imageWith(std::nullopt, Args{"sh"});
        QCOMPARE(resolveProcess(image, {}, hostWith({}))->stopSignal, int(SIGTERM));
        image.stopSignal = "SIGQUIT";
        QCOMPARE(resolveProcess(image, {}, hostWith({}))->stopSignal, int(SIGQUIT));
        RunOverrides o;
        o.stopSignal = "SIGUSR1";
        QCOMPARE(resolveProcess(image, o, hostWith({}))->stopSignal, int(SIGUSR1));
        o.stopSignal = "SIGNOPE";
        auto bad = resolveProcess(image, o, hostWith({}));
        QVERIFY(!bad);
        QCOMPARE(QString::fromStdString(bad.error().toString()),
                 QString("--stop-signal: \"SIGNOPE\": unknown signal"));
    }
};

QTEST_GUILESS_MAIN(TestProcessConfig)
#include "tst_processconfig.moc"
