#pragma once

#include "archive/uniquefd.h"
#include "base/digest.h"
#include "base/result.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <fcntl.h>
#include <string>

// What loading and saving archives share.
namespace Berth::Store::Internal {

using Json = nlohmann::json;

// "blobs/sha256/<hex>", a blob's name inside an OCI layout.
inline std::string blobName(const Digest &digest)
{
    return "blobs/" + digest.algorithm() + "/" + digest.hex();
}

inline Result<Archive::UniqueFd> openFile(const std::string &path)
{
    Archive::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.isValid())
        return fail(Error::fromErrno("open \"" + path + "\"", errno));
    return fd;
}

} // namespace Berth::Store::Internal
