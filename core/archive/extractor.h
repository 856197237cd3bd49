#pragma once

#include "archive/compression.h"
#include "archive/stream.h"
#include "archive/tarreader.h"

#include <unistd.h>

#include <functional>
#include <string>
#include <vector>

namespace Berth::Archive {

// What to do with ".wh.NAME" and ".wh..wh..opq" entries.
enum class WhiteoutMode {
    Overlay, // record them as overlayfs does (char device 0/0, "overlay.opaque" xattr): for lower
             // dirs
    Apply,   // delete NAME / the directory's older contents: for applying a layer on a tree
};

// A range of ids: container ids [containerId, containerId + size) are hostId + offset.
struct IdMapping
{
    std::int64_t containerId = 0;
    std::int64_t hostId = 0;
    std::int64_t size = 0;
};

struct ExtractOptions
{
    WhiteoutMode whiteouts = WhiteoutMode::Overlay;
    // "trusted." for rootful overlayfs, "user." for rootless (mounted with userxattr).
    std::string overlayXattrPrefix = "trusted.";
    bool allowDevices = ::geteuid() == 0;      // else device nodes are skipped with a warning
    bool preserveOwnership = ::geteuid() == 0; // chown to the (mapped) uid/gid of each entry
    std::vector<IdMapping> uidMap;             // empty: ids are kept as they are
    std::vector<IdMapping> gidMap;
    ArchiveLimits limits;
    // The SHA-256 of the uncompressed tar (the layer's diff id): when set, content that does not
    // hash to it is an error, so a layer directory always holds what its name says.
    Digest expectedDiffId;
    // Told about what was skipped (device nodes, xattrs that could not be set).
    std::function<void(const std::string &)> warning;
};

struct ExtractStats
{
    std::int64_t entries = 0;
    std::int64_t uncompressedBytes = 0;
    Compression compression = Compression::None;
    Digest diffId; // the SHA-256 of the uncompressed tar
};

// Extracts a (plain, gzip or zstd) layer tar into the directory `destDirFd`. Every path is
// resolved inside it: ".." that climbs out is refused, absolute paths and symlinks are taken
// relative to it, so nothing outside is ever written. Errors name the entry:
// `layer entry "a/../../etc/passwd": path escapes the root`.
Result<ExtractStats> extractLayer(Reader &in, int destDirFd, const ExtractOptions &options = {});

} // namespace Berth::Archive
