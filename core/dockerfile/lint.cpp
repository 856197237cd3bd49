#include "dockerfile/lint.h"

#include "dockerfile/lintcontext.h"
#include "dockerfile/lintrule.h"
#include "dockerfile/words.h"

#include <algorithm>

namespace Berth::Dockerfile {

using namespace Internal;

namespace {

std::vector<LintRule> buildRegistry()
{
    std::vector<LintRule> rules;
    addAptRules(rules);
    addCopyRules(rules);
    addFromArgRules(rules);
    addFromRules(rules);
    addPackageRules(rules);
    addShellRules(rules);
    addStageRules(rules);
    addStyleRules(rules);
    addVariableRules(rules);
    std::sort(rules.begin(), rules.end(),
              [](const LintRule &a, const LintRule &b) { return a.info.id < b.info.id; });
    return rules;
}

const std::vector<LintRule> &registry()
{
    static const std::vector<LintRule> rules = buildRegistry();
    return rules;
}

// Splits "A, B C" into lower-case ids.
std::vector<std::string> splitIds(std::string_view list)
{
    std::vector<std::string> ids;
    std::string current;
    for (const char c : list) {
        if (c == ',' || isSpace(c)) {
            if (!current.empty())
                ids.push_back(toLower(current));
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty())
        ids.push_back(toLower(current));
    return ids;
}

// The ids after `prefix` in a comment such as "berth-lint ignore=DL3006,DL3008"; nullopt when
// the comment is something else.
std::optional<std::vector<std::string>> idsAfter(std::string_view comment, std::string_view prefix)
{
    comment = trimSpace(comment);
    if (comment.size() < prefix.size() ||
        !equalsIgnoreCase(comment.substr(0, prefix.size()), prefix))
        return std::nullopt;
    return splitIds(comment.substr(prefix.size()));
}

std::vector<std::string> instructionIgnores(const Instruction &inst)
{
    std::vector<std::string> ids;
    for (const auto &comment : inst.comments)
        for (const auto prefix : {"berth-lint ignore=", "hadolint ignore="})
            if (auto found = idsAfter(comment, prefix))
                ids.insert(ids.end(), found->begin(), found->end());
    return ids;
}

// Everything that silences findings in one document.
class Suppressions
{
public:
    Suppressions(const Document &document, const LintOptions &options)
    {
        for (const auto &id : options.disabledRules)
            m_file.push_back(toLower(id));
        if (const Directive *check = document.directive("check"))
            readCheckDirective(check->value);
        for (const auto &comment : document.comments)
            for (const auto prefix : {"berth-lint ignore-file=", "hadolint global ignore="})
                if (auto found = idsAfter(comment.text, prefix))
                    m_file.insert(m_file.end(), found->begin(), found->end());
    }

    bool silences(const PendingFinding &pending, const Document &document) const
    {
        if (m_all || matchesAny(pending, m_file))
            return true;
        if (pending.instruction >= document.instructions.size())
            return false;
        return matchesAny(pending, instructionIgnores(document.instructions[pending.instruction]));
    }

private:
    // BuildKit: "skip=A,B;error=true"; only skip matters here.
    void readCheckDirective(std::string_view value)
    {
        std::size_t pos = 0;
        while (pos <= value.size()) {
            const std::size_t semi = std::min(value.find(';', pos), value.size());
            const std::string_view part = trimSpace(value.substr(pos, semi - pos));
            pos = semi + 1;
            if (auto ids = idsAfter(part, "skip=")) {
                m_all = m_all || std::find(ids->begin(), ids->end(), "all") != ids->end();
                m_file.insert(m_file.end(), ids->begin(), ids->end());
            }
        }
    }

    static bool matchesAny(const PendingFinding &pending, const std::vector<std::string> &ids)
    {
        if (ids.empty())
            return false;
        const std::string id = toLower(pending.finding.ruleId);
        const RuleInfo *rule = findLintRule(pending.finding.ruleId);
        for (const auto &candidate : ids) {
            if (candidate == id || (!pending.alias.empty() && candidate == toLower(pending.alias)))
                return true;
            if (pending.alias.empty() && rule)
                for (const auto &alias : rule->aliases)
                    if (candidate == toLower(alias))
                        return true;
        }
        return false;
    }

    bool m_all = false;
    std::vector<std::string> m_file;
};

} // namespace

std::vector<Finding> lint(const Document &document, const LintOptions &options)
{
    LintContext context(document);
    for (const auto &rule : registry()) {
        context.setRule(rule.info);
        rule.check(context);
    }
    const Suppressions suppressions(document, options);
    std::vector<Finding> findings;
    for (auto &pending : context.takeFindings())
        if (!suppressions.silences(pending, document))
            findings.push_back(std::move(pending.finding));
    std::stable_sort(findings.begin(), findings.end(), [](const Finding &a, const Finding &b) {
        if (a.range.start.offset != b.range.start.offset)
            return a.range.start.offset < b.range.start.offset;
        return a.ruleId < b.ruleId;
    });
    return findings;
}

const std::vector<RuleInfo> &lintRules()
{
    static const std::vector<RuleInfo> infos = [] {
        std::vector<RuleInfo> out;
        for (const auto &rule : registry())
            out.push_back(rule.info);
        return out;
    }();
    return infos;
}

const RuleInfo *findLintRule(std::string_view id)
{
    for (const auto &rule : lintRules()) {
        if (equalsIgnoreCase(rule.id, id))
            return &rule;
        for (const auto &alias : rule.aliases)
            if (equalsIgnoreCase(alias, id))
                return &rule;
    }
    return nullptr;
}

std::vector<Diagnostic> uncoveredDiagnostics(const Document &document,
                                             const std::vector<Finding> &findings)
{
    // Parse diagnostic codes that a lint rule reports too, with a fix.
    static const std::vector<std::pair<std::string_view, std::string_view>> restated = {
        {"empty-continuation", "NoEmptyContinuation"}};
    std::vector<Diagnostic> out;
    for (const auto &d : document.diagnostics) {
        const bool covered = std::any_of(findings.begin(), findings.end(), [&](const Finding &f) {
            return d.range.start.line == f.range.start.line &&
                   std::find(restated.begin(), restated.end(),
                             std::pair<std::string_view, std::string_view>(d.code, f.ruleId)) !=
                       restated.end();
        });
        if (!covered)
            out.push_back(d);
    }
    return out;
}

} // namespace Berth::Dockerfile
