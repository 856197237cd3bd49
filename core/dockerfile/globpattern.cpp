#include "dockerfile/globpattern.h"

#include "dockerfile/rune.h"

#include <cstdint>

namespace Berth::Dockerfile::Internal {
namespace {

using Token = GlobPattern::Token;
using Kind = GlobPattern::Kind;
using CharClass = GlobPattern::CharClass;

bool classMatches(const CharClass &charClass, char32_t c)
{
    bool in = false;
    for (const auto &[lo, hi] : charClass.ranges)
        in = in || (lo <= c && c <= hi);
    return in != charClass.negated;
}

// The NFA's current states (token indexes; tokens.size() accepts).
class StateSet
{
public:
    StateSet(const std::vector<Token> &tokens, const std::vector<CharClass> &classes)
        : m_tokens(tokens)
        , m_classes(classes)
        , m_marks(tokens.size() + 1, 0)
    {
        ++m_generation;
        add(0);
        m_active.swap(m_next);
    }

    // Consumes one rune; false when no state is left.
    bool step(char32_t c)
    {
        ++m_generation;
        m_next.clear();
        for (std::size_t i : m_active) {
            if (i == m_tokens.size() || !consumes(m_tokens[i], c))
                continue;
            const Kind kind = m_tokens[i].kind;
            add(kind == Kind::AnyRunNoSlash || kind == Kind::AnyRun ? i : i + 1);
        }
        m_active.swap(m_next);
        return !m_active.empty();
    }

    bool accepting() const { return m_marks[m_tokens.size()] == m_generation; }
    bool hasUnfinished() const { return m_active.size() > (accepting() ? 1u : 0u); }

private:
    bool consumes(const Token &token, char32_t c) const
    {
        switch (token.kind) {
        case Kind::Literal: return c == token.rune;
        case Kind::AnyRune:
        case Kind::AnyRunNoSlash: return c != '/';
        case Kind::Class: return classMatches(m_classes[token.index], c);
        case Kind::AnyRun: return c != '\n'; // Go's regexp '.'
        case Kind::SkipTo: return false;
        }
        return false;
    }

    // Adds a state and its epsilon closure, without recursion.
    void add(std::size_t state)
    {
        m_stack.assign(1, state);
        while (!m_stack.empty()) {
            const std::size_t s = m_stack.back();
            m_stack.pop_back();
            if (m_marks[s] == m_generation)
                continue;
            m_marks[s] = m_generation;
            m_next.push_back(s);
            if (s == m_tokens.size())
                continue;
            const Token &token = m_tokens[s];
            if (token.kind == Kind::AnyRunNoSlash || token.kind == Kind::AnyRun)
                m_stack.push_back(s + 1);
            if (token.kind == Kind::SkipTo) {
                m_stack.push_back(s + 1);
                m_stack.push_back(token.index);
            }
        }
    }

    const std::vector<Token> &m_tokens;
    const std::vector<CharClass> &m_classes;
    std::vector<std::uint64_t> m_marks;
    std::uint64_t m_generation = 0;
    std::vector<std::size_t> m_active;
    std::vector<std::size_t> m_next;
    std::vector<std::size_t> m_stack;
};

// Go's filepath getEsc: one class character, maybe escaped; the class must go on after it.
Result<char32_t> classRune(std::string_view pattern, std::size_t &pos)
{
    if (pos >= pattern.size())
        return fail(ErrorCode::Parse, "unterminated character class");
    if (pattern[pos] == '-' || pattern[pos] == ']')
        return fail(ErrorCode::Parse, std::string("unescaped '") + pattern[pos] + "' in class");
    if (pattern[pos] == '\\' && ++pos >= pattern.size())
        return fail(ErrorCode::Parse, "unterminated character class");
    const Rune r = decodeRune(pattern, pos);
    if (r.value == replacementRune && r.size == 1)
        return fail(ErrorCode::Parse, "invalid UTF-8 in class");
    pos += r.size;
    if (pos >= pattern.size())
        return fail(ErrorCode::Parse, "unterminated character class");
    return r.value;
}

bool startsWith(std::string_view text, std::string_view prefix)
{
    return text.substr(0, prefix.size()) == prefix;
}

} // namespace

Result<void> GlobPattern::compileClass(std::string_view pattern, std::size_t &pos)
{
    CharClass charClass;
    if (pos < pattern.size() && pattern[pos] == '^') {
        charClass.negated = true;
        ++pos;
    }
    while (pos >= pattern.size() || pattern[pos] != ']' || charClass.ranges.empty()) {
        auto lo = classRune(pattern, pos);
        if (!lo)
            return fail(std::move(lo).error());
        Result<char32_t> hi = *lo;
        if (pattern[pos] == '-')
            hi = classRune(pattern, ++pos);
        if (!hi)
            return fail(std::move(hi).error());
        if (*hi < *lo) // Go's regexp rejects it when matching
            return fail(ErrorCode::Parse, "invalid range in class");
        charClass.ranges.emplace_back(*lo, *hi);
    }
    ++pos;
    m_tokens.push_back({Kind::Class, 0, m_classes.size()});
    m_classes.push_back(std::move(charClass));
    return {};
}

// After "**": "(.*/)?" before more pattern, ".*" at the end; "**/" counts as "**".
void GlobPattern::compileDoubleStar(std::string_view pattern, std::size_t &pos, bool first)
{
    if (pos < pattern.size() && pattern[pos] == '/')
        ++pos;
    if (pos == pattern.size() && m_mode == Mode::Exact) {
        m_mode = Mode::Prefix;
    } else if (pos == pattern.size()) {
        m_tokens.push_back({Kind::AnyRun, 0, 0});
        m_mode = Mode::Automaton;
    } else {
        m_tokens.push_back({Kind::SkipTo, 0, m_tokens.size() + 3});
        m_tokens.push_back({Kind::AnyRun, 0, 0});
        m_tokens.push_back({Kind::Literal, '/', 0});
        m_mode = Mode::Automaton;
    }
    if (first)
        m_mode = Mode::Suffix;
}

Result<GlobPattern> GlobPattern::compile(std::string_view pattern)
{
    GlobPattern out;
    for (std::size_t pos = 0; pos < pattern.size();) {
        const bool first = pos == 0;
        const Rune r = decodeRune(pattern, pos);
        pos += r.size;
        if (r.value == '*' && pos < pattern.size() && pattern[pos] == '*') {
            out.compileDoubleStar(pattern, ++pos, first);
        } else if (r.value == '*' || r.value == '?') {
            out.m_tokens.push_back({r.value == '*' ? Kind::AnyRunNoSlash : Kind::AnyRune, 0, 0});
            out.m_mode = Mode::Automaton;
        } else if (r.value == '[') {
            if (auto done = out.compileClass(pattern, pos); !done)
                return fail(std::move(done).error());
            out.m_mode = Mode::Automaton;
        } else if (r.value == '\\') {
            if (pos == pattern.size())
                return fail(ErrorCode::Parse, "trailing backslash");
            const Rune escaped = decodeRune(pattern, pos);
            pos += escaped.size;
            out.m_tokens.push_back({Kind::Literal, escaped.value, 0});
            out.m_mode = Mode::Automaton;
        } else {
            out.m_tokens.push_back({Kind::Literal, r.value, 0});
            if (r.value == ']')
                out.m_mode = Mode::Automaton;
        }
    }
    if (out.m_mode == Mode::Prefix)
        out.m_text = pattern.substr(0, pattern.size() - 2);
    else if (out.m_mode == Mode::Suffix)
        out.m_text = pattern.substr(2);
    else
        out.m_text = pattern;
    return out;
}

bool GlobPattern::matches(std::string_view path) const
{
    switch (m_mode) {
    case Mode::Exact: return path == m_text;
    case Mode::Prefix: return startsWith(path, m_text);
    case Mode::Suffix:
        return (path.size() >= m_text.size() &&
                path.substr(path.size() - m_text.size()) == m_text) ||
               (!m_text.empty() && m_text[0] == '/' && path == m_text.substr(1));
    case Mode::Automaton: break;
    }
    StateSet states(m_tokens, m_classes);
    for (std::size_t pos = 0; pos < path.size();) {
        const Rune r = decodeRune(path, pos);
        if (!states.step(r.value))
            return false;
        pos += r.size;
    }
    return states.accepting();
}

bool GlobPattern::matchesPathOrParent(std::string_view path) const
{
    if (m_mode != Mode::Automaton) {
        for (auto slash = path.find('/'); slash != std::string_view::npos;
             slash = path.find('/', slash + 1)) {
            if (matches(path.substr(0, slash)))
                return true;
        }
        return matches(path);
    }
    StateSet states(m_tokens, m_classes);
    for (std::size_t pos = 0; pos < path.size();) {
        if (path[pos] == '/' && pos > 0 && states.accepting())
            return true;
        const Rune r = decodeRune(path, pos);
        if (!states.step(r.value))
            return false;
        pos += r.size;
    }
    return states.accepting();
}

bool GlobPattern::mayMatchUnder(std::string_view prefix) const
{
    switch (m_mode) {
    case Mode::Exact: return m_text.size() > prefix.size() && startsWith(m_text, prefix);
    case Mode::Prefix: return startsWith(m_text, prefix) || startsWith(prefix, m_text);
    case Mode::Suffix: return true;
    case Mode::Automaton: break;
    }
    StateSet states(m_tokens, m_classes);
    for (std::size_t pos = 0; pos < prefix.size();) {
        const Rune r = decodeRune(prefix, pos);
        if (!states.step(r.value))
            return false;
        pos += r.size;
    }
    return states.hasUnfinished();
}

} // namespace Berth::Dockerfile::Internal
