#pragma once

#include "dockerfile/syntax.h"

#include <string>
#include <string_view>
#include <vector>

namespace Berth::Dockerfile::Internal {

// Maps byte offsets of a source to line/column positions; fast for increasing offsets.
class PositionMapper
{
public:
    explicit PositionMapper(std::string_view source);
    Position at(std::size_t offset) const;
    Range range(std::size_t begin, std::size_t end) const { return {at(begin), at(end)}; }

private:
    std::string_view m_source;
    std::vector<std::size_t> m_lineStarts;
    mutable std::size_t m_cacheLine = 0;
    mutable std::size_t m_cacheOffset = 0;
    mutable int m_cacheColumn = 1;
};

// An instruction's logical line: pieces of physical lines joined after removing the escape
// before each line break, with a map back to source offsets.
class LogicalLine
{
public:
    void append(std::string_view piece, std::size_t sourceOffset);
    const std::string &text() const { return m_text; }
    // The source offset of a logical offset; `isEnd` picks the end of the previous piece at a
    // boundary, so that a range never swallows the line break between two pieces.
    std::size_t toSource(std::size_t logical, bool isEnd = false) const;

private:
    struct Piece
    {
        std::size_t logical;
        std::size_t source;
        std::size_t length;
    };
    std::string m_text;
    std::vector<Piece> m_pieces;
};

// Checks what BuildKit's instruction layer checks (argument counts, flags, stage names, ONBUILD
// triggers, values of durations and signals) and appends what is wrong.
void validateInstruction(const Instruction &instruction, std::vector<Diagnostic> &out,
                         char escape = '\\');

// Adds a diagnostic.
inline void report(std::vector<Diagnostic> &out, Severity severity, std::string code,
                   std::string message, Range range)
{
    out.push_back({severity, std::move(code), std::move(message), range});
}

} // namespace Berth::Dockerfile::Internal
