// apt-get and apt in RUN.

#include "dockerfile/lintcontext.h"
#include "dockerfile/typed.h"

#include <algorithm>
#include <set>

namespace Berth::Dockerfile::Internal {

namespace {

constexpr std::string_view s_aptValueOptions = "-o -c -t --option --config-file --target-release";

// The index of `subcommand` when `command` is "apt-get <subcommand> ..."; 0 when it is not.
std::size_t aptGet(const ShellCommand &command, std::string_view subcommand)
{
    if (command.name() != "apt-get")
        return 0;
    const std::size_t sub = command.subcommandIndex(s_aptValueOptions);
    return sub < command.words.size() && command.words[sub].text == subcommand ? sub : 0;
}

// Calls fn(index, command, installWord) for each "apt-get install" of each RUN.
template<class Fn> void forEachInstall(LintContext &c, Fn fn)
{
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        if (c.instruction(i).keyword != Keyword::Run)
            continue;
        for (const auto &command : c.commands(i))
            if (const std::size_t sub = aptGet(command, "install"))
                fn(i, command, sub);
    }
}

// Fixes insert text after a word, which is only safe in the shell form.
std::optional<Fix> insertAfter(const LintContext &c, std::size_t index, const ShellWord &word,
                               std::string title, std::string text)
{
    if (c.instruction(index).form == Form::Exec)
        return std::nullopt;
    return makeFix(std::move(title), word.end, 0, std::move(text));
}

bool isPinnedDeb(std::string_view package)
{
    return package.find('=') != std::string_view::npos ||
           package.find('/') != std::string_view::npos || package.ends_with(".deb") ||
           package.find('$') != std::string_view::npos;
}

void checkAptPinning(LintContext &c)
{
    forEachInstall(c, [&](std::size_t i, const ShellCommand &command, std::size_t sub) {
        std::string names;
        const ShellWord *first = nullptr;
        for (const ShellWord *w : command.operands(sub, s_aptValueOptions)) {
            if (isPinnedDeb(w->text))
                continue;
            names += (names.empty() ? "" : ", ") + w->text;
            first = first ? first : w;
        }
        if (first)
            c.report(i, c.rangeOf(first->begin, first->end),
                     "pin versions in apt-get install (package=version): " + names);
    });
}

void checkAptYes(LintContext &c)
{
    forEachInstall(c, [&](std::size_t i, const ShellCommand &command, std::size_t sub) {
        if (command.hasOption("-y --yes --assume-yes -qq -q=2 --quiet=2"))
            return;
        const ShellWord &w = command.words[sub];
        c.report(i, c.rangeOf(w.begin, w.end),
                 "use apt-get install -y: without it apt-get waits for a \"yes\" that never "
                 "comes and the build fails")
            .fix = insertAfter(c, i, w, "Add -y", " -y");
    });
}

void checkAptRecommends(LintContext &c)
{
    forEachInstall(c, [&](std::size_t i, const ShellCommand &command, std::size_t sub) {
        const bool viaOption =
            std::any_of(command.words.begin(), command.words.end(), [](const ShellWord &w) {
                return w.text.find("Install-Recommends=false") != std::string::npos ||
                       w.text.find("Install-Recommends=0") != std::string::npos;
            });
        if (viaOption || command.hasOption("--no-install-recommends"))
            return;
        const ShellWord &w = command.words[sub];
        c.report(i, c.rangeOf(w.begin, w.end),
                 "avoid additional packages by specifying --no-install-recommends")
            .fix = insertAfter(c, i, w, "Add --no-install-recommends", " --no-install-recommends");
    });
}

bool cachesAptLists(const Instruction &inst)
{
    for (const auto &flag : inst.flags) {
        if (flag.name != "mount" || !flag.value)
            continue;
        const MountSpec mount = parseMount(*flag.value);
        const auto target = mount.options.find("target");
        if ((mount.type == "cache" || mount.type == "tmpfs") && target != mount.options.end() &&
            target->second.starts_with("/var/lib/apt"))
            return true;
    }
    return false;
}

bool removesAptLists(const ShellCommand &command)
{
    if (command.name() != "rm")
        return false;
    return std::any_of(command.words.begin(), command.words.end(),
                       [](const ShellWord &w) { return w.text.starts_with("/var/lib/apt/lists"); });
}

void checkAptListsCleanup(LintContext &c)
{
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        const Instruction &inst = c.instruction(i);
        // Only the stages that end up in an image matter.
        if (inst.keyword != Keyword::Run || c.isBuilderOnly(c.stageOf(i)) || cachesAptLists(inst))
            continue;
        const auto &commands = c.commands(i);
        const auto update =
            std::find_if(commands.begin(), commands.end(),
                         [](const ShellCommand &cmd) { return aptGet(cmd, "update"); });
        if (update == commands.end() ||
            std::any_of(commands.begin(), commands.end(), removesAptLists))
            continue;
        const ShellWord &w = update->words[aptGet(*update, "update")];
        c.report(i, c.rangeOf(w.begin, w.end),
                 "delete the apt-get lists after installing something: end this RUN with "
                 "&& rm -rf /var/lib/apt/lists/*");
    }
}

void checkApt(LintContext &c)
{
    static const std::set<std::string, std::less<>> subcommands = {
        "install",    "update", "upgrade",   "dist-upgrade", "remove",    "purge",
        "autoremove", "clean",  "autoclean", "source",       "build-dep", "download"};
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        if (c.instruction(i).keyword != Keyword::Run)
            continue;
        for (const auto &command : c.commands(i)) {
            if (command.name() != "apt")
                continue;
            const std::size_t sub = command.subcommandIndex(s_aptValueOptions);
            if (sub >= command.words.size() || !subcommands.count(command.words[sub].text))
                continue;
            const ShellWord &name = command.words[command.nameIndex()];
            Finding &f = c.report(i, c.rangeOf(name.begin, name.end),
                                  "do not use apt in scripts, its interface is not stable; use "
                                  "apt-get " +
                                      command.words[sub].text);
            const bool plain = c.text(c.rangeOf(name.begin, name.end)) == "apt";
            if (plain && c.instruction(i).form != Form::Exec)
                f.fix = makeFix("Replace apt with apt-get", name.begin, name.end - name.begin,
                                "apt-get");
        }
    }
}

} // namespace

void addAptRules(std::vector<LintRule> &rules)
{
    rules.push_back(
        {{.id = "DL3008",
          .severity = Severity::Warning,
          .title = "Pin versions in apt-get install",
          .explanation = "Without versions, each build installs whatever is newest that day, "
                         "so the same Dockerfile can produce different images or suddenly "
                         "fail. Write package=version (apt-cache policy package shows them)."},
         checkAptPinning});
    rules.push_back(
        {{.id = "DL3009",
          .severity = Severity::Info,
          .title = "Delete the apt-get lists after installing something",
          .explanation = "apt-get update downloads package lists into /var/lib/apt/lists. They "
                         "are useless in the final image and make it tens of megabytes bigger; "
                         "remove them in the same RUN (rm -rf /var/lib/apt/lists/*) or use a "
                         "cache mount. Stages only copied from are not checked."},
         checkAptListsCleanup});
    rules.push_back(
        {{.id = "DL3014",
          .severity = Severity::Warning,
          .title = "Use the -y switch with apt-get install",
          .explanation = "apt-get install asks for confirmation; a build cannot answer, so "
                         "without -y it stops with an error.",
          .fixable = true},
         checkAptYes});
    rules.push_back(
        {{.id = "DL3015",
          .severity = Severity::Info,
          .title = "Avoid additional packages with --no-install-recommends",
          .explanation = "By default apt-get also installs \"recommended\" packages, which are "
                         "rarely needed in a container and make the image bigger.",
          .fixable = true},
         checkAptRecommends});
    rules.push_back(
        {{.id = "DL3027",
          .severity = Severity::Warning,
          .title = "Do not use apt, use apt-get",
          .explanation = "apt is meant for people at a terminal: its output and options may "
                         "change between versions and it warns when used in scripts. apt-get "
                         "(and apt-cache) are the stable tools for scripts.",
          .fixable = true},
         checkApt});
}

} // namespace Berth::Dockerfile::Internal
