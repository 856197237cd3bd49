#include "archive/compression.h"
#include "archive/extractor.h"
#include "archive/layerunpack.h"
#include "archive/layerwriter.h"

#include "archivetestutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Berth;
using namespace Berth::Archive;
using namespace ArchiveTest;

namespace {

// A destination next to an "outside" directory holding a bait file, in one temporary dir.
struct Sandbox
{
    QTemporaryDir temp;
    QString dest() const { return temp.path() + "/dest"; }
    QString outside() const { return temp.path() + "/outside"; }
    Sandbox()
    {
        QDir().mkpath(dest());
        writeFile(outside() + "/bait", "untouched");
    }
    // Everything outside dest/, which no layer may change.
    std::map<QString, QString> outsideState() const
    {
        auto all = snapshot(temp.path());
        std::erase_if(
            all, [](const auto &kv) { return kv.first == "dest" || kv.first.startsWith("dest/"); });
        return all;
    }
    Result<ExtractStats> extract(const std::string &archive,
                                 const ExtractOptions &options = {}) const
    {
        MemoryReader in(archive);
        const int fd = openDir(dest());
        auto r = extractLayer(in, fd, options);
        ::close(fd);
        return r;
    }
};

ExtractOptions quiet()
{
    ExtractOptions o;
    o.warning = [](const std::string &) {
    };
    return o;
}

QString errorText(const Result<ExtractStats> &r)
{
    return r ? QString() : QString::fromStdString(r.error().toString());
}

} // namespace

class TestExtract : public QObject
{
    Q_OBJECT
    QTemporaryDir m_far;
    std::string farOutside() const { return m_far.path().toStdString() + "/outside"; }

private slots:
    void initTestCase() { writeFile(m_far.path() + "/outside/bait", "untouched"); }

    void roundTripKeepsTheTree_data()
    {
        QTest::addColumn<Compression>("compression");
        QTest::newRow("an uncompressed layer") << Compression::None;
        QTest::newRow("a gzip layer") << Compression::Gzip;
        QTest::newRow("a zstd layer") << Compression::Zstd;
    }
    void roundTripKeepsTheTree()
    {
        QFETCH(Compression, compression);
        QTemporaryDir src;
        const QString s = src.path();
        writeFile(s + "/bin/tool", "#!/bin/sh\necho hi\n", 04755);
        writeFile(s + "/etc/empty", {}, 0600);
        writeFile(s + "/big/ten-mib", QByteArray(10 << 20, 'z'));
        writeFile(s + "/" + QString(150, 'x') + "/" + QString(99, 'y'), "long");
        writeFile(s + "/" + QString(200, 'p') + "/" + QString(200, 'q'), "longer");
        QDir().mkpath(s + "/ro");
        writeFile(s + "/ro/inside", "kept", 0444);
        ::chmod(QFile::encodeName(s + "/ro").constData(), 0555);
        ::symlink("../etc/empty", QFile::encodeName(s + "/bin/rel").constData());
        ::symlink("/etc/passwd", QFile::encodeName(s + "/bin/abs").constData());
        ::link(QFile::encodeName(s + "/bin/tool").constData(),
               QFile::encodeName(s + "/etc/tool-link").constData());
        ::setxattr(QFile::encodeName(s + "/etc/empty").constData(), "user.note", "kept", 4, 0);
        ::chown(QFile::encodeName(s + "/etc/empty").constData(), 1234, 4321);
        const timespec t[2] = {{1600000000, 0}, {1600000000, 0}};
        for (const char *p : {"/bin/tool", "/etc", "/bin", "/ro", "/big"})
            ::utimensat(AT_FDCWD, QFile::encodeName(s + p).constData(), t, AT_SYMLINK_NOFOLLOW);

        StringWriter blob;
        const int fd = openDir(s);
        LayerWriteOptions options;
        options.compression = compression;
        auto digests = writeLayer(fd, blob, options);
        ::close(fd);
        QVERIFY(digests.has_value());
        Sandbox box;
        auto stats = box.extract(blob.data());
        QVERIFY2(stats.has_value(), qPrintable(errorText(stats)));
        QCOMPARE(stats->compression, compression);
        auto expected = snapshot(s);
        if (::geteuid() != 0) // ownership is only kept as root
            for (auto &[path, d] : expected)
                d.replace("uid=1234 gid=4321",
                          QString("uid=%1 gid=%2").arg(::geteuid()).arg(::getegid()));
        QCOMPARE(snapshot(box.dest()), expected);
    }

    void maliciousArchivesAreContained_data()
    {
        QTest::addColumn<QByteArray>("archive");
        QTest::addColumn<QString>("error");      // empty: extraction succeeds, contained
        QTest::addColumn<QString>("insidePath"); // must exist inside dest afterwards
        auto row = [](const char *name, const std::string &a, const QString &error,
                      const QString &inside = {}) {
            QTest::newRow(name) << QByteArray::fromStdString(a + rawEnd()) << error << inside;
        };
        row("a ../ entry is refused", rawEntry("a/../../outside/bait", '0', "pwned"),
            "layer entry \"a/../../outside/bait\": path escapes the root");
        row("a ../ hidden in a PAX path is refused",
            rawPax(paxRecord("path", "../outside/bait")) + rawEntry("x", '0', "pwned"),
            "layer entry \"../outside/bait\": path escapes the root");
        // Absolute names are taken relative to the root, as Docker does.
        row("an absolute path lands inside the root",
            rawPax(paxRecord("path", farOutside() + "/bait")) + rawEntry("x", '0', "pwned"), {},
            QString::fromStdString(farOutside().substr(1) + "/bait"));
        // Absolute targets point into another temporary dir, so a regression cannot touch the host.
        const std::string far = farOutside();
        row("a symlink to / then a write through it lands inside the root",
            rawEntry("root", '2', {}, "/") + rawPax(paxRecord("path", "root" + far + "/bait")) +
                rawEntry("x", '0', "pwned"),
            {}, QString::fromStdString(far.substr(1) + "/bait"));
        row("a symlink to an absolute directory outside then a write through it lands inside the "
            "root",
            rawPax(paxRecord("path", far)) + rawEntry("x", '5') + rawEntry("abs", '2', {}, far) +
                rawEntry("abs/bait", '0', "pwned"),
            {}, QString::fromStdString(far.substr(1) + "/bait"));
        row("a symlink to ../outside then a write through it lands inside the root",
            rawEntry("outside", '5') + rawEntry("up", '2', {}, "../outside") +
                rawEntry("up/bait", '0', "pwned"),
            {}, "outside/bait");
        std::string climb;
        for (int i = 0; i < 30; ++i)
            climb += "../";
        row("a chain of symlinks climbing above the root stays inside",
            rawPax(paxRecord("path", far)) + rawEntry("x", '5') + rawEntry("a", '2', {}, "b") +
                rawEntry("b", '2', {}, "c") + rawPax(paxRecord("linkpath", climb + far.substr(1))) +
                rawEntry("c", '2') + rawEntry("a/bait", '0', "pwned"),
            {}, QString::fromStdString(far.substr(1) + "/bait"));
        // "../../../outside" resolves to <dest>/outside, which does not exist: never the real one.
        row("a chain of symlinks to the outside directory does not reach it",
            rawEntry("a", '2', {}, "b") + rawEntry("b", '2', {}, "c") +
                rawEntry("c", '2', {}, "../../../outside") + rawEntry("a/bait", '0', "pwned"),
            "layer entry \"a/bait\": open directory \"a\": No such file or directory");
        row("a file replacing a symlink does not write through it",
            rawEntry("l", '2', {}, "../outside/bait") + rawEntry("l", '0', "pwned"), {}, "l");
        row("a hardlink to /etc/passwd is refused", rawEntry("h", '1', {}, "/etc/passwd"),
            "layer entry \"h\": hardlink target \"/etc/passwd\": No such file or directory");
        row("a hardlink climbing out with .. is refused", rawEntry("h", '1', {}, "../outside/bait"),
            "layer entry \"h\": hardlink target \"../outside/bait\" escapes the root");
        row("a hardlink through a symlink is refused",
            rawEntry("s", '2', {}, "../outside") + rawEntry("h", '1', {}, "s/bait"),
            "layer entry \"h\": hardlink target \"s/bait\" goes through a symlink");
        row("a .wh.. whiteout is refused", rawEntry("dir/.wh..", '0'),
            "layer entry \"dir/.wh..\": invalid whiteout");
        row("a .wh... whiteout is refused", rawEntry(".wh...", '0'), "invalid whiteout");
        row("a .wh..wh. trick is refused", rawEntry(".wh..wh.x", '0'), "invalid whiteout");
        row("a whiteout under a symlinked parent is refused",
            rawEntry("s", '2', {}, "../outside") + rawEntry("s/.wh.bait", '0'),
            "layer entry \"s/.wh.bait\": whiteout under a symlinked directory");
        row("an opaque marker under a symlinked parent is refused",
            rawEntry("s", '2', {}, "../outside") + rawEntry("s/.wh..wh..opq", '0'),
            "opaque marker under a symlinked directory");
        row("a symlink is never followed when it is replaced by a directory",
            rawEntry("d", '2', {}, "../outside") + rawEntry("d", '5') +
                rawEntry("d/bait", '0', "x"),
            {}, "d/bait");
    }
    void maliciousArchivesAreContained()
    {
        QFETCH(QByteArray, archive);
        QFETCH(QString, error);
        QFETCH(QString, insidePath);
        for (WhiteoutMode mode : {WhiteoutMode::Overlay, WhiteoutMode::Apply}) {
            Sandbox box;
            const auto before = box.outsideState();
            ExtractOptions options = quiet();
            options.whiteouts = mode;
            auto r = box.extract(archive.toStdString(), options);
            if (error.isEmpty())
                QVERIFY2(r.has_value(), qPrintable(errorText(r)));
            else
                QVERIFY2(!r.has_value() && errorText(r).contains(error), qPrintable(errorText(r)));
            QCOMPARE(box.outsideState(), before);
            QCOMPARE(readAll(box.outside() + "/bait"), QByteArray("untouched"));
            QCOMPARE(readAll(QString::fromStdString(farOutside()) + "/bait"),
                     QByteArray("untouched"));
            if (!insidePath.isEmpty())
                QVERIFY2(QFileInfo(box.dest() + "/" + insidePath).exists() ||
                             QFileInfo(box.dest() + "/" + insidePath).isSymLink(),
                         qPrintable(insidePath));
        }
    }

    void limitsStopBombsAndDeepPaths_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("error");
        QTest::newRow("a gzip bomb (1 GiB of zeros) stops at a 100 MiB limit")
            << "bomb"
            << "more than the 104857600-byte limit";
        QTest::newRow("the same bomb stops at a 100:1 ratio") << "ratio"
                                                              << "ratio above 100:1";
        QTest::newRow("a path 10,000 deep is refused") << "deep"
                                                       << "above the limit of 4096";
        QTest::newRow("a 100 MiB PAX header claim is refused") << "pax"
                                                               << "exceeds the 1048576-byte limit";
    }
    void limitsStopBombsAndDeepPaths()
    {
        QFETCH(QString, kind);
        QFETCH(QString, error);
        std::string archive;
        ExtractOptions options = quiet();
        if (kind == "bomb" || kind == "ratio") {
            StringWriter sink;
            auto gz = makeCompressor(Compression::Gzip, sink);
            const std::string header = rawEntry("zeros", '0', {}, {}, 0644, 1LL << 30);
            (void)gz->write(header);
            const std::string chunk(1 << 20, '\0');
            for (int i = 0; i < 1024; ++i)
                (void)gz->write(chunk);
            (void)gz->write(rawEnd());
            (void)gz->finish();
            archive = sink.data();
            QVERIFY(archive.size() < (4 << 20));
            if (kind == "bomb") {
                options.limits.maxTotalBytes = 100 << 20;
            } else {
                options.limits.maxRatio = 100;
                options.limits.ratioFloorBytes = 10 << 20;
            }
        } else if (kind == "deep") {
            std::string deep;
            for (int i = 0; i < 10000; ++i)
                deep += "d/";
            archive = rawPax(paxRecord("path", deep + "f")) + rawEntry("x", '0') + rawEnd();
        } else {
            archive = rawEntry("PaxHeaders/x", 'x', {}, {}, 0644, 100LL << 20);
        }
        Sandbox box;
        const auto before = box.outsideState();
        auto r = box.extract(archive, options);
        QVERIFY2(!r.has_value() && errorText(r).contains(error),
                 qPrintable(errorText(r).left(300)));
        QCOMPARE(box.outsideState(), before);
    }

    void deviceNodes_data()
    {
        QTest::addColumn<bool>("allowed");
        QTest::newRow("without permission a device node is skipped with a warning") << false;
        QTest::newRow("with permission (root) a device node is created") << true;
    }
    void deviceNodes()
    {
        QFETCH(bool, allowed);
        if (allowed && ::geteuid() != 0)
            QSKIP("creating device nodes needs root");
        std::string dev = rawEntry("null", '3');
        std::snprintf(dev.data() + 329, 8, "%07o", 1);
        std::snprintf(dev.data() + 337, 8, "%07o", 3);
        std::memset(dev.data() + 148, ' ', 8);
        unsigned sum = 0;
        for (int i = 0; i < 512; ++i)
            sum += (unsigned char)dev[i];
        std::snprintf(dev.data() + 148, 8, "%06o", sum);
        Sandbox box;
        QStringList warnings;
        ExtractOptions options;
        options.allowDevices = allowed;
        options.warning = [&](const std::string &w) {
            warnings << QString::fromStdString(w);
        };
        auto r = box.extract(dev + rawEntry("fifo", '6') + rawEnd(), options);
        QVERIFY2(r.has_value(), qPrintable(errorText(r)));
        struct stat st;
        const bool exists = ::lstat(QFile::encodeName(box.dest() + "/null").constData(), &st) == 0;
        QCOMPARE(exists, allowed);
        if (allowed)
            QVERIFY(S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3));
        else
            QCOMPARE(warnings,
                     QStringList{"layer entry \"null\": device node skipped (not allowed)"});
        QVERIFY(QFileInfo(box.dest() + "/fifo").exists()); // FIFOs need no privilege
    }

    void whiteoutsApplyOnTopOfATree()
    {
        Sandbox box;
        writeFile(box.dest() + "/etc/old", "lower");
        writeFile(box.dest() + "/etc/keep", "lower");
        writeFile(box.dest() + "/var/cache/x", "lower");
        writeFile(box.dest() + "/var/cache/sub/y", "lower");
        ExtractOptions options = quiet();
        options.whiteouts = WhiteoutMode::Apply;
        // The opaque marker comes after a new file of the same layer, which must survive it.
        auto r = box.extract(
            rawEntry("etc/.wh.old", '0') + rawEntry("var/cache/new", '0', "upper") +
                rawEntry("var/cache/.wh..wh..opq", '0') + rawEntry(".wh.missing", '0') + rawEnd(),
            options);
        QVERIFY2(r.has_value(), qPrintable(errorText(r)));
        QVERIFY(!QFileInfo::exists(box.dest() + "/etc/old"));
        QVERIFY(QFileInfo::exists(box.dest() + "/etc/keep"));
        QCOMPARE(QDir(box.dest() + "/var/cache").entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
                 QStringList{"new"});
    }

    void whiteoutsAreRecordedForOverlay()
    {
        if (::geteuid() != 0)
            QSKIP("overlay whiteouts (char 0/0) and trusted.* xattrs need root");
        Sandbox box;
        auto r = box.extract(rawEntry("etc/.wh.old", '0') +
                                 rawEntry("var/cache/.wh..wh..opq", '0') + rawEnd(),
                             quiet());
        QVERIFY2(r.has_value(), qPrintable(errorText(r)));
        struct stat st;
        QVERIFY(::lstat(QFile::encodeName(box.dest() + "/etc/old").constData(), &st) == 0);
        QVERIFY(S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0));
        char value[4] = {};
        QCOMPARE(::getxattr(QFile::encodeName(box.dest() + "/var/cache").constData(),
                            "trusted.overlay.opaque", value, sizeof value),
                 1);
        QCOMPARE(value[0], 'y');
    }

    void overlayXattrsInALayerAreIgnored()
    {
        Sandbox box;
        QStringList warnings;
        ExtractOptions options;
        options.warning = [&](const std::string &w) {
            warnings << QString::fromStdString(w);
        };
        auto r = box.extract(rawPax(paxRecord("SCHILY.xattr.trusted.overlay.redirect", "/etc")) +
                                 rawEntry("d", '5') + rawEnd(),
                             options);
        QVERIFY2(r.has_value(), qPrintable(errorText(r)));
        QCOMPARE(warnings,
                 QStringList{"layer entry \"d\": xattr trusted.overlay.redirect ignored"});
    }

    void ownershipIsMappedForRootless_data()
    {
        QTest::addColumn<qint64>("uid");
        QTest::addColumn<QString>("error");
        QTest::newRow("container uid 0 maps to the first host id") << qint64(0) << QString();
        QTest::newRow("an unmapped uid is an error naming the entry")
            << qint64(70000) << "layer entry \"f\": uid 70000 has no mapping";
    }
    void ownershipIsMappedForRootless()
    {
        QFETCH(qint64, uid);
        QFETCH(QString, error);
        if (::geteuid() != 0)
            QSKIP("chown to other ids needs root");
        std::string entry = rawEntry("f", '0', "x");
        std::snprintf(entry.data() + 108, 8, "%07llo", (long long)uid);
        std::memset(entry.data() + 148, ' ', 8);
        unsigned sum = 0;
        for (int i = 0; i < 512; ++i)
            sum += (unsigned char)entry[i];
        std::snprintf(entry.data() + 148, 8, "%06o", sum);
        Sandbox box;
        ExtractOptions options = quiet();
        options.uidMap = {{0, 100000, 65536}};
        options.gidMap = {{0, 100000, 65536}};
        auto r = box.extract(entry + rawEnd(), options);
        if (!error.isEmpty()) {
            QVERIFY2(!r.has_value() && errorText(r).contains(error), qPrintable(errorText(r)));
            return;
        }
        QVERIFY2(r.has_value(), qPrintable(errorText(r)));
        QCOMPARE(QFileInfo(box.dest() + "/f").ownerId(), 100000u);
        QCOMPARE(QFileInfo(box.dest() + "/f").groupId(), 100000u);
    }

    void laterEntriesReplaceEarlierOnes()
    {
        Sandbox box;
        auto r = box.extract(rawEntry("x", '5') + rawEntry("x/child", '0', "c") +
                                 rawEntry("x", '0', "file") + rawEntry("y", '0', "one") +
                                 rawEntry("y", '0', "two") + rawEnd(),
                             quiet());
        QVERIFY2(r.has_value(), qPrintable(errorText(r)));
        QCOMPARE(readAll(box.dest() + "/x"), QByteArray("file"));
        QCOMPARE(readAll(box.dest() + "/y"), QByteArray("two"));
    }

    void atomicExtractionAndSweep()
    {
        QTemporaryDir layers;
        const int fd = openDir(layers.path());
        const std::string goodTar = rawEntry("ok", '0', "1") + rawEnd();
        MemoryReader good(goodTar);
        auto r = extractLayerAtomically(good, fd, "abc");
        QVERIFY2(r.has_value(), qPrintable(errorText(r)));
        QCOMPARE(readAll(layers.path() + "/abc/ok"), QByteArray("1"));
        // A failing layer leaves nothing behind.
        const std::string badTar = rawEntry("../x", '0') + rawEnd();
        MemoryReader bad(badTar);
        QVERIFY(!extractLayerAtomically(bad, fd, "def").has_value());
        QVERIFY(!QFileInfo::exists(layers.path() + "/def"));
        QVERIFY(!QFileInfo::exists(layers.path() + "/def.incomplete"));
        // Extracting over an existing layer is a conflict.
        const std::string againTar = rawEntry("ok", '0', "2") + rawEnd();
        MemoryReader again(againTar);
        auto conflict = extractLayerAtomically(again, fd, "abc");
        QVERIFY(!conflict.has_value() && errorText(conflict).contains("already exists"));
        QCOMPARE(readAll(layers.path() + "/abc/ok"), QByteArray("1"));
        // What a crash leaves is swept; a symlink inside it is removed, not followed.
        writeFile(layers.path() + "/ghi.incomplete/a/b", "half");
        writeFile(layers.path() + "/keep/file", "x");
        ::symlink(QFile::encodeName(layers.path() + "/keep").constData(),
                  QFile::encodeName(layers.path() + "/ghi.incomplete/a/escape").constData());
        auto swept = sweepIncomplete(fd);
        QVERIFY(swept.has_value());
        QCOMPARE(*swept, 1);
        QVERIFY(!QFileInfo::exists(layers.path() + "/ghi.incomplete"));
        QCOMPARE(readAll(layers.path() + "/keep/file"), QByteArray("x"));
        QVERIFY(QFileInfo::exists(layers.path() + "/abc/ok"));
        ::close(fd);
    }
};

QTEST_GUILESS_MAIN(TestExtract)
#include "tst_extract.moc"
