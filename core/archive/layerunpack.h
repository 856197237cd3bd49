#pragma once

#include "archive/extractor.h"

namespace Berth::Archive {

// The suffix of a layer directory still being (or left half) extracted.
inline constexpr std::string_view IncompleteSuffix = ".incomplete";

// Extracts a layer into `<layersDir>/<name>.incomplete` (locked with flock while in progress),
// syncs it, then renames it to `<layersDir>/<name>`: a crash leaves only an ".incomplete"
// directory, which sweepIncomplete() removes. A failed extraction removes its directory.
Result<ExtractStats> extractLayerAtomically(Reader &in, int layersDirFd, const std::string &name,
                                            const ExtractOptions &options = {});

// Removes every "*.incomplete" entry of `layersDirFd` that no live extraction holds locked;
// returns how many were removed. Never follows symlinks.
Result<int> sweepIncomplete(int layersDirFd);

} // namespace Berth::Archive
