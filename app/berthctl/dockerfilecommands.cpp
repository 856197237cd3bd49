#include "dockerfilecommands.h"

#include "dockerfile/format.h"
#include "dockerfile/json.h"
#include "dockerfile/lint.h"
#include "dockerfile/syntax.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTextStream>

#include <cstdio>
#include <string>

namespace Berth::Cli {

namespace {

using namespace Berth::Dockerfile;

const char s_usage[] = R"(Usage: berthctl dockerfile COMMAND [OPTIONS] FILE

Commands:
  parse FILE [--json]              print the syntax tree (--json: the full tree, see README)
  lint FILE [--format text|json]   report problems; exit status 1 when one is an error
  fmt FILE [-w|--write] [--check]  print the file in canonical layout; -w rewrites FILE,
                                   --check exits 1 when FILE is not formatted
  rules [--format text|json]       list the lint rules

FILE may be "-" for standard input.
)";

void printErr(const std::string &text)
{
    std::fputs(text.c_str(), stderr);
}
void printOut(const std::string &text)
{
    std::fwrite(text.data(), 1, text.size(), stdout);
}

bool readInput(const QString &path, std::string &out)
{
    QFile file;
    const bool ok = path == QLatin1String("-")
                        ? file.open(stdin, QIODevice::ReadOnly)
                        : (file.setFileName(path), file.open(QIODevice::ReadOnly));
    if (!ok) {
        printErr("berthctl: open \"" + path.toStdString() +
                 "\": " + file.errorString().toStdString() + "\n");
        return false;
    }
    const QByteArray data = file.readAll();
    out.assign(data.constData(), std::size_t(data.size()));
    return true;
}

std::string displayName(const QString &path)
{
    return path == QLatin1String("-") ? std::string("<stdin>") : path.toStdString();
}

// Splits options from the one positional FILE; false (with a message) on anything unknown.
struct Parsed
{
    QString file;
    QStringList flags;
    QString format = QStringLiteral("text");
};

bool parseArgs(const QStringList &args, const QStringList &known, Parsed &out, bool needFile = true)
{
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == QLatin1String("--format")) {
            if (i + 1 >= args.size()) {
                printErr("berthctl: --format needs a value (text or json)\n");
                return false;
            }
            out.format = args[++i];
        } else if (a.startsWith(QLatin1String("--format="))) {
            out.format = a.mid(9);
        } else if (a.startsWith(QLatin1Char('-')) && a != QLatin1String("-")) {
            if (!known.contains(a)) {
                printErr("berthctl: unknown option \"" + a.toStdString() + "\"\n" + s_usage);
                return false;
            }
            out.flags << a;
        } else if (out.file.isEmpty()) {
            out.file = a;
        } else {
            printErr("berthctl: one FILE only (got \"" + out.file.toStdString() + "\" and \"" +
                     a.toStdString() + "\")\n");
            return false;
        }
    }
    if (out.format != QLatin1String("text") && out.format != QLatin1String("json")) {
        printErr("berthctl: --format must be text or json, not \"" + out.format.toStdString() +
                 "\"\n");
        return false;
    }
    if (needFile && out.file.isEmpty()) {
        printErr(std::string("berthctl: missing FILE\n") + s_usage);
        return false;
    }
    return true;
}

std::string location(const std::string &file, const Position &p)
{
    return file + ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
}

std::string jsonString(const std::string &s)
{
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += char(c);
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += char(c);
        }
    }
    return out + "\"";
}

int parseCommand(const QStringList &args)
{
    Parsed p;
    if (!parseArgs(args, {QStringLiteral("--json")}, p))
        return 2;
    std::string source;
    if (!readInput(p.file, source))
        return 2;
    const Document doc = parse(std::move(source), {displayName(p.file)});
    if (p.flags.contains(QLatin1String("--json"))) {
        printOut(toJson(doc));
    } else {
        for (const auto &inst : doc.instructions)
            printOut(std::to_string(inst.range.start.line) + ":" +
                     std::to_string(inst.range.start.column) + " " + inst.keywordText + " [" +
                     formName(inst.form) + "] " + inst.arguments + "\n");
        for (const auto &d : doc.diagnostics)
            printErr(location(doc.fileName, d.range.start) + ": " + severityName(d.severity) +
                     ": " + d.message + "\n");
    }
    return doc.hasErrors() ? 1 : 0;
}

int lintCommand(const QStringList &args)
{
    Parsed p;
    if (!parseArgs(args, {}, p))
        return 2;
    std::string source;
    if (!readInput(p.file, source))
        return 2;
    const Document doc = parse(std::move(source), {displayName(p.file)});
    struct Row
    {
        Position at;
        Severity severity;
        std::string id, message;
        bool fixable;
    };
    std::vector<Row> rows;
    const std::vector<Finding> findings = lint(doc);
    for (const auto &d : uncoveredDiagnostics(doc, findings))
        rows.push_back({d.range.start, d.severity, d.code, d.message, false});
    for (const auto &f : findings)
        rows.push_back({f.range.start, f.severity, f.ruleId, f.message, f.fix.has_value()});
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row &a, const Row &b) { return a.at.offset < b.at.offset; });
    bool error = false;
    std::string out = p.format == QLatin1String("json") ? "[" : "";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const Row &r = rows[i];
        error = error || r.severity == Severity::Error;
        if (p.format == QLatin1String("json"))
            out += std::string(i ? ",\n " : "\n ") + "{\"file\": " + jsonString(doc.fileName) +
                   ", \"line\": " + std::to_string(r.at.line) +
                   ", \"column\": " + std::to_string(r.at.column) + ", \"severity\": \"" +
                   severityName(r.severity) + "\", \"id\": " + jsonString(r.id) +
                   ", \"message\": " + jsonString(r.message) +
                   ", \"fixable\": " + (r.fixable ? "true" : "false") + "}";
        else
            out += location(doc.fileName, r.at) + ": " + severityName(r.severity) + ": " + r.id +
                   ": " + r.message + "\n";
    }
    if (p.format == QLatin1String("json"))
        out += rows.empty() ? "]\n" : "\n]\n";
    printOut(out);
    return error ? 1 : 0;
}

int fmtCommand(const QStringList &args)
{
    Parsed p;
    if (!parseArgs(args,
                   {QStringLiteral("-w"), QStringLiteral("--write"), QStringLiteral("--check")}, p))
        return 2;
    std::string source;
    if (!readInput(p.file, source))
        return 2;
    const Document doc = parse(source, {displayName(p.file)});
    const std::string formatted = format(doc);
    if (p.flags.contains(QLatin1String("--check"))) {
        if (formatted == source)
            return 0;
        printErr(doc.fileName + ": not formatted (run berthctl dockerfile fmt -w)\n");
        return 1;
    }
    if (!p.flags.contains(QLatin1String("-w")) && !p.flags.contains(QLatin1String("--write"))) {
        printOut(formatted);
        return 0;
    }
    if (p.file == QLatin1String("-")) {
        printErr("berthctl: -w cannot rewrite standard input\n");
        return 2;
    }
    if (formatted == source)
        return 0;
    // Written to a temporary file and renamed, so a crash never leaves half a Dockerfile.
    QSaveFile out(p.file);
    if (!out.open(QIODevice::WriteOnly) ||
        out.write(formatted.data(), qint64(formatted.size())) != qint64(formatted.size()) ||
        !out.commit()) {
        printErr("berthctl: write \"" + p.file.toStdString() +
                 "\": " + out.errorString().toStdString() + "\n");
        return 2;
    }
    return 0;
}

int rulesCommand(const QStringList &args)
{
    Parsed p;
    if (!parseArgs(args, {}, p, false))
        return 2;
    std::string out = p.format == QLatin1String("json") ? "[" : "";
    const auto &rules = lintRules();
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const RuleInfo &r = rules[i];
        if (p.format == QLatin1String("json"))
            out += std::string(i ? ",\n " : "\n ") + "{\"id\": " + jsonString(r.id) +
                   ", \"severity\": \"" + severityName(r.severity) +
                   "\", \"title\": " + jsonString(r.title) +
                   ", \"explanation\": " + jsonString(r.explanation) +
                   ", \"fixable\": " + (r.fixable ? "true" : "false") + "}";
        else
            out += r.id + std::string(28 - std::min<std::size_t>(r.id.size(), 27), ' ') +
                   severityName(r.severity) +
                   std::string(9 - std::string(severityName(r.severity)).size(), ' ') + r.title +
                   (r.fixable ? " [fix]" : "") + "\n";
    }
    if (p.format == QLatin1String("json"))
        out += "\n]\n";
    printOut(out);
    return 0;
}

} // namespace

int runDockerfileCommand(const QStringList &args)
{
    if (args.isEmpty() || args[0] == QLatin1String("--help") || args[0] == QLatin1String("-h")) {
        printOut(s_usage);
        return args.isEmpty() ? 2 : 0;
    }
    const QString command = args[0];
    const QStringList rest = args.mid(1);
    if (command == QLatin1String("parse"))
        return parseCommand(rest);
    if (command == QLatin1String("lint"))
        return lintCommand(rest);
    if (command == QLatin1String("fmt"))
        return fmtCommand(rest);
    if (command == QLatin1String("rules"))
        return rulesCommand(rest);
    printErr("berthctl: unknown dockerfile command \"" + command.toStdString() + "\"\n" + s_usage);
    return 2;
}

} // namespace Berth::Cli
