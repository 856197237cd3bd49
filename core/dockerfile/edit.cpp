#include "dockerfile/edit.h"

#include <algorithm>

namespace Berth::Dockerfile {

std::string applyEdits(std::string_view source, std::vector<TextEdit> edits, bool *ok)
{
    std::sort(edits.begin(), edits.end(),
              [](const TextEdit &a, const TextEdit &b) { return a.offset < b.offset; });
    std::size_t cursor = 0;
    for (const auto &e : edits) {
        if (e.offset < cursor || e.offset + e.length > source.size()) {
            if (ok)
                *ok = false;
            return std::string(source);
        }
        cursor = e.offset + e.length;
    }
    std::string out;
    out.reserve(source.size());
    cursor = 0;
    for (const auto &e : edits) {
        out.append(source.substr(cursor, e.offset - cursor));
        out.append(e.replacement);
        cursor = e.offset + e.length;
    }
    out.append(source.substr(cursor));
    if (ok)
        *ok = true;
    return out;
}

std::string lineEnding(std::string_view source)
{
    const std::size_t nl = source.find('\n');
    return nl != std::string_view::npos && nl > 0 && source[nl - 1] == '\r' ? "\r\n" : "\n";
}

TextEdit replaceInstruction(const Document &document, std::size_t index, std::string text)
{
    const Range &r = document.instructions.at(index).range;
    return {r.start.offset, r.end.offset - r.start.offset, std::move(text)};
}

TextEdit insertInstruction(const Document &document, std::size_t index, std::string text)
{
    const std::string &src = document.source();
    const std::string eol = lineEnding(src);
    if (index < document.instructions.size()) {
        // At the start of the instruction's line, so its indentation stays with it.
        const std::size_t at = document.instructions[index].range.start.offset;
        const std::size_t lineStart = src.rfind('\n', at == 0 ? 0 : at - 1);
        const std::size_t offset =
            (at == 0 || lineStart == std::string::npos) ? (document.hasBom ? 3 : 0) : lineStart + 1;
        return {std::min(offset, at), 0, text + eol};
    }
    if (src.empty() || src.back() == '\n')
        return {src.size(), 0, text + eol};
    return {src.size(), 0, eol + text};
}

TextEdit removeInstruction(const Document &document, std::size_t index)
{
    const std::string &src = document.source();
    const Range &r = document.instructions.at(index).range;
    std::size_t begin = r.start.offset;
    while (begin > 0 && (src[begin - 1] == ' ' || src[begin - 1] == '\t'))
        --begin;
    std::size_t end = r.end.offset;
    if (end < src.size() && src[end] == '\r')
        ++end;
    if (end < src.size() && src[end] == '\n')
        ++end;
    return {begin, end - begin, {}};
}

} // namespace Berth::Dockerfile
