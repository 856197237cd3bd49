#include "dockerfile/typed.h"

#include "dockerfile/values.h"
#include "dockerfile/words.h"

namespace Berth::Dockerfile {

std::string unquote(std::string_view word, char escape)
{
    std::string out;
    out.reserve(word.size());
    char quote = 0;
    for (std::size_t i = 0; i < word.size(); ++i) {
        const char c = word[i];
        if (quote == '\'') {
            if (c == '\'')
                quote = 0;
            else
                out += c;
        } else if (c == escape && i + 1 < word.size()) {
            // Inside double quotes only a few characters are escapable, as in the shell.
            const char n = word[i + 1];
            if (quote == '"' && n != '"' && n != escape && n != '$')
                out += c;
            out += n;
            ++i;
        } else if (quote == '"' && c == '"') {
            quote = 0;
        } else if (!quote && (c == '"' || c == '\'')) {
            quote = c;
        } else {
            out += c;
        }
    }
    return out;
}

std::optional<std::string> flagValue(const Instruction &instruction, std::string_view name)
{
    for (auto it = instruction.flags.rbegin(); it != instruction.flags.rend(); ++it)
        if (it->name == name)
            return it->value.value_or(std::string());
    return std::nullopt;
}

bool flagEnabled(const Instruction &instruction, std::string_view name)
{
    for (auto it = instruction.flags.rbegin(); it != instruction.flags.rend(); ++it)
        if (it->name == name)
            return !it->value || *it->value == "true";
    return false;
}

std::optional<FromCommand> fromCommand(const Instruction &instruction)
{
    if (instruction.keyword != Keyword::From || instruction.words.empty())
        return std::nullopt;
    const auto &w = instruction.words;
    FromCommand from;
    from.image = w[0].text;
    from.imageRange = w[0].range;
    from.platform = flagValue(instruction, "platform").value_or("");
    if (w.size() >= 2)
        from.asRange = w[1].range;
    if (w.size() >= 3) {
        from.stageName = w[2].text;
        from.stageNameRange = w[2].range;
    }
    return from;
}

KeyValueCommand keyValues(const Instruction &instruction, char escape)
{
    KeyValueCommand out;
    const auto &w = instruction.words;
    if (instruction.keyword != Keyword::Arg && !w.empty() &&
        w[0].text.find('=') == std::string::npos) {
        out.legacyForm = true;
        KeyValue kv{w[0].text, {}, {}, w.size() > 1, w[0].range};
        if (w.size() > 1) {
            kv.value = unquote(w[1].text, escape);
            kv.rawValue = w[1].text;
            kv.range.end = w[1].range.end;
        }
        out.pairs.push_back(std::move(kv));
        return out;
    }
    for (const auto &word : w) {
        const std::size_t eq = word.text.find('=');
        KeyValue kv;
        kv.range = word.range;
        kv.key = unquote(std::string_view(word.text).substr(0, eq), escape);
        if (eq != std::string::npos) {
            kv.hasValue = true;
            kv.rawValue = word.text.substr(eq + 1);
            kv.value = unquote(kv.rawValue, escape);
        }
        out.pairs.push_back(std::move(kv));
    }
    return out;
}

MountSpec parseMount(std::string_view value)
{
    MountSpec spec;
    std::size_t pos = 0;
    while (pos <= value.size()) {
        const std::size_t comma = std::min(value.find(',', pos), value.size());
        const std::string_view field = Internal::trimSpace(value.substr(pos, comma - pos));
        pos = comma + 1;
        if (field.empty())
            continue;
        const std::size_t eq = field.find('=');
        std::string key = Internal::toLower(field.substr(0, eq));
        std::string v = eq == std::string_view::npos ? "true" : std::string(field.substr(eq + 1));
        if (key == "type")
            spec.type = v;
        else if (key == "dst" || key == "destination")
            spec.options["target"] = v;
        else if (key == "src")
            spec.options["source"] = v;
        else
            spec.options[key] = v;
    }
    return spec;
}

CopyCommand copyCommand(const Instruction &instruction)
{
    CopyCommand copy;
    copy.isAdd = instruction.keyword == Keyword::Add;
    if (!instruction.words.empty()) {
        copy.sources.assign(instruction.words.begin(), instruction.words.end() - 1);
        copy.destination = instruction.words.back();
        if (instruction.words.size() == 1) {
            copy.sources.push_back(*copy.destination);
            copy.destination.reset();
        }
    }
    copy.from = flagValue(instruction, "from").value_or("");
    copy.chown = flagValue(instruction, "chown").value_or("");
    copy.chmod = flagValue(instruction, "chmod").value_or("");
    copy.checksum = flagValue(instruction, "checksum").value_or("");
    copy.link = flagEnabled(instruction, "link");
    copy.parents = flagEnabled(instruction, "parents");
    copy.keepGitDir = flagEnabled(instruction, "keep-git-dir");
    for (const auto &f : instruction.flags)
        if (f.name == "exclude" && f.value)
            copy.excludes.push_back(*f.value);
    return copy;
}

namespace {

CommandLine commandLine(const Instruction &instruction, std::size_t firstWord = 0)
{
    CommandLine cmd;
    cmd.form = instruction.form;
    for (std::size_t i = firstWord; i < instruction.words.size(); ++i)
        cmd.arguments.push_back(instruction.words[i].text);
    return cmd;
}

std::optional<std::int64_t> durationFlag(const Instruction &instruction, std::string_view name)
{
    const auto v = flagValue(instruction, name);
    if (!v)
        return std::nullopt;
    const auto d = parseDuration(*v);
    return d ? std::optional<std::int64_t>(*d) : std::nullopt;
}

} // namespace

HealthcheckCommand healthcheckCommand(const Instruction &instruction)
{
    HealthcheckCommand hc;
    if (!instruction.words.empty() &&
        Internal::equalsIgnoreCase(instruction.words[0].text, "NONE")) {
        hc.none = true;
        return hc;
    }
    hc.command = commandLine(instruction, 1);
    hc.interval = durationFlag(instruction, "interval");
    hc.timeout = durationFlag(instruction, "timeout");
    hc.startPeriod = durationFlag(instruction, "start-period");
    hc.startInterval = durationFlag(instruction, "start-interval");
    if (const auto r = flagValue(instruction, "retries"))
        if (const auto n = parseInteger(*r); n && *n >= 0 && *n <= 1'000'000)
            hc.retries = int(*n);
    return hc;
}

TypedInstruction toTyped(const Instruction &instruction, char escape)
{
    switch (instruction.keyword) {
    case Keyword::From:
        if (auto from = fromCommand(instruction))
            return *from;
        return FromCommand{};
    case Keyword::Run: {
        RunCommand run;
        run.command = commandLine(instruction);
        for (const auto &f : instruction.flags)
            if (f.name == "mount" && f.value) {
                run.mounts.push_back(parseMount(*f.value));
                run.mounts.back().range = f.range;
            }
        run.network = flagValue(instruction, "network").value_or("");
        run.security = flagValue(instruction, "security").value_or("");
        run.hasHeredoc = !instruction.heredocs.empty();
        return run;
    }
    case Keyword::Cmd:
    case Keyword::Entrypoint:
    case Keyword::Shell: return commandLine(instruction);
    case Keyword::Add:
    case Keyword::Copy: return copyCommand(instruction);
    case Keyword::Healthcheck: return healthcheckCommand(instruction);
    case Keyword::Env:
    case Keyword::Label:
    case Keyword::Arg: return keyValues(instruction, escape);
    case Keyword::User:
    case Keyword::Workdir:
    case Keyword::Stopsignal:
    case Keyword::Maintainer: return ValueCommand{instruction.arguments};
    case Keyword::Expose:
    case Keyword::Volume: return ListCommand{instruction.words};
    case Keyword::Onbuild: return OnbuildCommand{instruction.trigger.get()};
    case Keyword::Unknown: break;
    }
    return std::monostate{};
}

} // namespace Berth::Dockerfile
