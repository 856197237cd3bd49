#include "dockerfile/dockerignore.h"

#include "dockerfile/rune.h"

#include <algorithm>
#include <optional>

namespace Berth::Dockerfile {
namespace {

using Internal::decodeRune;
using Internal::GlobPattern;

// Go's strings.TrimSpace (Unicode white space).
std::string_view trimSpace(std::string_view text)
{
    std::size_t begin = text.size();
    std::size_t end = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const Internal::Rune r = decodeRune(text, pos);
        if (!Internal::isSpaceRune(r.value)) {
            begin = std::min(begin, pos);
            end = pos + r.size;
        }
        pos += r.size;
    }
    return begin < end ? text.substr(begin, end - begin) : std::string_view();
}

// Go's path.Clean: no empty or "." elements, ".." folded, no trailing '/'; "" becomes ".".
std::string cleanPath(std::string_view path)
{
    const bool rooted = !path.empty() && path[0] == '/';
    std::vector<std::string_view> parts;
    for (std::size_t pos = 0; pos <= path.size();) {
        const std::size_t slash = std::min(path.find('/', pos), path.size());
        const std::string_view part = path.substr(pos, slash - pos);
        pos = slash + 1;
        if (part.empty() || part == ".")
            continue;
        if (part == ".." && !parts.empty() && parts.back() != "..")
            parts.pop_back();
        else if (part != ".." || !rooted)
            parts.push_back(part);
    }
    std::string out = rooted ? "/" : "";
    for (std::size_t i = 0; i < parts.size(); ++i)
        out.append(i ? "/" : "").append(parts[i]);
    return out.empty() ? "." : out;
}

// The lines of a file as bufio.Scanner gives them: split on '\n', without a trailing '\r'.
std::vector<std::string_view> splitLines(std::string_view content)
{
    std::vector<std::string_view> lines;
    for (std::size_t pos = 0; pos < content.size();) {
        const std::size_t newline = std::min(content.find('\n', pos), content.size());
        std::string_view line = content.substr(pos, newline - pos);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        pos = newline + 1;
    }
    return lines;
}

// ignorefile.ReadAll's normalisation of one line; nullopt for comments and blank lines.
std::optional<IgnorePattern> readLine(std::string_view line, int number)
{
    if (line.starts_with('#')) // before trimming: " #x" is a pattern
        return std::nullopt;
    line = trimSpace(line);
    if (line.empty())
        return std::nullopt;
    IgnorePattern out;
    out.line = number;
    out.exclusion = line[0] == '!';
    if (out.exclusion)
        line = trimSpace(line.substr(1));
    if (line.empty())
        return out;
    out.pattern = cleanPath(line);
    if (out.pattern.size() > 1 && out.pattern[0] == '/')
        out.pattern.erase(0, 1);
    return out;
}

// A path to test, relative to the context root; "." is the root.
std::string cleanRelative(std::string_view path)
{
    std::string out = cleanPath(path);
    if (out.size() > 1 && out[0] == '/')
        out.erase(0, 1);
    return out;
}

} // namespace

Result<IgnoreMatcher> IgnoreMatcher::parse(std::string_view content, std::string fileName)
{
    if (content.starts_with("\xEF\xBB\xBF"))
        content.remove_prefix(3);
    IgnoreMatcher matcher;
    const std::vector<std::string_view> lines = splitLines(content);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto pattern = readLine(lines[i], int(i) + 1);
        if (!pattern)
            continue;
        const std::string where = fileName + ":" + std::to_string(i + 1) + ": ";
        // patternmatcher cleans "!/" into "!" too.
        if (pattern->exclusion && (pattern->pattern.empty() || pattern->pattern == "/"))
            return fail(ErrorCode::Parse, where + "illegal exclusion pattern: \"!\"");
        auto glob = GlobPattern::compile(pattern->pattern);
        if (!glob)
            return fail(ErrorCode::Parse, where + "syntax error in pattern \"" + pattern->pattern +
                                              "\": " + glob.error().message());
        matcher.m_patterns.push_back(std::move(*pattern));
        matcher.m_globs.push_back(std::move(*glob));
    }
    return matcher;
}

// Parents count, as in patternmatcher's MatchesOrParentMatches. The last match wins (what
// patternmatcher's skipping comes to), so the search runs backwards.
int IgnoreMatcher::lastMatch(std::string_view path) const
{
    for (std::size_t i = m_globs.size(); i-- > 0;) {
        if (m_globs[i].matchesPathOrParent(path))
            return int(i);
    }
    return -1;
}

bool IgnoreMatcher::matches(std::string_view path) const
{
    const std::string cleaned = cleanRelative(path);
    if (cleaned == "." || cleaned == "/") // the context root itself is never excluded
        return false;
    const int index = lastMatch(cleaned);
    return index >= 0 && !m_patterns[std::size_t(index)].exclusion;
}

bool IgnoreMatcher::canSkipDirectory(std::string_view dir) const
{
    if (!matches(dir))
        return false;
    const std::string cleaned = cleanRelative(dir);
    const std::string inside = cleaned + "/";
    // Later patterns do not match the directory or its parents, only what is inside.
    for (std::size_t i = std::size_t(lastMatch(cleaned)) + 1; i < m_patterns.size(); ++i) {
        if (m_patterns[i].exclusion && m_globs[i].mayMatchUnder(inside))
            return false;
    }
    return true;
}

std::vector<std::string> ignoreFileCandidates(std::string_view dockerfilePath)
{
    const std::string dockerfile =
        dockerfilePath.empty() ? "Dockerfile" : cleanPath(dockerfilePath);
    return {dockerfile + ".dockerignore", ".dockerignore"};
}

} // namespace Berth::Dockerfile
