#include "store/containernames.h"

#include <array>
#include <cstdint>
#include <sys/random.h>

namespace Berth::Store {

namespace {

constexpr std::array s_adjectives = {
    "admiring",   "agitated",    "amazing",  "awesome",       "blissful",   "bold",     "brave",
    "busy",       "charming",    "clever",   "compassionate", "confident",  "cool",     "dazzling",
    "determined", "eager",       "ecstatic", "elastic",       "elegant",    "eloquent", "epic",
    "exciting",   "fervent",     "festive",  "focused",       "friendly",   "frosty",   "funny",
    "gallant",    "gifted",      "goofy",    "gracious",      "happy",      "hopeful",  "hungry",
    "inspiring",  "intelligent", "jolly",    "keen",          "kind",       "laughing", "loving",
    "lucid",      "magical",     "modest",   "musing",        "mystifying", "nice",     "nifty",
    "nostalgic",  "optimistic",  "peaceful", "practical",     "priceless",  "quirky",   "relaxed",
    "romantic",   "serene",      "sharp",    "silly",         "sleepy",     "stoic",    "sweet",
    "tender",     "thirsty",     "trusting", "upbeat",        "vibrant",    "vigilant", "wizardly",
    "wonderful",  "youthful",    "zealous",  "zen",
};

constexpr std::array s_names = {
    "agnesi",     "albattani", "archimedes",  "babbage",    "bell",          "bhabha",
    "bohr",       "booth",     "brahmagupta", "carson",     "chandrasekhar", "curie",
    "darwin",     "dijkstra",  "einstein",    "euclid",     "euler",         "faraday",
    "fermat",     "fermi",     "feynman",     "franklin",   "galileo",       "gauss",
    "goldberg",   "goodall",   "hamilton",    "hawking",    "heisenberg",    "hodgkin",
    "hopper",     "hypatia",   "jackson",     "johnson",    "kepler",        "khorana",
    "knuth",      "lamarr",    "leakey",      "lovelace",   "lumiere",       "mayer",
    "mcclintock", "meitner",   "mendel",      "mirzakhani", "morse",         "napier",
    "newton",     "noether",   "pascal",      "pasteur",    "perlman",       "poincare",
    "raman",      "ramanujan", "ride",        "ritchie",    "shannon",       "sinoussi",
    "swanson",    "tesla",     "thompson",    "torvalds",   "turing",        "varahamihira",
    "wiles",      "wilson",    "wozniak",     "wright",     "yalow",         "yonath",
};

std::uint64_t randomNumber()
{
    std::uint64_t value = 0;
    while (::getrandom(&value, sizeof value, 0) != sizeof value) {
    }
    return value;
}

} // namespace

std::string newContainerId()
{
    static constexpr char s_hex[] = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 4; ++i) {
        std::uint64_t v = randomNumber();
        for (int j = 0; j < 16; ++j, v >>= 4)
            id += s_hex[v & 15];
    }
    return id;
}

std::string randomContainerName(int attempt)
{
    const std::uint64_t r = randomNumber();
    std::string name = std::string(s_adjectives[r % s_adjectives.size()]) + "_" +
                       s_names[(r >> 32) % s_names.size()];
    if (attempt > 0)
        name += std::to_string(randomNumber() % 10);
    return name;
}

Result<std::string> checkContainerName(std::string_view name)
{
    if (!name.empty() && name.front() == '/')
        name.remove_prefix(1);
    const auto allowed = [](char c, bool first) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               (!first && (c == '_' || c == '.' || c == '-'));
    };
    bool ok = name.size() >= 2;
    for (std::size_t i = 0; ok && i < name.size(); ++i)
        ok = allowed(name[i], i == 0);
    if (!ok)
        return fail(ErrorCode::Invalid,
                    "invalid container name \"" + std::string(name) +
                        "\": use two or more letters, digits, \"_\", \".\" or \"-\", starting with "
                        "a letter or a digit");
    return std::string(name);
}

} // namespace Berth::Store
