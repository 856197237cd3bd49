#include "dockerfile/expand.h"

#include "dockerfile/rune.h"
#include "dockerfile/shellpattern.h"

#include <unordered_set>

namespace Berth::Dockerfile {
namespace {

using Internal::decodeRune;
using Internal::Rune;
using Internal::ShellPattern;

constexpr int noStop = -1;

Unexpected<Error> parseError(std::string message, std::size_t pos)
{
    return fail(ErrorCode::Parse, std::move(message) + " at column " + std::to_string(pos + 1));
}

bool isAsciiDigit(char32_t c)
{
    return c >= '0' && c <= '9';
}

// Go's unicode.IsLetter || IsDigit, approximated outside ASCII: most runes there are letters,
// except Latin-1 and general punctuation, symbols, CJK punctuation and emoji.
bool isLetterOrDigit(char32_t c)
{
    if (c < 0x80)
        return isAsciiDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (c <= 0xBF)
        return c == 0xAA || c == 0xB5 || c == 0xBA;
    if (c == 0xD7 || c == 0xF7 || c == Internal::replacementRune)
        return false;
    return !(c >= 0x2000 && c <= 0x2BFF) && !(c >= 0x3000 && c <= 0x303F) && c < 0x1F000;
}

// POSIX special parameters ($@, $*, $#, $?, $-, $$, $!, $0): read as one-rune names.
bool isSpecialParameter(char32_t c)
{
    switch (c) {
    case '@':
    case '*':
    case '#':
    case '?':
    case '-':
    case '$':
    case '!':
    case '0': return true;
    default: return false;
    }
}

// Collects the words of lex.go's ProcessWords: unquoted white space ends a word; quoted and
// escaped text never does, and an empty word is dropped.
class WordSplitter
{
public:
    void addText(std::string_view text)
    {
        for (std::size_t pos = 0; pos < text.size();) {
            const Rune r = decodeRune(text, pos);
            if (!Internal::isSpaceRune(r.value))
                addRaw(text.substr(pos, r.size));
            else if (m_inWord && !m_word.empty())
                flush();
            pos += r.size;
        }
    }
    void addRaw(std::string_view text)
    {
        m_word.append(text);
        m_inWord = true;
    }
    std::vector<std::string> take()
    {
        if (!m_word.empty())
            flush();
        return std::move(m_words);
    }

private:
    void flush()
    {
        m_words.push_back(std::move(m_word));
        m_word.clear();
        m_inWord = false;
    }

    std::vector<std::string> m_words;
    std::string m_word;
    bool m_inWord = false;
};

// Restores a flag on scope exit.
class FlagScope
{
public:
    FlagScope(bool &flag, bool value)
        : m_flag(flag)
        , m_saved(flag)
    {
        flag = value;
    }
    ~FlagScope() { m_flag = m_saved; }
    FlagScope(const FlagScope &) = delete;
    FlagScope &operator=(const FlagScope &) = delete;

private:
    bool &m_flag;
    bool m_saved;
};

// A port of lex.go's shellWord: recursive descent over ${...}, bounded by maxExpansionDepth.
class Lexer
{
public:
    Lexer(std::string_view input, const VariableLookup &lookup, const ExpandOptions &options)
        : m_input(input)
        , m_lookup(lookup)
        , m_options(options)
    {}

    Result<std::string> run(WordSplitter *words)
    {
        std::string out;
        auto done = processUntil(noStop, m_options.rawEscapes, out, words);
        if (!done)
            return fail(std::move(done).error());
        return out;
    }

    std::vector<std::string> takeUnset() { return std::move(m_unset); }

private:
    bool atEnd() const { return m_pos >= m_input.size(); }
    char peek() const { return m_input[m_pos]; }
    std::string_view takeRune()
    {
        const std::size_t start = m_pos;
        m_pos += decodeRune(m_input, m_pos).size;
        return m_input.substr(start, m_pos - start);
    }

    Result<void> append(std::string &out, std::string_view text)
    {
        if (out.size() + text.size() > maxExpansionSize)
            return parseError("variable expansion result too large", m_pos - 1);
        out.append(text);
        return {};
    }

    std::optional<std::string> lookup(const std::string &name)
    {
        std::optional<std::string> value = m_lookup ? m_lookup(name) : std::nullopt;
        if (!value && !name.empty() && m_seen.insert(name).second)
            m_unset.push_back(name);
        return value;
    }

    Result<void> processUntil(int stop, bool rawEscapes, std::string &out, WordSplitter *words);
    Result<std::string> singleQuote();
    Result<std::string> doubleQuote();
    Result<std::string> dollar();
    Result<std::string> simpleVariable();
    Result<std::string> braced(std::size_t start);
    Result<std::string> modifier(std::size_t start, const std::string &name,
                                 const std::optional<std::string> &value);
    Result<std::string> substitution(std::size_t start, const std::string &name,
                                     const std::optional<std::string> &value);
    std::string readName();

    std::string_view m_input;
    std::size_t m_pos = 0;
    int m_depth = 0;
    bool m_rawEscapes = false;
    const VariableLookup &m_lookup;
    const ExpandOptions &m_options;
    std::vector<std::string> m_unset;
    std::unordered_set<std::string> m_seen;
};

// lex.go's processStopOn: stops after `stop`, or fails at the end when there is one.
Result<void> Lexer::processUntil(int stop, bool rawEscapes, std::string &out, WordSplitter *words)
{
    FlagScope scope(m_rawEscapes, rawEscapes);
    while (!atEnd()) {
        const char c = peek();
        if (stop != noStop && c == stop) {
            ++m_pos;
            return {};
        }
        if (c == '$' || c == '\'' || c == '"') {
            auto text = c == '$' ? dollar() : c == '\'' ? singleQuote() : doubleQuote();
            if (!text)
                return fail(std::move(text).error());
            if (auto done = append(out, *text); !done)
                return done;
            if (words && c == '$')
                words->addText(*text);
            else if (words)
                words->addRaw(*text);
            continue;
        }
        const bool escaped = c == m_options.escape;
        if (escaped) {
            ++m_pos;
            if (m_rawEscapes) {
                out += c;
                if (words)
                    words->addRaw(std::string_view(&c, 1));
            }
            if (atEnd())
                break; // a trailing escape is dropped
        }
        const std::string_view text = takeRune();
        out.append(text);
        if (words && escaped)
            words->addRaw(text);
        else if (words)
            words->addText(text);
    }
    if (stop != noStop)
        return parseError(std::string("unexpected end of statement while looking for matching ") +
                              char(stop),
                          m_pos);
    return {};
}

Result<std::string> Lexer::singleQuote()
{
    const std::size_t start = m_pos++;
    const std::size_t end = m_input.find('\'', m_pos);
    if (end == std::string_view::npos) {
        m_pos = m_input.size();
        return parseError("unexpected end of statement while looking for matching single-quote",
                          start);
    }
    std::string out(m_input.substr(m_pos, end - m_pos));
    if (m_options.rawQuotes)
        out = '\'' + out + '\'';
    m_pos = end + 1;
    return out;
}

// Inside double quotes the escape only escapes '"', '$' and itself, as in sh.
Result<std::string> Lexer::doubleQuote()
{
    const std::size_t start = m_pos++;
    std::string out(m_options.rawQuotes ? "\"" : "");
    while (!atEnd()) {
        char c = peek();
        if (c == '"') {
            ++m_pos;
            if (m_options.rawQuotes)
                out += '"';
            return out;
        }
        if (c == '$') {
            auto value = dollar();
            if (!value)
                return value;
            if (auto done = append(out, *value); !done)
                return fail(std::move(done).error());
            continue;
        }
        ++m_pos;
        if (c == m_options.escape) {
            // With raw escapes lex.go writes the escape, then the escape again when it escapes
            // nothing: "\n" becomes "\\n". Kept, since patterns rely on it.
            if (m_rawEscapes)
                out += c;
            if (atEnd())
                continue;
            const char next = peek();
            if (next == '"' || next == '$' || next == m_options.escape) {
                c = next;
                ++m_pos;
            }
        }
        out += c;
    }
    return parseError("unexpected end of statement while looking for matching double-quote", start);
}

Result<std::string> Lexer::dollar()
{
    const std::size_t start = m_pos++;
    if (atEnd() || peek() != '{')
        return simpleVariable();
    ++m_pos;
    if (m_depth >= maxExpansionDepth)
        return parseError("variable expansion nested too deeply", start);
    ++m_depth;
    auto out = braced(start);
    --m_depth;
    return out;
}

// $NAME: a '$' not followed by a name stays literal.
Result<std::string> Lexer::simpleVariable()
{
    const std::string name = readName();
    if (name.empty())
        return std::string("$");
    const auto value = lookup(name);
    if (!value && m_options.skipUnset)
        return "$" + name;
    return value.value_or(std::string());
}

// lex.go's processName: a run of digits, one special parameter, or letters, digits and '_'.
std::string Lexer::readName()
{
    const std::size_t start = m_pos;
    if (atEnd())
        return {};
    const Rune first = decodeRune(m_input, m_pos);
    if (isAsciiDigit(first.value)) {
        while (!atEnd() && isAsciiDigit(static_cast<unsigned char>(peek())))
            ++m_pos;
    } else if (isSpecialParameter(first.value)) {
        ++m_pos;
    } else {
        while (!atEnd()) {
            const Rune r = decodeRune(m_input, m_pos);
            if (!isLetterOrDigit(r.value) && r.value != '_')
                break;
            m_pos += r.size;
        }
    }
    return std::string(m_input.substr(start, m_pos - start));
}

// After "${": the name, then '}', a modifier or a substitution.
Result<std::string> Lexer::braced(std::size_t start)
{
    if (atEnd())
        return parseError("syntax error: missing '}'", start);
    if (peek() == '{' || peek() == '}' || peek() == ':')
        return parseError("syntax error: bad substitution", start);
    const std::string name = readName();
    if (atEnd()) // lex.go reports the end of input as an unsupported modifier
        return parseError("syntax error: missing '}'", start);
    const std::size_t modifierPos = m_pos;
    const std::string_view op = takeRune();
    const auto value = lookup(name);
    switch (op.front()) {
    case '}':
        if (!value && m_options.skipUnset)
            return "${" + name + "}";
        return value.value_or(std::string());
    case '/': return substitution(start, name, value);
    case ':':
    case '+':
    case '-':
    case '?':
    case '#':
    case '%': m_pos = modifierPos; return modifier(start, name, value);
    default:
        return parseError("unsupported modifier (" + std::string(op) + ") in substitution",
                          modifierPos);
    }
}

Result<std::string> Lexer::modifier(std::size_t start, const std::string &name,
                                    const std::optional<std::string> &value)
{
    const std::size_t modifierPos = m_pos;
    const bool nullIsUnset = m_input[m_pos++] == ':';
    if (nullIsUnset && atEnd())
        return parseError("syntax error: missing '}'", start);
    if (nullIsUnset)
        takeRune();
    const std::string op(m_input.substr(modifierPos, m_pos - modifierPos));
    const char kind = op.back();
    std::string word;
    if (auto done = processUntil('}', kind == '#' || kind == '%', word, nullptr); !done)
        return atEnd() ? parseError("syntax error: missing '}'", start) : fail(done.error());
    if (!value && m_options.skipUnset)
        return "${" + name + op + word + "}";
    const bool isSet = value && !(nullIsUnset && value->empty());
    if (kind != '-' && kind != '+' && kind != '?' && kind != '#' && kind != '%')
        return parseError("unsupported modifier (" + op + ") in substitution", modifierPos);
    if (kind == '-')
        return isSet ? *value : word;
    if (kind == '+')
        return isSet ? word : std::string();
    if (kind == '?' && !isSet) {
        const char *reason = value ? "is not allowed to be empty" : "is not allowed to be unset";
        return fail(ErrorCode::Parse, name + ": " + (word.empty() ? std::string(reason) : word));
    }
    if (kind == '?')
        return *value;
    const bool longest = !word.empty() && word.front() == kind;
    const auto pattern = ShellPattern::compile(longest ? word.substr(1) : word);
    if (!pattern)
        return parseError(
            "invalid pattern (" + word + ") in substitution: " + pattern.error().message(), start);
    const std::string subject = value.value_or(std::string());
    return kind == '%' ? pattern->trimSuffix(subject, longest)
                       : pattern->trimPrefix(subject, longest);
}

// ${NAME/pattern/replacement} and ${NAME//pattern/replacement}.
Result<std::string> Lexer::substitution(std::size_t start, const std::string &name,
                                        const std::optional<std::string> &value)
{
    const bool all = !atEnd() && peek() == '/';
    if (all)
        ++m_pos;
    std::string pattern;
    if (auto done = processUntil('/', true, pattern, nullptr); !done)
        return atEnd() ? parseError("syntax error: missing '/' in ${}", start) : fail(done.error());
    std::string replacement;
    if (auto done = processUntil('}', true, replacement, nullptr); !done)
        return atEnd() ? parseError("syntax error: missing '}'", start) : fail(done.error());
    // BuildKit writes a single '/' back here even for "//"; keeping the text as written is
    // what skipUnset is for.
    if (!value && m_options.skipUnset)
        return "${" + name + (all ? "//" : "/") + pattern + "/" + replacement + "}";
    const auto compiled = ShellPattern::compile(pattern);
    if (!compiled)
        return parseError("invalid pattern (" + pattern +
                              ") in substitution: " + compiled.error().message(),
                          start);
    return compiled->replace(value.value_or(std::string()), replacement, all);
}

} // namespace

Result<Expansion> expandWord(std::string_view word, const VariableLookup &lookup,
                             const ExpandOptions &options)
{
    Lexer lexer(word, lookup, options);
    auto value = lexer.run(nullptr);
    if (!value)
        return fail(std::move(value).error());
    return Expansion{std::move(*value), lexer.takeUnset()};
}

Result<std::vector<std::string>> expandWords(std::string_view text, const VariableLookup &lookup,
                                             const ExpandOptions &options)
{
    Lexer lexer(text, lookup, options);
    WordSplitter words;
    if (auto value = lexer.run(&words); !value)
        return fail(std::move(value).error());
    return words.take();
}

std::vector<std::string> referencedVariables(std::string_view word, char escape)
{
    std::vector<std::string> names;
    std::unordered_set<std::string> seen;
    const VariableLookup record = [&](std::string_view name) -> std::optional<std::string> {
        if (!name.empty() && seen.emplace(name).second)
            names.emplace_back(name);
        return std::nullopt;
    };
    // skipUnset: every variable is unset here, and ${A?} must not stop the scan.
    ExpandOptions options;
    options.escape = escape;
    options.skipUnset = true;
    Lexer(word, record, options).run(nullptr);
    return names;
}

} // namespace Berth::Dockerfile
