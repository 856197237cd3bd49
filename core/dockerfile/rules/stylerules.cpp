// How the file is written: casing, continuations, old forms.

#include "dockerfile/lintcontext.h"
#include "dockerfile/words.h"

#include <algorithm>

namespace Berth::Dockerfile::Internal {

namespace {

void checkInstructionCasing(LintContext &c)
{
    int lower = 0, upper = 0;
    for (const auto &inst : c.instructions()) {
        if (inst.keyword == Keyword::Unknown)
            continue;
        if (inst.keywordText == toLower(inst.keywordText))
            ++lower;
        else if (inst.keywordText == toUpper(inst.keywordText))
            ++upper;
    }
    const bool majorityLower = lower > upper; // BuildKit: a tie goes to upper case
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        const Instruction &inst = c.instruction(i);
        const std::string wanted =
            majorityLower ? toLower(inst.keywordText) : toUpper(inst.keywordText);
        if (inst.keyword == Keyword::Unknown || inst.keywordText == wanted)
            continue;
        const Range &r = inst.keywordRange;
        c.report(i, r,
                 "instruction \"" + inst.keywordText +
                     "\" should match the case of the "
                     "majority (" +
                     (majorityLower ? "lower case" : "upper case") + ")")
            .fix = makeFix("Write \"" + wanted + "\"", r.start.offset,
                           r.end.offset - r.start.offset, wanted);
    }
}

void checkEmptyContinuation(LintContext &c)
{
    const std::string &src = c.source();
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        const Instruction &inst = c.instruction(i);
        if (inst.emptyContinuationLines.empty())
            continue;
        Fix fix{"Remove the empty continuation lines", {}};
        for (const Range &line : inst.emptyContinuationLines) {
            const std::size_t nl = src.find('\n', line.end.offset);
            const std::size_t end = nl == std::string::npos ? src.size() : nl + 1;
            fix.edits.push_back({line.start.offset, end - line.start.offset, {}});
        }
        c.report(i, inst.emptyContinuationLines.front(),
                 "empty continuation line: a blank line inside an instruction continued with "
                 "an escape will become an error in a future release")
            .fix = std::move(fix);
    }
}

// "key value" rewritten as key=value with the same meaning, when that can be done safely.
std::optional<std::string> keyEqualsValue(const Instruction &inst, char escape)
{
    const std::string &key = inst.words[0].text;
    const std::string &value = inst.words[1].text;
    const auto split = parseWords(value, escape);
    if (split.size() == 1 && split[0].begin == 0 && split[0].end == value.size())
        return key + "=" + value;
    if (value.find_first_of("\"'") == std::string::npos && value.find(escape) == std::string::npos)
        return key + "=\"" + value + "\"";
    return std::nullopt;
}

void checkLegacyKeyValue(LintContext &c)
{
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        const Instruction &inst = c.instruction(i);
        if ((inst.keyword != Keyword::Env && inst.keyword != Keyword::Label) ||
            inst.words.size() != 2 || inst.words[0].text.find('=') != std::string::npos)
            continue;
        const std::string name = keywordName(inst.keyword);
        Finding &f = c.report(i, inst.argumentsRange,
                              "\"" + name + " key=value\" should be used instead of legacy \"" +
                                  name + " key value\" format");
        if (const auto text = keyEqualsValue(inst, c.document().escape)) {
            const std::size_t begin = inst.words[0].range.start.offset;
            f.fix =
                makeFix("Write key=value", begin, inst.words[1].range.end.offset - begin, *text);
        }
    }
}

std::string quoteLabelValue(std::string_view value, char escape)
{
    std::string out = "\"";
    for (const char ch : value) {
        if (ch == '"' || ch == '$' || ch == escape)
            out += escape;
        out += ch;
    }
    return out + "\"";
}

void checkMaintainer(LintContext &c)
{
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        const Instruction &inst = c.instruction(i);
        if (inst.keyword != Keyword::Maintainer)
            continue;
        Finding &f = c.report(i, inst.keywordRange,
                              "MAINTAINER is deprecated: use LABEL "
                              "org.opencontainers.image.authors=\"...\" instead");
        if (inst.arguments.empty())
            continue;
        const std::string text = matchCase("LABEL", inst.keywordText) +
                                 " org.opencontainers.image.authors=" +
                                 quoteLabelValue(inst.arguments, c.document().escape);
        const Range &r = inst.range;
        f.fix =
            makeFix("Replace with a LABEL", r.start.offset, r.end.offset - r.start.offset, text);
    }
}

void checkExposeProtocolCasing(LintContext &c)
{
    for (std::size_t i = 0; i < c.instructions().size(); ++i) {
        const Instruction &inst = c.instruction(i);
        if (inst.keyword != Keyword::Expose)
            continue;
        for (const auto &w : inst.words) {
            const std::size_t slash = w.text.find('/');
            if (slash == std::string::npos)
                continue;
            const std::string proto = w.text.substr(slash + 1);
            if (proto == toLower(proto))
                continue;
            Finding &f =
                c.report(i, w.range, "protocol \"" + proto + "\" in EXPOSE should be lower case");
            if (c.text(w.range) == w.text)
                f.fix = makeFix("Write \"" + toLower(proto) + "\"",
                                w.range.start.offset + slash + 1, proto.size(), toLower(proto));
        }
    }
}

} // namespace

void addStyleRules(std::vector<LintRule> &rules)
{
    rules.push_back(
        {{.id = "ConsistentInstructionCasing",
          .severity = Severity::Info,
          .title = "Instructions should use the same casing",
          .explanation = "Instructions work in any case, but a file that mixes RUN and run is "
                         "harder to read. Write them all like the majority of the file.",
          .fixable = true},
         checkInstructionCasing});
    rules.push_back(
        {{.id = "NoEmptyContinuation",
          .severity = Severity::Warning,
          .title = "Empty continuation lines will become errors",
          .explanation = "A blank line inside an instruction continued with \\ is skipped "
                         "today, but Docker plans to make it an error. Remove the blank line.",
          .fixable = true},
         checkEmptyContinuation});
    rules.push_back(
        {{.id = "LegacyKeyValueFormat",
          .severity = Severity::Warning,
          .title = "Use ENV and LABEL with key=value",
          .explanation = "\"ENV key value\" is an old form: everything after the first space "
                         "becomes the value, so one instruction cannot set two variables and "
                         "\"ENV A B C\" sets A to \"B C\". Write ENV key=value.",
          .fixable = true},
         checkLegacyKeyValue});
    rules.push_back(
        {{.id = "MaintainerDeprecated",
          .severity = Severity::Warning,
          .title = "MAINTAINER is deprecated",
          .explanation = "MAINTAINER is deprecated; the image author is recorded with LABEL "
                         "org.opencontainers.image.authors=\"name <mail>\", which tools "
                         "understand. hadolint calls this DL4000.",
          .fixable = true,
          .aliases = {"DL4000"}},
         checkMaintainer});
    rules.push_back({{.id = "ExposeProtoCasing",
                      .severity = Severity::Info,
                      .title = "Protocols in EXPOSE should be lower case",
                      .explanation = "Write EXPOSE 53/udp, not 53/UDP: the lower-case form is "
                                     "the documented one.",
                      .fixable = true},
                     checkExposeProtocolCasing});
}

} // namespace Berth::Dockerfile::Internal
