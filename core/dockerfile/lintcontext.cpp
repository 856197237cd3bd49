#include "dockerfile/lintcontext.h"

#include "dockerfile/typed.h"
#include "dockerfile/words.h"

#include <algorithm>

namespace Berth::Dockerfile::Internal {

LintContext::LintContext(const Document &document)
    : m_document(document)
    , m_graph(buildStageGraph(document))
    , m_positions(document.source())
{
    const auto &insts = document.instructions;
    m_stageOf.resize(insts.size(), -1);
    int stage = -1;
    for (std::size_t i = 0; i < insts.size(); ++i) {
        if (insts[i].keyword == Keyword::From)
            ++stage;
        m_stageOf[i] = std::min(stage, int(m_graph.stages.size()) - 1);
    }
    m_usedAsBase.resize(m_graph.stages.size(), false);
    for (std::size_t s = 0; s < m_graph.stages.size(); ++s)
        if (const int base = baseStage(int(s)); base >= 0)
            m_usedAsBase[std::size_t(base)] = true;
    m_commands.resize(insts.size());
    m_findings.reserve(insts.size());
    computeWorkdirs();
}

int LintContext::stageOf(std::size_t index) const
{
    return index < m_stageOf.size() ? m_stageOf[index] : -1;
}

int LintContext::baseStage(int stage) const
{
    if (stage < 0 || stage >= int(m_graph.stages.size()))
        return -1;
    const auto &refs = m_graph.stages[std::size_t(stage)].references;
    if (refs.empty() || refs.front().kind != StageReference::Kind::From)
        return -1;
    // find() only returns earlier stages, so this chain always ends.
    return refs.front().stage < stage ? refs.front().stage : -1;
}

std::string LintContext::rootImage(int stage) const
{
    if (stage < 0 || stage >= int(m_graph.stages.size()))
        return {};
    while (baseStage(stage) >= 0)
        stage = baseStage(stage);
    return m_graph.stages[std::size_t(stage)].base;
}

bool LintContext::isBuilderOnly(int stage) const
{
    if (stage < 0 || stage + 1 >= int(m_graph.stages.size()))
        return false;
    return !m_usedAsBase[std::size_t(stage)];
}

void LintContext::computeWorkdirs()
{
    const auto &insts = m_document.instructions;
    m_workdir.assign(insts.size(), 0);
    std::vector<char> stageEnd(m_graph.stages.size(), 0);
    char state = 0;
    for (std::size_t i = 0; i < insts.size(); ++i) {
        const int stage = m_stageOf[i];
        if (insts[i].keyword == Keyword::From) {
            const int base = baseStage(stage);
            state = base >= 0 ? stageEnd[std::size_t(base)] : 0;
        }
        m_workdir[i] = state;
        if (insts[i].keyword == Keyword::Workdir && !insts[i].arguments.empty())
            state = std::max<char>(state, isAbsolutePath(unquote(insts[i].arguments)) ? 2 : 1);
        if (stage >= 0)
            stageEnd[std::size_t(stage)] = state;
    }
}

int LintContext::workdirAt(std::size_t index) const
{
    return index < m_workdir.size() ? m_workdir[index] : 0;
}

const std::vector<ShellCommand> &LintContext::commands(std::size_t index)
{
    static const std::vector<ShellCommand> none;
    if (index >= m_commands.size())
        return none;
    auto &cached = m_commands[index];
    if (!cached)
        cached = readCommands(m_document.instructions[index]);
    return *cached;
}

std::vector<ShellCommand> LintContext::readCommands(const Instruction &inst) const
{
    if (inst.keyword != Keyword::Run)
        return {};
    if (inst.form == Form::Exec) {
        ShellCommand command;
        for (const auto &w : inst.words)
            command.words.push_back({w.text, w.range.start.offset, w.range.end.offset});
        command.finish();
        return {command};
    }
    auto commands = splitShellCommands(source(), inst.argumentsRange.start.offset,
                                       inst.argumentsRange.end.offset, m_document.escape);
    // A heredoc is the script when it feeds the default shell or an explicit sh/bash.
    const std::string shell = commands.empty() ? std::string() : commands.front().name();
    const bool script = commands.empty() || shell == "sh" || shell == "bash" || shell == "ash" ||
                        shell == "dash" || shell == "zsh";
    if (script)
        for (const auto &doc : inst.heredocs) {
            auto body =
                splitShellCommands(source(), doc.range.start.offset, doc.range.end.offset, 0);
            // The last line is the terminator, not a command.
            if (!body.empty() && body.back().words.size() == 1 &&
                body.back().words.front().text == doc.name)
                body.pop_back();
            commands.insert(commands.end(), body.begin(), body.end());
        }
    return commands;
}

std::string_view LintContext::text(const Range &range) const
{
    const std::string &src = source();
    const std::size_t begin = std::min(range.start.offset, src.size());
    const std::size_t end = std::clamp(range.end.offset, begin, src.size());
    return std::string_view(src).substr(begin, end - begin);
}

Finding &LintContext::report(std::size_t instruction, const Range &range, std::string message,
                             std::string alias)
{
    PendingFinding pending;
    pending.instruction = instruction;
    pending.alias = std::move(alias);
    pending.finding.ruleId = m_rule ? m_rule->id : std::string();
    pending.finding.severity = m_rule ? m_rule->severity : Severity::Warning;
    pending.finding.message = std::move(message);
    pending.finding.range = range;
    m_findings.push_back(std::move(pending));
    return m_findings.back().finding;
}

ImageParts splitImage(std::string_view image)
{
    ImageParts parts;
    if (const std::size_t at = image.find('@'); at != std::string_view::npos) {
        parts.digest = image.substr(at + 1);
        image = image.substr(0, at);
    }
    const std::size_t slash = image.rfind('/');
    const std::size_t colon = image.rfind(':');
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
        parts.tag = image.substr(colon + 1);
        image = image.substr(0, colon);
    }
    parts.name = image;
    return parts;
}

bool hasFallback(std::string_view word, std::string_view name)
{
    const std::string open = "${" + std::string(name);
    for (std::size_t at = word.find(open); at != std::string_view::npos;
         at = word.find(open, at + 1)) {
        std::string_view rest = word.substr(at + open.size());
        if (rest.starts_with(':'))
            rest.remove_prefix(1);
        if (rest.starts_with('-') || rest.starts_with('+'))
            return true;
    }
    return false;
}

Fix makeFix(std::string title, std::size_t offset, std::size_t length, std::string replacement)
{
    return Fix{std::move(title), {TextEdit{offset, length, std::move(replacement)}}};
}

std::string matchCase(std::string_view text, std::string_view like)
{
    const bool hasUpper =
        std::any_of(like.begin(), like.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    return hasUpper ? toUpper(text) : toLower(text);
}

std::string closestName(std::string_view name, const std::vector<std::string> &candidates,
                        std::size_t maxDistance)
{
    std::string best;
    // At most a third of the name may differ, so that "A" does not suggest "B".
    std::size_t bestDistance = std::min(std::max<std::size_t>(1, name.size() / 3), maxDistance) + 1;
    for (const auto &c : candidates) {
        const std::size_t gap =
            c.size() > name.size() ? c.size() - name.size() : name.size() - c.size();
        if (c == name || gap >= bestDistance)
            continue;
        const std::size_t d = editDistance(toLower(name), toLower(c));
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    return best;
}

bool isAbsolutePath(std::string_view path)
{
    if (path.starts_with('/') || path.starts_with('$') || path.starts_with('\\'))
        return true;
    // Windows containers: C:\app or c:/app.
    return path.size() >= 2 && path[1] == ':' &&
           ((path[0] >= 'a' && path[0] <= 'z') || (path[0] >= 'A' && path[0] <= 'Z'));
}

} // namespace Berth::Dockerfile::Internal
