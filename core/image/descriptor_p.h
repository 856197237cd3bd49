#pragma once

#include "image/descriptor.h"
#include "image/jsonfields_p.h"

namespace Berth::Image::Internal {

// Reads the descriptor member `key` of `fields`; it must be an object.
Result<Descriptor> readDescriptor(const Fields &fields, std::string_view key);
// Reads a descriptor from `json`, naming it `path` in errors.
Result<Descriptor> readDescriptor(const Json &json, const std::string &path);
// Reads the list of descriptors `key` (required), as "layers" and "manifests" are.
Result<std::vector<Descriptor>> readDescriptors(const Fields &fields, std::string_view key);
// Reads os, architecture, variant, os.version and os.features from an object.
Result<Platform> readPlatform(const Fields &fields, bool required);

OrderedJson writeDescriptor(const Descriptor &descriptor);
// Writes the platform's members into `json`, in the order of the Go structs.
void writePlatform(OrderedJson &json, const Platform &platform);

} // namespace Berth::Image::Internal
