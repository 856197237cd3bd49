#include "processrun.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace BerthTest;

// berthctl save and load against skopeo: what Berth saves skopeo reads, and what skopeo writes
// Berth loads with the same digests.
class TestBerthctlArchive : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_root;
    QString m_id;     // of the imported image: its config digest
    QString m_digest; // its manifest digest

    Run run(const QString &program, const QStringList &args, const QString &root = {})
    {
        return runProgram(program, args, {root.isEmpty() ? m_root : root, {}, {}});
    }
    Run berthctl(const QStringList &args, const QString &root = {})
    {
        return run(berthctlPath(), args, root);
    }
    Run skopeo(QStringList args)
    {
        args.prepend("--insecure-policy");
        return run("skopeo", args);
    }
    QJsonArray images(const QString &root)
    {
        return QJsonDocument::fromJson(berthctl({"images", "--json"}, root).out).array();
    }
    int count(const QString &dir)
    {
        return int(QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).size());
    }
    // The image tagged `tag` in the store at `root`; an empty object when there is none.
    QJsonObject imageTagged(const QString &root, const QString &tag)
    {
        for (const auto &image : images(root))
            if (image.toObject()["RepoTags"].toArray().contains(tag))
                return image.toObject();
        return {};
    }
    static void flipByteAfter(const QString &path, const QByteArray &marker)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray bytes = f.readAll();
        const qsizetype at = bytes.indexOf(marker);
        QVERIFY2(at >= 0, qPrintable(path));
        bytes[at] = char(bytes[at] ^ 0x20);
        QVERIFY(f.seek(0));
        QCOMPARE(f.write(bytes), bytes.size());
    }
    static void flipLastByte(const QString &path)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.seek(f.size() - 1));
        char c = 0;
        QVERIFY(f.getChar(&c));
        QVERIFY(f.seek(f.size() - 1));
        QVERIFY(f.putChar(char(c ^ 0xff)));
    }

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable("skopeo").isEmpty())
            QSKIP("skopeo is not installed (make test installs it)");
        QVERIFY(m_dir.isValid());
        m_root = m_dir.filePath("store");
        const QString tree = m_dir.filePath("rootfs");
        QVERIFY(QDir().mkpath(tree + "/etc"));
        QFile motd(tree + "/etc/motd");
        QVERIFY(motd.open(QIODevice::WriteOnly));
        motd.write("hello from berth\n");
        motd.close();
        const QString rootfs = m_dir.filePath("rootfs.tar.gz");
        QCOMPARE(run("tar", {"-C", tree, "-czf", rootfs, "."}).status, 0);
        const Run imported = berthctl({"import", rootfs, "localhost/demo:1.0"});
        QVERIFY2(imported.status == 0, imported.err.constData());
        const QJsonObject image = images(m_root)[0].toObject();
        m_id = image["Id"].toString();
        m_digest = image["Digest"].toString();
        QVERIFY(m_id.startsWith("sha256:"));
    }

    void skopeoReadsADockerArchive()
    {
        const QString file = m_dir.filePath("saved-docker.tar");
        const Run saved = berthctl({"save", "-o", file, "localhost/demo:1.0"});
        QVERIFY2(saved.status == 0, saved.err.constData());
        const Run inspect = skopeo({"inspect", "docker-archive:" + file});
        QVERIFY2(inspect.status == 0, inspect.err.constData());
        QCOMPARE(QJsonDocument::fromJson(inspect.out).object()["Layers"].toArray().size(), 1);
        const QString copy = m_dir.filePath("copy-docker");
        const Run copied = skopeo({"copy", "docker-archive:" + file, "dir:" + copy});
        QVERIFY2(copied.status == 0, copied.err.constData());
        // docker save keeps the config, so the image id survives the trip.
        QFile manifest(copy + "/manifest.json");
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        const QJsonObject m = QJsonDocument::fromJson(manifest.readAll()).object();
        QCOMPARE(m["config"].toObject()["digest"].toString(), m_id);
    }

    void skopeoReadsAnOciArchive()
    {
        const QString file = m_dir.filePath("saved-oci.tar");
        const Run saved =
            berthctl({"save", "--format", "oci-archive", "-o", file, "localhost/demo:1.0"});
        QVERIFY2(saved.status == 0, saved.err.constData());
        const Run inspect = skopeo({"inspect", "oci-archive:" + file + ":localhost/demo:1.0"});
        QVERIFY2(inspect.status == 0, inspect.err.constData());
        QCOMPARE(QJsonDocument::fromJson(inspect.out).object()["Digest"].toString(), m_digest);
        const Run copied = skopeo({"copy", "oci-archive:" + file + ":localhost/demo:1.0",
                                   "dir:" + m_dir.filePath("copy-oci")});
        QVERIFY2(copied.status == 0, copied.err.constData());
    }

    void loadsWhatSkopeoWrites_data()
    {
        QTest::addColumn<QString>("transport");
        QTest::newRow("a docker archive keeps the image id") << "docker-archive";
        QTest::newRow("an OCI archive keeps the id and the manifest digest") << "oci-archive";
    }
    void loadsWhatSkopeoWrites()
    {
        QFETCH(QString, transport);
        const QString file = m_dir.filePath("skopeo-" + transport + ".tar");
        const Run copied = skopeo({"copy", "oci:" + m_root + ":1.0",
                                   transport + ":" + file + ":loaded/" + transport + ":2"});
        QVERIFY2(copied.status == 0, copied.err.constData());
        const QString fresh = m_dir.filePath("fresh-" + transport);
        const Run loaded = berthctl({"load", "-i", file}, fresh);
        QVERIFY2(loaded.status == 0, loaded.err.constData());
        QCOMPARE(loaded.out, QByteArray("Loaded image: loaded/" + transport.toUtf8() + ":2\n"));
        const QJsonObject image = imageTagged(fresh, "docker.io/loaded/" + transport + ":2");
        QCOMPARE(image["Id"].toString(), m_id);
        if (transport == "oci-archive")
            QCOMPARE(image["Digest"].toString(), m_digest);
        const Run inspect = berthctl({"inspect", "loaded/" + transport + ":2"}, fresh);
        const QString diffId = QJsonDocument::fromJson(inspect.out)
                                   .array()[0]
                                   .toObject()["RootFS"]
                                   .toObject()["Layers"]
                                   .toArray()[0]
                                   .toString();
        QFile motd(fresh + "/layers/" + diffId.mid(7) + "/etc/motd");
        QVERIFY2(motd.open(QIODevice::ReadOnly), qPrintable(motd.fileName()));
        QCOMPARE(motd.readAll(), QByteArray("hello from berth\n"));
    }

    void loadsWhatItSaves_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("docker-archive") << "docker-archive";
        QTest::newRow("oci-archive") << "oci-archive";
    }
    void loadsWhatItSaves()
    {
        QFETCH(QString, format);
        const QString file = m_dir.filePath("round-" + format + ".tar");
        QCOMPARE(berthctl({"save", "--format", format, "-o", file, "localhost/demo:1.0"}).status,
                 0);
        const QString fresh = m_dir.filePath("round-" + format);
        const Run loaded = berthctl({"load", "-i", file}, fresh);
        QVERIFY2(loaded.status == 0, loaded.err.constData());
        const QJsonObject image = imageTagged(fresh, "localhost/demo:1.0");
        QCOMPARE(image["Id"].toString(), m_id);
        if (format == "oci-archive")
            QCOMPARE(image["Digest"].toString(), m_digest);
    }

    void aCorruptLayerIsRefused_data()
    {
        QTest::addColumn<QString>("source");
        // The docker archive's layer is a plain tar: the flipped byte is in /etc/motd.
        QTest::newRow("a docker archive") << "docker";
        // The OCI layout's layer is gzip: its last byte is the trailer's size field.
        QTest::newRow("an OCI layout directory") << "layout";
    }
    void aCorruptLayerIsRefused()
    {
        QFETCH(QString, source);
        QString input = m_dir.filePath("corrupt-" + source);
        QString layerDigest;
        if (source == "docker") {
            input += ".tar";
            QCOMPARE(berthctl({"save", "-o", input, "localhost/demo:1.0"}).status, 0);
            flipByteAfter(input, "hello from berth");
        } else {
            QCOMPARE(skopeo({"copy", "oci:" + m_root + ":1.0", "oci:" + input + ":1.0"}).status, 0);
            QFile index(input + "/index.json");
            QVERIFY(index.open(QIODevice::ReadOnly));
            const QString manifest = QJsonDocument::fromJson(index.readAll())
                                         .object()["manifests"]
                                         .toArray()[0]
                                         .toObject()["digest"]
                                         .toString();
            QFile m(input + "/blobs/sha256/" + manifest.mid(7));
            QVERIFY(m.open(QIODevice::ReadOnly));
            layerDigest = QJsonDocument::fromJson(m.readAll())
                              .object()["layers"]
                              .toArray()[0]
                              .toObject()["digest"]
                              .toString();
            flipLastByte(input + "/blobs/sha256/" + layerDigest.mid(7));
        }
        const QString fresh = m_dir.filePath("refused-" + source);
        const Run loaded = berthctl({"load", "-i", input}, fresh);
        QCOMPARE(loaded.status, 1);
        QVERIFY2(loaded.err.contains("digest mismatch: expected sha256:"), loaded.err.constData());
        if (!layerDigest.isEmpty())
            QVERIFY2(loaded.err.contains(layerDigest.toUtf8()), loaded.err.constData());
        QCOMPARE(images(fresh).size(), 0);
        QCOMPARE(count(fresh + "/blobs/sha256"), 0);
        QCOMPARE(count(fresh + "/layers"), 0);
        QCOMPARE(count(fresh + "/tmp"), 0);
    }

    void loadsADockerArchiveWithCompressedLayers_data()
    {
        QTest::addColumn<QString>("compressor");
        QTest::addColumn<bool>("sameContent");
        // What docker save writes from the containerd image store: layers as they were pulled.
        QTest::newRow("gzip layers") << "gzip" << true;
        QTest::newRow("zstd layers") << "zstd" << true;
        // A compressed layer must still hash to the diff id its config names, once unpacked.
        QTest::newRow("a gzip layer of other content") << "gzip" << false;
    }
    void loadsADockerArchiveWithCompressedLayers()
    {
        QFETCH(QString, compressor);
        QFETCH(bool, sameContent);
        const QString name = QString("%1-%2").arg(compressor).arg(sameContent);
        const QString saved = m_dir.filePath("plain-" + name + ".tar");
        QCOMPARE(berthctl({"save", "-o", saved, "localhost/demo:1.0"}).status, 0);
        const QString tree = m_dir.filePath("unpacked-" + name);
        QVERIFY(QDir().mkpath(tree));
        QCOMPARE(run("tar", {"-C", tree, "-xf", saved}).status, 0);
        QFile manifest(tree + "/manifest.json");
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        const QString layer = tree + "/" +
                              QJsonDocument::fromJson(manifest.readAll())
                                  .array()[0]
                                  .toObject()["Layers"]
                                  .toArray()[0]
                                  .toString();
        if (!sameContent)
            flipByteAfter(layer, "hello from berth");
        const Run compressed = run("sh", {"-c",
                                          "touch \"$1\" && " + compressor +
                                              " -c < \"$1\" > \"$1.c\" && mv \"$1.c\" \"$1\"",
                                          "sh", layer});
        QVERIFY2(compressed.status == 0, compressed.err.constData());
        const QString archive = m_dir.filePath("compressed-" + name + ".tar");
        QCOMPARE(run("tar", {"-C", tree, "-cf", archive, "."}).status, 0);

        const QString fresh = m_dir.filePath("compressed-" + name);
        const Run loaded = berthctl({"load", "-i", archive}, fresh);
        if (!sameContent) {
            QCOMPARE(loaded.status, 1);
            QVERIFY2(loaded.err.contains("layer content does not match its diff id"),
                     loaded.err.constData());
            QCOMPARE(images(fresh).size(), 0);
            QCOMPARE(count(fresh + "/blobs/sha256"), 0);
            QCOMPARE(count(fresh + "/layers"), 0);
            return;
        }
        QVERIFY2(loaded.status == 0, loaded.err.constData());
        const QJsonObject image = imageTagged(fresh, "localhost/demo:1.0");
        QCOMPARE(image["Id"].toString(), m_id);
        const Run checked = berthctl({"system", "check"}, fresh);
        QVERIFY2(checked.status == 0, checked.out.constData());
        // Saved again, the layer comes out plain, with the same diff id.
        const QString again = m_dir.filePath("again-" + name + ".tar");
        QCOMPARE(berthctl({"save", "-o", again, "localhost/demo:1.0"}, fresh).status, 0);
        const QString round = m_dir.filePath("round-" + name);
        QCOMPARE(berthctl({"load", "-i", again}, round).status, 0);
        QCOMPARE(imageTagged(round, "localhost/demo:1.0")["Id"].toString(), m_id);
    }

    void keepsTheHostImageOfAMultiPlatformIndex_data()
    {
        QTest::addColumn<bool>("withHost");
        QTest::newRow("an index with the host's platform") << true;
        QTest::newRow("an index without it") << false;
    }
    void keepsTheHostImageOfAMultiPlatformIndex()
    {
        QFETCH(bool, withHost);
        const QString cpu = QSysInfo::currentCpuArchitecture();
        const QString arch = cpu == "x86_64" ? "amd64" : cpu == "arm64" ? "arm64" : QString();
        if (arch.isEmpty())
            QSKIP("this test names the host's platform for x86_64 and arm64 only");
        const QString layout = m_dir.filePath(QString("multi-%1").arg(withHost));
        QCOMPARE(skopeo({"copy", "oci:" + m_root + ":1.0", "oci:" + layout + ":1.0"}).status, 0);
        QFile indexFile(layout + "/index.json");
        QVERIFY(indexFile.open(QIODevice::ReadOnly));
        QJsonObject real = QJsonDocument::fromJson(indexFile.readAll())
                               .object()["manifests"]
                               .toArray()[0]
                               .toObject();
        indexFile.close();
        real.remove("annotations");
        real["platform"] =
            QJsonObject{{"architecture", withHost ? arch : "s390x"}, {"os", "linux"}};
        // The other platform's blobs are not in the layout: only the host's image is read.
        const QByteArray absent = "not in this layout";
        const QJsonObject other{
            {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
            {"digest", QString("sha256:") +
                           QCryptographicHash::hash(absent, QCryptographicHash::Sha256).toHex()},
            {"size", int(absent.size())},
            {"platform", QJsonObject{{"architecture", "riscv64"}, {"os", "linux"}}}};
        const QByteArray index =
            QJsonDocument(QJsonObject{{"schemaVersion", 2},
                                      {"mediaType", "application/vnd.oci.image.index.v1+json"},
                                      {"manifests", QJsonArray{other, real}}})
                .toJson(QJsonDocument::Compact);
        const QString indexDigest =
            QCryptographicHash::hash(index, QCryptographicHash::Sha256).toHex();
        QFile blob(layout + "/blobs/sha256/" + indexDigest);
        QVERIFY(blob.open(QIODevice::WriteOnly));
        blob.write(index);
        blob.close();
        const QJsonObject top{
            {"schemaVersion", 2},
            {"manifests", QJsonArray{QJsonObject{
                              {"mediaType", "application/vnd.oci.image.index.v1+json"},
                              {"digest", "sha256:" + indexDigest},
                              {"size", int(index.size())},
                              {"annotations", QJsonObject{{"org.opencontainers.image.ref.name",
                                                           "localhost/multi:2"}}}}}}};
        QVERIFY(indexFile.open(QIODevice::WriteOnly | QIODevice::Truncate));
        indexFile.write(QJsonDocument(top).toJson());
        indexFile.close();

        const QString fresh = m_dir.filePath(QString("multi-store-%1").arg(withHost));
        const Run loaded = berthctl({"load", "-i", layout}, fresh);
        if (!withHost) {
            QCOMPARE(loaded.status, 1);
            QVERIFY2(loaded.err.contains("has no image for linux/" + arch.toUtf8()),
                     loaded.err.constData());
            QCOMPARE(count(fresh + "/blobs/sha256"), 0);
            return;
        }
        QVERIFY2(loaded.status == 0, loaded.err.constData());
        const QJsonArray list = images(fresh);
        QCOMPARE(list.size(), 1);
        QCOMPARE(list[0].toObject()["Digest"].toString(), m_digest);
        QCOMPARE(list[0].toObject()["RepoTags"].toArray()[0].toString(),
                 QString("localhost/multi:2"));
    }

    void aMissingFileIsNamed()
    {
        const QString missing = m_dir.filePath("no-such.tar");
        const Run loaded = berthctl({"load", "-i", missing});
        QCOMPARE(loaded.status, 1);
        QVERIFY2(loaded.err.contains(missing.toUtf8() + "\": No such file or directory"),
                 loaded.err.constData());
        const Run junk = berthctl({"load", "-i", m_dir.filePath("rootfs")});
        QCOMPARE(junk.status, 1);
        QVERIFY2(junk.err.contains("neither a docker archive"), junk.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestBerthctlArchive)
#include "tst_berthctl_archive.moc"
