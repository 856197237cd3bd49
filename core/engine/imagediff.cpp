#include "engine/imagediff.h"

#include <QHash>

namespace Berth::Internal {

ImageDiff diffImages(const QList<ImageSummary> &before, const QList<ImageSummary> &after)
{
    QHash<QString, const ImageSummary *> old;
    old.reserve(before.size());
    for (const auto &image : before)
        old.insert(image.id, &image);
    ImageDiff diff;
    for (const auto &image : after) {
        const auto it = old.constFind(image.id);
        if (it == old.constEnd())
            diff.added.append(image);
        else if (!(**it == image))
            diff.changed.append(image);
        if (it != old.constEnd())
            old.erase(it);
    }
    // What is left was not in `after`; keep the order of `before`.
    for (const auto &image : before)
        if (old.contains(image.id))
            diff.removed.append(image.id);
    return diff;
}

} // namespace Berth::Internal
