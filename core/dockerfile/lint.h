#pragma once

#include "dockerfile/edit.h"
#include "dockerfile/syntax.h"

#include <optional>
#include <string>
#include <string_view>
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
    // Other ids for the same check (hadolint's where BuildKit's name was chosen): accepted
    // wherever an id is, in suppressions, LintOptions and findLintRule().
    std::vector<std::string> aliases = {};
};

struct LintOptions
{
    std::vector<std::string> disabledRules; // ids never reported
};

// Checks a parsed Dockerfile. Parse diagnostics are not repeated; findings come sorted by
// position (then rule id). Ids are compared case-insensitively and may be aliases. Suppression:
//   # check=skip=ID1,ID2        BuildKit's parser directive (top of file); skip=all silences
//                               every rule; other parts such as ";error=true" are ignored.
//   # berth-lint ignore=ID,...  on the comment line(s) right above an instruction: silences
//   # hadolint ignore=ID,...    those rules for that instruction only.
//   # berth-lint ignore-file=ID,...   anywhere: silences those rules in the whole file
//   # hadolint global ignore=ID,...   (the same, hadolint's spelling).
// LintOptions::disabledRules does the same from the settings.
std::vector<Finding> lint(const Document &document, const LintOptions &options = {});

// The parse diagnostics that no finding restates. The parser's "empty-continuation" warning
// and the NoEmptyContinuation rule (which carries the fix) point at the same line: a view
// showing both lists shows it once.
std::vector<Diagnostic> uncoveredDiagnostics(const Document &document,
                                             const std::vector<Finding> &findings);

// Every rule, ordered by id.
const std::vector<RuleInfo> &lintRules();
// The rule with that id or alias (case-insensitive), or nullptr.
const RuleInfo *findLintRule(std::string_view id);

} // namespace Berth::Dockerfile
