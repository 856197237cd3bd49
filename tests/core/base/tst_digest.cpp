#include "base/digest.h"

#include <QTest>

using namespace Berth;

class TestDigest : public QObject
{
    Q_OBJECT
private slots:
    void knownHashes()
    {
        QCOMPARE(
            Digest::sha256("").toString(),
            std::string("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(Digest::sha256("abc").hex(),
                 std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        // Fed in pieces, the stream gives the same digest, and finish() starts over.
        Sha256 hasher;
        hasher.update("a");
        hasher.update("bc");
        QCOMPARE(hasher.finish(), Digest::sha256("abc"));
        QCOMPARE(hasher.finish(), Digest::sha256(""));
    }

    void parsing_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        const QString hex64 = QString(64, QLatin1Char('a'));
        QTest::newRow("a sha256 digest parses") << "sha256:" + hex64 << QString();
        QTest::newRow("sha512 is accepted")
            << "sha512:" + QString(128, QLatin1Char('0')) << QString();
        QTest::newRow("no algorithm") << hex64 << "expected algorithm:hex";
        QTest::newRow("an unknown algorithm") << "md5:" + hex64 << "unsupported algorithm \"md5\"";
        QTest::newRow("upper-case hex is refused")
            << "sha256:" + hex64.toUpper() << "may only hold 0-9 and a-f";
        // A path hidden in a digest must never reach the file system.
        QTest::newRow("a path in place of hex") << "sha256:../x"
                                                << "may only hold 0-9 and a-f";
        QTest::newRow("too short") << "sha256:abc"
                                   << "3 hex characters, sha256 needs 64";
        QTest::newRow("empty") << ""
                               << "expected algorithm:hex";
    }
    void parsing()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        const auto d = Digest::parse(text.toStdString());
        if (error.isEmpty()) {
            QVERIFY(d.has_value());
            QCOMPARE(QString::fromStdString(d->toString()), text);
        } else {
            QVERIFY(!d.has_value());
            QVERIFY2(QString::fromStdString(d.error().message()).contains(error),
                     d.error().message().c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestDigest)
#include "tst_digest.moc"
