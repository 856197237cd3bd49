// pip, npm and apk in RUN.

#include "dockerfile/lintcontext.h"
#include "dockerfile/typed.h"

#include <algorithm>

namespace Berth::Dockerfile::Internal {

namespace {

constexpr std::string_view s_pipValueOptions =
    "-r -c -e -i -f -t --requirement --constraint --editable --index-url --extra-index-url "
    "--find-links --target --prefix --root --trusted-host --src --upgrade-strategy --platform "
    "--python-version --implementation --abi --log --cache-dir --proxy --retries --timeout "
    "--exists-action --cert --client-cert --only-binary --no-binary --progress-bar";
constexpr std::string_view s_apkValueOptions =
    "-X -p -t --repository --root --arch --repositories-file --keys-dir --cache-dir --virtual";

bool isPip(std::string_view name)
{
    return name.starts_with("pip") &&
           name.find_first_not_of("0123456789.", 3) == std::string_view::npos;
}

bool isPython(std::string_view name)
{
    return name.starts_with("python") &&
           name.find_first_not_of("0123456789.", 6) == std::string_view::npos;
}

// The index of "install" in "pip install ..." or "python -m pip install ..."; 0 when none.
std::size_t pipInstall(const ShellCommand &command)
{
    const std::string name = command.name();
    std::size_t k = command.nameIndex() + 1;
    if (isPython(name)) {
        while (k + 1 < command.words.size() && command.words[k].text != "-m")
            ++k;
        if (k + 1 >= command.words.size() || !isPip(command.words[k + 1].text))
            return 0;
        k += 2;
    } else if (!isPip(name)) {
        return 0;
    }
    while (k < command.words.size() && command.words[k].text.starts_with('-'))
        ++k;
    return k < command.words.size() && command.words[k].text == "install" ? k : 0;
}

std::size_t subcommand(const ShellCommand &command, std::string_view name,
                       std::initializer_list<std::string_view> subcommands,
                       std::string_view valueOptions = {})
{
    if (command.name() != name)
        return 0;
    const std::size_t sub = command.subcommandIndex(valueOptions);
    if (sub >= command.words.size())
        return 0;
    for (auto s : subcommands)
        if (command.words[sub].text == s)
            return sub;
    return 0;
}

// Calls fn(index, command, subcommandIndex) for each command that `find` recognises.
template<class Find, class Fn> void forEachCommand(LintContext &c, Find find, Fn fn)
{
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        if (c.instruction(i).keyword != Keyword::Run)
            continue;
        for (const auto &command : c.commands(i))
            if (const std::size_t sub = find(command))
                fn(i, command, sub);
    }
}

bool hasCacheMount(const Instruction &inst, std::string_view targetPrefix = {})
{
    for (const auto &flag : inst.flags) {
        if (flag.name != "mount" || !flag.value)
            continue;
        const MountSpec mount = parseMount(*flag.value);
        const auto target = mount.options.find("target");
        if (mount.type == "cache" &&
            (targetPrefix.empty() ||
             (target != mount.options.end() && target->second.starts_with(targetPrefix))))
            return true;
    }
    return false;
}

std::optional<Fix> insertAfter(const LintContext &c, std::size_t index, const ShellWord &word,
                               std::string title, std::string text)
{
    if (c.instruction(index).form == Form::Exec)
        return std::nullopt;
    return makeFix(std::move(title), word.end, 0, std::move(text));
}

// ENV PIP_NO_CACHE_DIR in the instruction's stage before it.
std::vector<bool> pipCacheDisabled(const LintContext &c)
{
    std::vector<bool> out(c.instructions().size(), false);
    bool disabled = false;
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        const Instruction &inst = c.instruction(i);
        if (inst.keyword == Keyword::From)
            disabled = false;
        out[i] = disabled;
        if (inst.keyword == Keyword::Env)
            for (const auto &kv : keyValues(inst, c.document().escape).pairs)
                disabled = disabled || kv.key == "PIP_NO_CACHE_DIR";
    }
    return out;
}

void checkPipCache(LintContext &c)
{
    const std::vector<bool> disabled = pipCacheDisabled(c);
    forEachCommand(c, pipInstall, [&](std::size_t i, const ShellCommand &command, std::size_t sub) {
        const bool inlineEnv =
            std::any_of(command.words.begin(), command.words.end(),
                        [](const ShellWord &w) { return w.text.starts_with("PIP_NO_CACHE_DIR="); });
        if (disabled[i] || inlineEnv || hasCacheMount(c.instruction(i)) ||
            command.hasOption("--no-cache-dir"))
            return;
        const ShellWord &w = command.words[sub];
        c.report(i, c.rangeOf(w.begin, w.end),
                 "avoid keeping pip's download cache in the image: use pip install --no-cache-dir")
            .fix = insertAfter(c, i, w, "Add --no-cache-dir", " --no-cache-dir");
    });
}

bool isPinnedPip(std::string_view p)
{
    for (auto marker : {"==", ">=", "<=", "~=", "!=", "<", ">", "@", "/", "$"})
        if (p.find(marker) != std::string_view::npos)
            return true;
    return p.starts_with('.') || p.ends_with(".whl") || p.ends_with(".tar.gz") ||
           p.ends_with(".zip");
}

bool isPinnedNpm(std::string_view p)
{
    const std::string_view rest = p.starts_with('@') ? p.substr(1) : p;
    if (rest.find('@') != std::string_view::npos || p.find('$') != std::string_view::npos)
        return true;
    return p.starts_with('.') || p.starts_with('/') || p.starts_with("git") ||
           p.starts_with("http") || p.starts_with("file:") || p.ends_with(".tgz") ||
           p.ends_with(".tar.gz") || (!p.starts_with('@') && p.find('/') != std::string_view::npos);
}

bool isPinnedApk(std::string_view p)
{
    return p.find_first_of("=~<>$") != std::string_view::npos || p.ends_with(".apk");
}

// Reports the operands of a package install that `pinned` rejects, in one finding.
void reportUnpinned(LintContext &c, std::size_t i, const ShellCommand &command, std::size_t sub,
                    std::string_view valueOptions, bool (*pinned)(std::string_view),
                    const std::string &what)
{
    std::string names;
    const ShellWord *first = nullptr;
    for (const ShellWord *w : command.operands(sub, valueOptions)) {
        if (pinned(w->text))
            continue;
        names += (names.empty() ? "" : ", ") + w->text;
        first = first ? first : w;
    }
    if (first)
        c.report(i, c.rangeOf(first->begin, first->end), what + ": " + names);
}

void checkPipPinning(LintContext &c)
{
    forEachCommand(c, pipInstall, [&](std::size_t i, const ShellCommand &command, std::size_t sub) {
        reportUnpinned(c, i, command, sub, s_pipValueOptions, isPinnedPip,
                       "pin versions in pip install (package==version)");
    });
}

void checkNpmPinning(LintContext &c)
{
    const auto find = [](const ShellCommand &cmd) {
        return subcommand(cmd, "npm", {"install", "i", "add"}, "--prefix -C --registry --cache");
    };
    forEachCommand(c, find, [&](std::size_t i, const ShellCommand &command, std::size_t sub) {
        reportUnpinned(c, i, command, sub, "--prefix -C --registry --cache", isPinnedNpm,
                       "pin versions in npm install (package@version)");
    });
}

std::size_t apkAdd(const ShellCommand &command)
{
    return subcommand(command, "apk", {"add"}, s_apkValueOptions);
}

void checkApkPinning(LintContext &c)
{
    forEachCommand(c, apkAdd, [&](std::size_t i, const ShellCommand &command, std::size_t sub) {
        reportUnpinned(c, i, command, sub, s_apkValueOptions, isPinnedApk,
                       "pin versions in apk add (package=version)");
    });
}

void checkApkCache(LintContext &c)
{
    forEachCommand(c, apkAdd, [&](std::size_t i, const ShellCommand &command, std::size_t sub) {
        if (command.hasOption("--no-cache") || hasCacheMount(c.instruction(i), "/var/cache/apk"))
            return;
        const ShellWord &w = command.words[sub];
        c.report(i, c.rangeOf(w.begin, w.end),
                 "use apk add --no-cache so the package index is not stored in the image")
            .fix = insertAfter(c, i, w, "Add --no-cache", " --no-cache");
    });
}

} // namespace

void addPackageRules(std::vector<LintRule> &rules)
{
    rules.push_back(
        {{.id = "DL3042",
          .severity = Severity::Warning,
          .title = "Avoid the pip cache with pip install --no-cache-dir",
          .explanation = "pip keeps every downloaded package in a cache, which would stay in "
                         "the image layer for nothing. Not reported when ENV PIP_NO_CACHE_DIR "
                         "is set or the RUN uses a --mount=type=cache.",
          .fixable = true},
         checkPipCache});
    rules.push_back(
        {{.id = "DL3013",
          .severity = Severity::Info,
          .title = "Pin versions in pip install",
          .explanation = "Without versions each build installs the newest release, so builds "
                         "are not repeatable. Write package==version, or use a requirements "
                         "file with pinned versions (-r requirements.txt)."},
         checkPipPinning});
    rules.push_back(
        {{.id = "DL3016",
          .severity = Severity::Info,
          .title = "Pin versions in npm install",
          .explanation = "npm install name takes the newest release each build. Write "
                         "name@version, or install from package.json and a lock file (npm ci)."},
         checkNpmPinning});
    rules.push_back(
        {{.id = "DL3018",
          .severity = Severity::Warning,
          .title = "Pin versions in apk add",
          .explanation = "Without versions each build installs whatever the Alpine index has "
                         "that day. Write package=version (or package~version for a series)."},
         checkApkPinning});
    rules.push_back(
        {{.id = "DL3019",
          .severity = Severity::Info,
          .title = "Use apk add --no-cache",
          .explanation = "--no-cache fetches the package index for this command only, instead "
                         "of leaving it in /var/cache/apk in the image; no apk update and no "
                         "cleanup are needed.",
          .fixable = true},
         checkApkCache});
}

} // namespace Berth::Dockerfile::Internal
