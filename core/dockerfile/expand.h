#pragma once

#include "base/result.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Variable expansion and word splitting with BuildKit's semantics
// (frontend/dockerfile/shell/lex.go): $VAR, ${VAR}, ${VAR:-w}, ${VAR-w}, ${VAR:+w}, ${VAR+w},
// ${VAR:?msg}, ${VAR?msg}, ${VAR#p}, ${VAR##p}, ${VAR%p}, ${VAR%%p}, ${VAR/p/r}, ${VAR//p/r},
// single and double quotes and the Dockerfile's escape character.
namespace Berth::Dockerfile {

// Looks up a variable; nullopt when unset.
using VariableLookup = std::function<std::optional<std::string>(std::string_view name)>;

struct ExpandOptions
{
    char escape = '\\';      // the Dockerfile's escape character ('\\' or '`')
    bool skipUnset = false;  // leave $FOO / ${FOO...} as written when FOO is unset
    bool rawQuotes = false;  // keep quote characters in the result
    bool rawEscapes = false; // keep escape characters in the result
};

struct Expansion
{
    std::string value;
    std::vector<std::string> unsetVariables; // referenced but unset, in order, unique
};

// Deepest ${...} nesting accepted; deeper input fails instead of exhausting the stack.
inline constexpr int maxExpansionDepth = 256;
// Largest result accepted, so that "$A$A$A..." cannot exhaust memory.
inline constexpr std::size_t maxExpansionSize = std::size_t(64) << 20;

// Expands the variables in a word and removes its quotes and escapes (as ARG, ENV values,
// WORKDIR...). Fails with ErrorCode::Parse on a syntax error ("... at column N", a 1-based byte
// column inside the word) and on ${VAR?msg} with VAR unset ("VAR: msg").
Result<Expansion> expandWord(std::string_view word, const VariableLookup &lookup,
                             const ExpandOptions &options = {});

// Expands a text and splits it on unquoted, unescaped white space, as ENV, LABEL and COPY
// processing does. White space inside an unquoted expansion splits too; an empty quoted word
// ("") yields no word, as in BuildKit.
Result<std::vector<std::string>> expandWords(std::string_view text, const VariableLookup &lookup,
                                             const ExpandOptions &options = {});

// Names referenced by $VAR / ${VAR...} in a word, outside single quotes and escapes, in order,
// unique (nested defaults included). Stops at the first syntax error, keeping what came before.
std::vector<std::string> referencedVariables(std::string_view word, char escape = '\\');

} // namespace Berth::Dockerfile
