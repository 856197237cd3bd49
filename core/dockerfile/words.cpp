#include "dockerfile/words.h"

#include <algorithm>
#include <cstdint>

namespace Berth::Dockerfile::Internal {

std::string_view trimSpace(std::string_view s)
{
    std::size_t b = 0;
    std::size_t e = s.size();
    while (b < e && isSpace(s[b]))
        ++b;
    while (e > b && isSpace(s[e - 1]))
        --e;
    return s.substr(b, e - b);
}

std::vector<Span> extractFlags(std::string_view line, std::size_t &rest)
{
    enum { InSpaces, InWord, InQuote } phase = InSpaces;
    std::vector<Span> words;
    Span word;
    char quote = 0;
    bool blankOk = false;
    rest = line.size();
    for (std::size_t pos = 0; pos <= line.size(); ++pos) {
        const bool atEnd = pos == line.size();
        const char ch = atEnd ? '\0' : line[pos];
        if (phase == InSpaces) {
            if (atEnd)
                break;
            if (isSpace(ch))
                continue;
            if (ch != '-' || pos + 1 == line.size() || line[pos + 1] != '-') {
                rest = pos;
                return words;
            }
            phase = InWord;
            word = Span{pos, pos, {}};
        }
        if (atEnd) {
            word.end = pos;
            if (word.text != "--" && (blankOk || !word.text.empty()))
                words.push_back(word);
            break;
        }
        if (phase == InWord) {
            if (isSpace(ch)) {
                phase = InSpaces;
                word.end = pos;
                if (word.text == "--") {
                    rest = pos;
                    return words;
                }
                if (blankOk || !word.text.empty())
                    words.push_back(word);
                blankOk = false;
                continue;
            }
            if (ch == '\'' || ch == '"') {
                quote = ch;
                blankOk = true;
                phase = InQuote;
                continue;
            }
            if (ch == '\\') {
                if (pos + 1 == line.size())
                    continue;
                word.text += line[++pos];
                continue;
            }
            word.text += ch;
            continue;
        }
        // InQuote
        if (ch == quote) {
            phase = InWord;
            continue;
        }
        if (ch == '\\') {
            if (pos + 1 == line.size()) {
                phase = InWord;
                continue;
            }
            word.text += line[++pos];
            continue;
        }
        word.text += ch;
    }
    rest = line.size();
    return words;
}

std::vector<Span> splitWhitespace(std::string_view s)
{
    std::vector<Span> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && isSpace(s[i]))
            ++i;
        if (i == s.size())
            break;
        const std::size_t b = i;
        while (i < s.size() && !isSpace(s[i]))
            ++i;
        out.push_back({b, i, std::string(s.substr(b, i - b))});
    }
    return out;
}

std::vector<Span> parseWords(std::string_view s, char escape)
{
    enum { InSpaces, InWord, InQuote } phase = InSpaces;
    std::vector<Span> words;
    Span word;
    char quote = 0;
    bool blankOk = false;
    auto finish = [&](std::size_t end) {
        word.end = end;
        if (blankOk || !word.text.empty())
            words.push_back(word);
        word = Span{};
        blankOk = false;
    };
    for (std::size_t pos = 0; pos <= s.size(); ++pos) {
        const bool atEnd = pos == s.size();
        const char ch = atEnd ? '\0' : s[pos];
        if (phase == InSpaces) {
            if (atEnd)
                break;
            if (isSpace(ch))
                continue;
            phase = InWord;
            word = Span{pos, pos, {}};
        }
        if (atEnd) {
            finish(pos);
            break;
        }
        if (phase == InWord) {
            if (isSpace(ch)) {
                phase = InSpaces;
                finish(pos);
                continue;
            }
            if (ch == '\'' || ch == '"') {
                quote = ch;
                blankOk = true;
                phase = InQuote;
            }
            if (ch == escape) {
                if (pos + 1 == s.size())
                    continue;
                // Unquoted, the escape and the next character are both kept.
                word.text += ch;
                word.text += s[++pos];
                continue;
            }
            word.text += ch;
            continue;
        }
        // InQuote
        if (ch == quote)
            phase = InWord;
        if (ch == escape && quote != '\'') {
            if (pos + 1 == s.size()) {
                phase = InWord;
                continue;
            }
            word.text += ch;
            word.text += s[++pos];
            continue;
        }
        word.text += ch;
    }
    return words;
}

namespace {

void appendUtf8(std::string &out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool readHex4(std::string_view s, std::size_t pos, std::uint32_t &out)
{
    if (pos + 4 > s.size())
        return false;
    out = 0;
    for (std::size_t k = 0; k < 4; ++k) {
        const int v = hexValue(s[pos + k]);
        if (v < 0)
            return false;
        out = out * 16 + std::uint32_t(v);
    }
    return true;
}

// Length of the valid UTF-8 sequence at s[i], or 0.
std::size_t utf8SequenceLength(std::string_view s, std::size_t i)
{
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t min = 0;
    if (b >= 0xC2 && b <= 0xDF) {
        n = 2, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 3, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4, min = 0x10000;
    } else {
        return 0;
    }
    if (i + n > s.size())
        return 0;
    std::uint32_t cp = b & (0xFF >> (n + 1));
    for (std::size_t k = 1; k < n; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (c & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

// Reads a JSON string starting at the opening quote; decodes it like Go's encoding/json
// (invalid UTF-8 becomes U+FFFD).
bool readJsonString(std::string_view s, std::size_t &pos, std::string &out)
{
    ++pos; // opening quote
    while (pos < s.size()) {
        const auto c = static_cast<unsigned char>(s[pos]);
        if (c == '"') {
            ++pos;
            return true;
        }
        if (c < 0x20)
            return false;
        if (c == '\\') {
            if (pos + 1 >= s.size())
                return false;
            const char e = s[pos + 1];
            pos += 2;
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                std::uint32_t cp = 0;
                if (!readHex4(s, pos, cp))
                    return false;
                pos += 4;
                if (cp >= 0xD800 && cp < 0xDC00) {
                    std::uint32_t low = 0;
                    if (pos + 1 < s.size() && s[pos] == '\\' && s[pos + 1] == 'u' &&
                        readHex4(s, pos + 2, low) && low >= 0xDC00 && low < 0xE000) {
                        pos += 6;
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else {
                        cp = 0xFFFD;
                    }
                } else if (cp >= 0xDC00 && cp < 0xE000) {
                    cp = 0xFFFD;
                }
                appendUtf8(out, cp);
                break;
            }
            default: return false;
            }
            continue;
        }
        if (c < 0x80) {
            out += char(c);
            ++pos;
            continue;
        }
        const std::size_t n = utf8SequenceLength(s, pos);
        if (n == 0) {
            appendUtf8(out, 0xFFFD);
            ++pos;
        } else {
            out.append(s.substr(pos, n));
            pos += n;
        }
    }
    return false;
}

void skipJsonSpace(std::string_view s, std::size_t &pos)
{
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r'))
        ++pos;
}

} // namespace

std::size_t codePointLength(std::string_view s, std::size_t i)
{
    if (static_cast<unsigned char>(s[i]) < 0x80)
        return 1;
    const std::size_t n = utf8SequenceLength(s, i);
    return n == 0 ? 1 : n;
}

bool isValidUtf8(std::string_view s, std::size_t *bad)
{
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        const std::size_t n = utf8SequenceLength(s, i);
        if (n == 0) {
            if (bad)
                *bad = i;
            return false;
        }
        i += n;
    }
    return true;
}

std::optional<std::vector<Span>> parseJsonStringArray(std::string_view s)
{
    std::size_t pos = 0;
    while (pos < s.size() && isSpace(s[pos]))
        ++pos;
    if (pos >= s.size() || s[pos] != '[')
        return std::nullopt;
    ++pos;
    std::vector<Span> out;
    skipJsonSpace(s, pos);
    if (pos < s.size() && s[pos] == ']') {
        ++pos;
    } else {
        for (;;) {
            skipJsonSpace(s, pos);
            if (pos >= s.size() || s[pos] != '"')
                return std::nullopt;
            Span span{pos, pos, {}};
            if (!readJsonString(s, pos, span.text))
                return std::nullopt;
            span.end = pos;
            out.push_back(std::move(span));
            skipJsonSpace(s, pos);
            if (pos >= s.size())
                return std::nullopt;
            if (s[pos] == ']') {
                ++pos;
                break;
            }
            if (s[pos] != ',')
                return std::nullopt;
            ++pos;
        }
    }
    skipJsonSpace(s, pos);
    if (pos != s.size())
        return std::nullopt;
    return out;
}

std::vector<Span> rawShellWords(std::string_view s, char escape)
{
    std::vector<Span> words;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && isSpace(s[i]))
            ++i;
        if (i == s.size())
            break;
        Span w{i, i, {}};
        char quote = 0;
        while (i < s.size() && (quote || !isSpace(s[i]))) {
            const char c = s[i];
            if (c == escape && quote != '\'' && i + 1 < s.size()) {
                w.text += c;
                w.text += s[i + 1];
                i += 2;
                continue;
            }
            if (quote && c == quote)
                quote = 0;
            else if (!quote && (c == '\'' || c == '"'))
                quote = c;
            w.text += c;
            ++i;
        }
        w.end = i;
        words.push_back(std::move(w));
    }
    return words;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               auto lower = [](char c) {
                   return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
               };
               return lower(x) == lower(y);
           });
}

std::string toLower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return out;
}

std::string toUpper(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        if (c >= 'a' && c <= 'z')
            c = char(c - 'a' + 'A');
    return out;
}

std::size_t editDistance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> prev(b.size() + 1);
    std::vector<std::size_t> cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

} // namespace Berth::Dockerfile::Internal
