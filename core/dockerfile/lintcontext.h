#pragma once

#include "dockerfile/lint.h"
#include "dockerfile/lintrule.h"
#include "dockerfile/lintshell.h"
#include "dockerfile/parser_p.h"
#include "dockerfile/stages.h"

#include <optional>
#include <string>
#include <vector>

namespace Berth::Dockerfile::Internal {

// A finding before suppression, with the instruction it belongs to.
struct PendingFinding
{
    Finding finding;
    std::size_t instruction = 0;
    // The narrower hadolint id this very finding also answers to (DL4003 for a repeated CMD
    // reported as MultipleInstructionsDisallowed); empty when all the rule's aliases apply.
    std::string alias;
};

// What every rule needs about the document, computed once, and where rules report.
class LintContext
{
public:
    explicit LintContext(const Document &document);

    const Document &document() const { return m_document; }
    const std::string &source() const { return m_document.source(); }
    const std::vector<Instruction> &instructions() const { return m_document.instructions; }
    const Instruction &instruction(std::size_t index) const
    {
        return m_document.instructions[index];
    }
    const StageGraph &graph() const { return m_graph; }

    // The stage holding instruction `index`; -1 before the first FROM.
    int stageOf(std::size_t index) const;
    // The earlier stage that stage `stage` is built FROM; -1 when its base is an image.
    int baseStage(int stage) const;
    // The image at the bottom of the stage's FROM chain, expanded ("scratch", "alpine:3").
    std::string rootImage(int stage) const;
    // True unless the stage is the last one or another stage is built FROM it.
    bool isBuilderOnly(int stage) const;
    // Whether an absolute (or any) WORKDIR was set before instruction `index` in its stage or
    // the stages it is built from.
    bool absoluteWorkdirBefore(std::size_t index) const { return workdirAt(index) == 2; }
    bool workdirBefore(std::size_t index) const { return workdirAt(index) != 0; }

    // The simple commands of a RUN (shell form with its heredoc scripts, or the exec array).
    const std::vector<ShellCommand> &commands(std::size_t index);

    Range rangeOf(std::size_t begin, std::size_t end) const
    {
        return m_positions.range(begin, end);
    }
    std::string_view text(const Range &range) const;

    // Reports a finding of the rule being run; the returned reference is valid until the next
    // report and lets the caller add a fix or change the severity.
    Finding &report(std::size_t instruction, const Range &range, std::string message,
                    std::string alias = {});
    void setRule(const RuleInfo &rule) { m_rule = &rule; }
    std::vector<PendingFinding> takeFindings() { return std::move(m_findings); }

private:
    int workdirAt(std::size_t index) const;
    void computeWorkdirs();
    std::vector<ShellCommand> readCommands(const Instruction &inst) const;

    const Document &m_document;
    StageGraph m_graph;
    PositionMapper m_positions;
    std::vector<int> m_stageOf;
    std::vector<char> m_workdir; // 0 none, 1 relative only, 2 absolute; per instruction
    std::vector<std::optional<std::vector<ShellCommand>>> m_commands;
    std::vector<bool> m_usedAsBase;
    const RuleInfo *m_rule = nullptr;
    std::vector<PendingFinding> m_findings;
};

// An image reference cut in its parts: "reg:5000/app:1.0@sha256:ab" gives "reg:5000/app",
// "1.0" and "sha256:ab".
struct ImageParts
{
    std::string_view name, tag, digest;
};
ImageParts splitImage(std::string_view image);

// True when `word` reads `name` with a fallback (${NAME:-x}, ${NAME-x}, ${NAME:+x}, ${NAME+x}):
// then an unset variable is intended.
bool hasFallback(std::string_view word, std::string_view name);

// A fix made of one edit.
Fix makeFix(std::string title, std::size_t offset, std::size_t length, std::string replacement);
// `text` in the casing of `like`: lower case when `like` has no upper-case letter.
std::string matchCase(std::string_view text, std::string_view like);
// The closest of `candidates` to `name` (an edit distance of at most a third of the name, and
// at most `maxDistance`), or "".
std::string closestName(std::string_view name, const std::vector<std::string> &candidates,
                        std::size_t maxDistance = 3);
// An absolute path (also C:/ for Windows), or one starting with a variable, unknown until the
// build: rules about relative paths leave those alone.
bool isAbsolutePath(std::string_view path);

} // namespace Berth::Dockerfile::Internal
