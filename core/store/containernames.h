#pragma once

#include "base/result.h"

#include <string>
#include <string_view>

// Ids and names of containers, as Docker makes and checks them.
namespace Berth::Store {

// 64 random hex characters (from getrandom).
std::string newContainerId();

// "brave_curie": an adjective and a scientist, as Docker names containers; `attempt` > 0 adds
// a number, for when the name is taken.
std::string randomContainerName(int attempt = 0);

// Docker's rule: [a-zA-Z0-9][a-zA-Z0-9_.-]+ (a leading "/" is dropped). The error names the
// rule.
Result<std::string> checkContainerName(std::string_view name);

} // namespace Berth::Store
