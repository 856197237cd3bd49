#include "dockerfile/parser_p.h"
#include "dockerfile/words.h"

#include <algorithm>

namespace Berth::Dockerfile {

namespace Internal {

PositionMapper::PositionMapper(std::string_view source)
    : m_source(source)
{
    m_lineStarts.push_back(0);
    for (std::size_t i = 0; i < source.size(); ++i)
        if (source[i] == '\n')
            m_lineStarts.push_back(i + 1);
}

Position PositionMapper::at(std::size_t offset) const
{
    offset = std::min(offset, m_source.size());
    const auto it = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), offset);
    const std::size_t line = std::size_t(it - m_lineStarts.begin()) - 1;
    std::size_t from = m_lineStarts[line];
    int column = 1;
    if (line == m_cacheLine && offset >= m_cacheOffset && m_cacheOffset >= from) {
        from = m_cacheOffset;
        column = m_cacheColumn;
    }
    while (from < offset) {
        from += codePointLength(m_source, from);
        ++column;
    }
    m_cacheLine = line;
    m_cacheOffset = offset;
    m_cacheColumn = column;
    return {int(line) + 1, column, offset};
}

void LogicalLine::append(std::string_view piece, std::size_t sourceOffset)
{
    m_pieces.push_back({m_text.size(), sourceOffset, piece.size()});
    m_text.append(piece);
}

std::size_t LogicalLine::toSource(std::size_t logical, bool isEnd) const
{
    if (m_pieces.empty())
        return 0;
    for (auto it = m_pieces.rbegin(); it != m_pieces.rend(); ++it) {
        const bool inside =
            isEnd ? (logical > it->logical || it->logical == 0) : logical >= it->logical;
        if (inside)
            return it->source + std::min(logical - it->logical, it->length);
    }
    return m_pieces.front().source;
}

} // namespace Internal

} // namespace Berth::Dockerfile
