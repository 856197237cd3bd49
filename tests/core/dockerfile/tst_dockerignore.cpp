#include "dockerfile/dockerignore.h"

#include <QElapsedTimer>
#include <QTest>

using namespace Berth;
using namespace Berth::Dockerfile;

namespace {

IgnoreMatcher parsed(const QByteArray &content)
{
    auto matcher = IgnoreMatcher::parse(content.toStdString());
    if (!matcher)
        qFatal("unexpected parse error: %s", matcher.error().message().c_str());
    return std::move(*matcher);
}

std::string repeat(std::string_view text, int count)
{
    std::string out;
    for (int i = 0; i < count; ++i)
        out.append(text);
    return out;
}

} // namespace

class TestDockerignore : public QObject
{
    Q_OBJECT
private slots:
    void matches_data();
    void matches();
    void canSkipDirectory_data();
    void canSkipDirectory();
    void patterns_data();
    void patterns();
    void parseErrors_data();
    void parseErrors();
    void errorsNameTheGivenFile();
    void candidates_data();
    void candidates();
    void manyDoubleStarsStayFast();
    void manyStarsAgainstALongNameStayFast();
};

void TestDockerignore::matches_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<bool>("excluded");

    QTest::newRow("an exact name excludes that file")
        << QByteArray("foo") << QByteArray("foo") << true;
    // Unlike .gitignore, a plain name is anchored at the context root.
    QTest::newRow("an exact name does not match a deeper file of that name")
        << QByteArray("foo") << QByteArray("a/foo") << false;
    QTest::newRow("a pattern matching a directory excludes everything under it")
        << QByteArray("build") << QByteArray("build/out/x.o") << true;
    QTest::newRow("a star matches within one path element")
        << QByteArray("*.log") << QByteArray("a.log") << true;
    QTest::newRow("a star does not cross a slash")
        << QByteArray("*.log") << QByteArray("logs/a.log") << false;
    QTest::newRow("a star element matches one directory level")
        << QByteArray("*/temp*") << QByteArray("dir/tempfile") << true;
    QTest::newRow("a star element does not match two directory levels")
        << QByteArray("*/temp*") << QByteArray("a/b/tempfile") << false;
    QTest::newRow("a question mark matches one character")
        << QByteArray("file?.txt") << QByteArray("file1.txt") << true;
    QTest::newRow("a question mark does not match a slash")
        << QByteArray("a?b") << QByteArray("a/b") << false;
    QTest::newRow("a question mark matches one multi-byte character")
        << QByteArray("?.txt") << QByteArray("\xC3\xA9.txt") << true;
    QTest::newRow("a dot is literal") << QByteArray("a.b") << QByteArray("axb") << false;
    QTest::newRow("a double star matches any depth")
        << QByteArray("**/*.go") << QByteArray("a/b/c.go") << true;
    QTest::newRow("a leading double star matches zero directories")
        << QByteArray("**/*.go") << QByteArray("c.go") << true;
    QTest::newRow("a double star in the middle matches zero directories")
        << QByteArray("a/**/b") << QByteArray("a/b") << true;
    QTest::newRow("a double star in the middle matches several directories")
        << QByteArray("a/**/b") << QByteArray("a/x/y/b") << true;
    QTest::newRow("a trailing double star matches everything below")
        << QByteArray("a/**") << QByteArray("a/x/y") << true;
    // "a/**" is a prefix test on "a/".
    QTest::newRow("a trailing double star does not match the directory itself")
        << QByteArray("a/**") << QByteArray("a") << false;
    QTest::newRow("a double star alone matches everything")
        << QByteArray("**") << QByteArray("any/thing") << true;
    // patternmatcher's suffix fast path: "**foo" is HasSuffix("foo"), unlike its regexp.
    QTest::newRow("a leading double star before a plain name is a suffix test")
        << QByteArray("**foo") << QByteArray("barfoo") << true;
    // "**" becomes "(.*/)?", which needs a slash after the run.
    QTest::newRow("a double star inside a name needs a slash")
        << QByteArray("a**b") << QByteArray("axb") << false;
    QTest::newRow("a class matches a listed character")
        << QByteArray("file[0-9].txt") << QByteArray("file5.txt") << true;
    QTest::newRow("a class rejects an unlisted character")
        << QByteArray("file[0-9].txt") << QByteArray("fileA.txt") << false;
    QTest::newRow("a caret negates a class")
        << QByteArray("file[^0-9]") << QByteArray("filex") << true;
    // Docker hands "[!" to Go's regexp, where '!' is an ordinary member of the class.
    QTest::newRow("an exclamation mark in a class is literal")
        << QByteArray("file[!0-9]") << QByteArray("filex") << false;
    QTest::newRow("an exclamation mark in a class matches itself")
        << QByteArray("file[!0-9]") << QByteArray("file!") << true;
    // The regexp class "[^x]" matches '/', where filepath.Match's would not.
    QTest::newRow("a negated class can match a slash")
        << QByteArray("a[^x]b") << QByteArray("a/b") << true;
    QTest::newRow("a class range of multi-byte characters matches one of them")
        << QByteArray("[\xCE\xB1-\xCF\x89].txt") << QByteArray("\xCE\xB2.txt") << true;
    QTest::newRow("an escaped star is literal")
        << QByteArray("\\*.txt") << QByteArray("*.txt") << true;
    QTest::newRow("an escaped star does not match other names")
        << QByteArray("\\*.txt") << QByteArray("a.txt") << false;
    QTest::newRow("an escaped bracket is literal")
        << QByteArray("\\[x]") << QByteArray("[x]") << true;
    QTest::newRow("a leading slash is removed from a pattern")
        << QByteArray("/foo") << QByteArray("foo") << true;
    QTest::newRow("a pattern is cleaned as a path")
        << QByteArray("./foo/../bar") << QByteArray("bar") << true;
    QTest::newRow("a trailing slash is removed from a pattern")
        << QByteArray("foo/") << QByteArray("foo/x") << true;
    QTest::newRow("a path to test is cleaned")
        << QByteArray("foo/bar") << QByteArray("./foo//bar/") << true;
    QTest::newRow("an exclusion re-includes a file")
        << QByteArray("*.md\n!README.md") << QByteArray("README.md") << false;
    QTest::newRow("an exclusion leaves other matches excluded")
        << QByteArray("*.md\n!README.md") << QByteArray("CHANGES.md") << true;
    QTest::newRow("the last matching pattern wins")
        << QByteArray("!README.md\n*.md") << QByteArray("README.md") << true;
    QTest::newRow("an exclusion re-includes a file inside an excluded directory")
        << QByteArray("docs\n!docs/keep.txt") << QByteArray("docs/keep.txt") << false;
    QTest::newRow("an exclusion of a directory re-includes what is under it")
        << QByteArray("docs\n!docs/sub") << QByteArray("docs/sub/x") << false;
    QTest::newRow("comment lines are ignored")
        << QByteArray("# foo\nbar") << QByteArray("# foo") << false;
    // ignorefile.ReadAll looks for '#' before trimming the line.
    QTest::newRow("a hash after white space starts a pattern")
        << QByteArray(" #foo") << QByteArray("#foo") << true;
    QTest::newRow("surrounding white space is trimmed")
        << QByteArray("  foo  \t") << QByteArray("foo") << true;
    QTest::newRow("white space after the exclamation mark is trimmed")
        << QByteArray("*\n! keep") << QByteArray("keep") << false;
    QTest::newRow("blank lines are ignored")
        << QByteArray("\n\n  \nfoo") << QByteArray("foo") << true;
    QTest::newRow("windows line endings are handled")
        << QByteArray("foo\r\nbar\r\n") << QByteArray("bar") << true;
    QTest::newRow("a byte order mark is ignored") << QByteArray("\xEF\xBB\xBF"
                                                                "foo")
                                                  << QByteArray("foo") << true;
    // patternmatcher refuses to exclude the whole context.
    QTest::newRow("the context root is never excluded")
        << QByteArray("*") << QByteArray(".") << false;
    QTest::newRow("a star excludes everything through the top-level entries")
        << QByteArray("*") << QByteArray("a/b/c") << true;
    QTest::newRow("an empty file excludes nothing") << QByteArray("") << QByteArray("a") << false;
}

void TestDockerignore::matches()
{
    QFETCH(QByteArray, content);
    QFETCH(QByteArray, path);
    QFETCH(bool, excluded);

    QCOMPARE(parsed(content).matches(path.toStdString()), excluded);
}

void TestDockerignore::canSkipDirectory_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QByteArray>("dir");
    QTest::addColumn<bool>("skippable");

    QTest::newRow("an excluded directory without exclusions can be skipped")
        << QByteArray("build") << QByteArray("build") << true;
    QTest::newRow("a directory that is not excluded cannot be skipped")
        << QByteArray("build") << QByteArray("src") << false;
    QTest::newRow("a subdirectory of an excluded directory can be skipped")
        << QByteArray("docs") << QByteArray("docs/sub") << true;
    QTest::newRow("an exclusion naming a file inside prevents skipping")
        << QByteArray("docs\n!docs/keep.txt") << QByteArray("docs") << false;
    QTest::newRow("an exclusion with a wildcard inside prevents skipping")
        << QByteArray("docs\n!docs/*.md") << QByteArray("docs") << false;
    QTest::newRow("a prefix exclusion inside prevents skipping")
        << QByteArray("docs\n!docs/a/**") << QByteArray("docs") << false;
    QTest::newRow("an exclusion elsewhere does not prevent skipping")
        << QByteArray("docs\n!src/keep") << QByteArray("docs") << true;
    // Last match wins: "docs" overrides the earlier exclusion for everything inside.
    QTest::newRow("an exclusion before the excluding pattern does not prevent skipping")
        << QByteArray("!docs/keep\ndocs") << QByteArray("docs") << true;
    QTest::newRow("a leading double-star exclusion prevents skipping")
        << QByteArray("docs\n!**/keep") << QByteArray("docs") << false;
    // '*' does not cross '/', so "!*.md" only reaches top-level names.
    QTest::newRow("a top-level star exclusion does not prevent skipping")
        << QByteArray("docs\n!*.md") << QByteArray("docs") << true;
    QTest::newRow("a star directory exclusion prevents skipping")
        << QByteArray("docs\n!*/keep") << QByteArray("docs") << false;
    QTest::newRow("the context root is never skipped")
        << QByteArray("*") << QByteArray(".") << false;
}

void TestDockerignore::canSkipDirectory()
{
    QFETCH(QByteArray, content);
    QFETCH(QByteArray, dir);
    QFETCH(bool, skippable);

    QCOMPARE(parsed(content).canSkipDirectory(dir.toStdString()), skippable);
}

void TestDockerignore::patterns_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QStringList>("expected"); // "pattern exclusion line"

    QTest::newRow("patterns are cleaned and numbered by their line")
        << QByteArray("  /foo/ \n!./bar\n# c\n\nbaz/../qux")
        << QStringList{"foo 0 1", "bar 1 2", "qux 0 5"};
    // filepath.Clean keeps "/", and ReadAll only strips a leading slash from longer patterns.
    QTest::newRow("a lone slash stays a slash") << QByteArray("/") << QStringList{"/ 0 1"};
    QTest::newRow("a leading parent reference is kept")
        << QByteArray("../x") << QStringList{"../x 0 1"};
    QTest::newRow("a comment needs the hash in the first column")
        << QByteArray("#a\n #b") << QStringList{"#b 0 2"};
}

void TestDockerignore::patterns()
{
    QFETCH(QByteArray, content);
    QFETCH(QStringList, expected);

    const IgnoreMatcher matcher = parsed(content);
    QStringList actual;
    for (const IgnorePattern &p : matcher.patterns())
        actual << QStringLiteral("%1 %2 %3")
                      .arg(QString::fromStdString(p.pattern))
                      .arg(int(p.exclusion))
                      .arg(p.line);
    QCOMPARE(actual, expected);
}

void TestDockerignore::parseErrors_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("message");

    QTest::newRow("an unterminated class is reported with its line")
        << QByteArray("ok\n[abc")
        << ".dockerignore:2: syntax error in pattern \"[abc\": unterminated character class";
    QTest::newRow("a lone exclamation mark is illegal")
        << QByteArray("!") << ".dockerignore:1: illegal exclusion pattern: \"!\"";
    QTest::newRow("an exclamation mark followed by white space is illegal")
        << QByteArray("a\n!  ") << ".dockerignore:2: illegal exclusion pattern: \"!\"";
    // ReadAll gives "!/", which patternmatcher cleans into "!".
    QTest::newRow("an exclusion of the root is illegal")
        << QByteArray("!/") << ".dockerignore:1: illegal exclusion pattern: \"!\"";
    QTest::newRow("a trailing backslash is a syntax error")
        << QByteArray("foo\\")
        << ".dockerignore:1: syntax error in pattern \"foo\\\": trailing "
           "backslash";
    // filepath.Match wants ']' and '-' escaped when they cannot end or form a range.
    QTest::newRow("a class cannot start with a closing bracket")
        << QByteArray("[]a]")
        << ".dockerignore:1: syntax error in pattern \"[]a]\": unescaped "
           "']' in class";
    QTest::newRow("a range needs an upper bound")
        << QByteArray("[a-]")
        << ".dockerignore:1: syntax error in pattern \"[a-]\": unescaped "
           "']' in class";
    // Go's regexp rejects it, which Docker reports when matching.
    QTest::newRow("a reversed range is a syntax error")
        << QByteArray("[z-a]")
        << ".dockerignore:1: syntax error in pattern \"[z-a]\": invalid "
           "range in class";
}

void TestDockerignore::parseErrors()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, message);

    const auto matcher = IgnoreMatcher::parse(content.toStdString());
    QVERIFY(!matcher.has_value());
    QCOMPARE(matcher.error().code(), ErrorCode::Parse);
    QCOMPARE(QString::fromStdString(matcher.error().message()), message);
}

void TestDockerignore::errorsNameTheGivenFile()
{
    const auto matcher = IgnoreMatcher::parse("a\n\n[", "build/Dockerfile.dockerignore");
    QVERIFY(!matcher.has_value());
    QCOMPARE(matcher.error().message(), std::string("build/Dockerfile.dockerignore:3: syntax error "
                                                    "in pattern \"[\": unterminated character "
                                                    "class"));
}

void TestDockerignore::candidates_data()
{
    QTest::addColumn<QString>("dockerfile");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("no Dockerfile path means the default Dockerfile")
        << "" << QStringList{"Dockerfile.dockerignore", ".dockerignore"};
    QTest::newRow("a Dockerfile in a directory has its own ignore file next to it")
        << "build/Dockerfile.dev"
        << QStringList{"build/Dockerfile.dev.dockerignore", ".dockerignore"};
    QTest::newRow("a relative Dockerfile path is cleaned")
        << "./build//Dockerfile" << QStringList{"build/Dockerfile.dockerignore", ".dockerignore"};
    QTest::newRow("an absolute Dockerfile path stays absolute")
        << "/src/app/Dockerfile"
        << QStringList{"/src/app/Dockerfile.dockerignore", ".dockerignore"};
}

void TestDockerignore::candidates()
{
    QFETCH(QString, dockerfile);
    QFETCH(QStringList, expected);

    QStringList actual;
    for (const std::string &file : ignoreFileCandidates(dockerfile.toStdString()))
        actual << QString::fromStdString(file);
    QCOMPARE(actual, expected);
}

void TestDockerignore::manyDoubleStarsStayFast()
{
    QElapsedTimer timer;
    timer.start();
    const IgnoreMatcher matcher = parsed(
        QByteArray::fromStdString(repeat("**/", 200) + "x\n!" + repeat("**/", 100) + "keep"));
    const std::string deep = repeat("a/", 300);
    QCOMPARE(matcher.matches(deep + "b"), false);
    QCOMPARE(matcher.matches(deep + "x"), true);
    QCOMPARE(matcher.matches(deep + "x/keep"), false);
    QCOMPARE(matcher.canSkipDirectory(deep + "x"), false);
    // A backtracking matcher takes exponential time on these.
    QVERIFY2(timer.elapsed() < 60000, qPrintable(QString::number(timer.elapsed())));
}

void TestDockerignore::manyStarsAgainstALongNameStayFast()
{
    QElapsedTimer timer;
    timer.start();
    const IgnoreMatcher matcher = parsed(QByteArray::fromStdString(repeat("*a", 40) + "b"));
    QCOMPARE(matcher.matches(std::string(20000, 'a')), false);
    QCOMPARE(matcher.matches(std::string(20000, 'a') + "b"), true);
    QVERIFY2(timer.elapsed() < 60000, qPrintable(QString::number(timer.elapsed())));
}

QTEST_GUILESS_MAIN(TestDockerignore)
#include "tst_dockerignore.moc"
