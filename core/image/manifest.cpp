#include "image/manifest.h"

#include "image/descriptor_p.h"
#include "image/mediatype.h"

namespace Berth::Image {

using namespace Internal;

namespace {

enum class Kind { Manifest, Index };

const char *kindName(Kind kind)
{
    return kind == Kind::Manifest ? "an image manifest" : "an index";
}

std::string inQuotes(std::string_view text)
{
    return "\"" + std::string(text.substr(0, 100)) + "\"";
}

Error schema1Error(std::string_view what)
{
    return Error(ErrorCode::Unsupported,
                 std::string(what) + ": Docker image manifest schema 1 is deprecated and not "
                                     "supported; push the image again with a current client");
}

// The kind a media type names, if it names one; schema 1 is refused.
Result<std::optional<Kind>> kindOfMediaType(std::string_view mediaType, std::string_view what)
{
    if (MediaType::isSchema1(mediaType))
        return fail(schema1Error(what));
    if (MediaType::isManifest(mediaType))
        return std::optional(Kind::Manifest);
    if (MediaType::isIndex(mediaType))
        return std::optional(Kind::Index);
    return std::optional<Kind>();
}

Result<void> checkSchemaVersion(const Fields &f, std::string_view what)
{
    auto version = f.integer("schemaVersion", true);
    if (!version)
        return fail(std::move(version).error());
    if (*version == 1)
        return fail(schema1Error(what));
    if (*version != 2)
        return fail(ErrorCode::Unsupported, std::string(what) + ": schemaVersion " +
                                                std::to_string(*version) +
                                                " is not supported (expected 2)");
    return {};
}

// What the members say: "manifests" for an index, "config" or "layers" for a manifest.
Result<std::optional<Kind>> structuralKind(const Fields &f, std::string_view what)
{
    const bool hasManifests = f.has("manifests");
    const bool hasImageMembers = f.has("config") || f.has("layers");
    if (hasManifests && hasImageMembers)
        return fail(ErrorCode::Parse, std::string(what) +
                                          ": ambiguous: both a manifest and an index (it has "
                                          "\"manifests\" and \"config\" or \"layers\")");
    if (hasManifests)
        return std::optional(Kind::Index);
    if (hasImageMembers)
        return std::optional(Kind::Manifest);
    return std::optional<Kind>();
}

// Tells a manifest from an index by the members, the declared mediaType and the hint, and
// refuses any contradiction between the three.
Result<Kind> classify(const Json &json, std::string_view hint, std::string_view what)
{
    const Fields f(json, std::string(what));
    auto declared = f.string("mediaType");
    if (!declared)
        return fail(std::move(declared).error());
    auto declaredKind = kindOfMediaType(*declared, what);
    if (!declaredKind)
        return fail(std::move(declaredKind).error());
    if (!declared->empty() && !*declaredKind)
        return fail(ErrorCode::Unsupported,
                    std::string(what) + ": unsupported media type " + inQuotes(*declared));
    auto hintKind = kindOfMediaType(hint, what);
    if (!hintKind)
        return fail(std::move(hintKind).error());
    if (auto ok = checkSchemaVersion(f, what); !ok)
        return fail(std::move(ok).error());
    if (*hintKind && !declared->empty() && *declared != hint)
        return fail(ErrorCode::Parse, std::string(what) + ": declared media type " +
                                          inQuotes(*declared) + " contradicts the expected " +
                                          inQuotes(hint));
    auto structural = structuralKind(f, what);
    if (!structural)
        return fail(std::move(structural).error());
    const std::optional<Kind> named = *declaredKind ? *declaredKind : *hintKind;
    if (*structural && named && **structural != *named)
        return fail(ErrorCode::Parse, std::string(what) + ": media type " +
                                          inQuotes(declared->empty() ? hint : *declared) +
                                          " names " + kindName(*named) + " but the document is " +
                                          kindName(**structural));
    if (*structural)
        return **structural;
    if (named)
        return *named;
    return fail(ErrorCode::Parse, std::string(what) +
                                      ": neither a manifest (no \"config\" or "
                                      "\"layers\") nor an index (no \"manifests\")");
}

Result<Manifest> readManifest(const Json &json, std::string_view what)
{
    const Fields f(json, std::string(what));
    Manifest m;
    BERTH_TRY_ASSIGN(m.mediaType, f.string("mediaType"));
    BERTH_TRY_ASSIGN(m.artifactType, f.string("artifactType"));
    BERTH_TRY_ASSIGN(m.config, readDescriptor(f, "config"));
    BERTH_TRY_ASSIGN(m.layers, readDescriptors(f, "layers"));
    if (f.has("subject"))
        BERTH_TRY_ASSIGN(m.subject, readDescriptor(f, "subject"));
    BERTH_TRY_ASSIGN(m.annotations, f.stringMap("annotations"));
    return m;
}

Result<Index> readIndex(const Json &json, std::string_view what)
{
    const Fields f(json, std::string(what));
    Index index;
    BERTH_TRY_ASSIGN(index.mediaType, f.string("mediaType"));
    BERTH_TRY_ASSIGN(index.artifactType, f.string("artifactType"));
    BERTH_TRY_ASSIGN(index.manifests, readDescriptors(f, "manifests"));
    if (f.has("subject"))
        BERTH_TRY_ASSIGN(index.subject, readDescriptor(f, "subject"));
    BERTH_TRY_ASSIGN(index.annotations, f.stringMap("annotations"));
    return index;
}

Result<std::variant<Manifest, Index>> parseAny(std::string_view bytes, std::string_view hint,
                                               std::optional<Kind> wanted)
{
    const char *what = !wanted ? "manifest" : *wanted == Kind::Manifest ? "manifest" : "index";
    auto json = parseObject(bytes, what);
    if (!json)
        return fail(std::move(json).error());
    try {
        auto kind = classify(*json, hint, what);
        if (!kind)
            return fail(std::move(kind).error());
        if (wanted && *kind != *wanted)
            return fail(ErrorCode::Parse, std::string(what) + ": expected " + kindName(*wanted) +
                                              ", got " + kindName(*kind));
        std::variant<Manifest, Index> out;
        if (*kind == Kind::Manifest)
            BERTH_TRY_ASSIGN(out, readManifest(*json, what));
        else
            BERTH_TRY_ASSIGN(out, readIndex(*json, what));
        return out;
    } catch (const Json::exception &e) {
        return fail(ErrorCode::Parse, std::string(what) + ": " + e.what());
    }
}

void writeCommon(OrderedJson &json, int schemaVersion, const std::string &mediaType,
                 const std::string &artifactType)
{
    json["schemaVersion"] = schemaVersion;
    putNonEmpty(json, "mediaType", mediaType);
    putNonEmpty(json, "artifactType", artifactType);
}

} // namespace

const Descriptor *Index::select(const Platform &platform) const
{
    const Descriptor *best = nullptr;
    int bestRank = -1;
    for (const Descriptor &d : manifests) {
        if (!d.platform)
            continue;
        const int rank = d.platform->compatibility(platform);
        if (rank >= 0 && (!best || rank < bestRank)) {
            best = &d;
            bestRank = rank;
        }
    }
    return best;
}

Result<Manifest> parseManifest(std::string_view bytes, std::string_view mediaTypeHint)
{
    auto parsed = parseAny(bytes, mediaTypeHint, Kind::Manifest);
    if (!parsed)
        return fail(std::move(parsed).error());
    return std::get<Manifest>(std::move(*parsed));
}

Result<Index> parseIndex(std::string_view bytes, std::string_view mediaTypeHint)
{
    auto parsed = parseAny(bytes, mediaTypeHint, Kind::Index);
    if (!parsed)
        return fail(std::move(parsed).error());
    return std::get<Index>(std::move(*parsed));
}

Result<std::variant<Manifest, Index>> parseManifestOrIndex(std::string_view bytes,
                                                           std::string_view mediaTypeHint)
{
    return parseAny(bytes, mediaTypeHint, std::nullopt);
}

std::string toJson(const Manifest &m)
{
    OrderedJson json = OrderedJson::object();
    writeCommon(json, m.schemaVersion, m.mediaType, m.artifactType);
    json["config"] = writeDescriptor(m.config);
    json["layers"] = OrderedJson::array();
    for (const Descriptor &layer : m.layers)
        json["layers"].push_back(writeDescriptor(layer));
    if (m.subject)
        json["subject"] = writeDescriptor(*m.subject);
    putNonEmpty(json, "annotations", m.annotations);
    return dump(json);
}

std::string toJson(const Index &index)
{
    OrderedJson json = OrderedJson::object();
    writeCommon(json, index.schemaVersion, index.mediaType, index.artifactType);
    json["manifests"] = OrderedJson::array();
    for (const Descriptor &d : index.manifests)
        json["manifests"].push_back(writeDescriptor(d));
    if (index.subject)
        json["subject"] = writeDescriptor(*index.subject);
    putNonEmpty(json, "annotations", index.annotations);
    return dump(json);
}

Result<ManifestDocument> ManifestDocument::parse(std::string bytes, std::string_view mediaTypeHint,
                                                 const Digest &expected)
{
    ManifestDocument doc;
    doc.digest = Digest::sha256(bytes);
    if (!expected.isEmpty() && expected != doc.digest)
        return fail(ErrorCode::Invalid, "manifest digest mismatch: expected " +
                                            expected.toString() + ", got " + doc.digest.toString());
    auto content = parseManifestOrIndex(bytes, mediaTypeHint);
    if (!content)
        return fail(std::move(content).error());
    doc.content = std::move(*content);
    const std::string &declared =
        doc.isIndex() ? doc.index()->mediaType : doc.manifest()->mediaType;
    const bool hintFits =
        doc.isIndex() ? MediaType::isIndex(mediaTypeHint) : MediaType::isManifest(mediaTypeHint);
    if (!declared.empty())
        doc.mediaType = declared;
    else if (hintFits)
        doc.mediaType = std::string(mediaTypeHint);
    else
        doc.mediaType = std::string(doc.isIndex() ? MediaType::OciIndex : MediaType::OciManifest);
    doc.bytes = std::move(bytes);
    return doc;
}

Descriptor ManifestDocument::descriptor() const
{
    Descriptor d;
    d.mediaType = mediaType;
    d.digest = digest;
    d.size = static_cast<std::int64_t>(bytes.size());
    return d;
}

} // namespace Berth::Image
