#include "fixtures.h"
#include "meaning.h"

#include "dockerfile/edit.h"
#include "dockerfile/format.h"
#include "dockerfile/syntax.h"

#include <QDirIterator>
#include <QTest>

using namespace Berth::Dockerfile;
using namespace BerthTest;

namespace {

std::string bytes(const QByteArray &a)
{
    return std::string(a.constData(), std::size_t(a.size()));
}

// Formatting twice changes nothing more, and the builder sees the same instructions.
void checkStableAndFaithful(const std::string &input, const std::string &formatted)
{
    const Document again = parse(formatted);
    QCOMPARE(QByteArray::fromStdString(format(again)), QByteArray::fromStdString(formatted));
    QCOMPARE(QString::fromStdString(meaning(again)), QString::fromStdString(meaning(parse(input))));
}

} // namespace

class TestFormat : public QObject
{
    Q_OBJECT
private slots:
    void layout_data();
    void layout();
    void fixturesAreStableAndKeepTheirMeaning_data();
    void fixturesAreStableAndKeepTheirMeaning();
    void oneInstruction_data();
    void oneInstruction();
};

void TestFormat::layout_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("indent");
    QTest::addColumn<QByteArray>("expected");
    auto row = [](const char *name, const QByteArray &in, const QByteArray &out, int indent = 4) {
        QTest::newRow(name) << in << indent << out;
    };

    row("Keywords are written in upper case", "from alpine\nrun echo hi\n",
        "FROM alpine\nRUN echo hi\n");
    row("Runs of spaces between keyword, flags and arguments become one",
        "RUN   --mount=type=cache,target=/x \t --network=none   make  all\n",
        "RUN --mount=type=cache,target=/x --network=none make  all\n");
    row("Flags keep the order they were written in", "copy --link --chown=1:1 --from=build /a /b\n",
        "COPY --link --chown=1:1 --from=build /a /b\n");
    row("Exec form gets one space after each comma", "CMD [\"a\",\"b\" ,  \"c\"]\n",
        "CMD [\"a\", \"b\", \"c\"]\n");
    row("JSON escapes are written the canonical way",
        "CMD [\"a\\\"b\", \"c\\\\d\", \"\\u0041\\t\", \"\\/x\"]\n",
        "CMD [\"a\\\"b\", \"c\\\\d\", \"A\\t\", \"/x\"]\n");
    row("Non-ASCII text in exec form is written as UTF-8",
        "CMD [\"\\u00e9\", \"\\ud83d\\ude00\", \"日本\"]\n", "CMD [\"é\", \"😀\", \"日本\"]\n");
    row("Control characters in exec form stay escaped", "CMD [\"\\u0001\", \"\\u001F\"]\n",
        "CMD [\"\\u0001\", \"\\u001f\"]\n");
    row("An empty exec array stays empty", "ENTRYPOINT [ ]\n", "ENTRYPOINT []\n");
    // "[a" is no JSON, so this is a shell command and stays exactly as it is.
    row("Invalid JSON is shell form and is left as written", "CMD [a,   \"b\"]\n",
        "CMD [a,   \"b\"]\n");
    row("Continuation lines are indented and end with a space and the escape",
        "RUN apt-get update &&\\\n  apt-get install -y curl\\\n\t\t&& rm -rf /var/lib/apt\n",
        "RUN apt-get update && \\\n    apt-get install -y curl \\\n    && rm -rf /var/lib/apt\n");
    row("A line break inside a word stays where it was", "RUN echo foo\\\nbar \\\n  baz\n",
        "RUN echo foo\\\nbar \\\n    baz\n");
    row("A line break inside quotes keeps its white space", "RUN echo \"a \\\n      b\" \\\n c\n",
        "RUN echo \"a \\\n      b\" \\\n    c\n");
    row("An escaped space before a line break stays escaped", "RUN echo a\\ \\\n  b\n",
        "RUN echo a\\  \\\n    b\n");
    row("Comment lines inside a continuation stay and are indented",
        "RUN a \\\n# first\n      && b \\\n   #second   \n  && c\n",
        "RUN a \\\n    # first\n    && b \\\n    #second\n    && c\n");
    row("Empty continuation lines are removed", "RUN a \\\n\n   \n    b\n", "RUN a \\\n    b\n");
    row("A line holding only the escape goes away", "RUN a \\\n   \\\n  b\n", "RUN a \\\n    b\n");
    row("Flags on continuation lines keep their lines",
        "RUN --mount=type=cache,target=/a \\\n      --mount=type=tmpfs,target=/b \\\n  make\n",
        "RUN --mount=type=cache,target=/a \\\n    --mount=type=tmpfs,target=/b \\\n    make\n");
    row("An indent of two spaces is honoured", "RUN a \\\n# why\n        b\n",
        "RUN a \\\n  # why\n  b\n", 2);
    row("Trailing white space is removed", "FROM alpine   \n# note  \t\nRUN a\t\n",
        "FROM alpine\n# note\nRUN a\n");
    row("Runs of blank lines become one", "FROM a\n\n\n\nRUN b\n  \n\t\nRUN c\n",
        "FROM a\n\nRUN b\n\nRUN c\n");
    row("Blank lines at the end of the file are removed", "FROM a\n\n\n", "FROM a\n");
    row("A missing final line break is added", "FROM a\n# end", "FROM a\n# end\n");
    // A blank line ends the directives, so dropping it would make "# escape" one.
    row("Blank lines at the start collapse to one but stay", "\n\n# escape=`\nFROM a\n",
        "\n# escape=`\nFROM a\n");
    row("Indented instructions move to the first column", "FROM a\n   RUN b\n", "FROM a\nRUN b\n");
    row("Directives and comments are kept as written",
        "#syntax = docker/dockerfile:1  \n# check=skip=all\n  # indented note\nFROM a\n",
        "#syntax = docker/dockerfile:1\n# check=skip=all\n  # indented note\nFROM a\n");
    row("CRLF files stay CRLF", "from a\r\n\r\n\r\nrun b \\\r\n  c\r\n",
        "FROM a\r\n\r\nRUN b \\\r\n    c\r\n");
    row("The byte order mark is kept",
        "\xEF\xBB\xBF"
        "from a\n",
        "\xEF\xBB\xBF"
        "FROM a\n");
    row("The backtick escape directive is respected",
        "# escape=`\nfrom mcr.microsoft.com/windows\nrun dir c:\\ `\n  && echo done\n",
        "# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir c:\\ `\n    && echo done\n");
    row("Heredoc bodies are copied byte for byte", "run <<EOF\n  indented   \n\n\n\tEOFx\nEOF\n",
        "RUN <<EOF\n  indented   \n\n\n\tEOFx\nEOF\n");
    row("A chomped heredoc with a quoted delimiter keeps its tabs",
        "copy   <<-'END'   /etc/conf\n\tline  \n\tEND\n",
        "COPY <<-'END'   /etc/conf\n\tline  \n\tEND\n");
    row("Several heredocs keep their order", "RUN cat <<A <<B\na\nA\nb\nB\nRUN c\n",
        "RUN cat <<A <<B\na\nA\nb\nB\nRUN c\n");
    row("A heredoc in a CRLF file keeps its bytes", "run <<EOF\r\n x  \r\nEOF\r\n",
        "RUN <<EOF\r\n x  \r\nEOF\r\n");
    // Unterminated: the rest of the file is the body, blank lines included.
    row("An unterminated heredoc keeps the rest of the file", "RUN <<EOF\necho hi\n\n\n",
        "RUN <<EOF\necho hi\n\n\n");
    // An unclosed quote makes no heredoc: "x" and "EOF" are (unknown) instructions of their
    // own. The space inside the quote is kept, as the formatter never edits inside quotes.
    // Found by the fuzzer: dropping the space would leave "\<CR>" before the line break, and
    // the parser reads a CR before LF as part of the line break, so the line would continue.
    row("An escaped carriage return keeps the white space after it", "RUN echo x \\\r \ns\n",
        "RUN echo x \\\r \ns\n");
    row("White space inside a quote that is never closed is kept", "RUN <<\"EOF \nx\nEOF \n",
        "RUN <<\"EOF \nx\nEOF\n");
    row("ONBUILD's trigger keyword is written in upper case too", "onbuild   run   echo hi\n",
        "ONBUILD RUN echo hi\n");
    row("ONBUILD with an exec-form trigger is reprinted", "onbuild cmd [\"a\",\"b\"]\n",
        "ONBUILD CMD [\"a\", \"b\"]\n");
    row("FROM's as becomes AS", "from golang:1.22   as   build\n", "FROM golang:1.22 AS build\n");
    row("The old ENV key value form keeps its value as written",
        "env PATH   /usr/local/bin:$PATH  and  more\n",
        "ENV PATH /usr/local/bin:$PATH  and  more\n");
    row("A line break inside an old-form ENV value stays as written",
        "ENV MSG hello \\\n   world\n", "ENV MSG hello \\\n   world\n");
    row("ENV pairs on continuation lines are re-laid", "ENV A=1 \\\n  B=\"x  y\" \\\n C=3\n",
        "ENV A=1 \\\n    B=\"x  y\" \\\n    C=3\n");
    row("A line break inside WORKDIR's path stays as written", "workdir /my \\\n  dir\n",
        "WORKDIR /my \\\n  dir\n");
    row("Unknown instructions are left as written",
        "FROM a\nfrobnicate   this  \\\n  that   \nrun b\n",
        "FROM a\nfrobnicate   this  \\\n  that\nRUN b\n");
    row("Exec form split over lines is joined onto one line",
        "ENTRYPOINT [\"a\", \\\n            \"b\"]\n", "ENTRYPOINT [\"a\", \"b\"]\n");
    row("Exec form with a comment inside keeps its lines", "CMD [\"a\", \\\n# why\n  \"b\"]\n",
        "CMD [\"a\", \\\n    # why\n    \"b\"]\n");
    row("HEALTHCHECK's command is normalised like CMD",
        "healthcheck --interval=5s   CMD   [\"curl\",\"-f\",\"http://localhost\"]\n",
        "HEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"http://localhost\"]\n");
    row("A trailing escape at the end of the file is kept", "RUN a   \\\n\n", "RUN a \\\n");
    row("An empty file stays empty", "", "");
    row("A file of blank lines becomes empty", "\n\n  \n", "");
}

void TestFormat::layout()
{
    QFETCH(QByteArray, input);
    QFETCH(int, indent);
    QFETCH(QByteArray, expected);
    FormatOptions options;
    options.indent = indent;
    const std::string formatted = format(parse(bytes(input)), options);
    QCOMPARE(QByteArray::fromStdString(formatted), expected);
    const Document again = parse(formatted);
    QCOMPARE(QByteArray::fromStdString(format(again, options)), expected);
    QCOMPARE(QString::fromStdString(meaning(again)),
             QString::fromStdString(meaning(parse(bytes(input)))));
}

void TestFormat::fixturesAreStableAndKeepTheirMeaning_data()
{
    QTest::addColumn<QString>("path");
    const QDir root(dockerfileDataDir());
    QStringList files;
    QDirIterator it(root.path(), {QStringLiteral("Dockerfile")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    QVERIFY2(!files.isEmpty(), "no Dockerfile found under tests/data/dockerfile");
    for (const QString &f : files)
        QTest::newRow(qPrintable(root.relativeFilePath(f))) << f;
}

void TestFormat::fixturesAreStableAndKeepTheirMeaning()
{
    QFETCH(QString, path);
    const std::string input = readFile(path);
    checkStableAndFaithful(input, format(parse(input)));
}

void TestFormat::oneInstruction_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("index");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("A continued instruction comes back canonical without its line break")
        << QByteArray("FROM a\nrun   echo \\\n  hi\n") << 1 << QByteArray("RUN echo \\\n    hi");
    QTest::newRow("The file's CRLF is used between the lines")
        << QByteArray("FROM a\r\nrun a \\\r\n  b\r\n") << 1 << QByteArray("RUN a \\\r\n    b");
    QTest::newRow("A heredoc body comes with its instruction")
        << QByteArray("run  <<EOF\nx  \nEOF\nRUN b\n") << 0 << QByteArray("RUN <<EOF\nx  \nEOF");
}

void TestFormat::oneInstruction()
{
    QFETCH(QByteArray, input);
    QFETCH(int, index);
    QFETCH(QByteArray, expected);
    const Document doc = parse(bytes(input));
    const auto &inst = doc.instructions.at(std::size_t(index));
    const std::string text = formatInstruction(inst, doc.source(), doc.escape);
    QCOMPARE(QByteArray::fromStdString(text), expected);
    // Put back in place, the file then reads as the canonical file does.
    const std::string edited =
        applyEdits(doc.source(), {replaceInstruction(doc, std::size_t(index), text)});
    QCOMPARE(QByteArray::fromStdString(format(parse(edited))),
             QByteArray::fromStdString(format(doc)));
}

QTEST_GUILESS_MAIN(TestFormat)
#include "tst_format.moc"
