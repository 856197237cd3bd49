#pragma once

#include "base/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace Berth::Dockerfile::Internal {

// One cleaned .dockerignore pattern, matched as moby/patternmatcher does: '*' and '?' never
// match '/', "**" matches any number of directories (zero included), "[...]" is a class
// ("[^...]" negates, '!' is literal), '\' escapes. Like patternmatcher's regexp, a class may
// match '/', and "**foo" with nothing special after it is a plain suffix test. Matching
// simulates an NFA: O(path x pattern), whatever the number of stars.
class GlobPattern
{
public:
    // Fails with a reason when Go's filepath.Match would reject the pattern.
    static Result<GlobPattern> compile(std::string_view pattern);

    // True when the whole of `path` matches.
    bool matches(std::string_view path) const;
    // True when `path` or one of its parent directories matches, in one pass over it.
    bool matchesPathOrParent(std::string_view path) const;
    // False only when no path starting with `prefix` (and longer than it) can match.
    bool mayMatchUnder(std::string_view prefix) const;

    enum class Kind { Literal, AnyRune, Class, AnyRunNoSlash, AnyRun, SkipTo };
    struct Token
    {
        Kind kind = Kind::Literal;
        char32_t rune = 0;
        std::size_t index = 0; // the class for Class, the state to skip to for SkipTo
    };
    struct CharClass
    {
        bool negated = false;
        std::vector<std::pair<char32_t, char32_t>> ranges;
    };

private:
    // patternmatcher's fast paths, kept since "**foo" as a suffix differs from the regexp.
    enum class Mode { Exact, Prefix, Suffix, Automaton };

    Result<void> compileClass(std::string_view pattern, std::size_t &pos);
    void compileDoubleStar(std::string_view pattern, std::size_t &pos, bool first);

    Mode m_mode = Mode::Exact;
    std::string m_text; // the whole pattern, the prefix or the suffix
    std::vector<Token> m_tokens;
    std::vector<CharClass> m_classes;
};

} // namespace Berth::Dockerfile::Internal
