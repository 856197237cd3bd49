#include "dockerfile/parser_p.h"
#include "dockerfile/words.h"

#include <algorithm>
#include <optional>
#include <set>

namespace Berth::Dockerfile {

using namespace Internal;

namespace {

struct Line
{
    std::size_t begin = 0;      // first byte
    std::size_t contentEnd = 0; // before "\r\n" / "\n"
    std::size_t next = 0;       // first byte of the next line
};

std::vector<Line> splitLines(std::string_view s, std::size_t from)
{
    std::vector<Line> lines;
    std::size_t pos = from;
    while (pos < s.size()) {
        const std::size_t nl = s.find('\n', pos);
        const std::size_t end = nl == std::string_view::npos ? s.size() : nl;
        std::size_t contentEnd = end;
        while (contentEnd > pos && s[contentEnd - 1] == '\r')
            --contentEnd;
        lines.push_back({pos, contentEnd, nl == std::string_view::npos ? s.size() : nl + 1});
        pos = end + 1;
    }
    return lines;
}

std::size_t skipLeadingSpace(std::string_view s, std::size_t from, std::size_t to)
{
    while (from < to && isSpace(s[from]))
        ++from;
    return from;
}

// Go's regexp \s: [\t\n\f\r ].
bool isReSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

bool isAsciiAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isAsciiDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Matches ^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$ (BuildKit's directive pattern).
std::optional<std::pair<std::string, std::string>> matchDirective(std::string_view line)
{
    if (line.empty() || line[0] != '#')
        return std::nullopt;
    std::size_t i = 1;
    while (i < line.size() && isReSpace(line[i]))
        ++i;
    const std::size_t nameBegin = i;
    if (i >= line.size() || !isAsciiAlpha(line[i]))
        return std::nullopt;
    while (i < line.size() && (isAsciiAlpha(line[i]) || isAsciiDigit(line[i])))
        ++i;
    const std::string name = toLower(line.substr(nameBegin, i - nameBegin));
    while (i < line.size() && isReSpace(line[i]))
        ++i;
    if (i >= line.size() || line[i] != '=')
        return std::nullopt;
    ++i;
    while (i < line.size() && isReSpace(line[i]))
        ++i;
    std::size_t end = line.size();
    while (end > i && isReSpace(line[end - 1]))
        --end;
    if (end <= i)
        return std::nullopt;
    return std::make_pair(name, std::string(line.substr(i, end - i)));
}

bool isKnownDirective(std::string_view name)
{
    return name == "syntax" || name == "escape" || name == "check";
}

// Strips a trailing escape (followed only by spaces or tabs); true when one was there.
bool trimContinuation(std::string_view &piece, char escape)
{
    std::size_t end = piece.size();
    while (end > 0 && (piece[end - 1] == ' ' || piece[end - 1] == '\t'))
        --end;
    if (end == 0 || piece[end - 1] != escape)
        return false;
    piece = piece.substr(0, end - 1);
    return true;
}

// Parses "rest" of a heredoc marker into its name; nullopt when it is not one word.
std::optional<Heredoc> heredocFromWord(std::string_view word)
{
    std::size_t i = 0;
    while (i < word.size() && isAsciiDigit(word[i]))
        ++i;
    if (word.substr(i, 2) != "<<")
        return std::nullopt;
    Heredoc doc;
    if (i > 0 && i < 9)
        doc.fd = std::stoi(std::string(word.substr(0, i)));
    i += 2;
    if (i < word.size() && word[i] == '-') {
        doc.chomp = true;
        ++i;
    }
    const std::string_view rest = word.substr(i);
    if (rest.empty() || rest.find('<') != std::string_view::npos)
        return std::nullopt;
    char quote = 0;
    for (std::size_t k = 0; k < rest.size(); ++k) {
        const char c = rest[k];
        if (quote) {
            if (c == quote)
                quote = 0;
            else if (c == '\\' && quote == '"' && k + 1 < rest.size())
                doc.name += rest[++k];
            else
                doc.name += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            doc.expand = false;
        } else if (c == '\\' && k + 1 < rest.size()) {
            doc.name += rest[++k];
        } else if (isSpace(c)) {
            return std::nullopt;
        } else {
            doc.name += c;
        }
    }
    if (quote)
        return std::nullopt; // an unclosed quote is no delimiter
    return doc;
}

std::string suggestKeyword(std::string_view word)
{
    const std::string upper = toUpper(word);
    std::string best;
    std::size_t bestDistance = 3;
    for (const auto &name : allKeywordNames()) {
        const std::size_t d = editDistance(upper, name);
        if (d < bestDistance) {
            bestDistance = d;
            best = name;
        }
    }
    return best;
}

} // namespace

class Parser
{
public:
    Parser(std::string source, const ParseOptions &options)
    {
        m_doc.m_source = std::move(source);
        m_doc.fileName = options.fileName;
    }

    Document run();

private:
    bool handleTopComment(const Line &line, std::size_t textBegin);
    void checkDirective(const Line &line, std::size_t textBegin);
    std::size_t parseInstruction(std::size_t first);
    void readHeredocs(Instruction &inst, std::size_t &next);
    void buildInstruction(const LogicalLine &ll, std::size_t from, Instruction &inst, int depth);
    void splitArguments(const LogicalLine &ll, std::string_view args, std::size_t argsBegin,
                        Instruction &inst);
    void findHeredocMarkers(const LogicalLine &ll, std::size_t argsBegin, std::size_t argsEnd,
                            Instruction &inst);
    void nameValueWords(const LogicalLine &ll, std::string_view args, std::size_t argsBegin,
                        Instruction &inst);
    void checkEncoding();
    void checkHasStage();

    Range rangeOf(const LogicalLine &ll, std::size_t b, std::size_t e) const
    {
        return {m_pos->at(ll.toSource(b)), m_pos->at(ll.toSource(e, true))};
    }
    std::string_view text(std::size_t b, std::size_t e) const
    {
        return std::string_view(m_doc.m_source).substr(b, e - b);
    }

    Document m_doc;
    std::vector<Line> m_lines;
    std::optional<PositionMapper> m_pos;
    bool m_directivesDone = false;
    std::set<std::string> m_seenDirectives;
    std::vector<std::string> m_pendingComments;
};

Document Parser::run()
{
    std::string_view src = m_doc.m_source;
    m_pos.emplace(src);
    std::size_t start = 0;
    if (src.substr(0, 3) == "\xEF\xBB\xBF") {
        m_doc.hasBom = true;
        start = 3;
    }
    m_lines = splitLines(src, start);
    checkEncoding();
    std::size_t i = 0;
    while (i < m_lines.size()) {
        const Line &line = m_lines[i];
        const std::size_t textBegin = skipLeadingSpace(src, line.begin, line.contentEnd);
        if (textBegin < line.contentEnd && src[textBegin] == '#') {
            if (!handleTopComment(line, textBegin))
                m_pendingComments.clear();
            ++i;
            continue;
        }
        m_directivesDone = true;
        std::string_view content = text(textBegin, line.contentEnd);
        const bool continues = trimContinuation(content, m_doc.escape);
        if (content.empty() && !continues) {
            ++i;
            continue;
        }
        i = parseInstruction(i);
        m_pendingComments.clear();
    }
    for (const auto &inst : m_doc.instructions)
        validateInstruction(inst, m_doc.diagnostics, m_doc.escape);
    checkHasStage();
    std::stable_sort(m_doc.diagnostics.begin(), m_doc.diagnostics.end(),
                     [](const Diagnostic &a, const Diagnostic &b) {
                         return a.range.start.offset < b.range.start.offset;
                     });
    return std::move(m_doc);
}

// Records a comment or directive line; false when it was an empty comment ("#" alone).
bool Parser::handleTopComment(const Line &line, std::size_t textBegin)
{
    checkDirective(line, textBegin);
    const std::string_view body = text(textBegin + 1, line.contentEnd);
    m_doc.comments.push_back({std::string(body), m_pos->range(line.begin, line.contentEnd)});
    const std::string_view trimmed = trimSpace(body);
    if (trimmed.empty())
        return false;
    if (m_doc.directives.empty() || m_doc.directives.back().range.start.offset != line.begin)
        m_pendingComments.emplace_back(trimmed);
    return true;
}

void Parser::checkDirective(const Line &line, std::size_t textBegin)
{
    const auto match = matchDirective(text(textBegin, line.contentEnd));
    const Range range = m_pos->range(line.begin, line.contentEnd);
    if (m_directivesDone) {
        if (match && isKnownDirective(match->first))
            report(m_doc.diagnostics, Severity::Warning, "misplaced-directive",
                   "parser directive \"" + match->first +
                       "\" is ignored here: directives must come before any instruction, "
                       "comment or blank line",
                   range);
        return;
    }
    if (!match || !isKnownDirective(match->first)) {
        m_directivesDone = true;
        return;
    }
    const auto &[name, value] = *match;
    if (!m_seenDirectives.insert(name).second) {
        report(m_doc.diagnostics, Severity::Error, "duplicate-directive",
               "only one " + name + " parser directive can be used", range);
        return;
    }
    m_doc.directives.push_back({name, value, range});
    if (name == "escape") {
        if (value == "`" || value == "\\")
            m_doc.escape = value[0];
        else
            report(m_doc.diagnostics, Severity::Error, "invalid-escape",
                   "invalid escape token '" + value + "' does not match ` or \\", range);
    }
}

std::size_t Parser::parseInstruction(std::size_t first)
{
    std::string_view src = m_doc.m_source;
    const char esc = m_doc.escape;
    Instruction inst;
    LogicalLine ll;
    const Line &head = m_lines[first];
    const std::size_t textBegin = skipLeadingSpace(src, head.begin, head.contentEnd);
    std::string_view piece = text(textBegin, head.contentEnd);
    bool continues = trimContinuation(piece, esc);
    ll.append(piece, textBegin);
    std::size_t last = first;
    std::size_t next = first + 1;
    while (continues && next < m_lines.size()) {
        const Line &line = m_lines[next];
        const std::size_t b = skipLeadingSpace(src, line.begin, line.contentEnd);
        last = next++;
        const Range range = m_pos->range(line.begin, line.contentEnd);
        if (b < line.contentEnd && src[b] == '#') {
            inst.continuationComments.push_back(range);
            continue;
        }
        if (b == line.contentEnd) {
            inst.emptyContinuationLines.push_back(range);
            continue;
        }
        piece = text(line.begin, line.contentEnd);
        continues = trimContinuation(piece, esc);
        ll.append(piece, line.begin);
    }
    if (continues) {
        const Range at = m_pos->range(m_lines[last].contentEnd, m_lines[last].contentEnd);
        report(m_doc.diagnostics, Severity::Warning, "trailing-escape",
               "the file ends with a line continuation: the escape character on the last line "
               "continues nothing",
               at);
    }
    if (trimSpace(ll.text()).empty())
        return next; // only escapes and blank lines: nothing to run
    inst.range.start = m_pos->at(textBegin);
    inst.range.end = m_pos->at(m_lines[last].contentEnd);
    inst.comments = m_pendingComments;
    buildInstruction(ll, 0, inst, 0);
    if (!inst.emptyContinuationLines.empty())
        report(m_doc.diagnostics, Severity::Warning, "empty-continuation",
               "empty continuation line found in: " + std::string(trimSpace(ll.text())) +
                   " (empty continuation lines will become errors in a future release)",
               inst.emptyContinuationLines.front());
    if (!inst.heredocs.empty())
        readHeredocs(inst, next);
    m_doc.instructions.push_back(std::move(inst));
    return next;
}

void Parser::readHeredocs(Instruction &inst, std::size_t &next)
{
    std::string_view src = m_doc.m_source;
    for (auto &doc : inst.heredocs) {
        const std::size_t bodyBegin = next < m_lines.size() ? m_lines[next].begin : src.size();
        bool terminated = false;
        while (next < m_lines.size()) {
            const Line &line = m_lines[next++];
            std::string_view content = text(line.begin, line.contentEnd);
            std::string_view candidate = content;
            if (doc.chomp)
                while (!candidate.empty() && candidate.front() == '\t')
                    candidate.remove_prefix(1);
            inst.range.end = m_pos->at(line.contentEnd);
            if (candidate == doc.name) {
                terminated = true;
                break;
            }
            doc.content.append(content);
            doc.content += '\n';
        }
        doc.range = {m_pos->at(bodyBegin), inst.range.end};
        if (!terminated) {
            report(m_doc.diagnostics, Severity::Error, "unterminated-heredoc",
                   "unterminated heredoc: no line \"" + doc.name + "\" ends the here-document",
                   doc.headerRange);
            return;
        }
    }
}

void Parser::buildInstruction(const LogicalLine &ll, std::size_t from, Instruction &inst, int depth)
{
    // Trailing white space is not part of the last word, as in BuildKit.
    std::string_view line = ll.text();
    while (line.size() > from && isSpace(line.back()))
        line.remove_suffix(1);
    std::size_t kb = from;
    while (kb < line.size() && isSpace(line[kb]))
        ++kb;
    std::size_t ke = kb;
    while (ke < line.size() && !isSpace(line[ke]))
        ++ke;
    inst.keywordText = std::string(line.substr(kb, ke - kb));
    inst.name = toLower(inst.keywordText);
    inst.keyword = keywordFromString(inst.keywordText);
    inst.keywordRange = rangeOf(ll, kb, ke);
    if (depth > 0) {
        inst.range.start = inst.keywordRange.start;
        inst.range.end = rangeOf(ll, kb, line.size()).end;
    }
    if (inst.keyword == Keyword::Unknown) {
        const std::string hint = suggestKeyword(inst.keywordText);
        report(m_doc.diagnostics, Severity::Error, "unknown-instruction",
               "unknown instruction \"" + inst.keywordText + "\"" +
                   (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"),
               inst.keywordRange);
    }
    std::size_t ab = ke;
    while (ab < line.size() && isSpace(line[ab]))
        ++ab;
    std::size_t rest = 0;
    for (auto &f : extractFlags(line.substr(ab), rest)) {
        Flag flag;
        flag.raw = std::string(line.substr(ab + f.begin, f.end - f.begin));
        flag.range = rangeOf(ll, ab + f.begin, ab + f.end);
        const std::string_view word = std::string_view(f.text).substr(2);
        const std::size_t eq = word.find('=');
        flag.name = std::string(word.substr(0, eq));
        if (eq != std::string_view::npos)
            flag.value = std::string(word.substr(eq + 1));
        inst.flags.push_back(std::move(flag));
    }
    std::size_t b = ab + rest;
    std::size_t e = line.size();
    while (b < e && isSpace(line[b]))
        ++b;
    while (e > b && isSpace(line[e - 1]))
        --e;
    inst.arguments = std::string(line.substr(b, e - b));
    inst.argumentsRange = rangeOf(ll, b, e);
    if (inst.keyword == Keyword::Onbuild) {
        if (!inst.arguments.empty() && depth < 2) {
            auto trigger = std::make_shared<Instruction>();
            buildInstruction(ll, b, *trigger, depth + 1);
            inst.trigger = std::move(trigger);
        }
        return;
    }
    splitArguments(ll, inst.arguments, b, inst);
    const bool heredocCapable = inst.keyword == Keyword::Run || inst.keyword == Keyword::Copy ||
                                inst.keyword == Keyword::Add;
    if (depth == 0 && heredocCapable && inst.form != Form::Exec &&
        inst.arguments.find("<<") != std::string::npos)
        findHeredocMarkers(ll, b, e, inst);
}

void Parser::splitArguments(const LogicalLine &ll, std::string_view args, std::size_t argsBegin,
                            Instruction &inst)
{
    auto addSpans = [&](const std::vector<Span> &spans, std::size_t base) {
        for (const auto &s : spans)
            inst.words.push_back({s.text, rangeOf(ll, base + s.begin, base + s.end)});
    };
    auto maybeJson = [&]() {
        if (auto json = parseJsonStringArray(args)) {
            inst.form = Form::Exec;
            addSpans(*json, argsBegin);
            return true;
        }
        return false;
    };
    auto wholeText = [&]() {
        if (!args.empty())
            inst.words.push_back(
                {std::string(args), rangeOf(ll, argsBegin, argsBegin + args.size())});
    };
    switch (inst.keyword) {
    case Keyword::Run:
    case Keyword::Cmd:
    case Keyword::Entrypoint:
    case Keyword::Shell:
        if (!maybeJson() && !args.empty()) {
            inst.form = Form::Shell;
            wholeText();
        }
        break;
    case Keyword::Add:
    case Keyword::Copy:
    case Keyword::Volume:
        if (!maybeJson() && !args.empty()) {
            inst.form = Form::Shell;
            addSpans(splitWhitespace(args), argsBegin);
        }
        break;
    case Keyword::From:
    case Keyword::Expose: addSpans(splitWhitespace(args), argsBegin); break;
    case Keyword::Env:
    case Keyword::Label: nameValueWords(ll, args, argsBegin, inst); break;
    case Keyword::Arg: addSpans(parseWords(args, m_doc.escape), argsBegin); break;
    case Keyword::Healthcheck: {
        std::size_t sep = 0;
        while (sep < args.size() && !isSpace(args[sep]))
            ++sep;
        if (sep == 0)
            break;
        inst.words.push_back(
            {std::string(args.substr(0, sep)), rangeOf(ll, argsBegin, argsBegin + sep)});
        std::size_t next = sep;
        while (next < args.size() && isSpace(args[next]))
            ++next;
        const std::string_view cmd = args.substr(next);
        if (auto json = parseJsonStringArray(cmd)) {
            inst.form = Form::Exec;
            addSpans(*json, argsBegin + next);
        } else if (!cmd.empty()) {
            inst.form = Form::Shell;
            inst.words.push_back(
                {std::string(cmd), rangeOf(ll, argsBegin + next, argsBegin + args.size())});
        }
        break;
    }
    default: wholeText(); break;
    }
}

// ENV and LABEL: "key value" (old form) or key=value pairs.
void Parser::nameValueWords(const LogicalLine &ll, std::string_view args, std::size_t argsBegin,
                            Instruction &inst)
{
    const auto words = parseWords(args, m_doc.escape);
    const std::string keyword = toUpper(inst.keywordText);
    if (words.empty())
        return;
    if (words[0].text.find('=') == std::string::npos) {
        std::size_t sep = 0;
        while (sep < args.size() && !isSpace(args[sep]))
            ++sep;
        std::size_t value = sep;
        while (value < args.size() && isSpace(args[value]))
            ++value;
        inst.words.push_back(
            {std::string(args.substr(0, sep)), rangeOf(ll, argsBegin, argsBegin + sep)});
        if (value >= args.size()) {
            report(m_doc.diagnostics, Severity::Error, "missing-value",
                   keyword + " must have two arguments: " + keyword + " " +
                       std::string(args.substr(0, sep)) + " needs a value (or use name=value)",
                   inst.argumentsRange);
            return;
        }
        inst.words.push_back({std::string(args.substr(value)),
                              rangeOf(ll, argsBegin + value, argsBegin + args.size())});
        return;
    }
    for (const auto &w : words) {
        const Range r = rangeOf(ll, argsBegin + w.begin, argsBegin + w.end);
        if (w.text.find('=') == std::string::npos)
            report(m_doc.diagnostics, Severity::Error, "missing-equals",
                   "syntax error - can't find = in \"" + w.text +
                       "\". Must be of the form: name=value",
                   r);
        inst.words.push_back({w.text, r});
    }
}

void Parser::findHeredocMarkers(const LogicalLine &ll, std::size_t argsBegin, std::size_t argsEnd,
                                Instruction &inst)
{
    const std::string_view args =
        std::string_view(ll.text()).substr(argsBegin, argsEnd - argsBegin);
    for (const auto &w : rawShellWords(args, '\\')) {
        auto doc = heredocFromWord(w.text);
        if (!doc)
            continue;
        doc->headerRange = rangeOf(ll, argsBegin + w.begin, argsBegin + w.end);
        inst.heredocs.push_back(std::move(*doc));
    }
}

// A build needs at least one FROM; say so once, where the user will look.
void Parser::checkHasStage()
{
    const auto &insts = m_doc.instructions;
    if (std::any_of(insts.begin(), insts.end(),
                    [](const Instruction &i) { return i.keyword == Keyword::From; }))
        return;
    const Position start = m_pos->at(m_doc.hasBom ? 3 : 0);
    if (insts.empty())
        report(m_doc.diagnostics, Severity::Error, "no-instructions",
               "the Dockerfile has no instructions: a build needs at least a FROM line",
               {start, start});
    else
        report(m_doc.diagnostics, Severity::Error, "no-stage",
               "the Dockerfile has no FROM instruction, so there is nothing to build",
               insts.front().keywordRange);
}

void Parser::checkEncoding()
{
    std::string_view src = m_doc.m_source;
    if (const std::size_t nul = src.find('\0'); nul != std::string_view::npos)
        report(m_doc.diagnostics, Severity::Warning, "nul-byte",
               "the file contains a NUL byte; is it a text file?", m_pos->range(nul, nul + 1));
    std::size_t bad = 0;
    if (!isValidUtf8(src, &bad))
        report(m_doc.diagnostics, Severity::Warning, "invalid-utf8",
               "the file is not valid UTF-8 (first bad byte here)", m_pos->range(bad, bad + 1));
}

Document parse(std::string source, const ParseOptions &options)
{
    return Parser(std::move(source), options).run();
}

Position positionAt(std::string_view source, std::size_t offset)
{
    return PositionMapper(source).at(offset);
}

} // namespace Berth::Dockerfile
