#pragma once

#include "base/digest.h"
#include "base/result.h"

#include <string>
#include <string_view>

namespace Berth::Image {

// An image reference, normalised as Docker does (distribution/reference ParseNormalizedNamed):
// "busybox" is docker.io/library/busybox, "localhost:5000/app:1" keeps its registry.
class Reference
{
public:
    // Parses and normalises; errors say what is wrong ("repository name must be lowercase").
    static Result<Reference> parse(std::string_view text);

    // The registry: "docker.io", "localhost:5000", "[::1]:5000".
    const std::string &domain() const { return m_domain; }
    // The repository path inside the registry: "library/busybox".
    const std::string &path() const { return m_path; }
    // The tag, "" when none.
    const std::string &tag() const { return m_tag; }
    // The digest, empty when none.
    const Digest &digest() const { return m_digest; }

    // "docker.io/library/busybox".
    std::string name() const;
    // Fully qualified, with tag and/or digest: "docker.io/library/busybox:latest".
    std::string toString() const;
    // The short form Docker shows: "busybox:latest", "user/app", "localhost:5000/app:1".
    std::string familiar() const;
    // The familiar repository name without tag or digest: "busybox".
    std::string familiarName() const;

    // The same repository with this tag (not validated: use a tag from parse or isValidTag).
    Reference withTag(std::string tag) const;
    // The same repository and tag pinned to `digest`.
    Reference withDigest(Digest digest) const;
    // Adds ":latest" when there is neither tag nor digest.
    Reference withDefaultTag() const;

    // Whether `tag` matches [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
    static bool isValidTag(std::string_view tag);

    friend bool operator==(const Reference &, const Reference &) = default;

private:
    std::string m_domain;
    std::string m_path;
    std::string m_tag;
    Digest m_digest;
};

} // namespace Berth::Image
