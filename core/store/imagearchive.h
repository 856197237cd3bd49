#pragma once

#include "archive/stream.h"
#include "store/imagestore.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Berth::Store {

// How `berthctl save` writes images.
enum class ArchiveFormat {
    DockerArchive, // docker save: manifest.json, <config>.json, <diff id>/layer.tar
    OciArchive,    // a tar of an OCI image layout
};

// "docker-archive" or "oci-archive"; nullopt for anything else.
std::optional<ArchiveFormat> parseArchiveFormat(std::string_view name);

// Writes the named images (references, ids or digests) to `out` as one archive. A reference
// writes that tag; an id or digest writes the image untagged, as docker save does.
Result<void> saveImages(ImageStore &store, const std::vector<std::string> &names,
                        Archive::Writer &out, ArchiveFormat format);

// Loads every image of a docker or podman save archive, an OCI archive (a tar of a layout,
// plain or compressed) or an OCI layout directory. Every blob is verified as it is stored;
// a failed load keeps no image, no new blob and no new layer.
Result<std::vector<ImageInfo>> loadImages(ImageStore &store, const std::string &path);

} // namespace Berth::Store
