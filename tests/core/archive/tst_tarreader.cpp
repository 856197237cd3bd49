#include "archive/tarreader.h"
#include "archive/tarwriter.h"

#include "archivetestutil.h"

#include <QTest>

using namespace Berth;
using namespace Berth::Archive;
using namespace ArchiveTest;

namespace {

// All entries of an archive as "path|type|link|size|uid|data", or the error.
QString readArchive(const std::string &archive, ArchiveLimits limits = {})
{
    MemoryReader in(archive);
    TarReader tar(in, limits);
    QStringList out;
    for (;;) {
        auto entry = tar.next();
        if (!entry)
            return "error: " + QString::fromStdString(entry.error().toString());
        if (!*entry)
            break;
        StringWriter data;
        if (auto r = copyStream(tar, data); !r)
            return "error: " + QString::fromStdString(r.error().toString());
        const TarEntry &e = **entry;
        QString line = QString("%1|%2|%3|%4|%5|%6")
                           .arg(QString::fromStdString(e.path))
                           .arg(int(e.type))
                           .arg(QString::fromStdString(e.linkTarget))
                           .arg(e.size)
                           .arg(e.uid)
                           .arg(QString::fromStdString(data.data()));
        for (const auto &[k, v] : e.xattrs)
            line += QString("|%1=%2").arg(QString::fromStdString(k), QString::fromStdString(v));
        out << line;
    }
    return out.join('\n');
}

std::string base256Uid(const std::string &name, std::uint64_t uid)
{
    std::string block = rawEntry(name, '0');
    block[108] = char(0x80);
    for (int i = 0; i < 7; ++i)
        block[108 + 7 - i] = char((uid >> (8 * i)) & 0xff);
    std::memset(block.data() + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; ++i)
        sum += (unsigned char)block[i];
    std::snprintf(block.data() + 148, 8, "%06o", sum);
    return block;
}

} // namespace

class TestTarReader : public QObject
{
    Q_OBJECT
private slots:
    void parsing_data()
    {
        QTest::addColumn<QByteArray>("archive");
        QTest::addColumn<QString>("expected");
        const std::string longName = std::string(150, 'n') + "/" + std::string(120, 'f');
        QTest::newRow("a plain ustar file with data")
            << QByteArray::fromStdString(rawEntry("a.txt", '0', "hello") + rawEnd())
            << "a.txt|0||5|0|hello";
        QTest::newRow("a GNU long name ('L') replaces the short one")
            << QByteArray::fromStdString(rawEntry("././@LongLink", 'L', longName + '\0') +
                                         rawEntry("short", '0', "x") + rawEnd())
            << QString::fromStdString(longName) + "|0||1|0|x";
        QTest::newRow("a GNU long link ('K') gives a long symlink target")
            << QByteArray::fromStdString(rawEntry("././@LongLink", 'K', longName) +
                                         rawEntry("l", '2', {}, "short") + rawEnd())
            << "l|2|" + QString::fromStdString(longName) + "|0|0|";
        QTest::newRow("PAX path, size and xattrs apply to the next entry only")
            << QByteArray::fromStdString(
                   rawPax(paxRecord("path", longName) + paxRecord("SCHILY.xattr.user.k", "v")) +
                   rawEntry("short", '0', "abc") + rawEntry("b", '5') + rawEnd())
            << QString::fromStdString(longName) + "|0||3|0|abc|user.k=v\nb|5||0|0|";
        QTest::newRow("a global PAX header applies to every later entry")
            << QByteArray::fromStdString(rawEntry("g", 'g', paxRecord("uid", "4242")) +
                                         rawEntry("a", '0') + rawEntry("b", '0') + rawEnd())
            << "a|0||0|4242|\nb|0||0|4242|";
        QTest::newRow("a base-256 uid is read")
            << QByteArray::fromStdString(base256Uid("big", 5000000000ULL) + rawEnd())
            << "big|0||0|5000000000|";
        QTest::newRow("a directory's trailing slash is dropped")
            << QByteArray::fromStdString(rawEntry("dir/", '5') + rawEnd()) << "dir|5||0|0|";
        // Some writers end after one zero block, or with none at all.
        QTest::newRow("an archive without end blocks still reads")
            << QByteArray::fromStdString(rawEntry("a", '0', "z")) << "a|0||1|0|z";
        QTest::newRow("a header with a wrong checksum is an error")
            << QByteArray::fromStdString([] {
                   auto s = rawEntry("a", '0');
                   s[0] = 'b';
                   return s;
               }())
            << "error: tar: header checksum mismatch";
        QTest::newRow("data cut short is an error")
            << QByteArray::fromStdString(rawEntry("a", '0', "hello").substr(0, 514))
            << "error: tar: unexpected end";
        QTest::newRow("a PAX sparse file is refused")
            << QByteArray::fromStdString(rawPax(paxRecord("GNU.sparse.major", "1")) +
                                         rawEntry("s", '0') + rawEnd())
            << "error: tar entry \"s\": sparse files are not supported";
        QTest::newRow("an unknown entry type is refused")
            << QByteArray::fromStdString(rawEntry("v", 'S') + rawEnd())
            << "error: tar entry \"v\": unsupported tar entry type 'S'";
        QTest::newRow("a malformed PAX record is refused")
            << QByteArray::fromStdString(rawPax("99 path=x\n") + rawEntry("a", '0') + rawEnd())
            << "error: malformed PAX record";
    }
    void parsing()
    {
        QFETCH(QByteArray, archive);
        QFETCH(QString, expected);
        const QString got = readArchive(archive.toStdString());
        if (expected.startsWith("error: "))
            QVERIFY2(got.startsWith(expected), qPrintable(got));
        else
            QCOMPARE(got, expected);
    }

    void limits_data()
    {
        QTest::addColumn<QByteArray>("archive");
        QTest::addColumn<QString>("error");
        // Only the header is there: the size claim alone must be refused, before any allocation.
        QTest::newRow("a PAX header claiming 100 MiB is refused")
            << QByteArray::fromStdString(rawEntry("PaxHeaders/x", 'x', {}, {}, 0644, 100LL << 20))
            << "PAX header of 104857600 bytes exceeds the 1048576-byte limit";
        QTest::newRow("a GNU long name claiming 100 MiB is refused")
            << QByteArray::fromStdString(rawEntry("././@LongLink", 'L', {}, {}, 0644, 100LL << 20))
            << "GNU long name header of 104857600 bytes exceeds";
        std::string deep;
        for (int i = 0; i < 10000; ++i)
            deep += "d/";
        deep += "f";
        QTest::newRow("a path 10,000 directories deep is refused")
            << QByteArray::fromStdString(rawPax(paxRecord("path", deep)) + rawEntry("x", '0') +
                                         rawEnd())
            << "10001 components deep, above the limit of 4096";
        QTest::newRow("a hardlink target 10,000 deep is refused")
            << QByteArray::fromStdString(rawPax(paxRecord("linkpath", deep)) + rawEntry("x", '1') +
                                         rawEnd())
            << "hardlink target";
    }
    void limits()
    {
        QFETCH(QByteArray, archive);
        QFETCH(QString, error);
        const QString got = readArchive(archive.toStdString());
        QVERIFY2(got.startsWith("error: ") && got.contains(error), qPrintable(got.left(300)));
    }

    void entryCountIsCapped()
    {
        std::string archive;
        for (int i = 0; i < 11; ++i)
            archive += rawEntry("f" + std::to_string(i), '0');
        ArchiveLimits limits;
        limits.maxEntries = 10;
        QVERIFY(readArchive(archive + rawEnd(), limits).contains("more than 10 entries"));
        limits.maxEntries = 11;
        QVERIFY(!readArchive(archive + rawEnd(), limits).startsWith("error"));
    }

    void unreadDataIsSkipped()
    {
        const std::string archive =
            rawEntry("a", '0', std::string(1000, 'x')) + rawEntry("b", '0', "y") + rawEnd();
        MemoryReader in(archive);
        TarReader tar(in);
        QVERIFY(tar.next().value().has_value());
        char c;
        QCOMPARE(tar.read(&c, 1).value(), 1u);
        auto b = tar.next();
        QVERIFY(b.has_value() && b->has_value());
        QCOMPARE((*b)->path, std::string("b"));
    }
};

QTEST_GUILESS_MAIN(TestTarReader)
#include "tst_tarreader.moc"
