#include "archive/layerwriter.h"
#include "archive/tarreader.h"
#include "archive/tarwriter.h"

#include "archivetestutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Berth;
using namespace Berth::Archive;
using namespace ArchiveTest;

namespace {

const std::string LongName = std::string(120, 'a') + "/" + std::string(90, 'b');    // ustar prefix
const std::string LongerName = std::string(200, 'c') + "/" + std::string(200, 'd'); // PAX only

void setMtime(const QString &path, qint64 seconds)
{
    const timespec t[2] = {{seconds, 0}, {seconds, 0}};
    ::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), t, AT_SYMLINK_NOFOLLOW);
}

// A small tree with every kind of entry we write. `reversed` creates it in the other order.
void makeTree(const QString &root, bool reversed)
{
    QStringList files = {"a.txt",
                         "dir/b.txt",
                         "dir/sub/c.txt",
                         "empty",
                         QString::fromStdString(LongName),
                         QString::fromStdString(LongerName)};
    if (reversed)
        std::reverse(files.begin(), files.end());
    for (const QString &f : files)
        writeFile(root + "/" + f, f.toUtf8().repeated(3));
    writeFile(root + "/empty", {});
    writeFile(root + "/script.sh", "#!/bin/sh\n", 04755);
    ::symlink("a.txt", QFile::encodeName(root + "/link").constData());
    ::symlink("/etc/passwd", QFile::encodeName(root + "/abs-link").constData());
    ::link(QFile::encodeName(root + "/a.txt").constData(),
           QFile::encodeName(root + "/dir/hard").constData());
    ::setxattr(QFile::encodeName(root + "/a.txt").constData(), "user.comment", "hi", 2, 0);
    ::mkfifo(QFile::encodeName(root + "/fifo").constData(), 0600);
    QDirIterator it(root, QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    QStringList all;
    while (it.hasNext())
        all << it.next();
    std::sort(all.begin(), all.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
    for (const QString &p : all)
        setMtime(p, 1700000000);
}

Result<LayerDigests> layerOf(const QString &root, Compression c, StringWriter &sink,
                             TreeOptions tree = {})
{
    const int fd = openDir(root);
    LayerWriteOptions options;
    options.compression = c;
    options.tree = tree;
    auto r = writeLayer(fd, sink, options);
    ::close(fd);
    return r;
}

QStringList entryNames(const std::string &tar)
{
    MemoryReader in(tar);
    TarReader reader(in);
    QStringList names;
    while (auto e = reader.next()) {
        if (!*e)
            break;
        names << QString::fromStdString((*e)->path);
    }
    return names;
}

} // namespace

class TestTarWriter : public QObject
{
    Q_OBJECT
private slots:
    void sameTreeGivesSameDigests_data()
    {
        QTest::addColumn<Compression>("compression");
        QTest::newRow("uncompressed") << Compression::None;
        QTest::newRow("gzip") << Compression::Gzip;
        QTest::newRow("zstd") << Compression::Zstd;
    }
    void sameTreeGivesSameDigests()
    {
        QFETCH(Compression, compression);
        QTemporaryDir one, two;
        makeTree(one.path(), false);
        makeTree(two.path(), true); // other creation order, inode numbers and readdir order
        StringWriter a, b, c;
        auto da = layerOf(one.path(), compression, a);
        auto db = layerOf(one.path(), compression, b);
        auto dc = layerOf(two.path(), compression, c);
        QVERIFY2(da.has_value(), da ? "" : da.error().toString().c_str());
        QVERIFY(db.has_value() && dc.has_value());
        QCOMPARE(da->digest, db->digest);
        QCOMPARE(da->diffId, dc->diffId);
        QCOMPARE(da->digest, dc->digest);
        // One pass computed both digests: they match the bytes written and their decompression.
        QCOMPARE(da->digest, Digest::sha256(a.data()));
        QCOMPARE(da->size, qint64(a.data().size()));
        if (compression == Compression::None)
            QCOMPARE(da->diffId, da->digest);
        else
            QVERIFY(da->diffId != da->digest);
    }

    void entriesAreSortedParentsFirst()
    {
        QTemporaryDir dir;
        makeTree(dir.path(), true);
        StringWriter tar;
        QVERIFY(layerOf(dir.path(), Compression::None, tar).has_value());
        const QStringList names = entryNames(tar.data());
        QCOMPARE(names.mid(0, 4), (QStringList{"a.txt", QString(120, 'a'),
                                               QString::fromStdString(LongName), "abs-link"}));
        QVERIFY(names.indexOf("dir") < names.indexOf("dir/b.txt"));
        QVERIFY(names.contains(QString::fromStdString(LongerName)));
    }

    void hardlinksBecomeLinkEntries()
    {
        QTemporaryDir dir;
        makeTree(dir.path(), false);
        StringWriter tar;
        QVERIFY(layerOf(dir.path(), Compression::None, tar).has_value());
        MemoryReader in(tar.data());
        TarReader reader(in);
        bool found = false;
        while (auto e = reader.next()) {
            if (!*e)
                break;
            if ((*e)->path == "dir/hard") {
                QCOMPARE(int((*e)->type), int(TarEntry::Type::HardLink));
                QCOMPARE((*e)->linkTarget, std::string("a.txt"));
                found = true;
            }
            if ((*e)->path == "a.txt")
                QCOMPARE((*e)->xattrs.at("user.comment"), std::string("hi"));
        }
        QVERIFY(found);
    }

    void hugeSizesAndIdsGoToPax()
    {
        StringWriter out;
        TarWriter tar(out);
        TarEntry e;
        e.path = "big";
        e.size = 9LL << 30; // above ustar's 8 GiB
        e.uid = 1LL << 40;
        QVERIFY(tar.writeHeader(e).has_value());
        QVERIFY(out.data().find(" size=9663676416\n") != std::string::npos);
        QVERIFY(out.data().find(" uid=1099511627776\n") != std::string::npos);
        // Only the header was written; the reader sees the PAX values.
        MemoryReader in(out.data());
        TarReader reader(in);
        auto back = reader.next();
        QVERIFY(back && *back);
        QCOMPARE((*back)->size, e.size);
        QCOMPARE((*back)->uid, e.uid);
    }

    void writingMoreThanTheSizeIsAnError()
    {
        StringWriter out;
        TarWriter tar(out);
        TarEntry e;
        e.path = "f";
        e.size = 2;
        QVERIFY(tar.writeHeader(e).has_value());
        QVERIFY(!tar.writeData("abc", 3).has_value());
        QVERIFY(tar.writeData("ab", 2).has_value());
        QVERIFY(tar.finish().has_value());
    }

    void overlayUpperDirsTranslateWhiteouts()
    {
        if (::geteuid() != 0)
            QSKIP("overlay whiteouts (char 0/0) and trusted.* xattrs need root");
        QTemporaryDir dir;
        const QByteArray root = QFile::encodeName(dir.path());
        QVERIFY(::mknod((root + "/gone").constData(), S_IFCHR | 0600, makedev(0, 0)) == 0);
        QDir().mkpath(dir.path() + "/opaque");
        writeFile(dir.path() + "/opaque/new", "n");
        QVERIFY(::setxattr((root + "/opaque").constData(), "trusted.overlay.opaque", "y", 1, 0) ==
                0);
        StringWriter tar;
        TreeOptions tree;
        tree.overlayUpper = true;
        QVERIFY(layerOf(dir.path(), Compression::None, tar, tree).has_value());
        QCOMPARE(entryNames(tar.data()),
                 (QStringList{".wh.gone", "opaque", "opaque/.wh..wh..opq", "opaque/new"}));
        // Without the option the device is archived as it is.
        StringWriter plain;
        QVERIFY(layerOf(dir.path(), Compression::None, plain).has_value());
        QCOMPARE(entryNames(plain.data()), (QStringList{"gone", "opaque", "opaque/new"}));
    }

    void externalToolsReadOurArchives_data()
    {
        QTest::addColumn<QString>("tool");
        QTest::newRow("GNU tar lists and extracts it") << "tar";
        QTest::newRow("Python's tarfile lists and extracts it") << "python3";
    }
    void externalToolsReadOurArchives()
    {
        QFETCH(QString, tool);
        if (!haveTool(tool))
            QSKIP(qPrintable(tool + " is not installed"));
        QTemporaryDir src, out;
        makeTree(src.path(), false);
        StringWriter gz;
        QVERIFY(layerOf(src.path(), Compression::Gzip, gz).has_value());
        const QString archive = out.path() + "/layer.tar.gz";
        writeFile(archive, QByteArray::fromStdString(gz.data()));
        QDir().mkpath(out.path() + "/x");
        ToolResult r;
        if (tool == "tar") {
            r = runTool("tar", {"-tvzf", archive});
            QVERIFY2(r.exitCode == 0 && r.err.isEmpty(), r.err.constData());
            QVERIFY(r.out.contains(QByteArray::fromStdString(LongerName)));
            r = runTool("tar", {"-xzf", archive, "-C", out.path() + "/x", "--xattrs",
                                "--xattrs-include=user.*"});
        } else {
            const char *script = "import sys, tarfile\n"
                                 "with tarfile.open(sys.argv[1], errorlevel=2) as t:\n"
                                 "    names = t.getnames()\n"
                                 "    t.extractall(sys.argv[2], numeric_owner=True)\n"
                                 "print(len(names))\n";
            r = runTool("python3", {"-c", script, archive, out.path() + "/x"});
        }
        QVERIFY2(r.exitCode == 0 && r.err.isEmpty(), r.err.constData());
        // Python's tarfile keeps no xattrs: compare without them there.
        auto expected = snapshot(src.path());
        auto got = snapshot(out.path() + "/x");
        if (tool == "python3")
            expected["a.txt"].remove(" xattr:user.comment=hi"),
                expected["dir/hard"].remove(" xattr:user.comment=hi");
        QCOMPARE(got, expected);
    }
};

QTEST_GUILESS_MAIN(TestTarWriter)
#include "tst_tarwriter.moc"
