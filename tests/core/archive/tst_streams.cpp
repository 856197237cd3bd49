#include "archive/compression.h"
#include "archive/gzipstream.h"
#include "archive/zstdstream.h"

#include "archivetestutil.h"

#include <QTest>

using namespace Berth;
using namespace Berth::Archive;
using namespace ArchiveTest;

Q_DECLARE_METATYPE(Berth::Archive::Compression)

namespace {

// Pseudo-random but compressible bytes, the same on every run.
std::string sampleData(std::size_t size)
{
    std::string out(size, '\0');
    std::uint32_t x = 12345;
    for (std::size_t i = 0; i < size; ++i) {
        x = x * 1103515245 + 12345;
        out[i] = static_cast<char>("abcdefgh\n "[(x >> 16) % 10]);
    }
    return out;
}

std::string compress(Compression c, const std::string &data)
{
    StringWriter sink;
    auto writer = makeCompressor(c, sink);
    // Odd-sized pieces, to exercise the streaming paths.
    for (std::size_t pos = 0; pos < data.size(); pos += 70001)
        (void)writer->write(data.data() + pos, std::min<std::size_t>(70001, data.size() - pos));
    (void)writer->finish();
    return sink.data();
}

Result<std::string> decompress(const std::string &data)
{
    MemoryReader in(data);
    AutoDecompressReader reader(in);
    StringWriter out;
    if (auto r = copyStream(reader, out); !r)
        return fail(std::move(r).error());
    return out.data();
}

} // namespace

class TestStreams : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip_data()
    {
        QTest::addColumn<Compression>("compression");
        QTest::addColumn<int>("size");
        for (auto c : {Compression::None, Compression::Gzip, Compression::Zstd}) {
            const QByteArray name = compressionName(c);
            QTest::newRow(name + ": an empty stream survives") << c << 0;
            QTest::newRow(name + ": a few bytes survive") << c << 5;
            QTest::newRow(name + ": three mebibytes survive") << c << (3 << 20);
        }
    }
    void roundTrip()
    {
        QFETCH(Compression, compression);
        QFETCH(int, size);
        const std::string data = sampleData(static_cast<std::size_t>(size));
        const std::string packed = compress(compression, data);
        if (compression != Compression::None)
            QCOMPARE(detectCompression(packed), compression);
        auto back = decompress(packed);
        QVERIFY2(back.has_value(), back ? "" : back.error().toString().c_str());
        QCOMPARE(back->size(), data.size());
        QVERIFY(*back == data);
        // Compression is deterministic: the same input gives the same bytes.
        QVERIFY(compress(compression, data) == packed);
    }

    void concatenatedGzipMembersReadAsOneStream()
    {
        const std::string packed =
            compress(Compression::Gzip, "hello ") + compress(Compression::Gzip, "world");
        auto back = decompress(packed);
        QVERIFY(back.has_value());
        QCOMPARE(*back, std::string("hello world"));
    }

    void corruptInput_data()
    {
        QTest::addColumn<Compression>("compression");
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("error");
        QTest::newRow("a truncated gzip stream is an error") << Compression::Gzip << "truncate"
                                                             << "gzip: unexpected end";
        QTest::newRow("a gzip stream with a wrong CRC is an error") << Compression::Gzip << "crc"
                                                                    << "gzip: corrupt data";
        QTest::newRow("garbage after a gzip stream is an error") << Compression::Gzip << "garbage"
                                                                 << "trailing garbage";
        QTest::newRow("a truncated zstd stream is an error") << Compression::Zstd << "truncate"
                                                             << "zstd: unexpected end";
        QTest::newRow("a zstd stream with a wrong checksum is an error")
            << Compression::Zstd << "crc"
            << "zstd: corrupt data";
    }
    void corruptInput()
    {
        QFETCH(Compression, compression);
        QFETCH(QString, damage);
        QFETCH(QString, error);
        std::string packed = compress(compression, sampleData(100000));
        if (damage == "truncate")
            packed.resize(packed.size() / 2);
        else if (damage == "crc")
            packed[packed.size() - 6] ^= 0x55; // inside the trailer checksum
        else
            packed += "garbage!";
        auto back = decompress(packed);
        QVERIFY(!back.has_value());
        QVERIFY2(QString::fromStdString(back.error().message()).contains(error),
                 back.error().message().c_str());
    }

    void detection_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<Compression>("expected");
        QTest::newRow("gzip magic") << QByteArray("\x1f\x8b\x08\x00", 4) << Compression::Gzip;
        QTest::newRow("zstd magic") << QByteArray("\x28\xb5\x2f\xfd", 4) << Compression::Zstd;
        QTest::newRow("a tar header is plain") << QByteArray("etc/") << Compression::None;
        QTest::newRow("one byte is plain") << QByteArray("\x1f") << Compression::None;
    }
    void detection()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(Compression, expected);
        QCOMPARE(detectCompression(std::string_view(bytes.constData(), bytes.size())), expected);
    }

    void digestingStreamsHashWhatPasses()
    {
        StringWriter sink;
        DigestingWriter w(sink);
        QVERIFY(w.write("ab").has_value());
        QVERIFY(w.write("c").has_value());
        QVERIFY(w.finish().has_value());
        QCOMPARE(w.digest(), Digest::sha256("abc"));
        QCOMPARE(w.size(), 3);
        MemoryReader in(std::string_view("abc"));
        DigestingReader r(in);
        StringWriter out;
        QVERIFY(copyStream(r, out).has_value());
        QCOMPARE(r.finish(), Digest::sha256("abc"));
    }

    void bufferedReadsGiveBackEveryByteInOrder_data()
    {
        QTest::addColumn<int>("piece");
        QTest::newRow("pieces smaller than the buffer") << 511;
        // Reads as large as the buffer go straight to the source, between buffered ones.
        QTest::newRow("pieces larger than the buffer") << 5000;
        QTest::newRow("one byte at a time") << 1;
    }
    void bufferedReadsGiveBackEveryByteInOrder()
    {
        QFETCH(int, piece);
        const std::string data = sampleData(100'003);
        MemoryReader source(data);
        BufferedReader buffered(source, 4096);
        std::string out;
        std::string chunk(std::size_t(piece) + 7, '\0');
        for (int i = 0;; ++i) {
            // Alternate sizes around the buffer's capacity.
            const std::size_t want = i % 3 == 2 ? chunk.size() : std::size_t(piece);
            auto n = buffered.read(chunk.data(), want);
            QVERIFY(n);
            if (*n == 0)
                break;
            QVERIFY(*n <= want);
            out.append(chunk.data(), *n);
        }
        QCOMPARE(out.size(), data.size());
        QVERIFY(out == data);
        // The end stays the end.
        QCOMPARE(*buffered.read(chunk.data(), 1), std::size_t(0));
    }

    void externalToolsReadOurOutput_data()
    {
        QTest::addColumn<Compression>("compression");
        QTest::addColumn<QString>("tool");
        QTest::newRow("gzip -d reads our gzip") << Compression::Gzip << "gzip";
        QTest::newRow("zstd -d reads our zstd") << Compression::Zstd << "zstd";
    }
    void externalToolsReadOurOutput()
    {
        QFETCH(Compression, compression);
        QFETCH(QString, tool);
        if (!haveTool(tool))
            QSKIP(qPrintable(tool + " is not installed"));
        const std::string data = sampleData(1 << 20);
        const std::string packed = compress(compression, data);
        const auto r = runTool(tool, {"-d", "-c"}, QByteArray::fromStdString(packed));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.toStdString() == data);
    }

    void weReadExternalToolsOutput_data() { externalToolsReadOurOutput_data(); }
    void weReadExternalToolsOutput()
    {
        QFETCH(Compression, compression);
        QFETCH(QString, tool);
        if (!haveTool(tool))
            QSKIP(qPrintable(tool + " is not installed"));
        const std::string data = sampleData(1 << 20);
        const auto r = runTool(tool, {"-c"}, QByteArray::fromStdString(data));
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(detectCompression(r.out.toStdString()), compression);
        auto back = decompress(r.out.toStdString());
        QVERIFY2(back.has_value(), back ? "" : back.error().toString().c_str());
        QVERIFY(*back == data);
    }
};

QTEST_GUILESS_MAIN(TestStreams)
#include "tst_streams.moc"
