#pragma once

// Small real images for the engine and GUI tests, made through the store as berthctl makes them.

#include "archive/stream.h"
#include "archive/tarwriter.h"
#include "image/reference.h"
#include "store/imagestore.h"

#include <string>

namespace Berth::Testing {

// A root file system tar with one file, /hello, holding `text`.
inline std::string rootfsTar(const std::string &text)
{
    Archive::StringWriter out;
    Archive::TarWriter tar(out);
    Archive::TarEntry dir;
    dir.path = "etc";
    dir.type = Archive::TarEntry::Type::Directory;
    dir.mode = 0755;
    Archive::TarEntry file;
    file.path = "hello";
    file.size = std::int64_t(text.size());
    if (!tar.writeHeader(dir) || !tar.writeHeader(file) ||
        !tar.writeData(text.data(), text.size()) || !tar.finish())
        return {};
    return out.data();
}

// Imports that tar as `reference` through an ImageStore of its own, as another process would.
inline Result<Store::ImageInfo>
importWithOwnStore(const std::string &root, const std::string &reference, const std::string &text)
{
    auto store = Store::ImageStore::open(root);
    if (!store)
        return fail(std::move(store).error());
    auto parsed = Image::Reference::parse(reference);
    if (!parsed)
        return fail(std::move(parsed).error());
    const std::string tar = rootfsTar(text);
    Archive::MemoryReader reader(tar);
    return store->importRootfs(reader, *parsed);
}

} // namespace Berth::Testing
