#include "runtime/logfile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using namespace Berth;
using namespace Berth::Runtime;

namespace {

constexpr std::int64_t s_t0 = 1'764'400'000'000'000'000; // 2025-11-29T07:06:40Z

std::vector<LogLine> readAll(const QString &dir, const LogQuery &query = {})
{
    std::vector<LogLine> out;
    auto ok = readLog(dir.toStdString(), query, [&](const LogLine &line) {
        out.push_back(line);
        return true;
    });
    if (!ok)
        qWarning("%s", ok.error().toString().c_str());
    return out;
}

QStringList texts(const std::vector<LogLine> &lines)
{
    QStringList out;
    for (const auto &l : lines)
        out << QString::fromStdString(l.text) + (l.newline ? "" : "<no newline>");
    return out;
}

} // namespace

// The container log: what the shim writes (CRI lines with a time and a stream), rotated by size,
// and what `logs` reads back, with pieces joined and --since/--until/--tail applied.
class TestLogFile : public QObject
{
    Q_OBJECT
private slots:
    void linesComeBackWithTheirStreamAndTime()
    {
        QTemporaryDir dir;
        auto log = LogWriter::open(dir.path().toStdString());
        QVERIFY(log);
        QVERIFY(log->write(LogStream::Stdout, "hello\nwor", s_t0));
        QVERIFY(log->write(LogStream::Stderr, "oops\n", s_t0 + 1));
        QVERIFY(log->write(LogStream::Stdout, "ld\n\n", s_t0 + 2));
        const auto lines = readAll(dir.path());
        QCOMPARE(texts(lines), (QStringList{"hello", "oops", "world", ""}));
        QCOMPARE(lines[1].stream, LogStream::Stderr);
        QCOMPARE(lines[1].timeNs, s_t0 + 1);
        QCOMPARE(lines[2].timeNs, s_t0 + 2);
        // The file is readable as it is.
        QFile f(dir.filePath("ctr.log"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readLine(), QByteArray("2025-11-29T07:06:40.000000000Z stdout F hello\n"));
    }

    void outputWithoutANewlineAndLongLines()
    {
        QTemporaryDir dir;
        auto log = LogWriter::open(dir.path().toStdString());
        QVERIFY(log);
        const std::string big(1 << 20, 'x'); // one 1 MB line
        QVERIFY(log->write(LogStream::Stdout, big, s_t0));
        QVERIFY(log->write(LogStream::Stdout, "\n", s_t0));
        // Binary output: any byte but a newline stays as it is.
        const std::string binary("\x00\x01\xff\r\t\x1b[31mred", 13);
        QVERIFY(log->write(LogStream::Stdout, binary + "\n", s_t0));
        QVERIFY(log->write(LogStream::Stderr, "prompt> ", s_t0));
        QVERIFY(log->flush(s_t0 + 5));
        const auto lines = readAll(dir.path());
        QCOMPARE(lines.size(), std::size_t(3));
        QVERIFY(lines[0].text == big);
        QVERIFY(lines[1].text == binary);
        QCOMPARE(lines[2].text, std::string("prompt> "));
        QVERIFY(!lines[2].newline);
        QCOMPARE(lines[2].stream, LogStream::Stderr);
    }

    void rotationKeepsTheNewestWithinTheCap()
    {
        QTemporaryDir dir;
        auto options = parseLogOptions({"max-size=4k", "max-file=3"});
        QVERIFY(options);
        QCOMPARE(options->maxSize, std::int64_t(4096));
        auto log = LogWriter::open(dir.path().toStdString(), *options);
        QVERIFY(log);
        for (int i = 0; i < 1000; ++i)
            QVERIFY(log->write(LogStream::Stdout, "line " + std::to_string(i) + "\n", s_t0 + i));
        QDir d(dir.path());
        QCOMPARE(d.entryList(QDir::Files), (QStringList{"ctr.log", "ctr.log.1", "ctr.log.2"}));
        qint64 total = 0;
        for (const auto &name : d.entryList(QDir::Files)) {
            QVERIFY(QFileInfo(d.filePath(name)).size() <= 4096);
            total += QFileInfo(d.filePath(name)).size();
        }
        QVERIFY(total <= 3 * 4096);
        // What is left is the newest lines, in order, ending with the last one.
        const auto lines = readAll(dir.path());
        QVERIFY(lines.size() > 100);
        QCOMPARE(lines.back().text, std::string("line 999"));
        for (std::size_t i = 1; i < lines.size(); ++i)
            QCOMPARE(lines[i].timeNs, lines[i - 1].timeNs + 1);
        // A writer opened again appends and keeps rotating.
        log = LogWriter::open(dir.path().toStdString(), *options);
        QVERIFY(log->write(LogStream::Stdout, "after reopening\n", s_t0 + 5000));
        QCOMPARE(readAll(dir.path()).back().text, std::string("after reopening"));
    }

    void sinceUntilAndTail()
    {
        QTemporaryDir dir;
        auto log = LogWriter::open(dir.path().toStdString(), {200, 4});
        QVERIFY(log);
        for (int i = 0; i < 10; ++i)
            QVERIFY(log->write(LogStream::Stdout, std::to_string(i) + "\n", s_t0 + i * 1'000'000));
        LogQuery q;
        q.sinceNs = s_t0 + 3'000'000;
        q.untilNs = s_t0 + 6'000'000;
        QCOMPARE(texts(readAll(dir.path(), q)), (QStringList{"3", "4", "5"}));
        LogQuery tail;
        tail.tail = 2;
        QCOMPARE(texts(readAll(dir.path(), tail)), (QStringList{"8", "9"}));
        tail.tail = 0;
        QVERIFY(readAll(dir.path(), tail).empty());
        // Stopping early.
        int seen = 0;
        QVERIFY(readLog(dir.path().toStdString(), {}, [&](const LogLine &) { return ++seen < 4; }));
        QCOMPARE(seen, 4);
        // No log yet: nothing, not an error.
        QTemporaryDir empty;
        QVERIFY(readAll(empty.path()).empty());
    }

    void timesAsLogsTakesThem_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("expected"); // -1: an error
        const qint64 now = s_t0;
        QTest::newRow("RFC 3339 in UTC") << "2025-11-29T07:06:40Z" << now;
        QTest::newRow("with a fraction") << "2025-11-29T07:06:40.5Z" << now + 500'000'000;
        QTest::newRow("with an offset") << "2025-11-29T08:06:40+01:00" << now;
        QTest::newRow("a date") << "2025-11-29" << now - (7 * 3600 + 6 * 60 + 40) * 1'000'000'000LL;
        QTest::newRow("a duration before now") << "10m" << now - 600'000'000'000LL;
        QTest::newRow("hours and minutes") << "1h30m" << now - 5'400'000'000'000LL;
        QTest::newRow("Unix seconds") << "1764400000" << now;
        QTest::newRow("Unix seconds with a fraction") << "1764400000.25" << now + 250'000'000;
        QTest::newRow("nonsense") << "yesterday" << qint64(-1);
        QTest::newRow("a bad unit") << "10x" << qint64(-1);
        QTest::newRow("a bad month") << "2025-13-01T00:00:00Z" << qint64(-1);
    }
    void timesAsLogsTakesThem()
    {
        QFETCH(QString, text);
        QFETCH(qint64, expected);
        auto t = parseLogTime(text.toStdString(), s_t0);
        if (expected < 0) {
            QVERIFY(!t);
            return;
        }
        QVERIFY2(t, t ? "" : t.error().toString().c_str());
        QCOMPARE(qint64(*t), expected);
        QCOMPARE(formatLogTime(s_t0 + 42), std::string("2025-11-29T07:06:40.000000042Z"));
    }

    void badLogOptionsAreNamed()
    {
        auto size = parseLogOptions({"max-size=big"});
        QVERIFY(!size);
        QCOMPARE(size.error().message(),
                 std::string("--log-opt \"max-size=big\": a size such as 512k, 10m or 1g"));
        QVERIFY(!parseLogOptions({"max-file=0"}));
        auto unknown = parseLogOptions({"compress=true"});
        QVERIFY(!unknown);
        QVERIFY(unknown.error().message().find("unknown option") != std::string::npos);
        QCOMPARE(parseLogOptions({"max-size=10m"})->maxSize, std::int64_t(10) << 20);
        QCOMPARE(parseLogOptions({"max-size=1g"})->maxSize, std::int64_t(1) << 30);
    }

    void followKeepsUpAcrossRotations()
    {
        QTemporaryDir dir;
        auto log = LogWriter::open(dir.path().toStdString(), {2048, 3});
        QVERIFY(log);
        for (int i = 0; i < 5; ++i)
            QVERIFY(log->write(LogStream::Stdout, "old " + std::to_string(i) + "\n", s_t0 + i));
        std::atomic<bool> done{false};
        std::atomic<int> newSeen{0};
        // The writer goes on while the follower reads, never more than 20 lines ahead of it (the
        // 3 files of 2 KiB hold about 100): 400 lines are many rotations, none of them lost.
        std::atomic<bool> historyRead{false};
        std::thread writer([&] {
            while (!historyRead) // what is written before the follower starts is history
                std::this_thread::yield();
            for (int i = 0; i < 400; ++i) {
                while (i - newSeen.load() > 20)
                    std::this_thread::yield();
                (void)log->write(LogStream::Stderr, "new " + std::to_string(i) + "\n",
                                 s_t0 + 1000 + i);
            }
            (void)log->write(LogStream::Stdout, "the end, no newline", s_t0 + 5000);
            (void)log->flush(s_t0 + 5000);
            done = true;
        });
        std::vector<LogLine> seen;
        LogQuery q;
        q.tail = 2;
        auto ok = followLog(
            dir.path().toStdString(), q,
            [&](const LogLine &l) {
                seen.push_back(l);
                if (l.text.rfind("new ", 0) == 0)
                    ++newSeen;
                if (l.text == "old 4")
                    historyRead = true;
                return true;
            },
            [&] { return !done; });
        writer.join();
        QVERIFY2(ok, ok ? "" : ok.error().toString().c_str());
        // --tail 2 of the history, every new line once and in order, then the end.
        QCOMPARE(seen.size(), std::size_t(2 + 400 + 1));
        QCOMPARE(seen[0].text, std::string("old 3"));
        QCOMPARE(seen[1].text, std::string("old 4"));
        for (int i = 0; i < 400; ++i)
            QCOMPARE(seen[std::size_t(2 + i)].text, "new " + std::to_string(i));
        QCOMPARE(seen.back().text, std::string("the end, no newline"));
        QVERIFY(!seen.back().newline);
    }

    void followStopsWhenAsked()
    {
        QTemporaryDir dir;
        auto log = LogWriter::open(dir.path().toStdString());
        QVERIFY(log);
        QVERIFY(log->write(LogStream::Stdout, "a\nb\n", s_t0));
        int asked = 0;
        std::vector<LogLine> seen;
        QVERIFY(followLog(
            dir.path().toStdString(), {},
            [&](const LogLine &l) {
                seen.push_back(l);
                return true;
            },
            [&] { return ++asked < 3; }));
        QCOMPARE(texts(seen), (QStringList{"a", "b"}));
        // The callback can stop it too.
        QVERIFY(followLog(
            dir.path().toStdString(), {}, [](const LogLine &) { return false; },
            [] { return true; }));
    }

    void damagedLinesAreSkipped()
    {
        QTemporaryDir dir;
        QFile f(dir.filePath("ctr.log"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("2025-11-29T07:06:40.000000000Z stdout F one\n"
                "garbage\n"
                "2025-11-29T07:06:40.000000001Z stdnot F nope\n"
                "2025-11-29T07:06:41.000000000Z stderr F two\n"
                "2025-11-29T07:06:41.000000001Z stdout F cut short"); // a crash mid-write
        f.close();
        QCOMPARE(texts(readAll(dir.path())), (QStringList{"one", "two"}));
    }
};

QTEST_GUILESS_MAIN(TestLogFile)
#include "tst_logfile.moc"
