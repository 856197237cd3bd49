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

// The image commands of the real berthctl binary on a fresh store, and the store read by
// skopeo as an OCI layout.
class TestBerthctlImages : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_root;
    QString m_rootfs;

    Run run(const QString &program, const QStringList &args)
    {
        return runProgram(program, args, {m_root, {}, {}});
    }
    Run berthctl(const QStringList &args) { return run(berthctlPath(), args); }
    QJsonArray images()
    {
        const Run r = berthctl({"images", "--json"});
        return QJsonDocument::fromJson(r.out).array();
    }
    int count(const QString &sub)
    {
        return int(QDir(m_root + sub).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).size());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_root = m_dir.filePath("store");
        // A small root file system: a file, a directory, a symlink, an executable.
        const QString tree = m_dir.filePath("rootfs");
        QVERIFY(QDir().mkpath(tree + "/etc"));
        QVERIFY(QDir().mkpath(tree + "/bin"));
        QFile motd(tree + "/etc/motd");
        QVERIFY(motd.open(QIODevice::WriteOnly));
        motd.write("hello from berth\n");
        motd.close();
        QVERIFY(QFile::link("../etc/motd", tree + "/bin/motd-link"));
        m_rootfs = m_dir.filePath("rootfs.tar.gz");
        QCOMPARE(run("tar", {"-C", tree, "-czf", m_rootfs, "."}).status, 0);
    }

    void importListsAndInspects()
    {
        const Run imported = berthctl({"import", m_rootfs, "localhost/demo:1.0"});
        QVERIFY2(imported.status == 0, imported.err.constData());
        QVERIFY(imported.out.startsWith("sha256:"));
        const QJsonArray list = images();
        QCOMPARE(list.size(), 1);
        const QJsonObject image = list[0].toObject();
        QCOMPARE(image["Id"].toString().toUtf8() + "\n", imported.out);
        QCOMPARE(image["RepoTags"].toArray()[0].toString(), QString("localhost/demo:1.0"));
        const Run table = berthctl({"images"});
        QVERIFY2(table.out.contains("localhost/demo") && table.out.contains("1.0"),
                 table.out.constData());
        const Run inspect = berthctl({"inspect", "localhost/demo:1.0"});
        QCOMPARE(inspect.status, 0);
        const QJsonObject details = QJsonDocument::fromJson(inspect.out).array()[0].toObject();
        QCOMPARE(details["Os"].toString(), QString("linux"));
        QCOMPARE(details["RootFS"].toObject()["Layers"].toArray().size(), 1);
        const QString diffId = details["RootFS"].toObject()["Layers"].toArray()[0].toString();
        // The layer is unpacked once, ready to be an overlay lower directory.
        const QString layer = m_root + "/layers/" + diffId.mid(7);
        QFile unpacked(layer + "/etc/motd");
        QVERIFY2(unpacked.open(QIODevice::ReadOnly), qPrintable(layer));
        QCOMPARE(unpacked.readAll(), QByteArray("hello from berth\n"));
        QCOMPARE(QFile::symLinkTarget(layer + "/bin/motd-link"), layer + "/etc/motd");
        QVERIFY(berthctl({"history", "localhost/demo:1.0"}).out.contains("berthctl import"));
    }

    void skopeoReadsTheStore()
    {
        if (QStandardPaths::findExecutable("skopeo").isEmpty())
            QSKIP("skopeo is not installed (make test installs it)");
        const Run inspect = run("skopeo", {"inspect", "oci:" + m_root + ":1.0"});
        QVERIFY2(inspect.status == 0, inspect.err.constData());
        const QJsonObject info = QJsonDocument::fromJson(inspect.out).object();
        QCOMPARE(info["Digest"].toString(), images()[0].toObject()["Digest"].toString());
        const Run copy =
            run("skopeo", {"copy", "oci:" + m_root + ":1.0", "dir:" + m_dir.filePath("copy")});
        QVERIFY2(copy.status == 0, copy.err.constData());
    }

    void tagsAndRemoval()
    {
        QCOMPARE(berthctl({"tag", "localhost/demo:1.0", "demo:latest"}).status, 0);
        QCOMPARE(images()[0].toObject()["RepoTags"].toArray().size(), 2);
        const QString id = images()[0].toObject()["Id"].toString().mid(7, 12);
        const Run refused = berthctl({"rmi", id});
        QCOMPARE(refused.status, 1);
        QVERIFY2(refused.err.contains("must be forced"), refused.err.constData());
        const Run untag = berthctl({"rmi", "demo"}); // a tag only untags while others remain
        QCOMPARE(untag.out, QByteArray("Untagged: demo:latest\n"));
        QCOMPARE(images().size(), 1);
        const Run gone = berthctl({"rmi", "-f", id});
        QVERIFY2(gone.status == 0, gone.err.constData());
        QVERIFY(gone.out.contains("Deleted: sha256:"));
        QCOMPARE(images().size(), 0);
        QCOMPARE(count("/blobs/sha256"), 0);
        QCOMPARE(count("/layers"), 0);
        const Run missing = berthctl({"inspect", "demo"});
        QCOMPARE(missing.status, 1);
        QVERIFY(missing.err.contains("no such image: \"demo\""));
    }

    void bootstrapMakesARunnableBusybox()
    {
        if (!QFile::exists("/bin/busybox"))
            QSKIP("Debian's busybox-static is not installed (make test installs it)");
        const Run made = berthctl({"image", "bootstrap"});
        QVERIFY2(made.status == 0, made.err.constData());
        const Run again = berthctl({"image", "bootstrap", "localhost/busybox:again"});
        QVERIFY2(again.status == 0, again.err.constData());
        const Run inspect = berthctl({"inspect", "busybox", "localhost/busybox:again"});
        const QJsonArray both = QJsonDocument::fromJson(inspect.out).array();
        QCOMPARE(both.size(), 2);
        const QJsonObject image = both[0].toObject();
        QCOMPARE(image["Cmd"].toArray(), QJsonArray{"sh"});
        // The layer is built deterministically: the same busybox gives the same layer.
        QCOMPARE(image["RootFS"], both[1].toObject()["RootFS"]);
        const QString layer = m_root + "/layers/" +
                              image["RootFS"].toObject()["Layers"].toArray()[0].toString().mid(7);
        QCOMPARE(QFile::symLinkTarget(layer + "/bin/sh"), QString("/bin/busybox"));
        if (::geteuid() == 0) {
            const Run sh = run("chroot", {layer, "/bin/sh", "-c", "echo ok from $(echo busybox)"});
            QCOMPARE(sh.out, QByteArray("ok from busybox\n"));
        }
        // A busybox reached through a symlink of another name makes the same layer.
        const QString link = m_dir.filePath("my-busybox");
        QVERIFY(QFile::link("/bin/busybox", link));
        const Run linked =
            berthctl({"image", "bootstrap", "--busybox", link, "localhost/busybox:linked"});
        QVERIFY2(linked.status == 0, linked.err.constData());
        const Run inspectLinked = berthctl({"inspect", "localhost/busybox:linked"});
        QCOMPARE(QJsonDocument::fromJson(inspectLinked.out).array()[0].toObject()["RootFS"],
                 image["RootFS"]);
        QVERIFY(berthctl({"rmi", "localhost/busybox:linked"}).status == 0);
        const Run dynamic = berthctl({"image", "bootstrap", "--busybox", "/bin/ls", "nope"});
        QCOMPARE(dynamic.status, 1);
        QVERIFY2(dynamic.err.contains("dynamically linked"), dynamic.err.constData());
        QVERIFY(berthctl({"rmi", "busybox", "localhost/busybox:again"}).status == 0);
    }

    void pruneRemovesDanglingImagesAndUnusedData()
    {
        // Importing another image under the same tag leaves the first one without a tag.
        const QString other = m_dir.filePath("other.tar");
        QCOMPARE(run("tar", {"-C", m_dir.filePath("rootfs"), "-cf", other, "etc"}).status, 0);
        QCOMPARE(berthctl({"import", m_rootfs, "prune-me:1"}).status, 0);
        const Run second = berthctl({"import", other, "prune-me:1"});
        QCOMPARE(second.status, 0);
        QCOMPARE(images().size(), 2);
        // A blob no image references (left by a crash, say) is garbage too.
        QFile orphan(m_root + "/blobs/sha256/" + QString(64, QLatin1Char('e')));
        QVERIFY(orphan.open(QIODevice::WriteOnly));
        orphan.write("orphan");
        orphan.close();
        const Run df = berthctl({"system", "df"});
        QCOMPARE(df.status, 0);
        QVERIFY2(df.out.contains("Images             2        1"), df.out.constData());
        const Run pruned = berthctl({"image", "prune"});
        QVERIFY2(pruned.status == 0, pruned.err.constData());
        QVERIFY2(pruned.out.contains("Total reclaimed space:"), pruned.out.constData());
        QVERIFY(!QFile::exists(orphan.fileName()));
        const QJsonArray left = images();
        QCOMPARE(left.size(), 1);
        QCOMPARE(left[0].toObject()["Id"].toString().toUtf8() + "\n", second.out);
        // The surviving image still has all it needs.
        QCOMPARE(berthctl({"inspect", "prune-me:1"}).status, 0);
        QCOMPARE(berthctl({"image", "prune", "-a"}).status, 0);
        QCOMPARE(images().size(), 0);
        QCOMPARE(count("/blobs/sha256"), 0);
        QCOMPARE(count("/layers"), 0);
    }

    void badInputLeavesNothingBehind()
    {
        const QString junk = m_dir.filePath("junk.tar");
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(3000, 'x'));
        f.close();
        const Run r = berthctl({"import", junk, "junk"});
        QCOMPARE(r.status, 1);
        QVERIFY2(r.err.contains("unpacking the root file system"), r.err.constData());
        QCOMPARE(images().size(), 0);
        QCOMPARE(count("/blobs/sha256"), 0);
        QCOMPARE(count("/layers"), 0);
        QCOMPARE(count("/tmp"), 0);
        const Run badName = berthctl({"import", m_rootfs, "Bad/Name"});
        QCOMPARE(badName.status, 1);
        QVERIFY2(badName.err.contains("must be lowercase"), badName.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestBerthctlImages)
#include "tst_berthctl_images.moc"
