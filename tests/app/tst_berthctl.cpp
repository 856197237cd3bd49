#include "processrun.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace BerthTest;

// Drives the real berthctl binary the way a script would.
class TestBerthctl : public QObject
{
    Q_OBJECT

    Run berthctl(const QStringList &args, const QByteArray &input = {}, const QString &cwd = {})
    {
        return runProgram(berthctlPath(), args, {{}, input, cwd});
    }

    static QString fixture(const QString &name)
    {
        return QStringLiteral(BERTH_TEST_DATA_DIR "/dockerfile/") + name;
    }

    static QByteArray read(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private slots:
    void helpAndVersion()
    {
        const Run help = berthctl({"--help"});
        QCOMPARE(help.status, 0);
        QVERIFY(help.out.contains("dockerfile lint FILE"));
        const Run version = berthctl({"version"});
        QCOMPARE(version.status, 0);
        QVERIFY(version.out.startsWith("berthctl 0."));
        const Run unknown = berthctl({"frobnicate"});
        QCOMPARE(unknown.status, 2);
        QVERIFY(unknown.err.contains("unknown command \"frobnicate\""));
    }

    void parseJsonMatchesTheGoldenTree()
    {
        const Run r =
            berthctl({"dockerfile", "parse", "Dockerfile", "--json"}, {}, fixture("multi-stage"));
        QCOMPARE(r.status, 0);
        QCOMPARE(r.out, read(fixture("multi-stage/expected.json")));
    }

    void parseReportsSyntaxErrors()
    {
        const Run r = berthctl({"dockerfile", "parse", "-"}, "FROM a\nRUNN x\n");
        QCOMPARE(r.status, 1);
        QVERIFY2(r.err.contains(
                     "<stdin>:2:1: error: unknown instruction \"RUNN\" (did you mean \"RUN\"?)"),
                 r.err.constData());
    }

    void lintPrintsLocationsAndFailsOnErrors()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("Dockerfile");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("FROM busybox:latest\nADD app.py /app/\n");
        f.close();
        Run r = berthctl({"dockerfile", "lint", path});
        QCOMPARE(r.status, 0); // warnings only
        QVERIFY2(r.out.contains((path + ":1:6: warning: DL3007: ").toUtf8()), r.out.constData());
        QVERIFY2(r.out.contains((path + ":2:1: ").toUtf8()), r.out.constData());
        r = berthctl({"dockerfile", "lint", "-", "--format", "json"},
                     "FROM a AS b\nCOPY --from=b x /y\n");
        QCOMPARE(r.status, 1); // copying from its own stage is an error
        QVERIFY2(r.out.contains("\"severity\": \"error\""), r.out.constData());
        QVERIFY(r.out.trimmed().startsWith('[') && r.out.trimmed().endsWith(']'));
        r = berthctl({"dockerfile", "lint", dir.filePath("missing")});
        QCOMPARE(r.status, 2);
        QVERIFY(r.err.contains("missing"));
        r = berthctl({"dockerfile", "lint", path, "--format", "yaml"});
        QCOMPARE(r.status, 2);
    }

    void fmtRewritesInPlaceAndChecks()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("Dockerfile");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("from busybox:1.36 as base\nrun   echo hi\n");
        f.close();
        QCOMPARE(berthctl({"dockerfile", "fmt", "--check", path}).status, 1);
        const Run printed = berthctl({"dockerfile", "fmt", path});
        QCOMPARE(printed.status, 0);
        QCOMPARE(read(path), QByteArray("from busybox:1.36 as base\nrun   echo hi\n")); // untouched
        QCOMPARE(berthctl({"dockerfile", "fmt", "-w", path}).status, 0);
        QCOMPARE(read(path), printed.out);
        QVERIFY(read(path).startsWith("FROM busybox:1.36 AS base\nRUN echo hi"));
        QCOMPARE(berthctl({"dockerfile", "fmt", "--check", path}).status, 0);
    }

    void rulesListsAtLeastThirty()
    {
        const Run r = berthctl({"dockerfile", "rules"});
        QCOMPARE(r.status, 0);
        QVERIFY(r.out.count('\n') >= 30);
        QVERIFY(r.out.contains("DL3006"));
        QVERIFY(r.out.contains("StageNameCasing"));
    }
};

QTEST_GUILESS_MAIN(TestBerthctl)
#include "tst_berthctl.moc"
