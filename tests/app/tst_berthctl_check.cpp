#include "processrun.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace BerthTest;

// `berthctl system check [--repair]` and every image command on a store someone damaged:
// errors name the missing object, and rmi -f, prune and --repair still work.
class TestBerthctlCheck : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_root;
    int m_store = 0;

    Run berthctl(const QStringList &args)
    {
        return runProgram(berthctlPath(), args, {m_root, {}, {}});
    }
    QJsonObject check(const QStringList &extra = {})
    {
        const Run r = berthctl(QStringList{"system", "check", "--json"} + extra);
        return QJsonDocument::fromJson(r.out).object();
    }
    QJsonObject image(const QString &name)
    {
        const Run r = berthctl({"inspect", name});
        return QJsonDocument::fromJson(r.out).array()[0].toObject();
    }
    QString blob(const QString &digest) const { return m_root + "/blobs/sha256/" + digest.mid(7); }
    QString layerDir(const QString &diffId) const { return m_root + "/layers/" + diffId.mid(7); }
    // The first layer blob of busybox:latest, read from its manifest.
    QString layerBlob()
    {
        const Run list = berthctl({"images", "--json"});
        const QString manifest =
            QJsonDocument::fromJson(list.out).array()[0].toObject()["Digest"].toString();
        QFile f(blob(manifest));
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(f.readAll())
            .object()["layers"]
            .toArray()[0]
            .toObject()["digest"]
            .toString();
    }
    static QStringList problemObjects(const QJsonObject &report)
    {
        QStringList out;
        for (const auto &p : report["problems"].toArray())
            out << p.toObject()["object"].toString();
        return out;
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_root = m_dir.filePath("store" + QString::number(++m_store));
        const Run boot = berthctl({"image", "bootstrap"});
        QVERIFY2(boot.status == 0, boot.err.constData());
    }

    void aHealthyStoreIsConsistent()
    {
        const Run r = berthctl({"system", "check"});
        QCOMPARE(r.status, 0);
        QVERIFY2(r.out.contains("Checked 1 images, 3 blobs, 1 unpacked layers."),
                 r.out.constData());
        QVERIFY2(r.out.contains("The store is consistent."), r.out.constData());
        QCOMPARE(check()["consistent"].toBool(), true);
    }

    void aDeletedConfigIsNamedAndTheImageCanStillBeRemoved()
    {
        const QString id = image("busybox")["Id"].toString();
        QVERIFY(QFile::remove(blob(id)));
        const Run inspect = berthctl({"inspect", "busybox"});
        QCOMPARE(inspect.status, 1);
        QVERIFY2(inspect.err.contains("blob " + id.toUtf8() + " is missing from the store"),
                 inspect.err.constData());
        const Run listed = berthctl({"images"});
        QCOMPARE(listed.status, 0);
        QVERIFY(listed.out.contains("busybox"));
        const Run checked = berthctl({"system", "check"});
        QCOMPARE(checked.status, 1);
        QVERIFY2(checked.out.contains("blob " + id.toUtf8() +
                                      " (busybox:latest): the config is "
                                      "missing from the store"),
                 checked.out.constData());
        const Run removed = berthctl({"rmi", "-f", id.mid(7, 12)});
        QVERIFY2(removed.status == 0, removed.err.constData());
        QVERIFY(removed.out.contains("Deleted: " + id.toUtf8()));
        // The unpacked layer nobody can name any more is garbage, which prune collects.
        QCOMPARE(check()["unused"].toArray().size(), 1);
        QCOMPARE(berthctl({"image", "prune"}).status, 0);
        const QJsonObject after = check();
        QCOMPARE(after["consistent"].toBool(), true);
        QCOMPARE(after["unused"].toArray().size(), 0);
        QCOMPARE(after["blobs"].toInt(), 0);
        QCOMPARE(after["layers"].toInt(), 0);
    }

    void aDeletedLayerBlobIsNamedAndRepairRemovesTheImage()
    {
        const QString layer = layerBlob();
        QVERIFY(layer.startsWith("sha256:"));
        QVERIFY(QFile::remove(blob(layer)));
        const Run saved = berthctl({"save", "-o", m_dir.filePath("out.tar"), "busybox"});
        QCOMPARE(saved.status, 1);
        QVERIFY2(saved.err.contains(layer.toUtf8()), saved.err.constData());
        QVERIFY(!QFile::exists(m_dir.filePath("out.tar")));
        const QJsonObject report = check();
        QCOMPARE(report["consistent"].toBool(), false);
        QVERIFY(problemObjects(report).contains("blob " + layer));
        const Run repaired = berthctl({"system", "check", "--repair"});
        QVERIFY2(repaired.status == 0, repaired.out.constData());
        QVERIFY2(repaired.out.contains("remove the image busybox:latest"),
                 repaired.out.constData());
        const Run listed = berthctl({"images", "--json"});
        QCOMPARE(listed.status, 0);
        QCOMPARE(QJsonDocument::fromJson(listed.out).array().size(), 0);
        const QJsonObject after = check();
        QCOMPARE(after["consistent"].toBool(), true);
        QCOMPARE(after["blobs"].toInt(), 0);
        QCOMPARE(after["layers"].toInt(), 0);
        // Nothing is left to stop the same image from coming back.
        QCOMPARE(berthctl({"image", "bootstrap"}).status, 0);
        QCOMPARE(check()["consistent"].toBool(), true);
    }

    void aCorruptLayerIsFoundByHashingNotByItsSize()
    {
        const QString layer = layerBlob();
        QFile f(blob(layer));
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.seek(f.size() / 2));
        char c = 0;
        QVERIFY(f.getChar(&c));
        QVERIFY(f.seek(f.size() / 2));
        QVERIFY(f.putChar(char(c ^ 0x5a)));
        f.close();
        // --quick compares sizes only: the same size passes.
        QCOMPARE(check({"--quick"})["consistent"].toBool(), true);
        const QJsonObject report = check();
        QCOMPARE(report["consistent"].toBool(), false);
        const QJsonObject problem = report["problems"].toArray()[0].toObject();
        QCOMPARE(problem["object"].toString(), "blob " + layer);
        QVERIFY2(problem["message"].toString().contains("is corrupt"),
                 qPrintable(problem["message"].toString()));
        QCOMPARE(berthctl({"system", "check", "--repair"}).status, 0);
        QVERIFY(!QFile::exists(blob(layer)));
        QCOMPARE(check()["consistent"].toBool(), true);
    }

    void aDeletedUnpackedLayerIsUnpackedAgain()
    {
        const QString diffId =
            image("busybox")["RootFS"].toObject()["Layers"].toArray()[0].toString();
        QVERIFY(QDir(layerDir(diffId)).removeRecursively());
        const QJsonObject report = check();
        QCOMPARE(problemObjects(report), QStringList{"layer " + diffId});
        QVERIFY(report["problems"].toArray()[0].toObject()["repair"].toString().startsWith(
            "unpack it again from blob sha256:"));
        const Run repaired = berthctl({"system", "check", "--repair"});
        QVERIFY2(repaired.status == 0, repaired.out.constData());
        QVERIFY(QFileInfo(layerDir(diffId) + "/bin/busybox").isExecutable());
        QVERIFY(QFileInfo(layerDir(diffId) + "/bin/sh").isSymLink());
        QCOMPARE(check()["consistent"].toBool(), true);
        QCOMPARE(berthctl({"images", "--json"}).status, 0);
    }

    void aStaleIndexIsRewrittenOnOpen()
    {
        // What a crash between a metadata change and the index rewrite leaves.
        QFile index(m_root + "/index.json");
        QVERIFY(index.open(QIODevice::WriteOnly | QIODevice::Truncate));
        index.write("{\"schemaVersion\":2,\"manifests\":[]}");
        index.close();
        QCOMPARE(check()["consistent"].toBool(), true);
        QVERIFY(index.open(QIODevice::ReadOnly));
        const QJsonArray manifests =
            QJsonDocument::fromJson(index.readAll()).object()["manifests"].toArray();
        QCOMPARE(manifests.size(), 1);
        QCOMPARE(manifests[0]
                     .toObject()["annotations"]
                     .toObject()["io.containerd.image.name"]
                     .toString(),
                 QString("docker.io/library/busybox:latest"));
    }

    void unusedBlobsAreReportedNotProblems()
    {
        // A blob no image uses: what a load killed before it recorded its image leaves.
        const QByteArray bytes = "left over\n";
        const QString digest =
            "sha256:" + QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
        QFile f(blob(digest));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        const Run r = berthctl({"system", "check"});
        QCOMPARE(r.status, 0);
        QVERIFY2(r.out.contains("Found 1 unused blobs and layers (10B)"), r.out.constData());
        QCOMPARE(check()["unused"].toArray()[0].toString(), "blob " + digest);
        const Run repaired = berthctl({"system", "check", "--repair"});
        QVERIFY2(repaired.out.contains("Removed 1 unused blobs and layers"),
                 repaired.out.constData());
        QVERIFY(!QFile::exists(blob(digest)));
    }

    void aFullDiskLeavesNothingPartial_data()
    {
        QTest::addColumn<QString>("size");
        QTest::addColumn<QByteArray>("failing");
        // busybox saved as a docker archive is 2.1 MB, its layer a plain tar of the same size.
        QTest::newRow("the layer blob does not fit") << "1m" << QByteArray("write \"");
        QTest::newRow("the unpacked layer does not fit") << "3m" << QByteArray("unpacking layer");
    }
    void aFullDiskLeavesNothingPartial()
    {
        QFETCH(QString, size);
        QFETCH(QByteArray, failing);
        if (::geteuid() != 0)
            QSKIP("mounting a small tmpfs needs root; CI runs as root");
        const QString archive = m_dir.filePath("busybox-" + size + ".tar");
        QCOMPARE(berthctl({"save", "-o", archive, "busybox"}).status, 0);
        const QString mountPoint = m_dir.filePath("small-" + size);
        QVERIFY(QDir().mkpath(mountPoint));
        QCOMPARE(
            runProgram("mount", {"-t", "tmpfs", "-o", "size=" + size, "tmpfs", mountPoint}).status,
            0);
        auto unmount = qScopeGuard([&] { runProgram("umount", {mountPoint}); });
        m_root = mountPoint + "/store";
        const Run loaded = berthctl({"load", "-i", archive});
        QCOMPARE(loaded.status, 1);
        QVERIFY2(loaded.err.contains(failing) && loaded.err.contains("No space left on device"),
                 loaded.err.constData());
        const QJsonObject report = check();
        QCOMPARE(report["consistent"].toBool(), true);
        QCOMPARE(report["images"].toInt(), 0);
        QCOMPARE(report["blobs"].toInt(), 0);
        QCOMPARE(report["layers"].toInt(), 0);
        QVERIFY(QDir(m_root + "/tmp").isEmpty());
    }

    void badArgumentsAreRefused()
    {
        const Run r = berthctl({"system", "check", "--fix"});
        QCOMPARE(r.status, 2);
        QVERIFY(r.err.contains("Usage: berthctl system check [--repair] [--quick] [--json]"));
    }
};

QTEST_GUILESS_MAIN(TestBerthctlCheck)
#include "tst_berthctl_check.moc"
