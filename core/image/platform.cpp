#include "image/platform.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>

namespace Berth::Image {

namespace {

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool isKnownOs(std::string_view os)
{
    static constexpr std::array known = {"aix",     "android", "darwin",  "dragonfly", "freebsd",
                                         "illumos", "ios",     "js",      "linux",     "netbsd",
                                         "openbsd", "plan9",   "solaris", "wasip1",    "windows"};
    return std::find(known.begin(), known.end(), os) != known.end();
}

bool isKnownArch(std::string_view arch)
{
    static constexpr std::array known = {"386",     "amd64",   "arm",    "arm64",    "loong64",
                                         "mips",    "mipsle",  "mips64", "mips64le", "ppc64",
                                         "ppc64le", "riscv64", "s390x",  "wasm",     "x86_64",
                                         "aarch64", "i386",    "armhf",  "armel",    "x86-64"};
    return std::find(known.begin(), known.end(), arch) != known.end();
}

bool isComponent(std::string_view part)
{
    return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    });
}

// The variant's generation number ("v7" → 7, "v8.2" → 8), or -1 when it has none.
int generation(const std::string &variant)
{
    if (variant.size() < 2 || variant[0] != 'v' || variant[1] < '0' || variant[1] > '9')
        return -1;
    return std::atoi(variant.c_str() + 1);
}

} // namespace

Platform Platform::host()
{
    Platform p;
#if defined(__linux__)
    p.os = "linux";
#elif defined(__APPLE__)
    p.os = "darwin";
#elif defined(_WIN32)
    p.os = "windows";
#else
    p.os = "unknown";
#endif
#if defined(__x86_64__)
    p.architecture = "amd64";
#elif defined(__aarch64__)
    p.architecture = "arm64";
#elif defined(__arm__)
    p.architecture = "arm";
#if defined(__ARM_ARCH) && __ARM_ARCH >= 7
    p.variant = "v7";
#elif defined(__ARM_ARCH) && __ARM_ARCH == 6
    p.variant = "v6";
#else
    p.variant = "v5";
#endif
#elif defined(__i386__)
    p.architecture = "386";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    p.architecture = "ppc64le";
#elif defined(__s390x__)
    p.architecture = "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
    p.architecture = "riscv64";
#else
    p.architecture = "unknown";
#endif
    return p;
}

Result<Platform> Platform::parse(std::string_view text)
{
    auto bad = [&](const std::string &why) {
        return fail(ErrorCode::Parse,
                    "invalid platform \"" + std::string(text.substr(0, 80)) + "\": " + why);
    };
    const std::string lowered = lower(text);
    std::vector<std::string> parts;
    for (std::size_t start = 0;;) {
        const std::size_t slash = lowered.find('/', start);
        parts.push_back(lowered.substr(start, slash - start));
        if (slash == std::string::npos)
            break;
        start = slash + 1;
    }
    if (parts.size() > 3)
        return bad("expected os[/arch[/variant]]");
    if (!std::all_of(parts.begin(), parts.end(), isComponent))
        return bad("each part must be non-empty and hold only a-z, 0-9, '_', '-' or '.'");
    Platform p;
    if (parts.size() == 1) {
        // "linux" means the host's architecture; "arm64" means the host's os.
        const Platform here = host();
        if (isKnownOs(parts[0])) {
            p = here;
            p.os = parts[0];
        } else if (isKnownArch(parts[0])) {
            p.os = here.os;
            p.architecture = parts[0];
        } else {
            return bad("unknown operating system or architecture \"" + parts[0] + "\"");
        }
        return p;
    }
    p.os = parts[0];
    p.architecture = parts[1];
    if (parts.size() == 3)
        p.variant = parts[2];
    return p;
}

Platform Platform::normalized() const
{
    Platform p = *this;
    p.os = lower(os);
    p.architecture = lower(architecture);
    p.variant = lower(variant);
    if (p.os == "macos")
        p.os = "darwin";
    std::string &arch = p.architecture;
    std::string &var = p.variant;
    if (arch == "i386") {
        arch = "386";
        var.clear();
    } else if (arch == "x86_64" || arch == "x86-64" || arch == "amd64") {
        arch = "amd64";
        if (var == "v1")
            var.clear();
    } else if (arch == "aarch64" || arch == "arm64") {
        arch = "arm64";
        if (var == "8" || var == "v8" || var == "v8.0")
            var.clear();
        else if (var == "9" || var == "9.0" || var == "v9.0")
            var = "v9";
    } else if (arch == "armhf") {
        arch = "arm";
        var = "v7";
    } else if (arch == "armel") {
        arch = "arm";
        var = "v6";
    } else if (arch == "arm") {
        if (var.empty() || var == "7")
            var = "v7";
        else if (var == "5" || var == "6" || var == "8")
            var = "v" + var;
    }
    return p;
}

bool Platform::matches(const Platform &wanted) const
{
    return compatibility(wanted) == 0;
}

int Platform::compatibility(const Platform &wanted) const
{
    const Platform have = normalized();
    const Platform want = wanted.normalized();
    if (have.os != want.os || have.architecture != want.architecture)
        return -1;
    if (have.variant == want.variant)
        return 0;
    // Older generations run on newer CPUs: arm v5..v8, amd64 v1..v4 (v1 is spelled "").
    if (have.architecture != "arm" && have.architecture != "amd64")
        return -1;
    const int haveGen = have.variant.empty() ? 1 : generation(have.variant);
    const int wantGen = want.variant.empty() ? 1 : generation(want.variant);
    if (haveGen < 0 || wantGen < 0 || haveGen > wantGen)
        return -1;
    return wantGen - haveGen;
}

std::string Platform::toString() const
{
    std::string out = os + '/' + architecture;
    if (!variant.empty())
        out += '/' + variant;
    return out;
}

} // namespace Berth::Image
