// FROM lines: image tags and stage names.

#include "dockerfile/lintcontext.h"
#include "dockerfile/typed.h"
#include "dockerfile/words.h"

#include <map>

namespace Berth::Dockerfile::Internal {

namespace {

// The FROM of each stage that names an image (not an earlier stage, not scratch, no variable).
template<class Fn> void forEachImage(LintContext &c, Fn fn)
{
    for (const auto &stage : c.graph().stages) {
        const auto from = fromCommand(c.instruction(stage.from));
        if (!from || from->image.empty() || from->image.find('$') != std::string::npos ||
            equalsIgnoreCase(from->image, "scratch"))
            continue;
        if (!stage.references.empty() && stage.references.front().stage >= 0)
            continue;
        fn(stage.from, *from);
    }
}

void checkUntagged(LintContext &c)
{
    forEachImage(c, [&](std::size_t i, const FromCommand &from) {
        const ImageParts parts = splitImage(from.image);
        if (parts.tag.empty() && parts.digest.empty())
            c.report(i, from.imageRange,
                     "always tag the version of an image explicitly: \"" + from.image +
                         "\" means \"" + from.image + ":latest\", which changes over time");
    });
}

void checkLatest(LintContext &c)
{
    forEachImage(c, [&](std::size_t i, const FromCommand &from) {
        const ImageParts parts = splitImage(from.image);
        if (parts.tag == "latest" && parts.digest.empty())
            c.report(i, from.imageRange,
                     "using the \"latest\" tag makes builds change over time; pin a version "
                     "of \"" +
                         std::string(parts.name) + "\"");
    });
}

template<class Fn> void forEachStageName(LintContext &c, Fn fn)
{
    for (const auto &stage : c.graph().stages) {
        const auto from = fromCommand(c.instruction(stage.from));
        if (from && from->stageNameRange && !from->stageName.empty())
            fn(stage, *from);
    }
}

void checkStageNameCasing(LintContext &c)
{
    forEachStageName(c, [&](const Stage &stage, const FromCommand &from) {
        const std::string lower = toLower(from.stageName);
        if (lower == from.stageName || from.stageName.find('$') != std::string::npos)
            return;
        const Range &r = *from.stageNameRange;
        c.report(stage.from, r, "stage name \"" + from.stageName + "\" should be lower case").fix =
            makeFix("Rename to \"" + lower + "\"", r.start.offset, r.end.offset - r.start.offset,
                    lower);
    });
}

void checkFromAsCasing(LintContext &c)
{
    forEachStageName(c, [&](const Stage &stage, const FromCommand &from) {
        const Instruction &inst = c.instruction(stage.from);
        if (!from.asRange || inst.words.size() < 2)
            return;
        const std::string &as = inst.words[1].text;
        const std::string &keyword = inst.keywordText;
        std::string wanted;
        if (keyword == toUpper(keyword) && as != "AS")
            wanted = "AS";
        else if (keyword == toLower(keyword) && as != "as")
            wanted = "as";
        if (wanted.empty())
            return;
        const Range &r = *from.asRange;
        c.report(stage.from, r,
                 "\"" + as + "\" and \"" + keyword + "\" keywords' casing do not match")
            .fix = makeFix("Write \"" + wanted + "\"", r.start.offset,
                           r.end.offset - r.start.offset, wanted);
    });
}

void checkDuplicateStageName(LintContext &c)
{
    std::map<std::string, std::size_t> seen; // lower-case name -> its FROM
    forEachStageName(c, [&](const Stage &stage, const FromCommand &from) {
        const auto [it, inserted] = seen.emplace(stage.name, stage.from);
        if (!inserted)
            c.report(stage.from, *from.stageNameRange,
                     "duplicate stage name \"" + from.stageName +
                         "\", stage names should be unique (first used on line " +
                         std::to_string(c.instruction(it->second).range.start.line) + ")");
    });
}

void checkReservedStageName(LintContext &c)
{
    forEachStageName(c, [&](const Stage &stage, const FromCommand &from) {
        if (stage.name == "scratch" || stage.name == "context")
            c.report(stage.from, *from.stageNameRange,
                     "stage name should not use the same name as reserved stage \"" + stage.name +
                         "\"");
    });
}

void checkRedundantTargetPlatform(LintContext &c)
{
    const std::string &src = c.source();
    for (const auto &stage : c.graph().stages) {
        const Instruction &inst = c.instruction(stage.from);
        for (const auto &flag : inst.flags) {
            if (flag.name != "platform" ||
                (flag.value != "$TARGETPLATFORM" && flag.value != "${TARGETPLATFORM}"))
                continue;
            std::size_t end = flag.range.end.offset;
            while (end < src.size() && (src[end] == ' ' || src[end] == '\t'))
                ++end;
            c.report(stage.from, flag.range,
                     "setting platform to predefined " + *flag.value +
                         " in FROM is redundant as this is the default behavior")
                .fix = makeFix("Remove --platform", flag.range.start.offset,
                               end - flag.range.start.offset, {});
        }
    }
}

} // namespace

void addFromRules(std::vector<LintRule> &rules)
{
    rules.push_back(
        {{.id = "DL3006",
          .severity = Severity::Warning,
          .title = "Always tag the version of an image explicitly",
          .explanation = "An image without a tag means its \"latest\" tag, which the publisher "
                         "moves to new versions. Your build can then break or change without "
                         "any change on your side. Write a version such as alpine:3.20. "
                         "scratch, earlier stages and images given by an ARG are not checked."},
         checkUntagged});
    rules.push_back(
        {{.id = "DL3007",
          .severity = Severity::Warning,
          .title = "Using latest is prone to errors if the image will ever update",
          .explanation = "The \"latest\" tag is moved by the publisher to each new release, so "
                         "two builds of the same Dockerfile can use different base images. Pin "
                         "a version tag (or a digest) so builds are repeatable."},
         checkLatest});
    rules.push_back(
        {{.id = "StageNameCasing",
          .severity = Severity::Info,
          .title = "Stage names should be lower case",
          .explanation = "Stage names are compared without regard to case, so \"Build\" and "
                         "\"build\" are the same stage. Writing them in lower case avoids "
                         "confusion with image names, which must be lower case.",
          .fixable = true},
         checkStageNameCasing});
    rules.push_back(
        {{.id = "FromAsCasing",
          .severity = Severity::Info,
          .title = "The AS keyword should match the casing of FROM",
          .explanation = "Write \"FROM image AS name\" or \"from image as name\", not a mix: "
                         "consistent casing makes the file easier to read.",
          .fixable = true},
         checkFromAsCasing});
    rules.push_back(
        {{.id = "DuplicateStageName",
          .severity = Severity::Warning,
          .title = "Stage names should be unique",
          .explanation = "Two stages with the same name make COPY --from and --target "
                         "ambiguous: only one of them can be meant. Rename one of them. "
                         "hadolint calls this DL3024.",
          .aliases = {"DL3024"}},
         checkDuplicateStageName});
    rules.push_back(
        {{.id = "ReservedStageName",
          .severity = Severity::Warning,
          .title = "Reserved words should not be used as stage names",
          .explanation = "\"scratch\" is the empty image and \"context\" the build context; a "
                         "stage with either name hides them and confuses readers."},
         checkReservedStageName});
    rules.push_back(
        {{.id = "RedundantTargetPlatform",
          .severity = Severity::Info,
          .title = "FROM --platform=$TARGETPLATFORM is redundant",
          .explanation = "A stage is built for the target platform unless told otherwise, so "
                         "--platform=$TARGETPLATFORM changes nothing. Remove it; use "
                         "--platform=$BUILDPLATFORM when you mean the build machine's platform.",
          .fixable = true},
         checkRedundantTargetPlatform});
}

} // namespace Berth::Dockerfile::Internal
