#include "runtime/processconfig.h"
#include "runtime/containerspec.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <map>

namespace Berth::Runtime {

namespace {

const std::map<std::string_view, int> &signalNames()
{
    static const std::map<std::string_view, int> names = {
        {"ABRT", SIGABRT}, {"ALRM", SIGALRM}, {"BUS", SIGBUS},       {"CHLD", SIGCHLD},
        {"CLD", SIGCHLD},  {"CONT", SIGCONT}, {"FPE", SIGFPE},       {"HUP", SIGHUP},
        {"ILL", SIGILL},   {"INT", SIGINT},   {"IO", SIGIO},         {"IOT", SIGIOT},
        {"KILL", SIGKILL}, {"PIPE", SIGPIPE}, {"POLL", SIGPOLL},     {"PROF", SIGPROF},
        {"PWR", SIGPWR},   {"QUIT", SIGQUIT}, {"SEGV", SIGSEGV},     {"STKFLT", SIGSTKFLT},
        {"STOP", SIGSTOP}, {"SYS", SIGSYS},   {"TERM", SIGTERM},     {"TRAP", SIGTRAP},
        {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},
        {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"VTALRM", SIGVTALRM}, {"WINCH", SIGWINCH},
        {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},
    };
    return names;
}

std::string name(const std::string &assignment)
{
    return assignment.substr(0, assignment.find('='));
}

// Sets `assignment` (KEY=VALUE) in `env`, replacing an earlier value of KEY in place.
void setVariable(std::vector<std::string> &env, std::string assignment)
{
    const std::string key = name(assignment);
    const auto it =
        std::find_if(env.begin(), env.end(), [&](const std::string &e) { return name(e) == key; });
    if (it != env.end())
        *it = std::move(assignment);
    else
        env.push_back(std::move(assignment));
}

// "KEY=VALUE" as it is; "KEY" from the caller's environment (nullopt when the caller has none).
Result<std::optional<std::string>> assignment(const std::string &text, const HostEnvironment &host,
                                              const std::string &where)
{
    const std::string key = name(text);
    if (key.empty())
        return fail(ErrorCode::Invalid, where + "\"" + text + "\": a variable needs a name");
    if (key.find_first_of(" \t") != std::string::npos)
        return fail(ErrorCode::Invalid,
                    where + "\"" + text + "\": a variable name cannot contain a space");
    if (text.find('=') != std::string::npos)
        return std::optional<std::string>(text);
    if (auto value = host(key))
        return std::optional<std::string>(key + "=" + *value);
    return std::optional<std::string>();
}

// "/app/./x/../y/" -> "/app/y", as Docker cleans WORKDIR.
std::string cleanPath(const std::string &path)
{
    std::vector<std::string> parts;
    std::size_t at = 0;
    while (at <= path.size()) {
        const std::size_t slash = std::min(path.find('/', at), path.size());
        const std::string part = path.substr(at, slash - at);
        if (part == "..") {
            if (!parts.empty())
                parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        at = slash + 1;
    }
    std::string out;
    for (const auto &p : parts)
        out += "/" + p;
    return out.empty() ? "/" : out;
}

} // namespace

HostEnvironment processEnvironment()
{
    return [](const std::string &key) -> std::optional<std::string> {
        if (const char *value = std::getenv(key.c_str()))
            return std::string(value);
        return std::nullopt;
    };
}

Result<int> parseSignal(std::string_view text)
{
    int number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec == std::errc() && end == text.data() + text.size()) {
        if (number < 1 || number > SIGRTMAX)
            return fail(ErrorCode::Invalid, "\"" + std::string(text) + "\": not a signal number");
        return number;
    }
    std::string upper(text);
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return char(std::toupper(c)); });
    if (upper.rfind("SIG", 0) == 0)
        upper.erase(0, 3);
    if (const auto it = signalNames().find(upper); it != signalNames().end())
        return it->second;
    // RTMIN+n and RTMAX-n, as Docker names the real-time signals.
    for (const auto &[base, sign] :
         {std::pair{std::string_view("RTMIN"), 1}, std::pair{std::string_view("RTMAX"), -1}}) {
        if (upper.rfind(base, 0) != 0)
            continue;
        const std::string_view rest = std::string_view(upper).substr(base.size());
        int offset = 0;
        if (!rest.empty()) {
            if (rest[0] != (sign > 0 ? '+' : '-'))
                break;
            const auto [e, err] =
                std::from_chars(rest.data() + 1, rest.data() + rest.size(), offset);
            if (err != std::errc() || e != rest.data() + rest.size())
                break;
        }
        const int value = (sign > 0 ? SIGRTMIN : SIGRTMAX) + sign * offset;
        if (value >= SIGRTMIN && value <= SIGRTMAX)
            return value;
        break;
    }
    return fail(ErrorCode::Invalid, "\"" + std::string(text) + "\": unknown signal");
}

Result<std::vector<std::string>> readEnvFile(const std::string &path, const HostEnvironment &host)
{
    std::ifstream in(path);
    if (!in)
        return fail(Error::fromErrno("open \"" + path + "\"", errno));
    std::vector<std::string> out;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        const std::size_t start = line.find_first_not_of(" \t");
        if (start == std::string::npos || line[start] == '#')
            continue;
        line.erase(0, start); // Docker trims leading space, keeps the rest of the value as is
        auto parsed = assignment(line, host, path + ":" + std::to_string(number) + ": ");
        if (!parsed)
            return fail(std::move(parsed).error());
        if (*parsed)
            out.push_back(std::move(**parsed));
    }
    return out;
}

Result<ProcessConfig> resolveProcess(const Image::ContainerConfig &image,
                                     const RunOverrides &overrides, const HostEnvironment &host)
{
    ProcessConfig out;
    std::vector<std::string> entrypoint = image.entrypoint.value_or(std::vector<std::string>());
    std::vector<std::string> cmd = image.cmd.value_or(std::vector<std::string>());
    if (overrides.entrypoint) {
        entrypoint = overrides.entrypoint->empty() ? std::vector<std::string>()
                                                   : std::vector{*overrides.entrypoint};
        cmd.clear(); // Docker drops the image's CMD with its ENTRYPOINT
    }
    if (!overrides.args.empty())
        cmd = overrides.args;
    out.args = entrypoint;
    out.args.insert(out.args.end(), cmd.begin(), cmd.end());
    if (out.args.empty())
        return fail(ErrorCode::Invalid,
                    "no command specified: the image has neither ENTRYPOINT nor CMD (give one "
                    "after the image name)");

    for (const auto &e : image.env)
        setVariable(out.env, e);
    for (const auto &file : overrides.envFiles) {
        auto lines = readEnvFile(file, host);
        if (!lines)
            return fail(std::move(lines).error().wrap("--env-file"));
        for (auto &e : *lines)
            setVariable(out.env, std::move(e));
    }
    for (const auto &e : overrides.env) {
        auto parsed = assignment(e, host, "-e ");
        if (!parsed)
            return fail(std::move(parsed).error());
        if (*parsed)
            setVariable(out.env, std::move(**parsed));
    }
    if (std::none_of(out.env.begin(), out.env.end(),
                     [](const std::string &e) { return name(e) == "PATH"; }))
        out.env.insert(out.env.begin(), DefaultPathEnv);

    out.user = overrides.user.value_or(image.user);
    const std::string workdir = overrides.workdir.value_or(image.workingDir);
    if (!workdir.empty() && workdir[0] != '/')
        return fail(ErrorCode::Invalid, "the working directory \"" + workdir +
                                            "\" is invalid: it must be an absolute path");
    out.workdir = cleanPath(workdir);

    const std::string signal = overrides.stopSignal.value_or(image.stopSignal);
    if (!signal.empty()) {
        auto number = parseSignal(signal);
        if (!number)
            return fail(std::move(number).error().wrap(
                overrides.stopSignal ? "--stop-signal" : "the image's STOPSIGNAL"));
        out.stopSignal = *number;
    }
    return out;
}

} // namespace Berth::Runtime
