// COPY and ADD: sources, destinations and --from.

#include "dockerfile/lintcontext.h"
#include "dockerfile/typed.h"
#include "dockerfile/words.h"

#include <algorithm>
#include <array>

namespace Berth::Dockerfile::Internal {

namespace {

bool isArchive(std::string_view path)
{
    static constexpr std::array<std::string_view, 16> suffixes = {
        ".tar", ".Z",    ".bz2", ".gz",  ".lz",  ".lzma", ".tZ", ".tb2",
        ".tbz", ".tbz2", ".tgz", ".tlz", ".tpz", ".txz",  ".xz", ".zst"};
    return std::any_of(suffixes.begin(), suffixes.end(),
                       [&](std::string_view s) { return path.ends_with(s); });
}

// What ADD does beyond COPY: download URLs, clone git, unpack archives.
bool needsAdd(const Instruction &inst, const CopyCommand &copy)
{
    if (flagValue(inst, "checksum") || flagValue(inst, "keep-git-dir") || !inst.heredocs.empty())
        return true;
    return std::any_of(copy.sources.begin(), copy.sources.end(), [](const Word &w) {
        const std::string &s = w.text;
        return s.find("://") != std::string::npos || s.starts_with("git@") ||
               s.find('$') != std::string::npos || isArchive(s) || s.starts_with("<<");
    });
}

void checkAddForLocalFiles(LintContext &c)
{
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        const Instruction &inst = c.instruction(i);
        if (inst.keyword != Keyword::Add || inst.words.size() < 2)
            continue;
        const CopyCommand copy = copyCommand(inst);
        if (needsAdd(inst, copy))
            continue;
        const Range &r = inst.keywordRange;
        const std::string copyWord = matchCase("COPY", inst.keywordText);
        c.report(i, r,
                 "use COPY instead of ADD for files and folders: ADD also downloads URLs "
                 "and unpacks archives, which COPY makes explicit")
            .fix = makeFix("Replace ADD with COPY", r.start.offset, r.end.offset - r.start.offset,
                           copyWord);
    }
}

void checkMultipleSourcesDestination(LintContext &c)
{
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        const Instruction &inst = c.instruction(i);
        if ((inst.keyword != Keyword::Copy && inst.keyword != Keyword::Add) ||
            inst.words.size() < 3)
            continue;
        const Word &dest = inst.words.back();
        if (dest.text.ends_with('/') || dest.text.find('$') != std::string::npos)
            continue;
        Finding &f = c.report(i, dest.range,
                              "when copying more than one source, the destination \"" + dest.text +
                                  "\" must be a folder ending with /");
        if (inst.form != Form::Exec)
            f.fix = makeFix("Add a trailing /", dest.range.end.offset, 0, "/");
    }
}

bool isNumber(std::string_view s)
{
    return !s.empty() && s.size() < 6 &&
           std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

// A stage at or after `from` with that name or number; -1 when none.
int laterStage(const StageGraph &graph, const std::string &name, int from)
{
    const int count = int(graph.stages.size());
    if (isNumber(name)) {
        const int n = std::stoi(name);
        return n >= from && n < count ? n : -1;
    }
    const std::string lower = toLower(name);
    for (int s = std::max(from, 0); s < count; ++s)
        if (graph.stages[std::size_t(s)].name == lower)
            return s;
    return -1;
}

std::vector<std::string> stageNames(const StageGraph &graph)
{
    std::vector<std::string> names;
    for (const auto &s : graph.stages)
        if (!s.name.empty())
            names.push_back(s.name);
    return names;
}

// COPY --from / RUN --mount from= that does not name an earlier stage.
void checkFromReference(LintContext &c, const Stage &stage, const StageReference &ref)
{
    const StageGraph &graph = c.graph();
    const std::string &name = ref.name;
    if (ref.stage >= 0 || name.empty() || name.find_first_of(":/@$") != std::string::npos)
        return;
    const int later = laterStage(graph, name, stage.index);
    if (later == stage.index)
        return; // DL3023
    if (later > stage.index) {
        c.report(ref.instruction, ref.range,
                 "--from=" + name +
                     " names a later stage; BuildKit orders the stages but the "
                     "classic builder fails, and readers expect sources to come first");
        return;
    }
    if (isNumber(name)) {
        c.report(ref.instruction, ref.range,
                 "--from=" + name + " names no stage: this file has " +
                     std::to_string(graph.stages.size()) + " stage(s), numbered from 0")
            .severity = Severity::Error;
        return;
    }
    const std::string hint = closestName(name, stageNames(graph));
    c.report(ref.instruction, ref.range,
             "--from=" + name + " names no earlier stage, so the image \"" + name +
                 ":latest\" will be pulled" +
                 (hint.empty() ? "" : " (did you mean " + hint + "?)"));
}

void checkCopyFromAlias(LintContext &c)
{
    for (const auto &stage : c.graph().stages)
        for (const auto &ref : stage.references)
            if (ref.kind != StageReference::Kind::From)
                checkFromReference(c, stage, ref);
}

void checkCopyFromSelf(LintContext &c)
{
    for (const auto &stage : c.graph().stages)
        for (const auto &ref : stage.references) {
            if (ref.kind == StageReference::Kind::From || ref.stage >= 0)
                continue;
            const bool self = isNumber(ref.name)
                                  ? std::stoi(ref.name) == stage.index
                                  : (!stage.name.empty() && toLower(ref.name) == stage.name);
            if (self)
                c.report(ref.instruction, ref.range,
                         "--from=" + ref.name +
                             " references the stage it is in; a stage "
                             "cannot copy from itself (circular dependency)");
        }
}

void checkRelativeDestination(LintContext &c)
{
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        const Instruction &inst = c.instruction(i);
        if ((inst.keyword != Keyword::Copy && inst.keyword != Keyword::Add) ||
            inst.words.size() < 2 || c.stageOf(i) < 0 || c.workdirBefore(i))
            continue;
        const Word &dest = inst.words.back();
        const std::string path = inst.form == Form::Exec ? dest.text : unquote(dest.text);
        if (!isAbsolutePath(path))
            c.report(i, dest.range,
                     "COPY to the relative path \"" + dest.text +
                         "\" without a WORKDIR: it lands wherever the base image's working "
                         "directory is; set WORKDIR first or use an absolute path");
    }
}

} // namespace

void addCopyRules(std::vector<LintRule> &rules)
{
    rules.push_back(
        {{.id = "DL3020",
          .severity = Severity::Warning,
          .title = "Use COPY instead of ADD for files and folders",
          .explanation = "ADD can also download URLs and unpack archives, so a reader must "
                         "check which one happens. COPY only copies. Keep ADD for URLs, git "
                         "sources and .tar archives you want unpacked.",
          .fixable = true},
         checkAddForLocalFiles});
    rules.push_back(
        {{.id = "DL3021",
          .severity = Severity::Error,
          .title = "COPY with more than two arguments needs a folder destination",
          .explanation = "With several sources the destination must be a folder, written with "
                         "a trailing slash (COPY a.txt b.txt /app/); otherwise the build fails.",
          .fixable = true},
         checkMultipleSourcesDestination});
    rules.push_back(
        {{.id = "DL3022",
          .severity = Severity::Warning,
          .title = "COPY --from should reference a previously defined stage",
          .explanation = "--from=name that matches no earlier stage is taken as an image name "
                         "and pulled, usually a typo of a stage name. Names of later stages "
                         "work with BuildKit but not with the classic builder. A number that "
                         "is not a stage index is an error. Image references (with : / or @) "
                         "are not checked. RUN --mount from= is checked the same way."},
         checkCopyFromAlias});
    rules.push_back(
        {{.id = "DL3023",
          .severity = Severity::Error,
          .title = "COPY --from cannot reference its own stage",
          .explanation = "A stage cannot copy from itself: it does not exist yet while it is "
                         "being built, and the build stops with a circular dependency error."},
         checkCopyFromSelf});
    rules.push_back(
        {{.id = "DL3045",
          .severity = Severity::Warning,
          .title = "COPY to a relative destination without WORKDIR set",
          .explanation = "A relative destination is resolved against the working directory, "
                         "which comes from the base image when no WORKDIR was set, and can "
                         "change when the base image does. Set WORKDIR or copy to an absolute "
                         "path."},
         checkRelativeDestination});
}

} // namespace Berth::Dockerfile::Internal
