#pragma once

#include "runtime/childfailure.h"
#include "runtime/passwd.h"

#include <cstdint>

namespace Berth::Runtime::Internal {

// Docker's default capabilities: CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID,
// SETPCAP, NET_BIND_SERVICE, NET_RAW, SYS_CHROOT, MKNOD, AUDIT_WRITE, SETFCAP.
constexpr std::uint64_t kDefaultCapabilities = 0xa80425fbULL;

// The highest capability number the kernel knows (/proc/sys/kernel/cap_last_cap).
int lastCapability();

// Becomes `user` with Docker's capabilities: the bounding set reduced to `keep`, no ambient
// capabilities, and for uid 0 `keep` as effective, permitted and inheritable sets (a non-root
// user keeps none, as with Docker). Groups, gid and uid are set on the way.
bool switchUser(const ResolvedUser &user, std::uint64_t keep, int lastCap, ChildFailure &failure);

} // namespace Berth::Runtime::Internal
