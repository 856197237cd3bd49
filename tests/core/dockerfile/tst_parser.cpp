#include "fixtures.h"

#include "dockerfile/edit.h"
#include "dockerfile/json.h"
#include "dockerfile/syntax.h"

#include <QTest>

using namespace Berth::Dockerfile;
using namespace BerthTest;

namespace {

std::string diagnosticsText(const Document &doc)
{
    std::string out;
    for (const auto &d : doc.diagnostics)
        out += doc.fileName + ":" + std::to_string(d.range.start.line) + ":" +
               std::to_string(d.range.start.column) + ": " + severityName(d.severity) + ": " +
               d.code + ": " + d.message + "\n";
    return out;
}

bool hasCode(const Document &doc, const std::string &code)
{
    for (const auto &d : doc.diagnostics)
        if (d.code == code)
            return true;
    return false;
}

} // namespace

class TestParser : public QObject
{
    Q_OBJECT
private slots:
    void goldenTree_data();
    void goldenTree();
    void goldenErrors_data();
    void goldenErrors();
    void printingGivesTheFileBack_data() { goldenTree_data(); }
    void printingGivesTheFileBack();
    void replacingOneInstructionTouchesOnlyItsRange_data() { goldenTree_data(); }
    void replacingOneInstructionTouchesOnlyItsRange();
    void insertAndRemoveKeepTheRest();
    void positions_data();
    void positions();
    void keywordLookup();
    void trailingWhiteSpaceBelongsToNoWord();
    void hugeInputsStayBounded_data();
    void hugeInputsStayBounded();
};

void TestParser::goldenTree_data()
{
    QTest::addColumn<QString>("caseDir");
    const QStringList cases = fixtureCases(QString());
    QVERIFY2(cases.size() >= 40, "expected at least 40 golden cases");
    for (const QString &c : cases)
        QTest::newRow(qPrintable(QFileInfo(c).fileName())) << c;
}

void TestParser::goldenTree()
{
    QFETCH(QString, caseDir);
    const Document doc = parse(readFile(caseDir + "/Dockerfile"));
    const std::string json = toJson(doc);
    maybeWriteExpected(caseDir, "expected.json", json);
    const std::string expected = readFile(caseDir + "/expected.json");
    QVERIFY2(!expected.empty(), "missing expected.json (set BERTH_UPDATE_FIXTURES to write one)");
    QCOMPARE(QString::fromStdString(json), QString::fromStdString(expected));
    // Valid cases may warn, never fail.
    QVERIFY2(!doc.hasErrors(), diagnosticsText(doc).c_str());
}

void TestParser::goldenErrors_data()
{
    QTest::addColumn<QString>("caseDir");
    for (const QString &c : fixtureCases(QStringLiteral("errors")))
        QTest::newRow(qPrintable(QFileInfo(c).fileName())) << c;
}

void TestParser::goldenErrors()
{
    QFETCH(QString, caseDir);
    const Document doc = parse(readFile(caseDir + "/Dockerfile"));
    const std::string text = diagnosticsText(doc);
    maybeWriteExpected(caseDir, "expected.err", text);
    QVERIFY2(!doc.diagnostics.empty(), "an error case must produce a diagnostic");
    QCOMPARE(QString::fromStdString(text),
             QString::fromStdString(readFile(caseDir + "/expected.err")));
}

void TestParser::printingGivesTheFileBack()
{
    QFETCH(QString, caseDir);
    const std::string source = readFile(caseDir + "/Dockerfile");
    QCOMPARE(parse(source).print(), source);
}

void TestParser::replacingOneInstructionTouchesOnlyItsRange()
{
    QFETCH(QString, caseDir);
    const std::string source = readFile(caseDir + "/Dockerfile");
    const Document doc = parse(source);
    for (std::size_t i = 0; i < doc.instructions.size(); ++i) {
        const TextEdit edit = replaceInstruction(doc, i, "LABEL edited=yes");
        bool ok = false;
        const std::string edited = applyEdits(source, {edit}, &ok);
        QVERIFY(ok);
        const Range &r = doc.instructions[i].range;
        QCOMPARE(edited.substr(0, r.start.offset), source.substr(0, r.start.offset));
        QCOMPARE(edited.substr(r.start.offset + edit.replacement.size()),
                 source.substr(r.end.offset));
        const Document again = parse(edited);
        QCOMPARE(again.instructions.size(), doc.instructions.size());
        QCOMPARE(again.instructions[i].keyword, Keyword::Label);
        for (std::size_t k = 0; k < doc.instructions.size(); ++k)
            if (k != i)
                QCOMPARE(again.instructions[k].text(again.source()),
                         doc.instructions[k].text(doc.source()));
    }
}

void TestParser::insertAndRemoveKeepTheRest()
{
    const std::string crlf = "FROM busybox\r\n  RUN one\r\nCMD [\"sh\"]\r\n";
    const Document doc = parse(crlf);
    QCOMPARE(applyEdits(crlf, {insertInstruction(doc, 1, "ENV A=1")}),
             std::string("FROM busybox\r\nENV A=1\r\n  RUN one\r\nCMD [\"sh\"]\r\n"));
    QCOMPARE(applyEdits(crlf, {insertInstruction(doc, 3, "USER app")}), crlf + "USER app\r\n");
    QCOMPARE(applyEdits(crlf, {removeInstruction(doc, 1)}),
             std::string("FROM busybox\r\nCMD [\"sh\"]\r\n"));
    const std::string noEol = "FROM busybox";
    QCOMPARE(applyEdits(noEol, {insertInstruction(parse(noEol), 1, "RUN x")}),
             std::string("FROM busybox\nRUN x"));
    bool ok = true;
    QCOMPARE(applyEdits("abc", {{1, 1, "x"}, {1, 2, "y"}}, &ok), std::string("abc"));
    QVERIFY2(!ok, "overlapping edits are rejected");
}

void TestParser::positions_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("instruction");
    QTest::addColumn<int>("word");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("endColumn");
    QTest::newRow("a plain word starts after the keyword")
        << "FROM busybox" << 0 << 0 << 1 << 6 << 13;
    // Columns count code points, so "é" and "☕" are one column each.
    QTest::newRow("columns count code points, not bytes")
        << "LABEL a=\"é☕\" b=2" << 0 << 1 << 1 << 14 << 17;
    QTest::newRow("a word on a continuation line keeps its own line")
        << "COPY a \\\n   b /c/" << 0 << 1 << 2 << 4 << 5;
    QTest::newRow("a BOM is not a column") << "\xEF\xBB\xBF"
                                              "FROM x"
                                           << 0 << 0 << 1 << 6 << 7;
    QTest::newRow("CRLF does not count as a column") << "FROM a\r\nCMD b" << 1 << 0 << 2 << 5 << 6;
    QTest::newRow("exec form elements point at their quotes")
        << "CMD [\"a\", \"bc\"]" << 0 << 1 << 1 << 11 << 15;
}

void TestParser::positions()
{
    QFETCH(QString, source);
    QFETCH(int, instruction);
    QFETCH(int, word);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(int, endColumn);
    const Document doc = parse(source.toStdString());
    QVERIFY(std::size_t(instruction) < doc.instructions.size());
    const auto &words = doc.instructions[std::size_t(instruction)].words;
    QVERIFY(std::size_t(word) < words.size());
    const Range r = words[std::size_t(word)].range;
    QCOMPARE(r.start.line, line);
    QCOMPARE(r.start.column, column);
    QCOMPARE(r.end.column, endColumn);
}

void TestParser::keywordLookup()
{
    QCOMPARE(keywordFromString("hEaLtHcHeCk"), Keyword::Healthcheck);
    QCOMPARE(keywordFromString("RUNN"), Keyword::Unknown);
    QCOMPARE(allKeywordNames().size(), std::size_t(18));
    for (const auto &name : allKeywordNames())
        QCOMPARE(std::string(keywordName(keywordFromString(name))), name);
}

void TestParser::trailingWhiteSpaceBelongsToNoWord()
{
    Document doc = parse("FROM a\nCOPY --chown=\"app  \n");
    QCOMPARE(doc.instructions[1].flags.at(0).value.value_or("?"), std::string("app"));
    QCOMPARE(doc.instructions[1].flags.at(0).raw, std::string("--chown=\"app"));
    // An unclosed quote makes no heredoc delimiter (BuildKit's lexer rejects it too).
    doc = parse("FROM a\nRUN <<\"EOF  \nx\nEOF  \n");
    QVERIFY(doc.instructions[1].heredocs.empty());
    doc = parse("FROM a\nRUN <<EOF   \nx\nEOF\n");
    QCOMPARE(doc.instructions.size(), std::size_t(2));
    QCOMPARE(doc.instructions[1].heredocs.at(0).name, std::string("EOF"));
}

void TestParser::hugeInputsStayBounded_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QString>("expectCode");
    QTest::addColumn<int>("instructions");
    QTest::newRow("a 1 MB line") << ("FROM busybox\nRUN echo " + QByteArray(1 << 20, 'x') + "\n")
                                 << QString() << 2;
    QByteArray many = "FROM busybox\n";
    for (int i = 0; i < 100000; ++i)
        many += "RUN echo " + QByteArray::number(i) + "\n";
    QTest::newRow("100,000 instructions") << many << QString() << 100001;
    QByteArray nested = "FROM busybox\nENV X=";
    for (int i = 0; i < 10000; ++i)
        nested += "${a:-";
    nested += "end" + QByteArray(10000, '}') + "\n";
    QTest::newRow("10,000 nested defaults") << nested << "invalid-substitution" << 2;
    QTest::newRow("NUL bytes") << QByteArray("FROM a\0\0\nRUN \0", 15) << "nul-byte" << 2;
    QTest::newRow("invalid UTF-8") << QByteArray("FROM \xff\xfe\nRUN \xc3") << "invalid-utf8" << 2;
    QTest::newRow("a thousand continuation lines")
        << ("FROM a\nRUN x \\\n" + QByteArray("  y \\\n").repeated(1000) + "  z\n") << QString()
        << 2;
    QTest::newRow("an unterminated heredoc at the end of a long file")
        << ("FROM a\n" + QByteArray("RUN x\n").repeated(1000) + "RUN <<EOF\n" +
            QByteArray("line\n").repeated(1000))
        << "unterminated-heredoc" << 1002;
    QTest::newRow("only escapes") << QByteArray("\\\n\\\n\\") << "trailing-escape" << 0;
}

void TestParser::hugeInputsStayBounded()
{
    QFETCH(QByteArray, source);
    QFETCH(QString, expectCode);
    QFETCH(int, instructions);
    const std::string text(source.constData(), std::size_t(source.size()));
    const Document doc = parse(text);
    QCOMPARE(doc.print(), text);
    QCOMPARE(int(doc.instructions.size()), instructions);
    if (!expectCode.isEmpty())
        QVERIFY2(hasCode(doc, expectCode.toStdString()), diagnosticsText(doc).c_str());
    if (instructions < 5000) // JSON of 100,000 instructions is slow under ASan, not unbounded
        QVERIFY(!toJson(doc).empty());
}

QTEST_GUILESS_MAIN(TestParser)
#include "tst_parser.moc"
