#pragma once

#include "engine/imagetypes.h"

namespace Berth::Internal {

// How one image list became another, keyed by image id.
struct ImageDiff
{
    QList<ImageSummary> added;
    QList<ImageSummary> changed;
    QStringList removed; // ids

    bool isEmpty() const { return added.isEmpty() && changed.isEmpty() && removed.isEmpty(); }
};

ImageDiff diffImages(const QList<ImageSummary> &before, const QList<ImageSummary> &after);

} // namespace Berth::Internal
