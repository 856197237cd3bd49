#pragma once

#include "base/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace Berth::Dockerfile::Internal {

// The pattern of ${VAR#p}, ${VAR%p} and ${VAR/p/r}, as BuildKit translates it to a regexp:
// '*' is any run of runes, '?' any rune, '\' escapes '*', '?' and '\' and is dropped before '}'
// and '/'; everything else is literal (no bracket expressions). As with Go's regexp '.', the
// wildcards do not match a newline. Matching simulates an NFA, so it is O(value x pattern).
class ShellPattern
{
public:
    enum class Kind { Literal, AnyRune, AnyRun };
    struct Token
    {
        Kind kind = Kind::Literal;
        char32_t rune = 0;
    };

    // Fails with a bare reason ("invalid escape '\x'") for the caller to place.
    static Result<ShellPattern> compile(std::string_view pattern);

    // `value` without its shortest (or longest) prefix matching the pattern.
    std::string trimPrefix(std::string_view value, bool longest) const;
    // `value` without its shortest (or longest) suffix matching the pattern.
    std::string trimSuffix(std::string_view value, bool longest) const;
    // `value` with its leftmost-longest match (or every such match) replaced, as Go's
    // Regexp.ReplaceAllString without template expansion.
    std::string replace(std::string_view value, std::string_view replacement, bool all) const;

private:
    std::vector<Token> m_tokens;
    std::vector<Token> m_reversed;
};

} // namespace Berth::Dockerfile::Internal
