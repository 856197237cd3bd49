#pragma once

#include "dockerfile/lint.h"

#include <vector>

namespace Berth::Dockerfile::Internal {

class LintContext;

// One check: what it is, and the function that reports its findings through the context.
struct LintRule
{
    RuleInfo info;
    void (*check)(LintContext &context) = nullptr;
};

// The rules of each group (core/dockerfile/rules/), collected by lint.cpp.
void addAptRules(std::vector<LintRule> &rules);
void addCopyRules(std::vector<LintRule> &rules);
void addFromArgRules(std::vector<LintRule> &rules);
void addFromRules(std::vector<LintRule> &rules);
void addPackageRules(std::vector<LintRule> &rules);
void addShellRules(std::vector<LintRule> &rules);
void addStageRules(std::vector<LintRule> &rules);
void addStyleRules(std::vector<LintRule> &rules);
void addVariableRules(std::vector<LintRule> &rules);

} // namespace Berth::Dockerfile::Internal
