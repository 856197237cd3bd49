#pragma once

#include "dockerfile/syntax.h"

#include <string>

namespace Berth::Dockerfile {

// The syntax tree as JSON (the schema is documented in the README), pretty-printed with a
// two-space indent. Invalid UTF-8 in the file is replaced with U+FFFD.
std::string toJson(const Document &document);

} // namespace Berth::Dockerfile
