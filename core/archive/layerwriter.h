#pragma once

#include "archive/compression.h"
#include "archive/tarwriter.h"
#include "base/digest.h"

namespace Berth::Archive {

struct TreeOptions
{
    // The directory is an overlayfs upper dir: char devices 0/0 become ".wh.NAME" entries and
    // opaque directories get a ".wh..wh..opq" entry (what the builder does for RUN layers).
    bool overlayUpper = false;
    // Clamp every mtime to this (SOURCE_DATE_EPOCH); negative for none.
    std::int64_t maxMtime = -1;
};

// Adds everything under `dirFd` (not the directory itself) to `tar`, walking each directory
// in bytewise name order, parents before children. Files seen twice by (device, inode) become
// hardlink entries; sockets are skipped.
Result<> addDirectoryTree(TarWriter &tar, int dirFd, const TreeOptions &options = {});

// A layer blob: the digest of the uncompressed tar (the diff ID), the digest and size of the
// compressed bytes (the blob itself).
struct LayerDigests
{
    Digest diffId;
    Digest digest;
    std::int64_t size = 0;
};

struct LayerWriteOptions
{
    Compression compression = Compression::Gzip;
    int level = -1; // the compressor's default
    TreeOptions tree;
};

// Writes the tree under `dirFd` as a compressed layer to `out`, computing both digests in the
// same single pass; `out` is finished at the end.
Result<LayerDigests> writeLayer(int dirFd, Writer &out, const LayerWriteOptions &options = {});

} // namespace Berth::Archive
