#pragma once

#include "base/result.h"
#include "dockerfile/globpattern.h"

#include <string>
#include <string_view>
#include <vector>

// .dockerignore files with Docker's semantics (moby/patternmatcher and its ignorefile.ReadAll).
namespace Berth::Dockerfile {

struct IgnorePattern
{
    std::string pattern;    // cleaned: no "!", no leading "/" or "./", no trailing "/"
    bool exclusion = false; // a "!" line: re-includes what it matches
    int line = 0;           // 1-based line in the ignore file
};

class IgnoreMatcher
{
public:
    // Reads an ignore file; a bad pattern (e.g. an unterminated '[') fails with
    // ErrorCode::Parse and "FILE:LINE: syntax error in pattern ...".
    static Result<IgnoreMatcher> parse(std::string_view content,
                                       std::string fileName = ".dockerignore");

    // True when `path` (relative to the context, '/'-separated) is excluded from the context:
    // the last pattern matching it or one of its parent directories is not a "!" pattern. The
    // context root (".") never is.
    bool matches(std::string_view path) const;
    // True when `dir` is excluded and no "!" pattern after its excluding match could re-include
    // anything inside it, so a walk can skip it without looking.
    bool canSkipDirectory(std::string_view dir) const;
    const std::vector<IgnorePattern> &patterns() const { return m_patterns; }

private:
    // Index of the last pattern matching `path` or a parent of it, or -1.
    int lastMatch(std::string_view path) const;

    std::vector<IgnorePattern> m_patterns;
    std::vector<Internal::GlobPattern> m_globs;
};

// The ignore files to look for, in order of precedence, for a Dockerfile at `dockerfilePath`
// (relative to the context or absolute; empty means "Dockerfile"): "<path>.dockerignore" next
// to it, then ".dockerignore" at the context root. The first one found is used alone.
std::vector<std::string> ignoreFileCandidates(std::string_view dockerfilePath);

} // namespace Berth::Dockerfile
