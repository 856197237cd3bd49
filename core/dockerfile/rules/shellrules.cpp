// RUN scripts: cd, sudo, pipes, consecutive RUNs, wget and curl.

#include "dockerfile/lintcontext.h"
#include "dockerfile/words.h"

#include <algorithm>

namespace Berth::Dockerfile::Internal {

namespace {

// Calls fn(index, command) for each simple command of each RUN.
template<class Fn> void forEachCommand(LintContext &c, Fn fn)
{
    for (std::size_t i = 0; i < c.instructions().size(); ++i)
        if (c.instruction(i).keyword == Keyword::Run)
            for (const auto &command : c.commands(i))
                fn(i, command);
}

Range wordRange(const LintContext &c, const ShellCommand &command, std::size_t index)
{
    const ShellWord &w = command.words[std::min(index, command.words.size() - 1)];
    return c.rangeOf(w.begin, w.end);
}

void checkCd(LintContext &c)
{
    forEachCommand(c, [&](std::size_t i, const ShellCommand &command) {
        if (command.name() == "cd")
            c.report(i, wordRange(c, command, command.nameIndex()),
                     "use WORKDIR to switch to a directory: a cd lasts only until the end of "
                     "this RUN");
    });
}

void checkSudo(LintContext &c)
{
    forEachCommand(c, [&](std::size_t i, const ShellCommand &command) {
        if (command.name(false) == "sudo")
            c.report(i, wordRange(c, command, command.nameIndex(false)),
                     "do not use sudo: RUN already runs as the current USER, and sudo is rarely "
                     "installed; use USER root before the step instead");
    });
}

bool setsPipefail(const ShellCommand &command)
{
    if (command.name() != "set")
        return false;
    return std::any_of(command.words.begin(), command.words.end(),
                       [](const ShellWord &w) { return w.text == "pipefail"; });
}

// The SHELL of each instruction's stage makes pipes fail (or is not a POSIX shell).
std::vector<bool> pipefailShells(const LintContext &c)
{
    std::vector<bool> out(c.instructions().size(), false);
    std::vector<bool> stageEnd(c.graph().stages.size(), false);
    bool safe = false;
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        const Instruction &inst = c.instruction(i);
        const int stage = c.stageOf(i);
        if (inst.keyword == Keyword::From) {
            const int base = c.baseStage(stage);
            safe = base >= 0 && stageEnd[std::size_t(base)];
        }
        if (inst.keyword == Keyword::Shell && inst.form == Form::Exec && !inst.words.empty()) {
            const std::string shell = toLower(inst.words.front().text);
            const bool posix = shell.find("pwsh") == std::string::npos &&
                               shell.find("powershell") == std::string::npos &&
                               shell.find("cmd") == std::string::npos;
            safe = !posix || std::any_of(inst.words.begin(), inst.words.end(), [](const Word &w) {
                return w.text.find("pipefail") != std::string::npos;
            });
        }
        out[i] = safe;
        if (stage >= 0)
            stageEnd[std::size_t(stage)] = safe;
    }
    return out;
}

void checkPipefail(LintContext &c)
{
    const std::vector<bool> safe = pipefailShells(c);
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        const Instruction &inst = c.instruction(i);
        if (inst.keyword != Keyword::Run || inst.form != Form::Shell || safe[i])
            continue;
        const auto &commands = c.commands(i);
        if (std::any_of(commands.begin(), commands.end(), setsPipefail))
            continue;
        const auto pipe =
            std::find_if(commands.begin(), commands.end(),
                         [](const ShellCommand &cmd) { return cmd.separator == "|"; });
        if (pipe != commands.end())
            c.report(i, inst.argumentsRange,
                     "set the SHELL option -o pipefail before RUN with a pipe in it: otherwise "
                     "a failing \"" +
                         pipe->name() +
                         "\" does not fail the build, e.g. SHELL "
                         "[\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]");
    }
}

bool sameFlags(const Instruction &a, const Instruction &b)
{
    if (a.flags.size() != b.flags.size())
        return false;
    for (std::size_t k = 0; k < a.flags.size(); ++k)
        if (a.flags[k].raw != b.flags[k].raw)
            return false;
    return true;
}

void checkConsecutiveRuns(LintContext &c)
{
    for (std::size_t i = 1; i < c.instructions().size(); ++i) {
        const Instruction &prev = c.instruction(i - 1);
        const Instruction &inst = c.instruction(i);
        // A comment between them, heredocs or different flags are reasons to keep them apart.
        if (inst.keyword != Keyword::Run || prev.keyword != Keyword::Run ||
            !inst.comments.empty() || !inst.heredocs.empty() || !prev.heredocs.empty() ||
            !sameFlags(prev, inst))
            continue;
        c.report(i, inst.keywordRange,
                 "multiple consecutive RUN instructions: consider joining them with && to make "
                 "fewer layers");
    }
}

void checkWgetAndCurl(LintContext &c)
{
    int stage = -2;
    std::string first; // the download tool seen first in the stage
    forEachCommand(c, [&](std::size_t i, const ShellCommand &command) {
        if (c.stageOf(i) != stage) {
            stage = c.stageOf(i);
            first.clear();
        }
        const std::string name = command.name();
        if (name != "wget" && name != "curl")
            return;
        if (first.empty())
            first = name;
        else if (name != first)
            c.report(i, wordRange(c, command, command.nameIndex()),
                     "either use wget or curl, not both: this stage already uses " + first);
    });
}

} // namespace

void addShellRules(std::vector<LintRule> &rules)
{
    rules.push_back(
        {{.id = "DL3003",
          .severity = Severity::Warning,
          .title = "Use WORKDIR to switch to a directory",
          .explanation = "Each RUN starts a new shell in the working directory, so a cd is "
                         "forgotten at the end of the RUN. WORKDIR changes it for all the "
                         "following instructions and makes the intent visible."},
         checkCd});
    rules.push_back(
        {{.id = "DL3004",
          .severity = Severity::Warning,
          .title = "Do not use sudo",
          .explanation = "Commands in RUN already run as the current USER (root by default). "
                         "sudo is usually not installed in images and has surprising TTY and "
                         "signal behaviour; use USER to change user instead."},
         checkSudo});
    rules.push_back(
        {{.id = "DL4006",
          .severity = Severity::Warning,
          .title = "Set -o pipefail before RUN with a pipe",
          .explanation = "The shell reports only the exit status of the last command of a pipe: "
                         "in \"curl url | tar x\" a failed download goes unnoticed. Put SHELL "
                         "[\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"] (or /bin/ash on Alpine) "
                         "before such RUNs, or run \"set -o pipefail\" in the script."},
         checkPipefail});
    rules.push_back(
        {{.id = "DL3059",
          .severity = Severity::Info,
          .title = "Multiple consecutive RUN instructions",
          .explanation = "Each RUN makes a layer. Consecutive RUNs with the same options can "
                         "often be joined with && into one, which makes the image smaller when "
                         "a later command cleans up after an earlier one. A comment line above "
                         "a RUN marks it as deliberately separate."},
         checkConsecutiveRuns});
    rules.push_back(
        {{.id = "DL4001",
          .severity = Severity::Warning,
          .title = "Either use wget or curl, but not both",
          .explanation = "Both tools download files; installing and using both makes the image "
                         "bigger for nothing. Pick one per stage."},
         checkWgetAndCurl});
}

} // namespace Berth::Dockerfile::Internal
