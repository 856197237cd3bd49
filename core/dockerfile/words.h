#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Word-level scanners that reproduce how BuildKit's parser splits an instruction line. Offsets
// are byte offsets into the scanned text.
namespace Berth::Dockerfile::Internal {

struct Span
{
    std::size_t begin = 0;
    std::size_t end = 0;
    std::string text; // the word after the scanner's own processing
};

// White space as Go's unicode.IsSpace sees it in ASCII.
inline bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
std::string_view trimSpace(std::string_view s);

// Leading "--name[=value]" words (quotes processed). `rest` receives the offset where the
// remaining arguments start (the text's size when nothing remains).
std::vector<Span> extractFlags(std::string_view line, std::size_t &rest);
// Splits on runs of white space.
std::vector<Span> splitWhitespace(std::string_view s);
// BuildKit's parseWords: white-space separated words, quotes and escapes kept in the text.
std::vector<Span> parseWords(std::string_view s, char escape);
// The elements of a JSON array of strings, decoded; nullopt when `s` is not exactly that.
std::optional<std::vector<Span>> parseJsonStringArray(std::string_view s);
// Shell-like words with quotes kept raw, for finding heredoc markers.
std::vector<Span> rawShellWords(std::string_view s, char escape);

// Length in bytes of the UTF-8 sequence at s[i]: 1 for ASCII and for an invalid byte.
std::size_t codePointLength(std::string_view s, std::size_t i);
// True when the text is valid UTF-8; otherwise `bad` receives the offset of the first bad byte.
bool isValidUtf8(std::string_view s, std::size_t *bad = nullptr);

// Case-insensitive ASCII comparison and lower-casing.
bool equalsIgnoreCase(std::string_view a, std::string_view b);
std::string toLower(std::string_view s);
std::string toUpper(std::string_view s);
// Levenshtein distance, for "did you mean" suggestions.
std::size_t editDistance(std::string_view a, std::string_view b);

} // namespace Berth::Dockerfile::Internal
