#include "image/platform.h"

#include <QTest>

using namespace Berth;
using Berth::Image::Platform;

class TestPlatform : public QObject
{
    Q_OBJECT
private slots:
    void parses_data();
    void parses();
    void normalises_data();
    void normalises();
    void ranksCompatibility_data();
    void ranksCompatibility();
    void hostIsConcrete();
};

void TestPlatform::parses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("error");
    QTest::newRow("os and architecture") << "linux/amd64"
                                         << "linux/amd64"
                                         << "";
    QTest::newRow("with a variant, kept as written") << "linux/arm64/v8"
                                                     << "linux/arm64/v8"
                                                     << "";
    QTest::newRow("upper case is folded") << "Linux/ARM64"
                                          << "linux/arm64"
                                          << "";
    QTest::newRow("a bare architecture takes the host os")
        << "arm64" << Platform::host().os.c_str() + QString("/arm64") << "";
    QTest::newRow("too many parts") << "linux/arm/v7/x"
                                    << ""
                                    << "expected os[/arch[/variant]]";
    QTest::newRow("an empty architecture") << "linux/"
                                           << ""
                                           << "must be non-empty";
    QTest::newRow("an empty string") << ""
                                     << ""
                                     << "must be non-empty";
    QTest::newRow("an unknown single word") << "toaster"
                                            << ""
                                            << "unknown operating system";
    QTest::newRow("a space inside") << "linux/amd 64"
                                    << ""
                                    << "must be non-empty";
}

void TestPlatform::parses()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QFETCH(QString, error);
    const auto p = Platform::parse(text.toStdString());
    if (error.isEmpty()) {
        QVERIFY2(p.has_value(), p ? "" : p.error().message().c_str());
        QCOMPARE(QString::fromStdString(p->toString()), expected);
    } else {
        QVERIFY(!p.has_value());
        QVERIFY2(QString::fromStdString(p.error().message()).contains(error),
                 p.error().message().c_str());
    }
}

void TestPlatform::normalises_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("x86_64 is amd64") << "linux/x86_64"
                                     << "linux/amd64";
    QTest::newRow("amd64/v1 is the baseline") << "linux/amd64/v1"
                                              << "linux/amd64";
    QTest::newRow("amd64/v3 stays") << "linux/amd64/v3"
                                    << "linux/amd64/v3";
    QTest::newRow("aarch64 is arm64") << "linux/aarch64"
                                      << "linux/arm64";
    QTest::newRow("arm64/v8 is the arm64 baseline") << "linux/arm64/v8"
                                                    << "linux/arm64";
    QTest::newRow("arm64/9 is v9") << "linux/arm64/9"
                                   << "linux/arm64/v9";
    QTest::newRow("arm alone is v7") << "linux/arm"
                                     << "linux/arm/v7";
    QTest::newRow("arm/6 gains its v") << "linux/arm/6"
                                       << "linux/arm/v6";
    QTest::newRow("armhf is arm/v7") << "linux/armhf"
                                     << "linux/arm/v7";
    QTest::newRow("armel is arm/v6") << "linux/armel"
                                     << "linux/arm/v6";
    QTest::newRow("i386 is 386") << "linux/i386"
                                 << "linux/386";
    QTest::newRow("macos is darwin") << "macos/arm64"
                                     << "darwin/arm64";
}

void TestPlatform::normalises()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const auto p = Platform::parse(text.toStdString());
    QVERIFY(p.has_value());
    QCOMPARE(QString::fromStdString(p->normalized().toString()), expected);
    // Normalising is idempotent.
    QCOMPARE(p->normalized().normalized(), p->normalized());
}

void TestPlatform::ranksCompatibility_data()
{
    QTest::addColumn<QString>("image");
    QTest::addColumn<QString>("wanted");
    QTest::addColumn<int>("rank");
    QTest::newRow("the same platform") << "linux/amd64"
                                       << "linux/amd64" << 0;
    QTest::newRow("arm64 and arm64/v8 are the same") << "linux/arm64"
                                                     << "linux/arm64/v8" << 0;
    QTest::newRow("arm/v6 runs on arm/v7, one step down") << "linux/arm/v6"
                                                          << "linux/arm/v7" << 1;
    QTest::newRow("arm/v5 runs on arm/v7, two steps down") << "linux/arm/v5"
                                                           << "linux/arm/v7" << 2;
    QTest::newRow("arm/v7 does not run on arm/v6") << "linux/arm/v7"
                                                   << "linux/arm/v6" << -1;
    QTest::newRow("amd64 runs on amd64/v3") << "linux/amd64"
                                            << "linux/amd64/v3" << 2;
    QTest::newRow("amd64/v3 does not run on plain amd64") << "linux/amd64/v3"
                                                          << "linux/amd64" << -1;
    QTest::newRow("another os") << "windows/amd64"
                                << "linux/amd64" << -1;
    QTest::newRow("another architecture") << "linux/arm64"
                                          << "linux/amd64" << -1;
    QTest::newRow("arm64/v9 does not count down") << "linux/arm64"
                                                  << "linux/arm64/v9" << -1;
}

void TestPlatform::ranksCompatibility()
{
    QFETCH(QString, image);
    QFETCH(QString, wanted);
    QFETCH(int, rank);
    const auto have = Platform::parse(image.toStdString());
    const auto want = Platform::parse(wanted.toStdString());
    QVERIFY(have && want);
    QCOMPARE(have->compatibility(*want), rank);
    QCOMPARE(have->matches(*want), rank == 0);
}

void TestPlatform::hostIsConcrete()
{
    const Platform host = Platform::host();
    QVERIFY(!host.os.empty() && host.os != "unknown");
    QVERIFY(!host.architecture.empty() && host.architecture != "unknown");
    QVERIFY(host.matches(host));
}

QTEST_GUILESS_MAIN(TestPlatform)
#include "tst_platform.moc"
