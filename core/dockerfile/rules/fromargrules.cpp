// Global ARGs used in FROM lines.

#include "dockerfile/expand.h"
#include "dockerfile/lintcontext.h"
#include "dockerfile/typed.h"
#include "dockerfile/words.h"

#include <algorithm>

namespace Berth::Dockerfile::Internal {

namespace {

std::vector<std::string> globalArgNames(const LintContext &c)
{
    std::vector<std::string> names;
    for (std::size_t i : c.graph().globalArgs)
        for (const auto &kv : keyValues(c.instruction(i), c.document().escape).pairs)
            names.push_back(kv.key);
    return names;
}

bool isPredefinedPlatformArg(std::string_view name)
{
    const auto &args = predefinedArgs();
    return isPlatformArg(name) && std::find(args.begin(), args.end(), name) != args.end();
}

// The words of a FROM line that the builder expands, with their ranges.
std::vector<std::pair<std::string, Range>> expandedWords(const Instruction &inst)
{
    std::vector<std::pair<std::string, Range>> words;
    if (const auto from = fromCommand(inst))
        words.emplace_back(from->image, from->imageRange);
    for (const auto &flag : inst.flags)
        if (flag.name == "platform" && flag.value)
            words.emplace_back(*flag.value, flag.range);
    return words;
}

void checkUndefinedArgInFrom(LintContext &c)
{
    const std::vector<std::string> globals = globalArgNames(c);
    std::vector<std::string> candidates = globals;
    for (const auto &name : predefinedArgs())
        if (isPlatformArg(name))
            candidates.push_back(name);
    for (const auto &stage : c.graph().stages) {
        for (const auto &[word, range] : expandedWords(c.instruction(stage.from))) {
            for (const auto &name : referencedVariables(word, c.document().escape)) {
                if (std::find(globals.begin(), globals.end(), name) != globals.end() ||
                    isPredefinedPlatformArg(name) || hasFallback(word, name))
                    continue;
                const std::string hint = closestName(name, candidates);
                c.report(stage.from, range,
                         "FROM argument \"" + name + "\" is not declared" +
                             (hint.empty() ? "" : " (did you mean " + hint + "?)") +
                             "; declare it with ARG before the first FROM");
            }
        }
    }
}

bool isAlnum(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z');
}

// One path component of an image name: lower-case alphanumerics joined by . _ __ or dashes.
bool isValidComponent(std::string_view part)
{
    if (part.empty() || !isAlnum(part.front()) || !isAlnum(part.back()))
        return false;
    return std::all_of(part.begin(), part.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
               ch == '-';
    });
}

bool isValidTag(std::string_view tag)
{
    if (tag.empty() || tag.size() > 128 || tag.front() == '.' || tag.front() == '-')
        return false;
    return std::all_of(tag.begin(), tag.end(),
                       [](char ch) { return isAlnum(ch) || ch == '_' || ch == '.' || ch == '-'; });
}

// The grammar of distribution/reference, in short.
bool isValidImageReference(std::string_view ref)
{
    const ImageParts parts = splitImage(ref);
    if (parts.name.empty() || (ref.find('@') != std::string_view::npos &&
                               parts.digest.find(':') == std::string_view::npos))
        return false;
    if (ref.ends_with(':') || ref.find(":@") != std::string_view::npos)
        return false; // "alpine:" — a tag that expanded to nothing
    if (!parts.tag.empty() && !isValidTag(parts.tag))
        return false;
    std::string_view name = parts.name;
    const std::size_t slash = name.find('/');
    if (slash != std::string_view::npos) {
        const std::string_view host = name.substr(0, slash);
        const bool isHost =
            host.find_first_of(".:") != std::string_view::npos || host == "localhost" ||
            std::any_of(host.begin(), host.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
        if (isHost) {
            if (host.empty())
                return false;
            name = name.substr(slash + 1);
        }
    }
    std::size_t pos = 0;
    while (pos <= name.size()) {
        const std::size_t next = std::min(name.find('/', pos), name.size());
        if (!isValidComponent(name.substr(pos, next - pos)))
            return false;
        pos = next + 1;
    }
    return true;
}

void checkInvalidDefaultArgInFrom(LintContext &c)
{
    const std::vector<std::string> globals = globalArgNames(c);
    for (const auto &stage : c.graph().stages) {
        const auto from = fromCommand(c.instruction(stage.from));
        if (!from || from->image.find('$') == std::string::npos)
            continue;
        const auto names = referencedVariables(from->image, c.document().escape);
        // Undeclared ARGs are UndefinedArgInFrom's; platform ARGs are known only at build time.
        const bool decidable = std::all_of(names.begin(), names.end(), [&](const std::string &n) {
            return std::find(globals.begin(), globals.end(), n) != globals.end() &&
                   !isPredefinedPlatformArg(n);
        });
        if (!decidable || isValidImageReference(stage.base))
            continue;
        c.report(stage.from, from->imageRange,
                 "default value for ARG " + from->image + " results in " +
                     (stage.base.empty() ? "an empty" : "an invalid (\"" + stage.base + "\")") +
                     " base image name; give the ARG a default or use ${NAME:-default}");
    }
}

} // namespace

void addFromArgRules(std::vector<LintRule> &rules)
{
    rules.push_back(
        {{.id = "UndefinedArgInFrom",
          .severity = Severity::Warning,
          .title = "FROM must use declared ARGs",
          .explanation = "A variable in a FROM line must be declared with ARG before the first "
                         "FROM (the platform variables such as TARGETPLATFORM are built in). An "
                         "undeclared one expands to nothing, usually a typo."},
         checkUndefinedArgInFrom});
    rules.push_back(
        {{.id = "InvalidDefaultArgInFrom",
          .severity = Severity::Warning,
          .title = "Default ARG values give an empty or invalid base image",
          .explanation = "FROM alpine:${TAG} with \"ARG TAG\" and no default only builds when "
                         "--build-arg TAG=... is passed; with the defaults the image name is "
                         "\"alpine:\", which is invalid. Give the ARG a working default."},
         checkInvalidDefaultArgInFrom});
}

} // namespace Berth::Dockerfile::Internal
