#pragma once

#include "runtime/childfailure.h"
#include "runtime/sandbox_p.h"

namespace Berth::Runtime::Internal {

// Builds the container's root in the child's (new) mount namespace: propagation private, the
// overlay, /proc, /dev (tmpfs with device binds, pts, shm, mqueue), read-only /sys, the bind
// mounts and /etc files, Docker's masked and read-only paths; then pivot_root with the old root
// detached. Afterwards "/" is the container's root.
bool setupRootfs(const ChildContext &context, ChildFailure &failure);

// Remounts "/" read-only (after the working directory was created).
bool makeRootReadOnly(ChildFailure &failure);

} // namespace Berth::Runtime::Internal
