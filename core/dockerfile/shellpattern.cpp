#include "dockerfile/shellpattern.h"

#include "dockerfile/rune.h"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace Berth::Dockerfile::Internal {
namespace {

using Token = ShellPattern::Token;
using Kind = ShellPattern::Kind;

// A value split into runes, with the byte offset of each (and of the end).
struct Runes
{
    std::vector<char32_t> runes;
    std::vector<std::size_t> offsets;
};

Runes decode(std::string_view text)
{
    Runes out;
    for (std::size_t pos = 0; pos < text.size();) {
        const Rune r = decodeRune(text, pos);
        out.runes.push_back(r.value);
        out.offsets.push_back(pos);
        pos += r.size;
    }
    out.offsets.push_back(text.size());
    return out;
}

// The set of NFA states (token indexes; tokens.size() accepts) reached so far. AnyRun tokens
// loop on themselves and may be skipped, so a state's closure only ever moves forwards.
class StateSet
{
public:
    explicit StateSet(const std::vector<Token> &tokens)
        : m_tokens(tokens)
        , m_marks(tokens.size() + 1, 0)
    {}

    void start()
    {
        begin();
        add(0);
        m_active.swap(m_next);
    }

    // Consumes one rune; `reseed` starts a new match here too. False when no state is left.
    bool step(char32_t c, bool reseed)
    {
        begin();
        if (reseed)
            add(0);
        for (std::size_t i : m_active) {
            if (i == m_tokens.size() || !matches(m_tokens[i], c))
                continue;
            add(m_tokens[i].kind == Kind::AnyRun ? i : i + 1);
        }
        m_active.swap(m_next);
        return !m_active.empty();
    }

    bool accepting() const { return m_marks[m_tokens.size()] == m_generation; }

private:
    static bool matches(const Token &token, char32_t c)
    {
        return token.kind == Kind::Literal ? c == token.rune : c != '\n';
    }

    void begin()
    {
        ++m_generation;
        m_next.clear();
    }

    void add(std::size_t state)
    {
        while (m_marks[state] != m_generation) {
            m_marks[state] = m_generation;
            m_next.push_back(state);
            if (state == m_tokens.size() || m_tokens[state].kind != Kind::AnyRun)
                return;
            ++state;
        }
    }

    const std::vector<Token> &m_tokens;
    std::vector<std::uint64_t> m_marks;
    std::uint64_t m_generation = 0;
    std::vector<std::size_t> m_active;
    std::vector<std::size_t> m_next;
};

// The end (in runes) of the shortest or longest match starting at `from`.
std::optional<std::size_t> matchEnd(const std::vector<Token> &tokens, const Runes &text,
                                    std::size_t from, bool longest)
{
    StateSet states(tokens);
    states.start();
    std::optional<std::size_t> end;
    if (states.accepting())
        end = from;
    for (std::size_t i = from; i < text.runes.size() && (longest || !end); ++i) {
        if (!states.step(text.runes[i], false))
            break;
        if (states.accepting())
            end = i + 1;
    }
    return end;
}

// Which rune positions start a match, found by running the reversed pattern backwards.
std::vector<bool> matchStarts(const std::vector<Token> &reversed, const Runes &text)
{
    std::vector<bool> starts(text.runes.size() + 1, false);
    StateSet states(reversed);
    states.start();
    starts.back() = states.accepting();
    for (std::size_t i = text.runes.size(); i-- > 0;) {
        states.step(text.runes[i], true);
        starts[i] = states.accepting();
    }
    return starts;
}

} // namespace

Result<ShellPattern> ShellPattern::compile(std::string_view pattern)
{
    ShellPattern out;
    for (std::size_t pos = 0; pos < pattern.size();) {
        Rune r = decodeRune(pattern, pos);
        pos += r.size;
        if (r.value == '*' || r.value == '?') {
            out.m_tokens.push_back({r.value == '*' ? Kind::AnyRun : Kind::AnyRune, 0});
            continue;
        }
        if (r.value == '\\') {
            // "\}" and "\/" had to be escaped inside ${}; the escape is not part of the pattern.
            if (pos < pattern.size() && (pattern[pos] == '}' || pattern[pos] == '/'))
                continue;
            if (pos == pattern.size())
                return fail(ErrorCode::Parse, "invalid escape '\\' at the end");
            r = decodeRune(pattern, pos);
            if (r.value != '*' && r.value != '?' && r.value != '\\')
                return fail(ErrorCode::Parse,
                            "invalid escape '\\" + std::string(pattern.substr(pos, r.size)) + "'");
            pos += r.size;
        }
        out.m_tokens.push_back({Kind::Literal, r.value});
    }
    out.m_reversed.assign(out.m_tokens.rbegin(), out.m_tokens.rend());
    return out;
}

std::string ShellPattern::trimPrefix(std::string_view value, bool longest) const
{
    const Runes text = decode(value);
    const auto end = matchEnd(m_tokens, text, 0, longest);
    return std::string(end ? value.substr(text.offsets[*end]) : value);
}

std::string ShellPattern::trimSuffix(std::string_view value, bool longest) const
{
    const Runes text = decode(value);
    StateSet states(m_reversed);
    states.start();
    std::optional<std::size_t> cut;
    if (states.accepting())
        cut = text.runes.size();
    for (std::size_t i = text.runes.size(); i-- > 0 && (longest || !cut);) {
        if (!states.step(text.runes[i], false))
            break;
        if (states.accepting())
            cut = i;
    }
    return std::string(cut ? value.substr(0, text.offsets[*cut]) : value);
}

std::string ShellPattern::replace(std::string_view value, std::string_view replacement,
                                  bool all) const
{
    const Runes text = decode(value);
    const std::vector<bool> starts = matchStarts(m_reversed, text);
    const std::size_t count = text.runes.size();
    std::string out;
    std::size_t lastEnd = 0;
    // Go's replaceAll loop: empty matches right after a match are not replaced.
    for (std::size_t search = 0; search <= count;) {
        const auto begin = std::find(starts.begin() + search, starts.end(), true) - starts.begin();
        const std::size_t start = static_cast<std::size_t>(begin);
        if (start > count)
            break;
        const std::size_t end = matchEnd(m_tokens, text, start, true).value_or(start);
        out.append(
            value.substr(text.offsets[lastEnd], text.offsets[start] - text.offsets[lastEnd]));
        if (end > lastEnd || start == 0)
            out.append(replacement);
        lastEnd = end;
        if (!all)
            break;
        search = std::max(end, search + 1);
    }
    out.append(value.substr(text.offsets[lastEnd]));
    return out;
}

} // namespace Berth::Dockerfile::Internal
