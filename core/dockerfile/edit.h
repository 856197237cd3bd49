#pragma once

#include "dockerfile/syntax.h"

#include <string>
#include <string_view>
#include <vector>

namespace Berth::Dockerfile {

// Replace `length` bytes at `offset` with `replacement`.
struct TextEdit
{
    std::size_t offset = 0;
    std::size_t length = 0;
    std::string replacement;
    friend bool operator==(const TextEdit &, const TextEdit &) = default;
};

// Applies non-overlapping edits (in any order) and returns the new text. Edits that overlap or
// fall outside the source are rejected: the source is returned unchanged and `ok` set false.
std::string applyEdits(std::string_view source, std::vector<TextEdit> edits, bool *ok = nullptr);

// Rewrites only instruction `index` with `text`; everything else stays byte-identical.
TextEdit replaceInstruction(const Document &document, std::size_t index, std::string text);
// Inserts `text` as a new line before instruction `index` (at the end when index is the count),
// using the file's own line ending.
TextEdit insertInstruction(const Document &document, std::size_t index, std::string text);
// Removes instruction `index` together with its line break.
TextEdit removeInstruction(const Document &document, std::size_t index);

// "\r\n" when the file's first line break is CRLF, else "\n".
std::string lineEnding(std::string_view source);

} // namespace Berth::Dockerfile
