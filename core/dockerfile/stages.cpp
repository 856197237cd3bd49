#include "dockerfile/stages.h"

#include "dockerfile/expand.h"
#include "dockerfile/typed.h"
#include "dockerfile/words.h"

#include <algorithm>
#include <set>

namespace Berth::Dockerfile {

namespace {

std::string expandOrKeep(const std::string &word, const std::map<std::string, std::string> &vars,
                         char escape)
{
    const auto lookup = [&](std::string_view name) -> std::optional<std::string> {
        const auto it = vars.find(std::string(name));
        return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    ExpandOptions options;
    options.escape = escape;
    auto expanded = expandWord(word, lookup, options);
    return expanded ? expanded->value : word;
}

std::map<std::string, std::string> globalArgs(const Document &document,
                                              const std::vector<std::size_t> &args,
                                              const BuildArgs &buildArgs)
{
    std::map<std::string, std::string> vars;
    for (std::size_t i : args)
        for (const auto &kv : keyValues(document.instructions[i], document.escape).pairs) {
            if (const auto it = buildArgs.find(kv.key); it != buildArgs.end())
                vars[kv.key] = it->second;
            else if (kv.hasValue)
                vars[kv.key] = expandOrKeep(kv.rawValue, vars, document.escape);
        }
    return vars;
}

} // namespace

const std::vector<std::string> &predefinedArgs()
{
    static const std::vector<std::string> args = {
        "HTTP_PROXY",     "http_proxy", "HTTPS_PROXY",  "https_proxy",      "FTP_PROXY",
        "ftp_proxy",      "NO_PROXY",   "no_proxy",     "ALL_PROXY",        "all_proxy",
        "TARGETPLATFORM", "TARGETOS",   "TARGETARCH",   "TARGETVARIANT",    "BUILDPLATFORM",
        "BUILDOS",        "BUILDARCH",  "BUILDVARIANT", "SOURCE_DATE_EPOCH"};
    return args;
}

bool isPlatformArg(std::string_view name)
{
    static const std::set<std::string, std::less<>> platformArgs = {
        "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
        "BUILDPLATFORM",  "BUILDOS",  "BUILDARCH",  "BUILDVARIANT"};
    return platformArgs.count(name) > 0;
}

int StageGraph::stageOf(std::size_t index) const
{
    // Stages are in source order: the last one whose FROM is at or before `index`.
    const auto it = std::upper_bound(stages.begin(), stages.end(), index,
                                     [](std::size_t i, const Stage &s) { return i < s.from; });
    return it == stages.begin() ? -1 : std::prev(it)->index;
}

int StageGraph::find(std::string_view nameOrIndex, int from) const
{
    const std::string lower = Internal::toLower(nameOrIndex);
    for (int i = 0; i < from && i < int(stages.size()); ++i)
        if (!stages[i].name.empty() && stages[i].name == lower)
            return i;
    if (!lower.empty() &&
        std::all_of(lower.begin(), lower.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        lower.size() < 6) {
        const int n = std::stoi(lower);
        if (n < from && n < int(stages.size()))
            return n;
    }
    return -1;
}

Result<int> StageGraph::resolveTarget(std::string_view target) const
{
    if (stages.empty())
        return fail(ErrorCode::Invalid, "the Dockerfile has no FROM instruction, so no stage");
    if (target.empty())
        return int(stages.size()) - 1;
    const int found = find(target, int(stages.size()));
    if (found < 0 || Internal::toLower(target) != stages[std::size_t(found)].name) {
        std::string names;
        for (const auto &s : stages)
            if (!s.name.empty())
                names += (names.empty() ? "" : ", ") + s.nameAsWritten;
        return fail(ErrorCode::NotFound, "target stage \"" + std::string(target) +
                                             "\" could not be found" +
                                             (names.empty() ? "" : " (stages: " + names + ")"));
    }
    return found;
}

std::vector<int> StageGraph::requiredStages(int target) const
{
    std::set<int> needed;
    std::vector<int> todo = {target};
    while (!todo.empty()) {
        const int s = todo.back();
        todo.pop_back();
        if (s < 0 || s >= int(stages.size()) || !needed.insert(s).second)
            continue;
        for (const auto &ref : stages[std::size_t(s)].references)
            if (ref.stage >= 0)
                todo.push_back(ref.stage);
    }
    return {needed.begin(), needed.end()};
}

StageGraph buildStageGraph(const Document &document, const BuildArgs &buildArgs)
{
    StageGraph graph;
    const auto &insts = document.instructions;
    std::map<std::string, std::string> globals; // known once the first FROM is reached
    for (std::size_t i = 0; i < insts.size(); ++i) {
        const Instruction &inst = insts[i];
        if (inst.keyword == Keyword::From) {
            if (!graph.stages.empty())
                graph.stages.back().end = i;
            Stage stage;
            stage.index = int(graph.stages.size());
            stage.from = i;
            if (const auto from = fromCommand(inst)) {
                stage.nameAsWritten = from->stageName;
                stage.name = Internal::toLower(from->stageName);
                if (graph.stages.empty())
                    globals = globalArgs(document, graph.globalArgs, buildArgs);
                stage.base = expandOrKeep(from->image, globals, document.escape);
                stage.references.push_back({StageReference::Kind::From, i, from->image,
                                            graph.find(stage.base, stage.index), from->imageRange});
            }
            graph.stages.push_back(std::move(stage));
            continue;
        }
        if (graph.stages.empty()) {
            if (inst.keyword == Keyword::Arg)
                graph.globalArgs.push_back(i);
            continue;
        }
        Stage &stage = graph.stages.back();
        for (const auto &flag : inst.flags) {
            if (!flag.value)
                continue;
            if (flag.name == "from" &&
                (inst.keyword == Keyword::Copy || inst.keyword == Keyword::Add))
                stage.references.push_back({StageReference::Kind::CopyFrom, i, *flag.value,
                                            graph.find(*flag.value, stage.index), flag.range});
            if (flag.name == "mount" && inst.keyword == Keyword::Run) {
                const auto mount = parseMount(*flag.value);
                if (const auto it = mount.options.find("from"); it != mount.options.end())
                    stage.references.push_back({StageReference::Kind::MountFrom, i, it->second,
                                                graph.find(it->second, stage.index), flag.range});
            }
        }
    }
    if (!graph.stages.empty())
        graph.stages.back().end = insts.size();
    return graph;
}

VariableScope::VariableScope(const Document &document, const StageGraph &graph, BuildArgs buildArgs)
    : m_document(document)
    , m_graph(graph)
    , m_buildArgs(std::move(buildArgs))
{
    m_global = globalArgs(document, graph.globalArgs, m_buildArgs);
    for (const auto &name : predefinedArgs())
        if (isPlatformArg(name) && !m_global.count(name))
            m_global[name] = "";
    m_stageEnv.resize(graph.stages.size());
}

void VariableScope::advanceTo(std::size_t index)
{
    while (m_next < index && m_next < m_document.instructions.size())
        apply(m_next++);
    m_inFromLine = index < m_document.instructions.size() &&
                   (m_document.instructions[index].keyword == Keyword::From || m_stage < 0);
}

std::optional<std::string> VariableScope::lookup(std::string_view name) const
{
    const std::string key(name);
    if (m_inFromLine) {
        const auto it = m_global.find(key);
        return it == m_global.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    if (const auto it = m_vars.find(key); it != m_vars.end())
        return it->second;
    return std::nullopt;
}

std::vector<std::string> VariableScope::names() const
{
    std::vector<std::string> out;
    for (const auto &[k, v] : m_inFromLine ? m_global : m_vars)
        out.push_back(k);
    return out;
}

void VariableScope::enterStage(std::size_t index)
{
    if (m_stage >= 0)
        m_stageEnv[std::size_t(m_stage)] = m_env;
    m_stage = m_graph.stageOf(index);
    m_env.clear();
    const Stage &stage = m_graph.stages[std::size_t(m_stage)];
    if (!stage.references.empty() && stage.references.front().stage >= 0)
        m_env = m_stageEnv[std::size_t(stage.references.front().stage)];
    m_vars = m_env;
}

void VariableScope::apply(std::size_t index)
{
    const Instruction &inst = m_document.instructions[index];
    if (inst.keyword == Keyword::From) {
        enterStage(index);
        return;
    }
    if (m_stage < 0 || (inst.keyword != Keyword::Env && inst.keyword != Keyword::Arg))
        return;
    const auto lookupFn = [this](std::string_view n) {
        return lookup(n);
    };
    ExpandOptions options;
    options.escape = m_document.escape;
    const bool saved = m_inFromLine;
    m_inFromLine = false;
    // All pairs of one instruction expand against the scope from before it, as Docker does.
    std::vector<std::pair<std::string, std::string>> updates;
    for (const auto &kv : keyValues(inst, m_document.escape).pairs) {
        if (inst.keyword == Keyword::Env) {
            auto v = expandWord(kv.rawValue, lookupFn, options);
            updates.emplace_back(kv.key, v ? v->value : kv.value);
        } else if (!m_env.count(kv.key)) { // ENV wins over an ARG of the same name
            if (const auto it = m_buildArgs.find(kv.key); it != m_buildArgs.end())
                updates.emplace_back(kv.key, it->second);
            else if (kv.hasValue) {
                auto v = expandWord(kv.rawValue, lookupFn, options);
                updates.emplace_back(kv.key, v ? v->value : kv.value);
            } else if (const auto g = m_global.find(kv.key); g != m_global.end())
                updates.emplace_back(kv.key, g->second);
            else
                updates.emplace_back(kv.key, "");
        }
    }
    for (auto &[key, value] : updates) {
        if (inst.keyword == Keyword::Env)
            m_env[key] = value;
        m_vars[key] = std::move(value);
    }
    m_inFromLine = saved;
}

} // namespace Berth::Dockerfile
