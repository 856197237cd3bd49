#pragma once

#include <cstddef>
#include <string_view>

// UTF-8 decoding as Go does it, since BuildKit's lexers and matchers work on runes.
namespace Berth::Dockerfile::Internal {

struct Rune
{
    char32_t value = 0;
    std::size_t size = 0; // bytes taken in the input; an invalid byte is one U+FFFD
};

inline constexpr char32_t replacementRune = 0xFFFD;

// Decodes the rune at `pos` (< text.size()).
inline Rune decodeRune(std::string_view text, std::size_t pos)
{
    const auto byte = [&](std::size_t i) {
        return static_cast<unsigned char>(text[i]);
    };
    const unsigned char lead = byte(pos);
    if (lead < 0x80)
        return {lead, 1};
    std::size_t size = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
    if (size == 0 || lead > 0xF4 || pos + size > text.size())
        return {replacementRune, 1};
    char32_t value = lead & (0x7F >> size);
    for (std::size_t i = 1; i < size; ++i) {
        if ((byte(pos + i) & 0xC0) != 0x80)
            return {replacementRune, 1};
        value = (value << 6) | (byte(pos + i) & 0x3F);
    }
    static constexpr char32_t minimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (value < minimum[size] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        return {replacementRune, 1};
    return {value, size};
}

// Go's unicode.IsSpace.
inline bool isSpaceRune(char32_t c)
{
    switch (c) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000: return true;
    default: return c >= 0x2000 && c <= 0x200A;
    }
}

} // namespace Berth::Dockerfile::Internal
