#include "image/descriptor_p.h"

#include "image/mediatype.h"

namespace Berth::Image::Internal {

namespace {

Result<void> readDescriptorFields(const Fields &f, Descriptor &d)
{
    BERTH_TRY_ASSIGN(d.mediaType, f.string("mediaType", true));
    if (!MediaType::isWellFormed(d.mediaType))
        return fail(f.error("mediaType", "\"" + d.mediaType.substr(0, 80) +
                                             "\" is not a media type (type/subtype)"));
    BERTH_TRY_ASSIGN(d.digest, f.digest("digest", true));
    BERTH_TRY_ASSIGN(d.size, f.integer("size", true));
    if (d.size < 0)
        return fail(f.error("size", "must not be negative"));
    BERTH_TRY_ASSIGN(d.urls, f.strings("urls"));
    BERTH_TRY_ASSIGN(d.annotations, f.stringMap("annotations"));
    BERTH_TRY_ASSIGN(d.data, f.string("data"));
    BERTH_TRY_ASSIGN(d.artifactType, f.string("artifactType"));
    if (const Json *platform = f.find("platform")) {
        if (!platform->is_object())
            return fail(f.error("platform", "must be an object"));
        BERTH_TRY_ASSIGN(d.platform, readPlatform(Fields(*platform, f.pathOf("platform")), true));
    }
    return {};
}

} // namespace

Result<Descriptor> readDescriptor(const Json &json, const std::string &path)
{
    if (!json.is_object())
        return fail(ErrorCode::Parse, path + ": must be an object");
    Descriptor d;
    if (auto ok = readDescriptorFields(Fields(json, path), d); !ok)
        return fail(std::move(ok).error());
    return d;
}

Result<Descriptor> readDescriptor(const Fields &fields, std::string_view key)
{
    const Json *json = fields.find(key);
    if (!json)
        return fail(fields.error(key, "is required"));
    return readDescriptor(*json, fields.pathOf(key));
}

Result<std::vector<Descriptor>> readDescriptors(const Fields &fields, std::string_view key)
{
    const Json *list = fields.find(key);
    if (!list)
        return fail(fields.error(key, "is required"));
    if (!list->is_array())
        return fail(fields.error(key, "must be a list"));
    std::vector<Descriptor> out;
    out.reserve(list->size());
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto d = readDescriptor((*list)[i], fields.pathOf(key) + "[" + std::to_string(i) + "]");
        if (!d)
            return fail(std::move(d).error());
        out.push_back(std::move(*d));
    }
    return out;
}

Result<Platform> readPlatform(const Fields &f, bool required)
{
    Platform p;
    BERTH_TRY_ASSIGN(p.architecture, f.string("architecture", required));
    BERTH_TRY_ASSIGN(p.os, f.string("os", required));
    BERTH_TRY_ASSIGN(p.osVersion, f.string("os.version"));
    BERTH_TRY_ASSIGN(p.osFeatures, f.strings("os.features"));
    BERTH_TRY_ASSIGN(p.variant, f.string("variant"));
    return p;
}

OrderedJson writeDescriptor(const Descriptor &d)
{
    OrderedJson json = OrderedJson::object();
    json["mediaType"] = d.mediaType;
    json["digest"] = d.digest.toString();
    json["size"] = d.size;
    putNonEmpty(json, "urls", d.urls);
    putNonEmpty(json, "annotations", d.annotations);
    putNonEmpty(json, "data", d.data);
    if (d.platform) {
        OrderedJson platform = OrderedJson::object();
        writePlatform(platform, *d.platform);
        json["platform"] = std::move(platform);
    }
    putNonEmpty(json, "artifactType", d.artifactType);
    return json;
}

void writePlatform(OrderedJson &json, const Platform &p)
{
    json["architecture"] = p.architecture;
    json["os"] = p.os;
    putNonEmpty(json, "os.version", p.osVersion);
    putNonEmpty(json, "os.features", p.osFeatures);
    putNonEmpty(json, "variant", p.variant);
}

} // namespace Berth::Image::Internal
