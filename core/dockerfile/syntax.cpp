#include "dockerfile/syntax.h"

#include "dockerfile/words.h"

#include <algorithm>
#include <array>

namespace Berth::Dockerfile {

namespace {

struct KeywordEntry
{
    const char *name;
    Keyword keyword;
};

constexpr std::array<KeywordEntry, 18> s_keywords = {{
    {"ADD", Keyword::Add},
    {"ARG", Keyword::Arg},
    {"CMD", Keyword::Cmd},
    {"COPY", Keyword::Copy},
    {"ENTRYPOINT", Keyword::Entrypoint},
    {"ENV", Keyword::Env},
    {"EXPOSE", Keyword::Expose},
    {"FROM", Keyword::From},
    {"HEALTHCHECK", Keyword::Healthcheck},
    {"LABEL", Keyword::Label},
    {"MAINTAINER", Keyword::Maintainer},
    {"ONBUILD", Keyword::Onbuild},
    {"RUN", Keyword::Run},
    {"SHELL", Keyword::Shell},
    {"STOPSIGNAL", Keyword::Stopsignal},
    {"USER", Keyword::User},
    {"VOLUME", Keyword::Volume},
    {"WORKDIR", Keyword::Workdir},
}};

} // namespace

const char *severityName(Severity severity)
{
    switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "info";
    }
    return "error";
}

const char *keywordName(Keyword keyword)
{
    for (const auto &entry : s_keywords)
        if (entry.keyword == keyword)
            return entry.name;
    return "";
}

Keyword keywordFromString(std::string_view word)
{
    for (const auto &entry : s_keywords)
        if (Internal::equalsIgnoreCase(word, entry.name))
            return entry.keyword;
    return Keyword::Unknown;
}

const std::vector<std::string> &allKeywordNames()
{
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto &entry : s_keywords)
            out.emplace_back(entry.name);
        return out;
    }();
    return names;
}

const char *formName(Form form)
{
    switch (form) {
    case Form::None: return "none";
    case Form::Shell: return "shell";
    case Form::Exec: return "exec";
    }
    return "none";
}

std::string Heredoc::effectiveContent() const
{
    if (!chomp)
        return content;
    std::string out;
    out.reserve(content.size());
    bool lineStart = true;
    for (char c : content) {
        if (lineStart && c == '\t')
            continue;
        lineStart = c == '\n';
        out += c;
    }
    return out;
}

std::string Document::print() const
{
    // Trivia is whatever lies between instructions; instructions contribute their own text.
    std::string out;
    out.reserve(m_source.size());
    std::size_t cursor = 0;
    for (const auto &inst : instructions) {
        out.append(m_source, cursor, inst.range.start.offset - cursor);
        out.append(inst.text(m_source));
        cursor = inst.range.end.offset;
    }
    out.append(m_source, cursor, std::string::npos);
    return out;
}

const Directive *Document::directive(std::string_view name) const
{
    auto it = std::find_if(directives.begin(), directives.end(),
                           [&](const Directive &d) { return d.name == name; });
    return it == directives.end() ? nullptr : &*it;
}

bool Document::hasErrors() const
{
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic &d) { return d.severity == Severity::Error; });
}

} // namespace Berth::Dockerfile
