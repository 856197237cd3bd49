#pragma once

#include "base/result.h"
#include "dockerfile/syntax.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace Berth::Dockerfile {

using BuildArgs = std::map<std::string, std::string>;

// A place where a stage uses another stage or an image.
struct StageReference
{
    enum class Kind { From, CopyFrom, MountFrom };
    Kind kind = Kind::From;
    std::size_t instruction = 0; // index in Document::instructions
    std::string name;            // as written (before expansion)
    int stage = -1;              // the earlier stage it names, or -1 for an image
    Range range;
};

struct Stage
{
    int index = 0;
    std::string name; // lower case, as BuildKit compares stage names; empty if unnamed
    std::string nameAsWritten;
    std::string base;                       // the FROM image after expanding global ARGs
    std::size_t from = 0;                   // index of its FROM instruction
    std::size_t end = 0;                    // one past its last instruction
    std::vector<StageReference> references; // FROM, COPY --from and RUN --mount from=
};

// The stages of a Dockerfile and how they depend on each other.
class StageGraph
{
public:
    std::vector<std::size_t> globalArgs; // ARG instructions before the first FROM
    std::vector<Stage> stages;

    // The stage holding instruction `index`, or -1 before the first FROM.
    int stageOf(std::size_t index) const;
    // An earlier stage named `nameOrIndex` (a name, case-insensitive, or a number), visible
    // from stage `from`; -1 when none (then it names an image).
    int find(std::string_view nameOrIndex, int from) const;
    // The stage --target names ("" means the last one).
    Result<int> resolveTarget(std::string_view target) const;
    // The stages needed to build `target`, target included, in ascending order.
    std::vector<int> requiredStages(int target) const;
};

// Builds the graph; FROM images are expanded with the global ARG defaults, then `buildArgs`.
StageGraph buildStageGraph(const Document &document, const BuildArgs &buildArgs = {});

// ARGs every build defines without a declaration: proxies (usable in RUN) and the platform
// ARGs (usable in FROM; inside a stage only after "ARG NAME").
const std::vector<std::string> &predefinedArgs();
bool isPlatformArg(std::string_view name);

// The variables in scope as a build walks the instructions in order: for FROM lines the global
// ARGs and platform ARGs; inside a stage the ENV inherited from its base stage and set so far,
// and the ARGs declared so far (a redeclared global ARG without value takes the global one).
class VariableScope
{
public:
    VariableScope(const Document &document, const StageGraph &graph, BuildArgs buildArgs = {});

    // The scope just before instruction `index` runs. Indices must not decrease.
    void advanceTo(std::size_t index);
    std::optional<std::string> lookup(std::string_view name) const;
    bool isDeclared(std::string_view name) const { return lookup(name).has_value(); }
    // Names of everything in scope (for suggestions).
    std::vector<std::string> names() const;

private:
    void apply(std::size_t index);
    void enterStage(std::size_t index);

    const Document &m_document;
    const StageGraph &m_graph;
    BuildArgs m_buildArgs;
    std::map<std::string, std::string> m_global;
    std::map<std::string, std::string> m_vars;
    std::vector<std::map<std::string, std::string>> m_stageEnv; // final ENV of each stage
    std::map<std::string, std::string> m_env;
    bool m_inFromLine = true;
    std::size_t m_next = 0;
    int m_stage = -1;
};

} // namespace Berth::Dockerfile
