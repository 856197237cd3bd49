#include "dockerfile/lint.h"
#include "tst_lint_cases.h"

#include <QElapsedTimer>
#include <QTest>

#include <algorithm>
#include <set>

using namespace Berth::Dockerfile;

namespace {

std::vector<Finding> findingsOf(const std::vector<Finding> &all, std::string_view rule)
{
    std::vector<Finding> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out),
                 [&](const Finding &f) { return f.ruleId == rule; });
    return out;
}

QStringList idsOf(const std::vector<Finding> &findings)
{
    QStringList ids;
    for (const auto &f : findings)
        ids << QString::fromStdString(f.ruleId);
    return ids;
}

QString describe(const std::vector<Finding> &findings)
{
    QStringList lines;
    for (const auto &f : findings)
        lines << QStringLiteral("%1:%2 %3 %4")
                     .arg(f.range.start.line)
                     .arg(f.range.start.column)
                     .arg(QString::fromStdString(f.ruleId), QString::fromStdString(f.message));
    return lines.join(QLatin1Char('\n'));
}

bool hasCase(std::string_view rule, bool catches)
{
    return std::any_of(ruleCases().begin(), ruleCases().end(), [&](const RuleCase &c) {
        return c.rule == rule && (c.line > 0) == catches;
    });
}

} // namespace

class TestLint : public QObject
{
    Q_OBJECT

private slots:
    void rules_data();
    void rules();
    void everyRuleIsDocumentedAndTested();
    void findRuleByIdOrAlias();
    void fixes_data();
    void fixes();
    void everyFixableRuleHasAFixTest();
    void suppression_data();
    void suppression();
    void findingsAreSortedByPosition();
    void severityDependsOnTheProblem();
    void oddInputsDoNotBreakTheLinter_data();
    void oddInputsDoNotBreakTheLinter();
    void largeFilesLintQuickly();
};

void TestLint::rules_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("dockerfile");
    QTest::addColumn<int>("line");
    for (const auto &c : ruleCases())
        QTest::addRow("%s %s", c.rule, c.name) << c.rule << c.dockerfile << c.line;
}

void TestLint::rules()
{
    QFETCH(QString, rule);
    QFETCH(QString, dockerfile);
    QFETCH(int, line);
    const Document doc = parse(dockerfile.toStdString());
    QVERIFY2(!doc.hasErrors(), "the test input itself must be valid");
    const auto all = lint(doc);
    const auto found = findingsOf(all, rule.toStdString());
    if (line == 0) {
        QVERIFY2(found.empty(), qPrintable(describe(found)));
        return;
    }
    QVERIFY2(!found.empty(), qPrintable(describe(all)));
    QCOMPARE(found.front().range.start.line, line);
    QVERIFY(!found.front().message.empty());
}

void TestLint::everyRuleIsDocumentedAndTested()
{
    const auto &rules = lintRules();
    QVERIFY(rules.size() >= 30);
    std::set<std::string> ids;
    for (const auto &rule : rules) {
        const QString id = QString::fromStdString(rule.id);
        QVERIFY2(!rule.id.empty() && !rule.title.empty() && rule.explanation.size() > 40,
                 qPrintable(id));
        QVERIFY2(hasCase(rule.id, true), qPrintable(id + " has no catch row"));
        QVERIFY2(hasCase(rule.id, false), qPrintable(id + " has no no-catch row"));
        QVERIFY2(ids.insert(rule.id).second, qPrintable(id + " is registered twice"));
        for (const auto &alias : rule.aliases)
            QVERIFY2(ids.insert(alias).second, qPrintable(id + ": alias used twice"));
    }
    QVERIFY(std::is_sorted(rules.begin(), rules.end(),
                           [](const RuleInfo &a, const RuleInfo &b) { return a.id < b.id; }));
    for (const auto &c : ruleCases())
        QVERIFY2(findLintRule(c.rule) && findLintRule(c.rule)->id == c.rule, c.rule);
}

void TestLint::findRuleByIdOrAlias()
{
    QVERIFY(findLintRule("DL3006"));
    QCOMPARE(findLintRule("dl3006")->id, "DL3006");
    QCOMPARE(findLintRule("DL3025")->id, "JSONArgsRecommended");
    QCOMPARE(findLintRule("DL4004")->id, "MultipleInstructionsDisallowed");
    QCOMPARE(findLintRule("DL3024")->id, "DuplicateStageName");
    QCOMPARE(findLintRule("DL3000")->id, "WorkdirRelativePath");
    QCOMPARE(findLintRule("DL4000")->id, "MaintainerDeprecated");
    QVERIFY(!findLintRule("DL9999"));
    QVERIFY(!findLintRule(""));
}

void TestLint::fixes_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("before");
    QTest::addColumn<QString>("after");
    for (const auto &c : fixCases())
        QTest::addRow("%s %s", c.rule, c.name) << c.rule << c.before << c.after;
}

// Applying the fix gives the expected file, which parses, no longer has the finding, and is
// unchanged outside the edits.
void TestLint::fixes()
{
    QFETCH(QString, rule);
    QFETCH(QString, before);
    QFETCH(QString, after);
    const Document doc = parse(before.toStdString());
    const auto found = findingsOf(lint(doc), rule.toStdString());
    QVERIFY(!found.empty());
    QVERIFY(found.front().fix.has_value());
    const Fix &fix = *found.front().fix;
    QVERIFY(!fix.title.empty() && !fix.edits.empty());
    bool ok = false;
    const std::string fixed = applyEdits(doc.source(), fix.edits, &ok);
    QVERIFY(ok);
    QCOMPARE(QString::fromStdString(fixed), after);

    std::size_t first = doc.source().size(), last = 0;
    for (const auto &e : fix.edits) {
        first = std::min(first, e.offset);
        last = std::max(last, e.offset + e.length);
    }
    const std::size_t tail = doc.source().size() - last;
    QCOMPARE(fixed.substr(0, first), doc.source().substr(0, first));
    QCOMPARE(fixed.substr(fixed.size() - tail), doc.source().substr(last));

    const Document again = parse(fixed);
    QVERIFY(!again.hasErrors());
    QVERIFY2(findingsOf(lint(again), rule.toStdString()).empty(),
             qPrintable(describe(lint(again))));
}

void TestLint::everyFixableRuleHasAFixTest()
{
    for (const auto &rule : lintRules()) {
        const bool tested = std::any_of(fixCases().begin(), fixCases().end(),
                                        [&](const FixCase &c) { return c.rule == rule.id; });
        QVERIFY2(tested == rule.fixable, rule.id.c_str());
    }
}

void TestLint::suppression_data()
{
    QTest::addColumn<QString>("dockerfile");
    QTest::addColumn<QStringList>("disabled");
    QTest::addColumn<QStringList>("expected");

    const QString untagged = QStringLiteral("FROM debian\n");
    QTest::newRow("nothing suppressed reports the finding")
        << untagged << QStringList() << QStringList{"DL3006"};
    QTest::newRow("check=skip names the rule")
        << "# check=skip=DL3006\n" + untagged << QStringList() << QStringList();
    QTest::newRow("check=skip=all silences everything")
        << "# check=skip=all\nFROM debian\nMAINTAINER me\n"
        << QStringList() << QStringList();
    QTest::newRow("check=skip ignores the error=true part")
        << "# check=skip=DL3006;error=true\n" + untagged << QStringList() << QStringList();
    QTest::newRow("check=skip takes a hadolint alias")
        << "# check=skip=DL3025\nFROM a:1\nCMD node app\n"
        << QStringList() << QStringList();
    QTest::newRow("berth-lint ignore applies to the next instruction only")
        << "# berth-lint ignore=DL3006\nFROM debian\nFROM ubuntu\n"
        << QStringList() << QStringList{"DL3006"};
    QTest::newRow("hadolint ignore takes a list")
        << "# hadolint ignore=DL3007,DL3006\nFROM debian\n"
        << QStringList() << QStringList();
    QTest::newRow("an ignore comment above another instruction does not leak")
        << "FROM debian:12\n# berth-lint ignore=DL3006\nRUN true\nFROM ubuntu\n"
        << QStringList() << QStringList{"DL3006"};
    QTest::newRow("ignore-file works from anywhere")
        << "FROM debian\nFROM ubuntu\n# berth-lint ignore-file=DL3006\n"
        << QStringList() << QStringList();
    QTest::newRow("hadolint global ignore works for the whole file")
        << "# hadolint global ignore=DL3006\nFROM debian\nFROM ubuntu\n"
        << QStringList() << QStringList();
    QTest::newRow("disabled rules are matched without regard to case")
        << untagged << QStringList{"dl3006"} << QStringList();
    // DL4003 is hadolint's check for CMD only: it must not silence repeated ENTRYPOINTs.
    QTest::newRow("a narrow alias silences only its own instruction")
        << "# berth-lint ignore-file=DL4003\nFROM a:1\nCMD [\"a\"]\nCMD [\"b\"]\n"
           "ENTRYPOINT [\"c\"]\nENTRYPOINT [\"d\"]\n"
        << QStringList() << QStringList{"MultipleInstructionsDisallowed"};
    QTest::newRow("the rule's own id silences every instruction")
        << "# berth-lint ignore-file=MultipleInstructionsDisallowed\nFROM a:1\nCMD [\"a\"]\n"
           "CMD [\"b\"]\nENTRYPOINT [\"c\"]\nENTRYPOINT [\"d\"]\n"
        << QStringList() << QStringList();
}

void TestLint::suppression()
{
    QFETCH(QString, dockerfile);
    QFETCH(QStringList, disabled);
    QFETCH(QStringList, expected);
    LintOptions options;
    for (const auto &id : disabled)
        options.disabledRules.push_back(id.toStdString());
    const auto findings = lint(parse(dockerfile.toStdString()), options);
    QCOMPARE(idsOf(findings), expected);
}

void TestLint::findingsAreSortedByPosition()
{
    const Document doc = parse("FROM debian\nRUN cd /x && sudo make\nMAINTAINER me\nCMD run\n");
    const auto findings = lint(doc);
    QCOMPARE(idsOf(findings), (QStringList{"DL3006", "DL3003", "DL3004", "MaintainerDeprecated",
                                           "JSONArgsRecommended"}));
    QCOMPARE(findings[1].range.start.column, 5);
    QCOMPARE(findings[2].range.start.column, 14);
}

void TestLint::severityDependsOnTheProblem()
{
    const auto missing = lint(parse("FROM a:1\nFROM b:1\nCOPY --from=7 /x /y\n"));
    QCOMPARE(idsOf(missing), QStringList{"DL3022"});
    QCOMPARE(missing.front().severity, Severity::Error); // no stage 7: the build fails
    const auto typo = lint(parse("FROM a:1 AS build\nFROM b:1\nCOPY --from=buld /x /y\n"));
    QCOMPARE(typo.front().severity, Severity::Warning);
    QVERIFY(typo.front().message.find("did you mean build") != std::string::npos);
    const auto self = lint(parse("FROM a:1 AS x\nCOPY --from=x /a /b\n"));
    QCOMPARE(idsOf(self), QStringList{"DL3023"});
    QCOMPARE(self.front().severity, Severity::Error);
}

void TestLint::oddInputsDoNotBreakTheLinter_data()
{
    QTest::addColumn<QString>("dockerfile");
    QTest::newRow("an empty file") << "";
    QTest::newRow("only comments") << "# hello\n# berth-lint ignore=\n";
    QTest::newRow("instructions without arguments")
        << "FROM\nCOPY\nRUN\nONBUILD\nEXPOSE\nENV\nWORKDIR\nUSER\nCMD\nHEALTHCHECK\n";
    QTest::newRow("a trailing escape") << "FROM a:1\nRUN apt-get install \\";
    QTest::newRow("an unterminated heredoc") << "FROM a:1\nRUN <<EOF\napt install x\n";
    QTest::newRow("unbalanced shell syntax")
        << "FROM a:1\nRUN echo \"$(apt install 'x\nRUN `cd\nRUN ${\nRUN a |\nRUN > \n";
    QTest::newRow("broken variables") << "FROM a:${\nARG A=${B\nENV C=$\nEXPOSE ${P:?x}\n";
    QTest::newRow("odd stage references")
        << "FROM a AS 1x\nFROM 0\nCOPY --from= a b\nCOPY --from=99999999999 a b\n"
           "RUN --mount=from=,type=bind true\n";
    QTest::newRow("an ONBUILD chain") << "FROM a:1\nONBUILD ONBUILD RUN cd x\nONBUILD ADD a b\n";
    QTest::newRow("CRLF line ends and a BOM")
        << "\xEF\xBB\xBF"
           "FROM debian\r\nRUN apt-get install x \\\r\n\r\n  y\r\nEXPOSE 53/UDP\r\n";
    QTest::newRow("invalid UTF-8") << "FROM \xFF\xFE\nRUN \xC3 | x\n";
    QTest::newRow("a backtick escape")
        << "# escape=`\nFROM a:1\nRUN apt-get install `\n    curl\nCOPY a b c\n";
}

// Every finding points inside the file, names a registered rule, and its fix applies.
void TestLint::oddInputsDoNotBreakTheLinter()
{
    QFETCH(QString, dockerfile);
    const Document doc = parse(dockerfile.toStdString());
    for (const auto &f : lint(doc)) {
        QVERIFY2(findLintRule(f.ruleId), f.ruleId.c_str());
        QVERIFY(f.range.start.offset <= f.range.end.offset);
        QVERIFY(f.range.end.offset <= doc.source().size());
        if (f.fix) {
            bool ok = false;
            applyEdits(doc.source(), f.fix->edits, &ok);
            QVERIFY2(ok, f.ruleId.c_str());
        }
    }
}

void TestLint::largeFilesLintQuickly()
{
    std::string text = "ARG BASE=debian:12\n";
    for (int stage = 0; stage < 50; ++stage) {
        text += "FROM ${BASE} AS s" + std::to_string(stage) + "\nWORKDIR /app\n";
        for (int i = 0; i < 40; ++i) {
            text += "ENV V" + std::to_string(i) + "=$PATH\n";
            text += "RUN apt-get update && apt-get install -y curl | tee log && cd /x\n";
            text += "COPY --from=s0 a b c/\n";
            text += "LABEL k=v\nEXPOSE 80/tcp\n";
        }
    }
    const Document doc = parse(text);
    QVERIFY(doc.instructions.size() > 10'000);
    QElapsedTimer timer;
    timer.start();
    const auto findings = lint(doc);
    const qint64 ms = timer.elapsed();
    qInfo("%zu instructions, %zu findings in %lld ms", doc.instructions.size(), findings.size(),
          static_cast<long long>(ms));
    QVERIFY(!findings.empty());
    // Generous for sanitizer builds; an optimised build takes a few milliseconds per thousand.
    QVERIFY2(ms < 3000, qPrintable(QString::number(ms)));
}

QTEST_APPLESS_MAIN(TestLint)
#include "tst_lint.moc"
