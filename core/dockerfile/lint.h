#pragma once

#include "dockerfile/edit.h"
#include "dockerfile/syntax.h"

#include <optional>
#include <string>
#include <vector>

namespace Berth::Dockerfile {

// A mechanical fix: the edits that resolve a finding, offered as one click in the editor.
struct Fix
{
    std::string title; // "Replace ADD with COPY"
    std::vector<TextEdit> edits;
};

struct Finding
{
    std::string ruleId; // "DL3006", "StageNameCasing"
    Severity severity = Severity::Warning;
    std::string message; // technical English, specific to this place
    Range range;
    std::optional<Fix> fix;
};

// What a rule is, for the rule list, hover help and documentation.
struct RuleInfo
{
    std::string id;
    Severity severity = Severity::Warning;
    std::string title;       // one line
    std::string explanation; // a few sentences a beginner understands
    bool fixable = false;
};

struct LintOptions
{
    std::vector<std::string> disabledRules; // ids never reported
};

// Checks a parsed Dockerfile. Parse diagnostics are not repeated; findings come sorted by
// position. Honoured: `# check=skip=ID,...|all` (BuildKit), and comments
// `# berth-lint ignore=ID,...` (the next instruction) and `# berth-lint ignore-file=ID,...`.
std::vector<Finding> lint(const Document &document, const LintOptions &options = {});

// Every rule, ordered by id.
const std::vector<RuleInfo> &lintRules();
// The rule with that id, or nullptr.
const RuleInfo *findLintRule(std::string_view id);

} // namespace Berth::Dockerfile
