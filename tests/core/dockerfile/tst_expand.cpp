#include "dockerfile/expand.h"

#include <QElapsedTimer>
#include <QTest>

#include <map>

using namespace Berth;
using namespace Berth::Dockerfile;

namespace {

enum Flag { SkipUnset = 1, RawQuotes = 2, RawEscapes = 4, Backtick = 8 };

const std::map<std::string, std::string, std::less<>> &environment()
{
    static const std::map<std::string, std::string, std::less<>> env = {
        {"A", "apple"},
        {"EMPTY", ""},
        {"SPACED", " a  b "},
        {"FILE", "archive.tar.gz"},
        {"PATHS", "/usr/local/bin"},
        {"STARS", "**x"},
        {"LINES", "a\nb.c"},
        {"\xC3\xA9", "accent"}, // é
    };
    return env;
}

std::optional<std::string> lookup(std::string_view name)
{
    const auto it = environment().find(name);
    return it == environment().end() ? std::nullopt : std::optional<std::string>(it->second);
}

ExpandOptions optionsFrom(int flags)
{
    ExpandOptions options;
    options.escape = (flags & Backtick) ? '`' : '\\';
    options.skipUnset = flags & SkipUnset;
    options.rawQuotes = flags & RawQuotes;
    options.rawEscapes = flags & RawEscapes;
    return options;
}

QStringList toList(const std::vector<std::string> &items)
{
    QStringList out;
    for (const auto &item : items)
        out << QString::fromStdString(item);
    return out;
}

std::string repeat(std::string_view text, int count)
{
    std::string out;
    out.reserve(text.size() * std::size_t(count));
    for (int i = 0; i < count; ++i)
        out.append(text);
    return out;
}

} // namespace

class TestExpand : public QObject
{
    Q_OBJECT
private slots:
    void expand_data();
    void expand();
    void errors_data();
    void errors();
    void words_data();
    void words();
    void referenced_data();
    void referenced();
    void deepNestingFailsInsteadOfOverflowing();
    void nestingUpToTheLimitWorks();
    void megabyteWordsExpandInLinearTime();
    void hugeResultsAreRefused();
    void manyStarsInAPatternStayFast();
};

void TestExpand::expand_data()
{
    QTest::addColumn<QByteArray>("word");
    QTest::addColumn<int>("flags");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QStringList>("unset");

    const QStringList none;
    QTest::newRow("plain text is kept")
        << QByteArray("hello world") << 0 << QByteArray("hello world") << none;
    QTest::newRow("a bare variable is replaced")
        << QByteArray("$A") << 0 << QByteArray("apple") << none;
    QTest::newRow("a braced variable is replaced")
        << QByteArray("${A}pie") << 0 << QByteArray("applepie") << none;
    QTest::newRow("a name ends at the first non-name character")
        << QByteArray("$A-pie") << 0 << QByteArray("apple-pie") << none;
    // A_1 is one name, not $A followed by "_1".
    QTest::newRow("a name takes letters, digits and underscores")
        << QByteArray("$A_1") << 0 << QByteArray("") << QStringList{"A_1"};
    QTest::newRow("an unset variable expands to nothing and is reported")
        << QByteArray("x${NOPE}y") << 0 << QByteArray("xy") << QStringList{"NOPE"};
    QTest::newRow("unset variables are reported once and in order")
        << QByteArray("$B $C $B") << 0 << QByteArray("  ") << QStringList{"B", "C"};
    QTest::newRow("a dollar before a non-name character stays literal")
        << QByteArray("cost: $% $/") << 0 << QByteArray("cost: $% $/") << none;
    QTest::newRow("a trailing dollar stays literal")
        << QByteArray("a$") << 0 << QByteArray("a$") << none;
    // lex.go reads a positional parameter as a run of digits only.
    QTest::newRow("a positional parameter is read as digits only")
        << QByteArray("$12ab") << 0 << QByteArray("ab") << QStringList{"12"};
    // "$$" is the special parameter "$", which is never set in a Dockerfile.
    QTest::newRow("a special parameter is a one-character name")
        << QByteArray("$$A") << 0 << QByteArray("A") << QStringList{"$"};
    QTest::newRow("a non-ASCII letter is part of a name")
        << QByteArray("${\xC3\xA9}!") << 0 << QByteArray("accent!") << none;
    QTest::newRow("colon-minus uses the default when unset")
        << QByteArray("${NOPE:-def}") << 0 << QByteArray("def") << QStringList{"NOPE"};
    QTest::newRow("colon-minus uses the default when empty")
        << QByteArray("${EMPTY:-def}") << 0 << QByteArray("def") << none;
    QTest::newRow("minus keeps an empty value")
        << QByteArray("${EMPTY-def}") << 0 << QByteArray("") << none;
    QTest::newRow("minus uses the default when unset")
        << QByteArray("${NOPE-def}") << 0 << QByteArray("def") << QStringList{"NOPE"};
    QTest::newRow("colon-plus uses the alternative when set")
        << QByteArray("${A:+alt}") << 0 << QByteArray("alt") << none;
    QTest::newRow("colon-plus gives nothing when empty")
        << QByteArray("${EMPTY:+alt}") << 0 << QByteArray("") << none;
    QTest::newRow("plus uses the alternative when set even if empty")
        << QByteArray("${EMPTY+alt}") << 0 << QByteArray("alt") << none;
    QTest::newRow("plus gives nothing when unset")
        << QByteArray("${NOPE+alt}") << 0 << QByteArray("") << QStringList{"NOPE"};
    QTest::newRow("a default may hold nested variables")
        << QByteArray("${NOPE:-${A}-${NOPE2:-x}}") << 0 << QByteArray("apple-x")
        << QStringList{"NOPE", "NOPE2"};
    // As in BuildKit, which reports OTHER to its undefined-variable check.
    QTest::newRow("an unused default is still expanded")
        << QByteArray("${A:-$OTHER}") << 0 << QByteArray("apple") << QStringList{"OTHER"};
    QTest::newRow("colon-question passes a set value through")
        << QByteArray("${A:?}") << 0 << QByteArray("apple") << none;
    QTest::newRow("question accepts an empty value")
        << QByteArray("${EMPTY?no}") << 0 << QByteArray("") << none;
    QTest::newRow("single quotes keep dollars literal")
        << QByteArray("'$A'") << 0 << QByteArray("$A") << none;
    QTest::newRow("double quotes still expand")
        << QByteArray("\"$A pie\"") << 0 << QByteArray("apple pie") << none;
    QTest::newRow("a single quote inside double quotes is literal")
        << QByteArray("\"it's $A\"") << 0 << QByteArray("it's apple") << none;
    QTest::newRow("an escaped dollar is literal")
        << QByteArray("\\$A") << 0 << QByteArray("$A") << none;
    QTest::newRow("an escape outside quotes escapes any character")
        << QByteArray("a\\ b\\c") << 0 << QByteArray("a bc") << none;
    // As in sh: only '"', '$' and the escape itself are escapable inside double quotes.
    QTest::newRow("inside double quotes an escape before a letter stays")
        << QByteArray("\"a\\nb\"") << 0 << QByteArray("a\\nb") << none;
    QTest::newRow("inside double quotes a quote, a dollar and the escape are escapable")
        << QByteArray("\"\\\"\\$A\\\\\"") << 0 << QByteArray("\"$A\\") << none;
    QTest::newRow("a trailing escape is dropped")
        << QByteArray("abc\\") << 0 << QByteArray("abc") << none;
    QTest::newRow("an escaped multi-byte character is kept whole")
        << QByteArray("\\\xC3\xA9") << 0 << QByteArray("\xC3\xA9") << none;
    // With "# escape=`" a backslash is an ordinary character.
    QTest::newRow("the backtick escape makes backslash ordinary")
        << QByteArray("`$A\\$A") << int(Backtick) << QByteArray("$A\\apple") << none;
    QTest::newRow("raw quotes keep the quote characters")
        << QByteArray("'$A' \"$A\"") << int(RawQuotes) << QByteArray("'$A' \"apple\"") << none;
    QTest::newRow("raw escapes keep the escape characters")
        << QByteArray("\\$A") << int(RawEscapes) << QByteArray("\\$A") << none;
    QTest::newRow("skipping unset leaves a bare unset variable as written")
        << QByteArray("$NOPE $A") << int(SkipUnset) << QByteArray("$NOPE apple")
        << QStringList{"NOPE"};
    QTest::newRow("skipping unset keeps the modifier and expands its word")
        << QByteArray("${NOPE:-x$A}") << int(SkipUnset) << QByteArray("${NOPE:-xapple}")
        << QStringList{"NOPE"};
    // ${NOPE?} would fail, but skipping returns before the check, as in BuildKit.
    QTest::newRow("skipping unset does not fail on a required variable")
        << QByteArray("${NOPE?}") << int(SkipUnset) << QByteArray("${NOPE?}")
        << QStringList{"NOPE"};
    QTest::newRow("hash removes the shortest matching prefix")
        << QByteArray("${FILE#*.}") << 0 << QByteArray("tar.gz") << none;
    QTest::newRow("double hash removes the longest matching prefix")
        << QByteArray("${FILE##*.}") << 0 << QByteArray("gz") << none;
    QTest::newRow("percent removes the shortest matching suffix")
        << QByteArray("${FILE%.*}") << 0 << QByteArray("archive.tar") << none;
    QTest::newRow("double percent removes the longest matching suffix")
        << QByteArray("${FILE%%.*}") << 0 << QByteArray("archive") << none;
    QTest::newRow("a trim pattern that does not match changes nothing")
        << QByteArray("${FILE#zip}") << 0 << QByteArray("archive.tar.gz") << none;
    QTest::newRow("a question mark in a pattern matches one character")
        << QByteArray("${FILE#?r}") << 0 << QByteArray("chive.tar.gz") << none;
    QTest::newRow("an escaped star in a pattern is literal")
        << QByteArray("${STARS#\\*}") << 0 << QByteArray("*x") << none;
    QTest::newRow("quotes in a pattern are removed")
        << QByteArray("${FILE#\"arch\"}") << 0 << QByteArray("ive.tar.gz") << none;
    // The pattern becomes regexp ".*?", and Go's '.' does not match a newline.
    QTest::newRow("wildcards in a pattern do not match a newline")
        << QByteArray("${LINES#*.}") << 0 << QByteArray("a\nb.c") << none;
    QTest::newRow("an unset variable trims to nothing")
        << QByteArray("${NOPE%x}") << 0 << QByteArray("") << QStringList{"NOPE"};
    QTest::newRow("slash replaces the first match")
        << QByteArray("${FILE/a/A}") << 0 << QByteArray("Archive.tar.gz") << none;
    QTest::newRow("double slash replaces every match")
        << QByteArray("${FILE//a/A}") << 0 << QByteArray("Archive.tAr.gz") << none;
    QTest::newRow("a replacement pattern matches the longest text")
        << QByteArray("${FILE/a*a/X}") << 0 << QByteArray("Xr.gz") << none;
    QTest::newRow("an escaped slash in a replacement pattern is a slash")
        << QByteArray("${PATHS//\\//:}") << 0 << QByteArray(":usr:local:bin") << none;
    QTest::newRow("double slash with a question mark replaces each character")
        << QByteArray("${A//?/-}") << 0 << QByteArray("-----") << none;
    // Go's ReplaceAll: the empty match left at the end, right after a match, is not replaced.
    QTest::newRow("a lone star replaces the whole value once")
        << QByteArray("${A//*/<&>}") << 0 << QByteArray("<&>") << none;
    QTest::newRow("an empty pair of double quotes expands to nothing")
        << QByteArray("a\"\"b") << 0 << QByteArray("ab") << none;
}

void TestExpand::expand()
{
    QFETCH(QByteArray, word);
    QFETCH(int, flags);
    QFETCH(QByteArray, expected);
    QFETCH(QStringList, unset);

    const auto result = expandWord(word.toStdString(), lookup, optionsFrom(flags));
    QVERIFY2(result.has_value(), result ? "" : result.error().message().c_str());
    QCOMPARE(QByteArray::fromStdString(result->value), expected);
    QCOMPARE(toList(result->unsetVariables), unset);
}

void TestExpand::errors_data()
{
    QTest::addColumn<QByteArray>("word");
    QTest::addColumn<QString>("message");

    QTest::newRow("an unclosed brace is reported at its dollar")
        << QByteArray("ab ${A") << "syntax error: missing '}' at column 4";
    QTest::newRow("a lone dollar-brace is unclosed")
        << QByteArray("${") << "syntax error: missing '}' at column 1";
    QTest::newRow("an empty name is a bad substitution")
        << QByteArray("x${}") << "syntax error: bad substitution at column 2";
    QTest::newRow("a colon before the name is a bad substitution")
        << QByteArray("${:a}") << "syntax error: bad substitution at column 1";
    QTest::newRow("a nested brace is a bad substitution")
        << QByteArray("${{A}}") << "syntax error: bad substitution at column 1";
    QTest::newRow("an unknown modifier after a colon is reported with the colon")
        << QByteArray("${A:x}") << "unsupported modifier (:x) in substitution at column 4";
    QTest::newRow("an unknown modifier is reported at its column")
        << QByteArray("${A*}") << "unsupported modifier (*) in substitution at column 4";
    // The '}' after ':' is read as the modifier, so the word runs on to the end.
    QTest::newRow("a colon with nothing after it leaves the brace unclosed")
        << QByteArray("${A:}") << "syntax error: missing '}' at column 1";
    QTest::newRow("a colon followed by a closing brace is an unknown modifier")
        << QByteArray("${A:}}") << "unsupported modifier (:}) in substitution at column 4";
    QTest::newRow("an unclosed default is an unclosed brace")
        << QByteArray("${A:-x") << "syntax error: missing '}' at column 1";
    // lex.go reports the enclosing brace, not the quote, when the input ends.
    QTest::newRow("an unclosed quote inside a default is an unclosed brace")
        << QByteArray("${A:-'x}") << "syntax error: missing '}' at column 1";
    QTest::newRow("an unclosed single quote is reported at the quote")
        << QByteArray("'abc")
        << "unexpected end of statement while looking for matching single-quote at column 1";
    QTest::newRow("an unclosed double quote is reported at the quote")
        << QByteArray("ab\"c")
        << "unexpected end of statement while looking for matching double-quote at column 3";
    QTest::newRow("colon-question fails on an unset variable")
        << QByteArray("${NOPE:?}") << "NOPE: is not allowed to be unset";
    QTest::newRow("colon-question fails on an empty variable")
        << QByteArray("${EMPTY:?}") << "EMPTY: is not allowed to be empty";
    QTest::newRow("question fails with the given message")
        << QByteArray("${NOPE?set NOPE first}") << "NOPE: set NOPE first";
    QTest::newRow("a substitution without its second slash is unclosed")
        << QByteArray("${A/x}") << "syntax error: missing '/' in ${} at column 1";
    QTest::newRow("an escape before a letter in a pattern is invalid")
        << QByteArray("${A#\\x}")
        << "invalid pattern (\\x) in substitution: invalid escape '\\x' at column 1";
    QTest::newRow("an error in a nested word keeps its own column")
        << QByteArray("${A:-${}}") << "syntax error: bad substitution at column 6";
}

void TestExpand::errors()
{
    QFETCH(QByteArray, word);
    QFETCH(QString, message);

    const auto result = expandWord(word.toStdString(), lookup);
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code(), ErrorCode::Parse);
    QCOMPARE(QString::fromStdString(result.error().message()), message);
}

void TestExpand::words_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("white space separates words")
        << QByteArray("a b  c") << QStringList{"a", "b", "c"};
    QTest::newRow("leading and trailing white space is dropped")
        << QByteArray("  x y  ") << QStringList{"x", "y"};
    QTest::newRow("tabs and newlines separate words too")
        << QByteArray("a\tb\nc") << QStringList{"a", "b", "c"};
    QTest::newRow("double quotes keep a word together")
        << QByteArray("\"a b\" c") << QStringList{"a b", "c"};
    QTest::newRow("single quotes join what touches them")
        << QByteArray("'a  b'c d") << QStringList{"a  bc", "d"};
    QTest::newRow("an escaped space does not split")
        << QByteArray("a\\ b c") << QStringList{"a b", "c"};
    // Unquoted expansions are split on their white space, as in sh.
    QTest::newRow("an unquoted expansion is split")
        << QByteArray("x$SPACED") << QStringList{"x", "a", "b"};
    QTest::newRow("a quoted expansion is one word")
        << QByteArray("\"$SPACED\"") << QStringList{" a  b "};
    QTest::newRow("an empty expansion leaves what surrounds it")
        << QByteArray("k=$EMPTY v") << QStringList{"k=", "v"};
    // BuildKit drops empty words, even quoted ones.
    QTest::newRow("an empty quoted word is dropped") << QByteArray("\"\" a ''") << QStringList{"a"};
    // Go's unicode.IsSpace includes U+00A0.
    QTest::newRow("a no-break space separates words") << QByteArray("a\xC2\xA0"
                                                                    "b")
                                                      << QStringList{"a", "b"};
    QTest::newRow("an empty text has no words") << QByteArray("") << QStringList{};
}

void TestExpand::words()
{
    QFETCH(QByteArray, text);
    QFETCH(QStringList, expected);

    const auto result = expandWords(text.toStdString(), lookup);
    QVERIFY2(result.has_value(), result ? "" : result.error().message().c_str());
    QCOMPARE(toList(*result), expected);
}

void TestExpand::referenced_data()
{
    QTest::addColumn<QByteArray>("word");
    QTest::addColumn<int>("flags");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("bare, braced and nested names are listed in order")
        << QByteArray("$A ${B} ${C:-$D}") << 0 << QStringList{"A", "B", "C", "D"};
    QTest::newRow("a repeated name is listed once")
        << QByteArray("$A$B$A") << 0 << QStringList{"A", "B"};
    QTest::newRow("names in single quotes are not references")
        << QByteArray("'$A' $B") << 0 << QStringList{"B"};
    QTest::newRow("an escaped dollar is not a reference")
        << QByteArray("\\$A $B") << 0 << QStringList{"B"};
    QTest::newRow("names in double quotes are references")
        << QByteArray("\"$A\"") << 0 << QStringList{"A"};
    QTest::newRow("required variables do not stop the scan")
        << QByteArray("${A?} ${B:?msg}") << 0 << QStringList{"A", "B"};
    QTest::newRow("the backtick escape protects a dollar")
        << QByteArray("`$A \\$B") << int(Backtick) << QStringList{"B"};
    QTest::newRow("a syntax error keeps the names before it")
        << QByteArray("$A ${B:-${C") << 0 << QStringList{"A", "B"};
    QTest::newRow("positional and special parameters are names")
        << QByteArray("$1 $@") << 0 << QStringList{"1", "@"};
}

void TestExpand::referenced()
{
    QFETCH(QByteArray, word);
    QFETCH(int, flags);
    QFETCH(QStringList, expected);

    QCOMPARE(toList(referencedVariables(word.toStdString(), optionsFrom(flags).escape)), expected);
}

void TestExpand::deepNestingFailsInsteadOfOverflowing()
{
    const std::string word = repeat("${a:-", 10000) + "x" + repeat("}", 10000);
    const auto result = expandWord(word, lookup);
    QVERIFY(!result.has_value());
    // The 257th "${" starts at byte 256 * 5.
    QCOMPARE(result.error().message(),
             std::string("variable expansion nested too deeply at column 1281"));
    QVERIFY(!referencedVariables(word).empty());
}

void TestExpand::nestingUpToTheLimitWorks()
{
    const std::string word =
        repeat("${a:-", maxExpansionDepth) + "x" + repeat("}", maxExpansionDepth);
    const auto result = expandWord(word, lookup);
    QVERIFY(result.has_value());
    QCOMPARE(result->value, std::string("x"));
    QCOMPARE(result->unsetVariables, std::vector<std::string>{"a"});
}

void TestExpand::megabyteWordsExpandInLinearTime()
{
    QElapsedTimer timer;
    timer.start();
    const std::string word = repeat("${A} b'c'\\d ", 1 << 17); // 1.4 MB
    const auto result = expandWords(word, lookup);
    QVERIFY(result.has_value());
    QCOMPARE(result->size(), std::size_t(2) << 17);
    QCOMPARE(result->back(), std::string("bcd"));

    const std::string names = repeat("$V ", 1 << 18) + "$" + repeat("x", 1 << 20);
    const auto unset = expandWord(names, lookup);
    QVERIFY(unset.has_value());
    QCOMPARE(unset->unsetVariables.size(), std::size_t(2));
    // Quadratic work on these inputs would take minutes, even unsanitised.
    QVERIFY2(timer.elapsed() < 60000, qPrintable(QString::number(timer.elapsed())));
}

void TestExpand::hugeResultsAreRefused()
{
    const std::string big(1 << 20, 'x');
    const VariableLookup bigLookup = [&](std::string_view) {
        return std::optional(big);
    };
    const auto result = expandWord(repeat("$BIG", 100), bigLookup);
    QVERIFY(!result.has_value());
    QVERIFY(result.error().message().starts_with("variable expansion result too large"));
}

void TestExpand::manyStarsInAPatternStayFast()
{
    const std::string value(100000, 'a');
    const VariableLookup valueLookup = [&](std::string_view) {
        return std::optional(value);
    };
    QElapsedTimer timer;
    timer.start();
    // A backtracking matcher takes exponential time to fail here.
    const auto trimmed = expandWord("${V##" + repeat("*a", 30) + "b}", valueLookup);
    QVERIFY(trimmed.has_value());
    QCOMPARE(trimmed->value, value);
    const auto replaced = expandWord("${V//" + repeat("*a", 30) + "/x}", valueLookup);
    QVERIFY(replaced.has_value());
    QCOMPARE(replaced->value, std::string("x"));
    QVERIFY2(timer.elapsed() < 60000, qPrintable(QString::number(timer.elapsed())));
}

QTEST_GUILESS_MAIN(TestExpand)
#include "tst_expand.moc"
