#pragma once

#include "base/result.h"
#include "image/descriptor.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace Berth::Image {

// An image manifest: OCI image manifest or Docker image manifest v2 schema 2.
struct Manifest
{
    int schemaVersion = 2;
    // As declared; empty when the document does not say (then it is an OCI manifest).
    std::string mediaType;
    std::string artifactType;
    Descriptor config;
    std::vector<Descriptor> layers;
    std::optional<Descriptor> subject;
    std::map<std::string, std::string> annotations;

    friend bool operator==(const Manifest &, const Manifest &) = default;
};

// An index of manifests: OCI image index or Docker manifest list.
struct Index
{
    int schemaVersion = 2;
    // As declared; empty when the document does not say (then it is an OCI index).
    std::string mediaType;
    std::string artifactType;
    std::vector<Descriptor> manifests;
    std::optional<Descriptor> subject;
    std::map<std::string, std::string> annotations;

    // The manifest to run on `platform`: an exact match first, else the closest older variant
    // it can run (arm/v6 for arm/v7); the first of equals wins. nullptr when none fits.
    const Descriptor *select(const Platform &platform) const;

    friend bool operator==(const Index &, const Index &) = default;
};

// Parses a manifest. `mediaTypeHint` is what the sender called it (a registry's
// Content-Type, a descriptor's mediaType); a declared mediaType contradicting it is an error.
Result<Manifest> parseManifest(std::string_view bytes, std::string_view mediaTypeHint = {});
// Parses an index (OCI image index or Docker manifest list).
Result<Index> parseIndex(std::string_view bytes, std::string_view mediaTypeHint = {});
// Parses either, telling them apart by their members, declared mediaType and the hint; a
// document with both "manifests" and "config"/"layers" is refused as ambiguous.
Result<std::variant<Manifest, Index>> parseManifestOrIndex(std::string_view bytes,
                                                           std::string_view mediaTypeHint = {});

// Canonical compact JSON: the spec's field order, empty optional members left out.
std::string toJson(const Manifest &manifest);
std::string toJson(const Index &index);

// A manifest or index with the exact bytes it came from: its digest is the SHA-256 of these
// bytes, never of a re-serialisation.
struct ManifestDocument
{
    std::string bytes;
    Digest digest;
    std::string mediaType;
    std::variant<Manifest, Index> content;

    // Hashes and parses the same `bytes`; when `expected` is given, a different digest is an
    // error.
    static Result<ManifestDocument> parse(std::string bytes, std::string_view mediaTypeHint = {},
                                          const Digest &expected = {});

    bool isIndex() const { return std::holds_alternative<Index>(content); }
    const Manifest *manifest() const { return std::get_if<Manifest>(&content); }
    const Index *index() const { return std::get_if<Index>(&content); }
    // A descriptor of these bytes (mediaType, digest, size), to put in an index or layout.
    Descriptor descriptor() const;
};

} // namespace Berth::Image
