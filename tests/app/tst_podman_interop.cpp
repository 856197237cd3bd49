#include "processrun.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace BerthTest;

// Images cross between Berth and the real Podman both ways: what Berth saves, podman loads and
// runs; what podman saves, Berth loads with the same image id. Podman gets a private storage
// and configuration (runc and cgroupfs, as this kind of machine needs: see PEERS.md).
class TestPodmanInterop : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_root;
    QProcessEnvironment m_podmanEnv;

    Run berthctl(const QStringList &args, const QString &root = {})
    {
        return runProgram(berthctlPath(), args, {root.isEmpty() ? m_root : root, {}, {}});
    }
    Run podman(const QStringList &args)
    {
        QProcess p;
        p.setProcessEnvironment(m_podmanEnv);
        p.start("podman", args);
        if (!p.waitForFinished(300000))
            return {};
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                p.readAllStandardOutput(), p.readAllStandardError()};
    }
    bool writeFile(const QString &path, const QByteArray &bytes)
    {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
    }
    QString berthId(const QString &root, const QString &name)
    {
        const Run r = berthctl({"inspect", name}, root);
        return QJsonDocument::fromJson(r.out).array()[0].toObject()["Id"].toString();
    }

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable("podman").isEmpty())
            QSKIP("podman is not installed (make test installs it)");
        if (::geteuid() != 0)
            QSKIP("these tests run podman as root, as CI does");
        QVERIFY(m_dir.isValid());
        m_root = m_dir.filePath("berth");
        const QString storage = m_dir.filePath("storage.conf");
        const QString containers = m_dir.filePath("containers.conf");
        QVERIFY(writeFile(storage, "[storage]\ndriver = \"vfs\"\ngraphroot = \"" +
                                       m_dir.filePath("graph").toUtf8() + "\"\nrunroot = \"" +
                                       m_dir.filePath("run").toUtf8() + "\"\n"));
        QVERIFY(writeFile(containers, "[containers]\ndefault_ulimits = [\"nofile=20000:20000\", "
                                      "\"nproc=32768:32768\"]\n[engine]\nruntime = \"runc\"\n"
                                      "cgroup_manager = \"cgroupfs\"\nevents_logger = \"file\"\n"));
        m_podmanEnv = QProcessEnvironment::systemEnvironment();
        m_podmanEnv.insert("CONTAINERS_STORAGE_CONF", storage);
        m_podmanEnv.insert("CONTAINERS_CONF", containers);
        const Run boot = berthctl({"image", "bootstrap"});
        QVERIFY2(boot.status == 0, boot.err.constData());
    }

    void cleanupTestCase()
    {
        if (!m_podmanEnv.isEmpty())
            podman({"system", "reset", "--force"});
    }

    void podmanLoadsAndRunsWhatBerthSaves_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("docker-archive") << "docker-archive";
        QTest::newRow("oci-archive") << "oci-archive";
    }
    void podmanLoadsAndRunsWhatBerthSaves()
    {
        QFETCH(QString, format);
        const QString tag = "localhost/from-berth:" + format;
        QCOMPARE(berthctl({"tag", "busybox", tag}).status, 0);
        const QString archive = m_dir.filePath("berth-" + format + ".tar");
        QCOMPARE(berthctl({"save", "--format", format, "-o", archive, tag}).status, 0);
        const Run loaded = podman({"load", "-i", archive});
        QVERIFY2(loaded.status == 0, loaded.err.constData());
        // podman names an OCI archive's image after its ref.name; a docker archive keeps its tag.
        const QString name = format == "docker-archive" ? tag : QString();
        if (!name.isEmpty()) {
            const Run inspect = podman({"image", "inspect", "--format", "{{.Id}}", name});
            QVERIFY2(inspect.status == 0, inspect.err.constData());
            QCOMPARE(QString::fromUtf8(inspect.out.trimmed()), berthId(m_root, tag).mid(7));
        }
        const QString id = berthId(m_root, tag).mid(7);
        const Run ran = podman({"run", "--rm", "--network", "none", id, "sh", "-c",
                                "echo hello from $(cat /etc/hostname | wc -c) && ls /bin/busybox"});
        QVERIFY2(ran.status == 0, ran.err.constData());
        QVERIFY2(ran.out.startsWith("hello from ") && ran.out.contains("/bin/busybox"),
                 ran.out.constData());
    }

    void berthLoadsWhatPodmanSaves_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("docker-archive") << "docker-archive";
        QTest::newRow("oci-archive") << "oci-archive";
    }
    void berthLoadsWhatPodmanSaves()
    {
        QFETCH(QString, format);
        // An image podman made itself, from a root file system.
        const QString tree = m_dir.filePath("rootfs");
        QVERIFY(QDir().mkpath(tree + "/etc"));
        QVERIFY(writeFile(tree + "/etc/motd", "made by podman\n"));
        const QString rootfs = m_dir.filePath("rootfs.tar");
        QCOMPARE(runProgram("tar", {"-C", tree, "-cf", rootfs, "."}).status, 0);
        const Run imported = podman({"import", rootfs, "localhost/podman-made:1"});
        QVERIFY2(imported.status == 0, imported.err.constData());
        const QString podmanId = QString::fromUtf8(
            podman({"image", "inspect", "--format", "{{.Id}}", "localhost/podman-made:1"})
                .out.trimmed());
        QVERIFY(!podmanId.isEmpty());
        const QString archive = m_dir.filePath("podman-" + format + ".tar");
        const Run saved =
            podman({"save", "--format", format, "-o", archive, "localhost/podman-made:1"});
        QVERIFY2(saved.status == 0, saved.err.constData());

        const QString fresh = m_dir.filePath("loaded-" + format);
        const Run loaded = berthctl({"load", "-i", archive}, fresh);
        QVERIFY2(loaded.status == 0, loaded.err.constData());
        const Run listed = berthctl({"images", "--json"}, fresh);
        const QJsonArray images = QJsonDocument::fromJson(listed.out).array();
        QCOMPARE(images.size(), 1);
        QCOMPARE(images[0].toObject()["Id"].toString(), "sha256:" + podmanId);
        const QString diffId =
            QJsonDocument::fromJson(berthctl({"inspect", "sha256:" + podmanId}, fresh).out)
                .array()[0]
                .toObject()["RootFS"]
                .toObject()["Layers"]
                .toArray()[0]
                .toString();
        QFile motd(fresh + "/layers/" + diffId.mid(7) + "/etc/motd");
        QVERIFY2(motd.open(QIODevice::ReadOnly), qPrintable(motd.fileName()));
        QCOMPARE(motd.readAll(), QByteArray("made by podman\n"));
        QCOMPARE(berthctl({"system", "check"}, fresh).status, 0);
    }
};

QTEST_GUILESS_MAIN(TestPodmanInterop)
#include "tst_podman_interop.moc"
