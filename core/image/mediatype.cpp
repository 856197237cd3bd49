#include "image/mediatype.h"

#include <algorithm>

namespace Berth::Image::MediaType {

namespace {

bool isRestrictedName(std::string_view name)
{
    // RFC 6838 section 4.2: 1 to 127 characters, starting with a letter or digit.
    auto alnum = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    };
    if (name.empty() || name.size() > 127 || !alnum(name.front()))
        return false;
    return std::all_of(name.begin(), name.end(), [&](char c) {
        return alnum(c) || std::string_view("!#$&^_.+-").find(c) != std::string_view::npos;
    });
}

} // namespace

bool isManifest(std::string_view mediaType)
{
    return mediaType == OciManifest || mediaType == DockerManifest;
}

bool isIndex(std::string_view mediaType)
{
    return mediaType == OciIndex || mediaType == DockerManifestList;
}

bool isSchema1(std::string_view mediaType)
{
    return mediaType == DockerSchema1Manifest || mediaType == DockerSchema1SignedManifest;
}

bool isImageConfig(std::string_view mediaType)
{
    return mediaType == OciConfig || mediaType == DockerConfig;
}

bool isLayer(std::string_view mediaType)
{
    static constexpr std::string_view layers[] = {
        OciLayer,
        OciLayerGzip,
        OciLayerZstd,
        OciLayerNondistributable,
        OciLayerNondistributableGzip,
        OciLayerNondistributableZstd,
        DockerLayerGzip,
        DockerForeignLayerGzip,
    };
    return std::find(std::begin(layers), std::end(layers), mediaType) != std::end(layers);
}

bool isWellFormed(std::string_view text)
{
    const std::size_t slash = text.find('/');
    if (slash == std::string_view::npos)
        return false;
    return isRestrictedName(text.substr(0, slash)) && isRestrictedName(text.substr(slash + 1));
}

} // namespace Berth::Image::MediaType
