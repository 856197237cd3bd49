// The shape of a stage: instruction order, CMD/ENTRYPOINT, USER, WORKDIR.

#include "dockerfile/lintcontext.h"
#include "dockerfile/typed.h"
#include "dockerfile/words.h"

#include <algorithm>

namespace Berth::Dockerfile::Internal {

namespace {

// Words that mean the same without a shell: no variables, quotes, globs or operators.
bool isPlainCommand(std::string_view text, std::vector<std::string> &words)
{
    std::string current;
    for (const char ch : text) {
        const bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                           (ch >= '0' && ch <= '9') ||
                           std::string_view("_./:=@%+,-").find(ch) != std::string_view::npos;
        if (ch == ' ' || ch == '\t') {
            if (!current.empty())
                words.push_back(std::move(current));
            current.clear();
        } else if (!plain) {
            return false;
        } else {
            current += ch;
        }
    }
    if (!current.empty())
        words.push_back(std::move(current));
    return !words.empty();
}

std::string toJsonArray(const std::vector<std::string> &words)
{
    std::string out = "[";
    for (std::size_t k = 0; k < words.size(); ++k)
        out += (k ? ", \"" : "\"") + words[k] + "\"";
    return out + "]";
}

void checkJsonArgs(LintContext &c)
{
    bool shellSet = false;
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        const Instruction &inst = c.instruction(i);
        if (inst.keyword == Keyword::From)
            shellSet = false;
        shellSet = shellSet || inst.keyword == Keyword::Shell;
        const bool command = inst.keyword == Keyword::Cmd || inst.keyword == Keyword::Entrypoint;
        // An explicit SHELL says the shell is wanted.
        if (!command || inst.form != Form::Shell || shellSet)
            continue;
        const std::string name = keywordName(inst.keyword);
        Finding &f = c.report(i, inst.argumentsRange,
                              "JSON arguments recommended for " + name +
                                  " to prevent unintended behavior related to OS signals: write " +
                                  name + " [\"executable\", \"arg\"]");
        std::vector<std::string> words;
        if (isPlainCommand(inst.arguments, words)) {
            const Range &r = inst.argumentsRange;
            f.fix = makeFix("Convert to JSON (exec form)", r.start.offset,
                            r.end.offset - r.start.offset, toJsonArray(words));
        }
    }
}

std::string aliasFor(Keyword keyword)
{
    switch (keyword) {
    case Keyword::Cmd: return "DL4003";
    case Keyword::Entrypoint: return "DL4004";
    default: return "DL3012";
    }
}

void checkMultipleInstructions(LintContext &c)
{
    for (const auto &stage : c.graph().stages) {
        for (const Keyword keyword : {Keyword::Cmd, Keyword::Entrypoint, Keyword::Healthcheck}) {
            std::vector<std::size_t> found;
            for (std::size_t i = stage.from; i < stage.end && i < c.instructions().size(); ++i)
                if (c.instruction(i).keyword == keyword)
                    found.push_back(i);
            // The earlier ones are the ones that do nothing.
            for (std::size_t k = 0; k + 1 < found.size(); ++k) {
                const Instruction &inst = c.instruction(found[k]);
                const std::string name = keywordName(keyword);
                c.report(found[k], inst.keywordRange,
                         "multiple " + name +
                             " instructions should not be used in the same "
                             "stage because only the last one will be used (line " +
                             std::to_string(c.instruction(found.back()).range.start.line) + ")",
                         aliasFor(keyword));
            }
        }
    }
}

void checkRootUser(LintContext &c)
{
    const auto &stages = c.graph().stages;
    if (stages.empty())
        return;
    const Stage &last = stages.back();
    for (std::size_t i = std::min(last.end, c.instructions().size()); i > last.from; --i) {
        const Instruction &inst = c.instruction(i - 1);
        if (inst.keyword != Keyword::User)
            continue;
        const std::string value = unquote(inst.arguments, c.document().escape);
        const std::string user = value.substr(0, value.find(':'));
        if (user == "root" || user == "0")
            c.report(i - 1, inst.argumentsRange,
                     "the last USER of the image is root: containers will run as root; switch "
                     "to an unprivileged user at the end");
        return;
    }
}

void checkFirstInstruction(LintContext &c)
{
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        const Instruction &inst = c.instruction(i);
        if (inst.keyword == Keyword::From)
            return;
        if (inst.keyword == Keyword::Arg || inst.keyword == Keyword::Unknown)
            continue;
        c.report(i, inst.keywordRange,
                 std::string(keywordName(inst.keyword)) +
                     " before the first FROM: a Dockerfile must begin with FROM (only ARG, "
                     "comments and parser directives may come before)");
        return;
    }
}

void checkRelativeWorkdir(LintContext &c)
{
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        const Instruction &inst = c.instruction(i);
        if (inst.keyword != Keyword::Workdir || inst.arguments.empty() ||
            c.absoluteWorkdirBefore(i))
            continue;
        const std::string path = unquote(inst.arguments, c.document().escape);
        if (!isAbsolutePath(path))
            c.report(i, inst.argumentsRange,
                     "relative workdir \"" + path +
                         "\" can have unexpected results if the base image changes; use an "
                         "absolute path");
    }
}

} // namespace

void addStageRules(std::vector<LintRule> &rules)
{
    rules.push_back(
        {{.id = "JSONArgsRecommended",
          .severity = Severity::Warning,
          .title = "Use JSON arguments for CMD and ENTRYPOINT",
          .explanation = "In shell form (CMD my-app start) the program runs under /bin/sh -c, "
                         "which does not pass signals such as SIGTERM on, so \"docker stop\" "
                         "waits and then kills it. The JSON form CMD [\"my-app\", \"start\"] "
                         "runs it directly. Not reported after an explicit SHELL instruction. "
                         "hadolint calls this DL3025.",
          .fixable = true,
          .aliases = {"DL3025"}},
         checkJsonArgs});
    rules.push_back(
        {{.id = "MultipleInstructionsDisallowed",
          .severity = Severity::Warning,
          .title = "Only the last CMD, ENTRYPOINT or HEALTHCHECK of a stage counts",
          .explanation = "A stage has one command, one entrypoint and one health check: each "
                         "new one replaces the previous, so the earlier ones do nothing. "
                         "hadolint's DL4003 (CMD), DL4004 (ENTRYPOINT) and DL3012 (HEALTHCHECK) "
                         "are the same check.",
          .aliases = {"DL4003", "DL4004", "DL3012"}},
         checkMultipleInstructions});
    rules.push_back(
        {{.id = "DL3002",
          .severity = Severity::Warning,
          .title = "Last USER should not be root",
          .explanation = "The last USER of the final stage is the user containers run as. "
                         "Running as root makes any break-out from the application worse; "
                         "switch to an unprivileged user after the steps that need root."},
         checkRootUser});
    rules.push_back(
        {{.id = "DL3061",
          .severity = Severity::Error,
          .title = "A Dockerfile must begin with FROM or ARG",
          .explanation = "Every instruction belongs to a stage, and stages start with FROM. "
                         "Only ARG (for use in FROM lines), comments and parser directives can "
                         "come before the first FROM; anything else fails the build."},
         checkFirstInstruction});
    rules.push_back(
        {{.id = "WorkdirRelativePath",
          .severity = Severity::Warning,
          .title = "Relative WORKDIR without an absolute one before it",
          .explanation = "A relative WORKDIR is joined to the current working directory, which "
                         "comes from the base image until an absolute WORKDIR is set, so it can "
                         "change when the base image does. Use an absolute path. hadolint "
                         "calls this DL3000 (which reports every relative WORKDIR).",
          .aliases = {"DL3000"}},
         checkRelativeWorkdir});
}

} // namespace Berth::Dockerfile::Internal
