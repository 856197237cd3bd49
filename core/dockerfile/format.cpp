#include "dockerfile/format.h"

#include "dockerfile/edit.h"
#include "dockerfile/words.h"

#include <algorithm>
#include <cstdio>
#include <optional>

namespace Berth::Dockerfile {

namespace {

using namespace Internal;

// What trailing white space means: comments keep \v because a directive's value may end in it.
constexpr std::string_view s_lineSpace = " \t\r\v\f";
constexpr std::string_view s_commentSpace = " \t\r\f";

std::string_view trimEnd(std::string_view s, std::string_view set)
{
    const std::size_t last = s.find_last_not_of(set);
    return last == std::string_view::npos ? s.substr(0, 0) : s.substr(0, last + 1);
}

// Drops trailing white space unless that would end the line with the escape and so turn it
// into a continuation ("a\<VT>" stays as written).
std::string_view trimLineEnd(std::string_view line, char escape)
{
    const std::string_view trimmed = trimEnd(line, s_lineSpace);
    if (!trimmed.empty() && trimmed.back() == escape && trimEnd(line, " \t") != trimmed)
        return line;
    return trimmed;
}

// The parser's rule: an escape followed only by spaces or tabs continues the line.
bool stripContinuation(std::string_view &piece, char escape)
{
    const std::string_view trimmed = trimEnd(piece, " \t");
    if (trimmed.empty() || trimmed.back() != escape)
        return false;
    piece = trimmed.substr(0, trimmed.size() - 1);
    return true;
}

std::size_t skipSpace(std::string_view s, std::size_t i)
{
    while (i < s.size() && isSpace(s[i]))
        ++i;
    return i;
}

std::size_t skipWord(std::string_view s, std::size_t i)
{
    while (i < s.size() && !isSpace(s[i]))
        ++i;
    return i;
}

void upperInPlace(std::string &s, std::size_t begin, std::size_t end)
{
    for (std::size_t i = begin; i < end; ++i)
        if (s[i] >= 'a' && s[i] <= 'z')
            s[i] = char(s[i] - 'a' + 'A');
}

std::string jsonQuote(std::string_view s)
{
    std::string out = "\"";
    for (const char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
                out += buf;
            } else {
                out += c;
            }
        }
    }
    return out + '"';
}

std::string jsonArray(const std::vector<Span> &items)
{
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i ? ", " : "") + jsonQuote(items[i].text);
    return out + "]";
}

// Marks the bytes that quotes or an escape make literal: white space there is never re-laid.
// A "\" counts as an escape in backtick files too (for the shell), except before white space,
// where "C:\ `" is a Windows path. `escapeInSingle` reads "\" inside '...' as the flag scanner
// does, rather than as the shell does.
void markLiteral(std::string_view s, char escape, bool escapeInSingle, std::vector<bool> &literal)
{
    char quote = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        literal[i] = literal[i] || quote != 0;
        const bool escapes = c == escape || (c == '\\' && i + 1 < s.size() && !isSpace(s[i + 1]));
        if ((quote != '\'' || escapeInSingle) && escapes && i + 1 < s.size()) {
            literal[++i] = true;
            continue;
        }
        if (quote && c == quote)
            quote = 0;
        else if (!quote && (c == '\'' || c == '"'))
            quote = c;
    }
}

// Literal under either reading, to stay on the safe side.
std::vector<bool> literalMask(std::string_view s, char escape)
{
    std::vector<bool> literal(s.size(), false);
    markLiteral(s, escape, false, literal);
    markLiteral(s, escape, true, literal);
    return literal;
}

// A line break of the source inside an instruction: where the next piece starts in the joined
// text, and the comment lines found between the two pieces.
struct Joint
{
    std::size_t at = 0;
    std::vector<std::string_view> comments;
};

// An instruction's lines before any heredoc body, joined as the parser joins them.
struct Header
{
    std::string text;
    std::vector<Joint> joints;              // one at text.size() when the last line still continues
    std::vector<std::string_view> rawLines; // as written, empty continuation lines left out
    bool continuesAtEnd = false;
};

Header readHeader(std::string_view src, std::size_t begin, std::size_t end, char escape)
{
    Header h;
    std::vector<std::string_view> comments;
    bool continues = true;
    for (std::size_t pos = begin; continues;) {
        const std::size_t nl = src.find('\n', pos);
        const std::size_t lineEnd = std::min(nl, end);
        std::size_t contentEnd = lineEnd;
        while (contentEnd > pos && src[contentEnd - 1] == '\r')
            --contentEnd;
        const std::string_view line = src.substr(pos, contentEnd - pos);
        const std::size_t b = skipSpace(line, 0);
        if (pos == begin || (b < line.size() && line[b] != '#')) {
            std::string_view piece = line;
            continues = stripContinuation(piece, escape);
            if (pos != begin) {
                h.joints.push_back({h.text.size(), std::move(comments)});
                comments.clear();
            }
            h.text.append(piece);
            h.rawLines.push_back(line);
        } else if (b < line.size()) {
            comments.push_back(trimEnd(line.substr(b), s_commentSpace));
            h.rawLines.push_back(line);
        }
        if (nl == std::string_view::npos || nl + 1 >= src.size() || nl + 1 > end)
            break;
        pos = nl + 1;
    }
    if (continues)
        h.joints.push_back({h.text.size(), std::move(comments)});
    h.continuesAtEnd = continues;
    return h;
}

// Re-lays one instruction's joined text: normalises the white space between keyword, flags
// and arguments, reprints exec form, and turns each line break into " \" plus indentation
// where the white space around it carries no meaning (elsewhere the break stays as written).
class Layout
{
public:
    Layout(Header header, char escape, int indent)
        : m_text(std::move(header.text))
        , m_joints(std::move(header.joints))
        , m_escape(escape)
        , m_indent(std::size_t(std::max(indent, 0)), ' ')
        , m_literal(literalMask(m_text, escape))
        , m_dropped(m_joints.size(), false)
    {}

    // False when an instruction keyword is unknown: the caller keeps the text as written.
    bool analyse(std::size_t from, int depth);
    std::vector<std::string> lines();
    // True when the text ends in white space inside a quote that is never closed.
    bool endsInQuote() const
    {
        return !m_text.empty() && isSpace(m_text.back()) && m_literal.back();
    }

private:
    struct Op
    {
        enum Kind { Replace, SoftBreak, HardBreak } kind = Replace;
        std::size_t begin = 0;
        std::size_t end = 0;
        std::string text;
        std::vector<std::string_view> comments;
    };

    void arguments(Keyword keyword, std::size_t begin, std::size_t end);
    void addGap(std::size_t begin, std::size_t end);
    void addWordGaps(std::size_t begin, std::size_t end);
    void reprintJson(std::size_t begin, std::size_t end);
    bool hasJoint(std::size_t begin, std::size_t end) const;
    bool isLayoutSpace(std::size_t i) const { return isSpace(m_text[i]) && !m_literal[i]; }
    bool isSoft(std::size_t at) const;
    void addBreaks();
    void emit(std::vector<std::string> &out, std::string &line, const Op &op) const;
    std::string lastLine(std::string line, std::size_t pos) const;

    std::string m_text;
    std::vector<Joint> m_joints;
    char m_escape;
    std::string m_indent;
    std::vector<bool> m_literal;
    std::vector<bool> m_dropped; // joints that a reprinted exec form swallowed
    std::vector<Op> m_ops;
    // Where white space is part of a value, so line breaks inside stay exactly as written.
    std::vector<std::pair<std::size_t, std::size_t>> m_verbatim;
};

bool Layout::analyse(std::size_t from, int depth)
{
    const std::string_view t = m_text;
    const std::size_t kb = skipSpace(t, from);
    const std::size_t ke = skipWord(t, kb);
    const Keyword keyword = keywordFromString(t.substr(kb, ke - kb));
    if (keyword == Keyword::Unknown)
        return false;
    upperInPlace(m_text, kb, ke);
    const std::size_t ab = skipSpace(t, ke);
    std::size_t rest = 0;
    std::size_t previous = ke;
    for (const auto &flag : extractFlags(t.substr(ab), rest)) {
        addGap(previous, ab + flag.begin);
        previous = ab + flag.end;
    }
    const std::size_t b = skipSpace(t, ab + rest);
    std::size_t e = t.size();
    while (e > b && isSpace(t[e - 1]))
        --e;
    if (b == e)
        return true;
    addGap(previous, b);
    if (keyword == Keyword::Onbuild)
        return depth >= 2 || analyse(b, depth + 1);
    arguments(keyword, b, e);
    return true;
}

void Layout::arguments(Keyword keyword, std::size_t begin, std::size_t end)
{
    const std::string_view args = std::string_view(m_text).substr(begin, end - begin);
    switch (keyword) {
    case Keyword::Run:
    case Keyword::Cmd:
    case Keyword::Entrypoint:
    case Keyword::Shell:
    case Keyword::Add:
    case Keyword::Copy:
    case Keyword::Volume: reprintJson(begin, end); break;
    case Keyword::Healthcheck: {
        const std::size_t sep = skipWord(m_text, begin);
        const std::size_t command = skipSpace(m_text, sep);
        if (command < end) {
            addGap(sep, command);
            reprintJson(command, end);
        }
        break;
    }
    case Keyword::From: {
        const auto words = splitWhitespace(args);
        if (words.size() == 3 && equalsIgnoreCase(words[1].text, "as"))
            upperInPlace(m_text, begin + words[1].begin, begin + words[1].end);
        addWordGaps(begin, end);
        break;
    }
    case Keyword::Expose: addWordGaps(begin, end); break;
    case Keyword::Env:
    case Keyword::Label: {
        // The old "ENV key value" form: the value is everything after the key.
        const auto words = parseWords(args, m_escape);
        if (!words.empty() && words[0].text.find('=') == std::string::npos) {
            const std::size_t key = skipWord(m_text, begin);
            const std::size_t value = skipSpace(m_text, key);
            if (value < end)
                addGap(key, value);
            m_verbatim.emplace_back(value, end);
        }
        break;
    }
    case Keyword::User:
    case Keyword::Workdir:
    case Keyword::Stopsignal:
    case Keyword::Maintainer: m_verbatim.emplace_back(begin, end); break;
    default: break;
    }
}

bool Layout::hasJoint(std::size_t begin, std::size_t end) const
{
    const auto it = std::lower_bound(m_joints.begin(), m_joints.end(), begin,
                                     [](const Joint &j, std::size_t at) { return j.at < at; });
    return it != m_joints.end() && it->at <= end;
}

// One space for a run of white space between two words, unless a line break falls in it.
void Layout::addGap(std::size_t begin, std::size_t end)
{
    if (begin >= end || hasJoint(begin, end))
        return;
    for (std::size_t i = begin; i < end; ++i)
        if (!isSpace(m_text[i]))
            return;
    if (end - begin != 1 || m_text[begin] != ' ')
        m_ops.push_back({Op::Replace, begin, end, " ", {}});
}

void Layout::addWordGaps(std::size_t begin, std::size_t end)
{
    const auto words = splitWhitespace(std::string_view(m_text).substr(begin, end - begin));
    for (std::size_t i = 1; i < words.size(); ++i)
        addGap(begin + words[i - 1].end, begin + words[i].begin);
}

// Exec form on one line as ["a", "b"]; kept as written when a break inside it carries
// comments or falls inside a string.
void Layout::reprintJson(std::size_t begin, std::size_t end)
{
    const auto items = parseJsonStringArray(std::string_view(m_text).substr(begin, end - begin));
    if (!items)
        return;
    std::vector<std::size_t> inside;
    for (std::size_t i = 0; i < m_joints.size(); ++i) {
        const Joint &j = m_joints[i];
        if (j.at <= begin || j.at >= end)
            continue;
        if (!j.comments.empty() || !isSoft(j.at))
            return;
        inside.push_back(i);
    }
    for (const std::size_t i : inside)
        m_dropped[i] = true;
    m_ops.push_back({Op::Replace, begin, end, jsonArray(*items), {}});
}

bool Layout::isSoft(std::size_t at) const
{
    for (const auto &[begin, end] : m_verbatim)
        if (at > begin && at < end)
            return false;
    return (at > 0 && isLayoutSpace(at - 1)) || (at < m_text.size() && isLayoutSpace(at));
}

// Line breaks in the same run of white space become one (so "\"-only lines go away).
void Layout::addBreaks()
{
    std::optional<std::size_t> run; // index of the last soft break; joints come in order
    for (std::size_t i = 0; i < m_joints.size(); ++i) {
        const Joint &j = m_joints[i];
        if (m_dropped[i])
            continue;
        if (!isSoft(j.at)) {
            m_ops.push_back({Op::HardBreak, j.at, j.at, {}, j.comments});
            run.reset();
            continue;
        }
        if (!run || j.at > m_ops[*run].end) {
            std::size_t b = j.at;
            std::size_t e = j.at;
            while (b > 0 && isLayoutSpace(b - 1))
                --b;
            while (e < m_text.size() && isLayoutSpace(e))
                ++e;
            run = m_ops.size();
            m_ops.push_back({Op::SoftBreak, b, e, {}, {}});
        }
        auto &comments = m_ops[*run].comments;
        comments.insert(comments.end(), j.comments.begin(), j.comments.end());
    }
}

void Layout::emit(std::vector<std::string> &out, std::string &line, const Op &op) const
{
    if (op.kind == Op::Replace) {
        line += op.text;
        return;
    }
    if (op.kind == Op::SoftBreak && !line.empty())
        line += ' ';
    line += m_escape;
    out.push_back(std::move(line));
    for (const auto comment : op.comments)
        out.push_back(m_indent + std::string(comment));
    line = op.kind == Op::SoftBreak ? m_indent : std::string();
}

// Trailing white space goes, unless it is inside a quote that is never closed (flags and
// heredoc names then run to the end of the line) or dropping it would make a continuation.
std::string Layout::lastLine(std::string line, std::size_t pos) const
{
    std::size_t end = m_text.size();
    while (end > pos && isLayoutSpace(end - 1))
        --end;
    const std::size_t kept = line.size();
    line.append(m_text, pos, end - pos);
    // A trailing \r would merge with the line break: "\<CR>" must not become a continuation.
    const std::string_view trimmed = trimEnd(line, " \t\r");
    if (end < m_text.size() && !trimmed.empty() && trimmed.back() == m_escape) {
        line.resize(kept);
        line.append(m_text, pos, std::string::npos);
    }
    return line;
}

std::vector<std::string> Layout::lines()
{
    addBreaks();
    // A break at the start of a replaced range goes first.
    std::stable_sort(m_ops.begin(), m_ops.end(), [](const Op &a, const Op &b) {
        return a.begin != b.begin ? a.begin < b.begin
                                  : (a.kind != Op::Replace) > (b.kind != Op::Replace);
    });
    std::vector<std::string> out;
    std::string line;
    std::size_t pos = 0;
    bool brokeAtEnd = false;
    for (const auto &op : m_ops) {
        if (op.begin < pos)
            continue; // never happens for well-formed ops; keeps the text intact if it does
        line.append(m_text, pos, op.begin - pos);
        emit(out, line, op);
        pos = op.end;
        brokeAtEnd = op.kind != Op::Replace && pos == m_text.size();
    }
    if (!brokeAtEnd)
        out.push_back(lastLine(std::move(line), pos));
    return out;
}

// An output line; blank lines between instructions are collapsed when joining.
struct Entry
{
    bool blank = false;
    std::string text;
};

// Unknown instructions: only white space after an escape, or at the very end outside quotes,
// goes.
void appendRaw(const Header &header, bool keepEnd, char escape, std::vector<Entry> &out)
{
    for (std::size_t i = 0; i < header.rawLines.size(); ++i) {
        const std::string_view line = header.rawLines[i];
        const bool last = i + 1 == header.rawLines.size() && !header.continuesAtEnd;
        out.push_back({false, std::string(last && keepEnd ? line : trimLineEnd(line, escape))});
    }
}

void appendInstruction(const Instruction &inst, std::string_view src, char escape,
                       const FormatOptions &options, std::vector<Entry> &out)
{
    const std::size_t begin = inst.range.start.offset;
    const std::size_t end = inst.range.end.offset;
    const bool hasBody = !inst.heredocs.empty() && inst.heredocs[0].range.start.offset < src.size();
    const std::size_t headerEnd =
        inst.heredocs.empty() ? end : std::min(end, inst.heredocs[0].range.start.offset);
    Header header = readHeader(src, begin, headerEnd, escape);
    Layout layout(header, escape, options.indent);
    if (layout.analyse(0, 0)) {
        for (auto &line : layout.lines())
            out.push_back({false, std::move(line)});
    } else {
        appendRaw(header, layout.endsInQuote(), escape, out);
    }
    // Heredoc bodies byte for byte, terminators included.
    if (hasBody) {
        const std::size_t body = inst.heredocs[0].range.start.offset;
        out.push_back({false, std::string(src.substr(body, std::max(end, body) - body))});
    }
}

// Comment, directive and blank lines between instructions; `last` is the file's tail, whose
// final line has no line break.
void appendTrivia(std::string_view text, bool last, std::vector<Entry> &out)
{
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos && !last)
            break; // the indentation before the next instruction
        std::string_view line =
            text.substr(pos, (nl == std::string_view::npos ? text.size() : nl) - pos);
        if (skipSpace(line, 0) == line.size())
            out.push_back({true, {}});
        else
            out.push_back({false, std::string(trimEnd(line, s_commentSpace))});
        if (nl == std::string_view::npos)
            break;
        pos = nl + 1;
    }
}

std::string join(const std::vector<Entry> &entries, std::string_view eol, std::string out)
{
    bool blank = false;
    for (const auto &e : entries) {
        if (e.blank) {
            blank = true;
            continue;
        }
        if (blank)
            out += eol;
        blank = false;
        out += e.text;
        out += eol;
    }
    return out;
}

} // namespace

std::string format(const Document &document, const FormatOptions &options)
{
    const std::string_view src = document.source();
    std::vector<Entry> entries;
    std::size_t cursor = document.hasBom ? 3 : 0;
    for (const auto &inst : document.instructions) {
        appendTrivia(src.substr(cursor, inst.range.start.offset - cursor), false, entries);
        appendInstruction(inst, src, document.escape, options, entries);
        const std::size_t nl = src.find('\n', inst.range.end.offset);
        cursor = nl == std::string_view::npos ? src.size() : nl + 1;
    }
    appendTrivia(src.substr(cursor), true, entries);
    return join(entries, lineEnding(src), document.hasBom ? "\xEF\xBB\xBF" : "");
}

std::string formatInstruction(const Instruction &instruction, std::string_view source, char escape,
                              const FormatOptions &options)
{
    std::vector<Entry> entries;
    appendInstruction(instruction, source, escape, options, entries);
    const std::string eol = lineEnding(source);
    std::string out = join(entries, eol, {});
    out.resize(out.size() >= eol.size() ? out.size() - eol.size() : 0);
    return out;
}

} // namespace Berth::Dockerfile
