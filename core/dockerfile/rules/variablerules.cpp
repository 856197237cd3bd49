// Variables inside stages: undefined ones, secrets in ARG/ENV, ports from variables.

#include "dockerfile/expand.h"
#include "dockerfile/lintcontext.h"
#include "dockerfile/typed.h"
#include "dockerfile/values.h"
#include "dockerfile/words.h"

#include <algorithm>
#include <set>

namespace Berth::Dockerfile::Internal {

namespace {

struct CheckedWord
{
    std::string text;
    Range range;
};

// The parts of an instruction the builder expands with ARG and ENV (BuildKit's list); RUN, CMD
// and the like are left to the shell.
std::vector<CheckedWord> expandedWords(const Instruction &inst)
{
    std::vector<CheckedWord> out;
    switch (inst.keyword) {
    case Keyword::Env:
    case Keyword::Arg:
        for (std::size_t k = 0; k < inst.words.size(); ++k) {
            const Word &w = inst.words[k];
            const std::size_t eq = w.text.find('=');
            if (eq != std::string::npos)
                out.push_back({w.text.substr(eq + 1), w.range});
            else if (k > 0 && inst.keyword == Keyword::Env) // legacy "ENV key value"
                out.push_back({w.text, w.range});
        }
        break;
    case Keyword::Copy:
    case Keyword::Add:
        for (const auto &flag : inst.flags)
            if ((flag.name == "chown" || flag.name == "chmod") && flag.value)
                out.push_back({*flag.value, flag.range});
        [[fallthrough]];
    case Keyword::Label:
    case Keyword::Workdir:
    case Keyword::User:
    case Keyword::Stopsignal:
    case Keyword::Expose:
    case Keyword::Volume:
        for (const auto &w : inst.words)
            if (!w.text.starts_with("<<"))
                out.push_back({w.text, w.range});
        break;
    default: break;
    }
    return out;
}

std::set<std::string> namesDeclaredAnywhere(const LintContext &c)
{
    std::set<std::string> names;
    for (const auto &inst : c.instructions())
        if (inst.keyword == Keyword::Arg || inst.keyword == Keyword::Env)
            for (const auto &kv : keyValues(inst, c.document().escape).pairs)
                names.insert(kv.key);
    return names;
}

std::set<std::string> declaredBy(const LintContext &c, std::size_t index)
{
    std::set<std::string> names;
    const Instruction &inst = c.instruction(index);
    if (inst.keyword == Keyword::Arg || inst.keyword == Keyword::Env)
        for (const auto &kv : keyValues(inst, c.document().escape).pairs)
            names.insert(kv.key);
    return names;
}

std::set<std::string> globalArgs(const LintContext &c)
{
    std::set<std::string> names;
    for (std::size_t i : c.graph().globalArgs)
        for (const auto &kv : keyValues(c.instruction(i), c.document().escape).pairs)
            names.insert(kv.key);
    return names;
}

std::string undefinedMessage(const std::string &name, const std::string &hint, bool isGlobal)
{
    std::string message = "usage of undefined variable \"$" + name + "\"";
    if (!hint.empty())
        message += " (did you mean $" + hint + "?)";
    if (isGlobal)
        message += "; a global ARG is visible only in FROM lines: add \"ARG " + name +
                   "\" inside the stage";
    return message;
}

void checkUndefinedVar(LintContext &c)
{
    const Document &doc = c.document();
    VariableScope scope(doc, c.graph());
    const std::set<std::string> anywhere = namesDeclaredAnywhere(c);
    const std::set<std::string> globals = globalArgs(c);
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        const int stage = c.stageOf(i);
        const auto words = expandedWords(c.instruction(i));
        if (stage < 0 || words.empty())
            continue;
        scope.advanceTo(i);
        // With an image as the base, its own ENV is unknown here: report only names that are
        // declared elsewhere in the file or one letter away from one in scope.
        const bool envKnown = equalsIgnoreCase(c.rootImage(stage), "scratch");
        const std::set<std::string> own = declaredBy(c, i);
        for (const auto &word : words) {
            for (const auto &name : referencedVariables(word.text, doc.escape)) {
                if (name == "PATH" || scope.isDeclared(name) || hasFallback(word.text, name))
                    continue;
                // ENV GOPATH=$GOPATH:/x extends what the base image set.
                if (!envKnown && own.count(name))
                    continue;
                const auto names = scope.names();
                const bool typo = !closestName(name, names, 1).empty();
                if (!envKnown && !typo && !anywhere.count(name))
                    continue;
                const std::string hint = closestName(name, names);
                c.report(i, word.range, undefinedMessage(name, hint, globals.count(name) > 0));
            }
        }
    }
}

// BuildKit's test: a "_"-separated part of the name is one of these words, and none is PUBLIC.
bool looksLikeSecret(std::string_view key)
{
    static const std::set<std::string, std::less<>> secretWords = {
        "apikey",   "auth",  "credential", "credentials", "key",
        "password", "pword", "passwd",     "secret",      "token"};
    bool secret = false;
    std::size_t pos = 0;
    while (pos <= key.size()) {
        const std::size_t next = std::min(key.find('_', pos), key.size());
        const std::string part = toLower(key.substr(pos, next - pos));
        if (part == "public")
            return false;
        secret = secret || secretWords.count(part) > 0;
        pos = next + 1;
    }
    return secret;
}

void checkSecrets(LintContext &c)
{
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        const Instruction &inst = c.instruction(i);
        if (inst.keyword != Keyword::Arg && inst.keyword != Keyword::Env)
            continue;
        for (const auto &kv : keyValues(inst, c.document().escape).pairs)
            if (looksLikeSecret(kv.key))
                c.report(i, kv.range,
                         "do not use ARG or ENV instructions for sensitive data (" +
                             std::string(keywordName(inst.keyword)) + " \"" + kv.key +
                             "\"): they stay in the image; use RUN --mount=type=secret");
    }
}

void checkExposedPorts(LintContext &c)
{
    const Document &doc = c.document();
    VariableScope scope(doc, c.graph());
    ExpandOptions options;
    options.escape = doc.escape;
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        const Instruction &inst = c.instruction(i);
        if (inst.keyword != Keyword::Expose || c.stageOf(i) < 0)
            continue;
        scope.advanceTo(i);
        const auto lookup = [&](std::string_view name) {
            return scope.lookup(name);
        };
        for (const auto &w : inst.words) {
            // Literal ports are checked by the parser; unset variables are UndefinedVar's.
            if (w.text.find('$') == std::string::npos)
                continue;
            const auto expanded = expandWords(w.text, lookup, options);
            if (!expanded)
                continue;
            const auto names = referencedVariables(w.text, doc.escape);
            if (!std::all_of(names.begin(), names.end(),
                             [&](const std::string &n) { return scope.isDeclared(n); }))
                continue;
            for (const auto &port : *expanded)
                if (!parsePortSpec(port))
                    c.report(i, w.range,
                             "\"" + w.text + "\" expands to \"" + port +
                                 "\", which is not a valid port: ports range from 0 to 65535");
        }
    }
}

} // namespace

void addVariableRules(std::vector<LintRule> &rules)
{
    rules.push_back(
        {{.id = "UndefinedVar",
          .severity = Severity::Warning,
          .title = "Variables should be defined before their use",
          .explanation = "ENV, ARG, COPY, WORKDIR, USER, LABEL, EXPOSE and VOLUME expand $NAME "
                         "while building; an undefined name becomes empty, usually a typo or a "
                         "global ARG not redeclared in the stage. RUN is not checked: the shell "
                         "expands it. As the base image's own ENV is not known here, for stages "
                         "built on an image only names declared elsewhere in the file or close "
                         "to a defined one are reported."},
         checkUndefinedVar});
    rules.push_back(
        {{.id = "SecretsUsedInArgOrEnv",
          .severity = Severity::Warning,
          .title = "Sensitive data should not be used in ARG or ENV",
          .explanation = "ARG and ENV values are stored in the image and its history, where "
                         "anyone who pulls it can read them. Pass passwords, tokens and keys "
                         "with RUN --mount=type=secret instead. Names are matched like "
                         "BuildKit: a part such as PASSWORD, TOKEN, SECRET or KEY between "
                         "underscores, unless a part is PUBLIC."},
         checkSecrets});
    rules.push_back(
        {{.id = "DL3011",
          .severity = Severity::Error,
          .title = "Valid UNIX ports range from 0 to 65535",
          .explanation = "EXPOSE takes port numbers from 0 to 65535. Literal ports are checked "
                         "by the parser; this rule checks ports that come from ARG or ENV "
                         "values, such as EXPOSE $PORT with ARG PORT=70000."},
         checkExposedPorts});
}

} // namespace Berth::Dockerfile::Internal
