#pragma once

#include "archive/stream.h"
#include "store/imagestore.h"

#include <cstdint>
#include <functional>
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

struct LoadOptions
{
    // Told how many bytes of the input were read, of how many will be (an archive is read
    // twice), and before each layer is unpacked; returning false cancels the load.
    std::function<bool(std::int64_t done, std::int64_t total)> progress;
};

// Loads every image of a docker or podman save archive, an OCI archive (a tar of a layout,
// plain or compressed) or an OCI layout directory. Every blob is verified as it is stored;
// a failed or cancelled load keeps no image, no new blob and no new layer.
Result<std::vector<ImageInfo>> loadImages(ImageStore &store, const std::string &path,
                                          const LoadOptions &options = {});

} // namespace Berth::Store
