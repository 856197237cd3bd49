#include "engine/engine.h"

#include "image/reference.h"

namespace Berth {

Result<QString> Engine::validateReference(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return fail(ErrorCode::Invalid, "the reference is empty");
    auto reference = Image::Reference::parse(trimmed.toStdString());
    if (!reference)
        return fail(std::move(reference).error());
    if (!reference->digest().isEmpty())
        return fail(ErrorCode::Invalid,
                    "a tag cannot contain a digest: \"" + trimmed.toStdString() + "\"");
    return QString::fromStdString(reference->withDefaultTag().familiar());
}

} // namespace Berth
