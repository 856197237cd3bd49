#include "dockerfile/values.h"

#include "dockerfile/words.h"

#include <array>
#include <climits>
#include <csignal>
#include <cstdlib>

namespace Berth::Dockerfile {

namespace {

struct Unit
{
    std::string_view name;
    double nanoseconds;
};

constexpr std::array<Unit, 8> s_units = {{{"ns", 1},
                                          {"us", 1e3},
                                          {"\xC2\xB5s", 1e3},
                                          {"\xCE\xBCs", 1e3},
                                          {"ms", 1e6},
                                          {"s", 1e9},
                                          {"m", 60e9},
                                          {"h", 3600e9}}};

struct SignalName
{
    const char *name;
    int number;
};

constexpr std::array<SignalName, 31> s_signals = {{
    {"HUP", SIGHUP},       {"INT", SIGINT},   {"QUIT", SIGQUIT},     {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT}, {"IOT", SIGIOT},       {"BUS", SIGBUS},
    {"FPE", SIGFPE},       {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2},     {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM},
    {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP},
    {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},
    {"XCPU", SIGXCPU},     {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},
    {"WINCH", SIGWINCH},   {"IO", SIGIO},     {"PWR", SIGPWR},
}};

bool allDigits(std::string_view s)
{
    if (s.empty())
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

} // namespace

Result<std::int64_t> parseDuration(std::string_view text)
{
    std::string_view s = text;
    bool negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s == "0")
        return std::int64_t(0);
    if (s.empty())
        return fail(ErrorCode::Parse, "empty duration");
    double total = 0;
    while (!s.empty()) {
        std::size_t i = 0;
        while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
            ++i;
        if (i == 0 || s.substr(0, i) == ".")
            return fail(ErrorCode::Parse, "expected a number in \"" + std::string(text) + "\"");
        const double value = std::strtod(std::string(s.substr(0, i)).c_str(), nullptr);
        s.remove_prefix(i);
        std::size_t u = 0;
        while (u < s.size() && !((s[u] >= '0' && s[u] <= '9') || s[u] == '.'))
            ++u;
        const std::string_view unit = s.substr(0, u);
        s.remove_prefix(u);
        const Unit *found = nullptr;
        for (const auto &candidate : s_units)
            if (candidate.name == unit)
                found = &candidate;
        if (!found)
            return fail(ErrorCode::Parse,
                        unit.empty() ? "missing unit in \"" + std::string(text) + "\" (e.g. 30s)"
                                     : "unknown unit \"" + std::string(unit) + "\" in \"" +
                                           std::string(text) + "\" (use ns, us, ms, s, m or h)");
        total += value * found->nanoseconds;
        if (total > 9.2e18)
            return fail(ErrorCode::Parse, "duration \"" + std::string(text) + "\" is too long");
    }
    return std::int64_t(negative ? -total : total);
}

std::optional<std::int64_t> parseInteger(std::string_view text)
{
    bool negative = false;
    if (!text.empty() && text[0] == '-') {
        negative = true;
        text.remove_prefix(1);
    }
    if (!allDigits(text) || text.size() > 18)
        return std::nullopt;
    std::int64_t v = 0;
    for (char c : text)
        v = v * 10 + (c - '0');
    return negative ? -v : v;
}

std::optional<int> parseSignal(std::string_view text)
{
    if (allDigits(text)) {
        const auto n = parseInteger(text);
        if (n && *n > 0 && *n <= 64)
            return int(*n);
        return std::nullopt;
    }
    std::string upper = Internal::toUpper(text);
    std::string_view name = upper;
    if (name.substr(0, 3) == "SIG")
        name.remove_prefix(3);
    for (const auto &s : s_signals)
        if (name == s.name)
            return s.number;
    for (std::string_view base : {"RTMIN", "RTMAX"}) {
        if (name.substr(0, base.size()) != base)
            continue;
        std::string_view rest = name.substr(base.size());
        const int anchor = base == "RTMIN" ? 34 : 64;
        if (rest.empty())
            return anchor;
        const bool plus = rest[0] == '+';
        if ((plus || rest[0] == '-') && allDigits(rest.substr(1))) {
            const auto n = parseInteger(rest.substr(1));
            const std::int64_t v = plus ? anchor + *n : anchor - *n;
            if (n && v >= 34 && v <= 64)
                return int(v);
        }
    }
    return std::nullopt;
}

std::optional<PortSpec> parsePortSpec(std::string_view text)
{
    PortSpec spec;
    const std::size_t slash = text.find('/');
    std::string_view ports = text.substr(0, slash);
    if (slash != std::string_view::npos) {
        spec.protocol = Internal::toLower(text.substr(slash + 1));
        if (spec.protocol != "tcp" && spec.protocol != "udp" && spec.protocol != "sctp")
            return std::nullopt;
    }
    const std::size_t dash = ports.find('-');
    const auto first =
        allDigits(ports.substr(0, dash)) ? parseInteger(ports.substr(0, dash)) : std::nullopt;
    const auto last = dash == std::string_view::npos ? first
                                                     : (allDigits(ports.substr(dash + 1))
                                                            ? parseInteger(ports.substr(dash + 1))
                                                            : std::nullopt);
    if (!first || !last || *first < 0 || *last > 65535 || *first > *last)
        return std::nullopt;
    spec.first = int(*first);
    spec.last = int(*last);
    return spec;
}

bool isValidChmod(std::string_view text)
{
    if (allDigits(text))
        return text.size() <= 4 && text.find_first_of("89") == std::string_view::npos;
    // Symbolic: clauses like u+x, go-w, a=rX separated by commas.
    if (text.empty())
        return false;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::string_view("ugoa").find(text[i]) != std::string_view::npos)
            ++i;
        if (i >= text.size() || std::string_view("+-=").find(text[i]) == std::string_view::npos)
            return false;
        while (i < text.size() && std::string_view("+-=").find(text[i]) != std::string_view::npos) {
            ++i;
            while (i < text.size() &&
                   std::string_view("rwxXstugo").find(text[i]) != std::string_view::npos)
                ++i;
        }
        if (i < text.size()) {
            if (text[i] != ',')
                return false;
            ++i;
            if (i == text.size())
                return false;
        }
    }
    return true;
}

} // namespace Berth::Dockerfile
