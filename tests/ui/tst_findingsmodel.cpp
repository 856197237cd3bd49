#include "dockerfiles/findingsmodel.h"

#include "dockerfile/lint.h"
#include "dockerfile/syntax.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QTest>

using Berth::Ui::FindingsModel;
namespace Dockerfile = Berth::Dockerfile;

namespace {

struct Checked
{
    Dockerfile::Document document;
    std::vector<Dockerfile::Finding> findings;
};

Checked check(const QByteArray &source)
{
    Checked c{Dockerfile::parse(source.toStdString()), {}};
    c.findings = Dockerfile::lint(c.document);
    return c;
}

} // namespace

class TestFindingsModel : public QObject
{
    Q_OBJECT
private slots:
    void holdsDiagnosticsAndFindingsInOrder_data();
    void holdsDiagnosticsAndFindingsInOrder();
    void parseProblemsAreMarkedAsSuch();
    void lintFindingsExplainTheirRule();
    void sortsByRawValues();
    void clearEmptiesTheModel();
    void passesTheModelTesterThroughChanges();
};

void TestFindingsModel::holdsDiagnosticsAndFindingsInOrder_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::newRow("a short file with a tagged base image")
        << QByteArray("FROM alpine:3.19\nCMD [\"sh\"]\n");
    QTest::newRow("an untagged image and apt-get without -y")
        << QByteArray("FROM ubuntu\nRUN apt-get update && apt-get install curl\n");
    QTest::newRow("an unknown instruction among good ones")
        << QByteArray("FROM alpine:3.19\nRUNN echo hi\nCMD [\"sh\"]\n");
    QTest::newRow("several problems on several lines")
        << QByteArray("FROM ubuntu:latest\nMAINTAINER someone\nADD app.tar /app\n"
                      "RUN cd /app && make\nWORKDIR app\nCMD make run\n");
    // Columns count code points: the é and the emoji come before the finding's place.
    QTest::newRow("non-ASCII text before a problem")
        << QByteArray("FROM alpine\nLABEL description=\"café ☕\"\nRUNN x\n");
}

void TestFindingsModel::holdsDiagnosticsAndFindingsInOrder()
{
    QFETCH(QByteArray, source);
    const Checked c = check(source);

    FindingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setResults(c.document.diagnostics, c.findings);

    QCOMPARE(model.rowCount(), int(c.document.diagnostics.size() + c.findings.size()));
    QCOMPARE(model.columnCount(), int(FindingsModel::ColumnCount));
    std::size_t lastOffset = 0;
    int parseRows = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row, 0);
        const auto offset = index.data(FindingsModel::StartOffsetRole).toULongLong();
        QVERIFY2(offset >= lastOffset, "rows are sorted by position");
        lastOffset = offset;
        parseRows += index.data(FindingsModel::FromParserRole).toBool() ? 1 : 0;

        const QString location = model.index(row, FindingsModel::LocationColumn).data().toString();
        QCOMPARE(location, QStringLiteral("%1:%2")
                               .arg(index.data(FindingsModel::LineRole).toInt())
                               .arg(index.data(FindingsModel::ColumnRole).toInt()));
        QCOMPARE(model.index(row, FindingsModel::RuleColumn).data().toString(),
                 index.data(FindingsModel::RuleIdRole).toString());
        QCOMPARE(model.index(row, FindingsModel::MessageColumn).data().toString(),
                 index.data(FindingsModel::MessageRole).toString());
        QVERIFY(!model.index(row, FindingsModel::SeverityColumn).data().toString().isEmpty());
        QVERIFY(!index.data(Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(!index.data(Qt::ToolTipRole).toString().isEmpty());
    }
    QCOMPARE(parseRows, int(c.document.diagnostics.size()));

    // Every finding of core is there with its own values.
    for (const Dockerfile::Finding &finding : c.findings) {
        bool found = false;
        for (int row = 0; row < model.rowCount() && !found; ++row) {
            const QModelIndex index = model.index(row, 0);
            found =
                !index.data(FindingsModel::FromParserRole).toBool() &&
                index.data(FindingsModel::RuleIdRole).toString().toStdString() == finding.ruleId &&
                index.data(FindingsModel::LineRole).toInt() == finding.range.start.line &&
                index.data(FindingsModel::ColumnRole).toInt() == finding.range.start.column &&
                index.data(FindingsModel::SeverityRole).toInt() == int(finding.severity) &&
                index.data(FindingsModel::FixableRole).toBool() == finding.fix.has_value();
        }
        QVERIFY2(found, finding.ruleId.c_str());
    }
}

void TestFindingsModel::parseProblemsAreMarkedAsSuch()
{
    const Checked c = check("FROM alpine:3.19\nRUNN echo hi\n");
    QVERIFY2(!c.document.diagnostics.empty(), "the parser reports an unknown instruction");

    FindingsModel model;
    model.setResults(c.document.diagnostics, c.findings);
    int row = 0;
    while (row < model.rowCount() &&
           !model.index(row, 0).data(FindingsModel::FromParserRole).toBool())
        ++row;
    QVERIFY(row < model.rowCount());
    const QModelIndex index = model.index(row, 0);
    const Dockerfile::Diagnostic &diagnostic = c.document.diagnostics.front();
    QCOMPARE(index.data(FindingsModel::RuleIdRole).toString().toStdString(), diagnostic.code);
    QCOMPARE(index.data(FindingsModel::LineRole).toInt(), 2);
    QCOMPARE(index.data(FindingsModel::ColumnRole).toInt(), 1);
    QCOMPARE(model.index(row, FindingsModel::LocationColumn).data().toString(), "2:1");
    QVERIFY(index.data(Qt::ToolTipRole)
                .toString()
                .contains(QString::fromStdString(diagnostic.message).toHtmlEscaped()));
}

void TestFindingsModel::lintFindingsExplainTheirRule()
{
    const Checked c = check("FROM ubuntu\nMAINTAINER someone\nADD app.tar /app\n");
    QVERIFY2(!c.findings.empty(), "an untagged image, MAINTAINER and ADD are all lint findings");

    FindingsModel model;
    model.setResults(c.document.diagnostics, c.findings);
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row, 0);
        if (index.data(FindingsModel::FromParserRole).toBool())
            continue;
        const QString id = index.data(FindingsModel::RuleIdRole).toString();
        const Dockerfile::RuleInfo *rule = Dockerfile::findLintRule(id.toStdString());
        QVERIFY2(rule, qPrintable(id));
        const QString tip = index.data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QString::fromStdString(rule->title).toHtmlEscaped()),
                 qPrintable(tip));
        QVERIFY2(tip.contains(QString::fromStdString(rule->explanation).toHtmlEscaped()),
                 qPrintable(tip));
    }
}

void TestFindingsModel::sortsByRawValues()
{
    Dockerfile::Diagnostic late{Dockerfile::Severity::Warning, "b-code", "late", {}};
    late.range.start = {10, 2, 200};
    late.range.end = {10, 5, 203};
    Dockerfile::Finding early{"A-rule", Dockerfile::Severity::Info, "early", {}, std::nullopt};
    early.range.start = {9, 1, 20};
    early.range.end = {9, 4, 23};
    Dockerfile::Finding error{"C-rule", Dockerfile::Severity::Error, "error", {}, std::nullopt};
    error.range.start = {11, 1, 300};
    error.range.end = {11, 4, 303};

    FindingsModel model;
    model.setResults({late}, {error, early});
    // The model itself orders by position, whatever order core gave.
    QCOMPARE(model.index(0, FindingsModel::MessageColumn).data().toString(), "early");
    QCOMPARE(model.index(1, FindingsModel::MessageColumn).data().toString(), "late");
    QCOMPARE(model.index(2, FindingsModel::MessageColumn).data().toString(), "error");

    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(FindingsModel::SortRole);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(FindingsModel::SeverityColumn, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, FindingsModel::MessageColumn).data().toString(), "error");
    QCOMPARE(proxy.index(1, FindingsModel::MessageColumn).data().toString(), "late");
    QCOMPARE(proxy.index(2, FindingsModel::MessageColumn).data().toString(), "early");
    // Line 10 sorts after line 9 by offset, not before it as the text "10:2" would.
    proxy.sort(FindingsModel::LocationColumn, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, FindingsModel::LocationColumn).data().toString(), "11:1");
    QCOMPARE(proxy.index(2, FindingsModel::LocationColumn).data().toString(), "9:1");
    proxy.sort(FindingsModel::RuleColumn, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, FindingsModel::RuleColumn).data().toString(), "A-rule");

    QCOMPARE(model.countOf(Dockerfile::Severity::Error), 1);
    QCOMPARE(model.countOf(Dockerfile::Severity::Warning), 1);
    QCOMPARE(model.countOf(Dockerfile::Severity::Info), 1);
    QCOMPARE(model.index(0, 0).data(FindingsModel::EndOffsetRole).toULongLong(), 23u);
    QVERIFY(!model.index(0, 0).data(Qt::UserRole + 1000).isValid());
}

void TestFindingsModel::clearEmptiesTheModel()
{
    const Checked c = check("FROM ubuntu\nRUNN x\n");
    FindingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setResults(c.document.diagnostics, c.findings);
    QVERIFY(model.rowCount() > 0);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.countOf(Dockerfile::Severity::Error), 0);
}

void TestFindingsModel::passesTheModelTesterThroughChanges()
{
    FindingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (const char *source :
         {"FROM ubuntu\nRUNN x\n", "", "FROM alpine:3.19\n",
          "FROM ubuntu\nMAINTAINER a\nADD a /a\nRUN cd /x\n", "\xff\xfe junk"}) {
        const Checked c = check(source);
        model.setResults(c.document.diagnostics, c.findings);
        QCOMPARE(model.rowCount(), int(c.document.diagnostics.size() + c.findings.size()));
    }
}

QTEST_MAIN(TestFindingsModel)
#include "tst_findingsmodel.moc"
