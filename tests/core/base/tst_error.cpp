#include "base/result.h"

#include <QTest>

#include <cerrno>

using namespace Berth;

class TestError : public QObject
{
    Q_OBJECT
private slots:
    void messageCarriesContextAndLocation()
    {
        Error e(ErrorCode::Parse, "unknown instruction \"RUNN\"");
        e.at({"Dockerfile", 12, 1}).wrap("building stage \"app\"");
        QCOMPARE(
            e.toString(),
            std::string("building stage \"app\": Dockerfile:12:1: unknown instruction \"RUNN\""));
        QCOMPARE(e.code(), ErrorCode::Parse);
    }
    void outermostContextComesFirst()
    {
        Error e(ErrorCode::Io, "disk full");
        e.wrap("writing layer").wrap("building");
        QCOMPARE(e.toString(), std::string("building: writing layer: disk full"));
    }
    void errnoIsKeptAndSpelledOut()
    {
        Error e = Error::fromErrno("mount overlay on \"/x\"", EPERM);
        QCOMPARE(e.sysErrno(), EPERM);
        QCOMPARE(e.toString(), std::string("mount overlay on \"/x\": Operation not permitted"));
    }
    void resultHoldsValueOrError()
    {
        auto half = [](int v) -> Result<int> {
            if (v % 2)
                return fail(ErrorCode::Invalid, "odd");
            return v / 2;
        };
        QVERIFY(half(4).has_value());
        QCOMPARE(*half(4), 2);
        QVERIFY(!half(3));
        QCOMPARE(half(3).error().message(), std::string("odd"));
        QCOMPARE(half(3).value_or(-1), -1);
        Result<> ok;
        QVERIFY(ok.has_value());
        Result<> bad = fail(ErrorCode::NotFound, "gone");
        QCOMPARE(bad.error().code(), ErrorCode::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestError)
#include "tst_error.moc"
