#include "image/reference.h"

#include <algorithm>
#include <cctype>

namespace Berth::Image {

namespace {

constexpr std::string_view s_defaultDomain = "docker.io";
constexpr std::string_view s_legacyDefaultDomain = "index.docker.io";
constexpr std::string_view s_officialPrefix = "library/";
constexpr std::size_t s_nameMaxLength = 255;

bool isLowerAlnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool isAlnum(char c)
{
    return isLowerAlnum(c) || (c >= 'A' && c <= 'Z');
}

bool isWordChar(char c)
{
    return isAlnum(c) || c == '_';
}

bool hasUpper(std::string_view text)
{
    return std::any_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// [a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*
bool isPathComponent(std::string_view part)
{
    std::size_t i = 0;
    const std::size_t n = part.size();
    while (true) {
        const std::size_t start = i;
        while (i < n && isLowerAlnum(part[i]))
            ++i;
        if (i == start)
            return false;
        if (i == n)
            return true;
        const std::size_t sep = i;
        if (part[i] == '-') {
            while (i < n && part[i] == '-')
                ++i;
        } else if (part.substr(i, 2) == "__") {
            i += 2;
        } else if (part[i] == '.' || part[i] == '_') {
            ++i;
        }
        if (i == sep)
            return false;
    }
}

// [a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
bool isDomainComponent(std::string_view part)
{
    if (part.empty() || !isAlnum(part.front()) || !isAlnum(part.back()))
        return false;
    return std::all_of(part.begin(), part.end(), [](char c) { return isAlnum(c) || c == '-'; });
}

// (domain-name | "[" ipv6 "]") (":" port)?
bool isDomain(std::string_view domain)
{
    std::string_view host = domain;
    if (!domain.empty() && domain.front() == '[') {
        const std::size_t close = domain.find(']');
        if (close == std::string_view::npos || close == 1)
            return false;
        const std::string_view ip = domain.substr(1, close - 1);
        if (!std::all_of(ip.begin(), ip.end(), [](char c) {
                return std::isxdigit(static_cast<unsigned char>(c)) || c == ':';
            }))
            return false;
        host = {};
        domain = domain.substr(close + 1);
    } else {
        const std::size_t colon = domain.find(':');
        host = domain.substr(0, colon);
        domain = colon == std::string_view::npos ? std::string_view() : domain.substr(colon);
        for (std::size_t start = 0;;) {
            const std::size_t dot = host.find('.', start);
            if (!isDomainComponent(host.substr(start, dot - start)))
                return false;
            if (dot == std::string_view::npos)
                break;
            start = dot + 1;
        }
    }
    if (domain.empty())
        return true;
    const std::string_view port = domain.substr(1);
    return domain.front() == ':' && !port.empty() &&
           std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isHex64(std::string_view text)
{
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

std::string shown(std::string_view text)
{
    return text.size() > 100 ? std::string(text.substr(0, 100)) + "..." : std::string(text);
}

// Docker's splitDockerDomain: the first component is a registry only when it looks like one.
std::pair<std::string, std::string> splitDomain(std::string_view text)
{
    const std::size_t slash = text.find('/');
    const std::string_view first = text.substr(0, slash);
    std::string domain(s_defaultDomain);
    std::string remainder(text);
    if (slash != std::string_view::npos && (first.find_first_of(".:") != std::string_view::npos ||
                                            first == "localhost" || hasUpper(first))) {
        domain = std::string(first);
        remainder = std::string(text.substr(slash + 1));
    }
    if (domain == s_legacyDefaultDomain)
        domain = s_defaultDomain;
    if (domain == s_defaultDomain && remainder.find('/') == std::string::npos)
        remainder.insert(0, s_officialPrefix);
    return {domain, remainder};
}

// The first component of `path` that is not a valid path component, or "" when all are.
std::string_view badPathComponent(std::string_view path)
{
    for (std::size_t start = 0;;) {
        const std::size_t slash = path.find('/', start);
        const std::string_view part = path.substr(start, slash - start);
        if (!isPathComponent(part))
            return part.empty() ? std::string_view("/") : part;
        if (slash == std::string_view::npos)
            return {};
        start = slash + 1;
    }
}

} // namespace

Result<Reference> Reference::parse(std::string_view text)
{
    auto bad = [&](const std::string &why) {
        return fail(ErrorCode::Parse, "invalid reference \"" + shown(text) + "\": " + why);
    };
    if (text.empty())
        return bad("repository name must have at least one component");
    if (isHex64(text))
        return bad("a 64-character hexadecimal string is an image id, not a repository name");
    // The digest goes first, so that a '/' inside it is never taken for a registry separator.
    Reference ref;
    const std::size_t at = text.find('@');
    if (at != std::string_view::npos) {
        auto digest = Digest::parse(text.substr(at + 1));
        if (!digest)
            return bad(digest.error().message());
        ref.m_digest = *digest;
    }
    auto [domain, remainder] = splitDomain(text.substr(0, at));
    if (hasUpper(std::string_view(remainder).substr(0, remainder.find(':'))))
        return bad("repository name must be lowercase");

    std::string_view rest = remainder;
    if (const std::size_t colon = rest.find(':'); colon != std::string_view::npos) {
        ref.m_tag = std::string(rest.substr(colon + 1));
        if (!isValidTag(ref.m_tag))
            return bad("invalid tag \"" + shown(ref.m_tag) +
                       "\" (1 to 128 of A-Z a-z 0-9 _ . -, not starting with . or -)");
        rest = rest.substr(0, colon);
    }
    if (!isDomain(domain))
        return bad("invalid registry \"" + shown(domain) + "\"");
    if (const std::string_view part = badPathComponent(rest); !part.empty())
        return bad("invalid repository name component \"" + shown(part) +
                   "\" (lower-case letters and digits, separated by . _ __ or -)");
    ref.m_domain = std::move(domain);
    ref.m_path = std::string(rest);
    if (ref.name().size() > s_nameMaxLength)
        return bad("repository name must not be more than 255 characters");
    return ref;
}

std::string Reference::name() const
{
    return m_domain + '/' + m_path;
}

std::string Reference::toString() const
{
    std::string out = name();
    if (!m_tag.empty())
        out += ':' + m_tag;
    if (!m_digest.isEmpty())
        out += '@' + m_digest.toString();
    return out;
}

std::string Reference::familiarName() const
{
    // A first component that looks like a registry ("a.b/c" on Docker Hub) must keep the domain,
    // or the short form would name another registry (Docker prints it ambiguously).
    const std::string_view first = std::string_view(m_path).substr(0, m_path.find('/'));
    if (m_domain != s_defaultDomain || first.find('.') != std::string_view::npos ||
        first == "localhost")
        return name();
    // Only a single component under library/ is an official image: library/a/b stays whole.
    const std::string_view path = m_path;
    if (path.starts_with(s_officialPrefix) &&
        path.find('/', s_officialPrefix.size()) == std::string_view::npos)
        return std::string(path.substr(s_officialPrefix.size()));
    return m_path;
}

std::string Reference::familiar() const
{
    std::string out = familiarName();
    if (!m_tag.empty())
        out += ':' + m_tag;
    if (!m_digest.isEmpty())
        out += '@' + m_digest.toString();
    return out;
}

Reference Reference::withTag(std::string tag) const
{
    Reference ref = *this;
    ref.m_tag = std::move(tag);
    return ref;
}

Reference Reference::withDigest(Digest digest) const
{
    Reference ref = *this;
    ref.m_digest = std::move(digest);
    return ref;
}

Reference Reference::withDefaultTag() const
{
    return m_tag.empty() && m_digest.isEmpty() ? withTag("latest") : *this;
}

bool Reference::isValidTag(std::string_view tag)
{
    if (tag.empty() || tag.size() > 128 || !isWordChar(tag.front()))
        return false;
    return std::all_of(tag.begin(), tag.end(),
                       [](char c) { return isWordChar(c) || c == '.' || c == '-'; });
}

} // namespace Berth::Image
