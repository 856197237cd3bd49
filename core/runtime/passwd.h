#pragma once

#include "runtime/childfailure.h"

#include <sys/types.h>

#include <cstddef>
#include <string_view>

namespace Berth::Runtime::Internal {

// The user a container's process runs as, resolved from the image's own /etc/passwd and
// /etc/group (never the host's NSS), as Docker's USER does.
struct ResolvedUser
{
    static constexpr int kMaxGroups = 256;

    uid_t uid = 0;
    gid_t gid = 0;
    gid_t groups[kMaxGroups] = {}; // supplementary: the groups listing the user as a member
    int groupCount = 0;
    char name[256] = {};   // empty when the user has no passwd entry
    char home[4096] = "/"; // the passwd entry's home, "/" without one
};

// Largest id Docker accepts in USER (moby/sys/user: 0 to 2^31-1).
constexpr unsigned long kMaxUserId = 2147483647UL;

// Resolves `spec` ("", "name", "uid", "uid:gid", "name:group", ...) against the contents of
// /etc/passwd and /etc/group (empty when missing). A name must exist; a uid without an entry
// runs with gid 0 and HOME "/"; a numeric id above kMaxUserId is an error. Does not allocate:
// runs in the container's child before exec.
bool resolveUser(std::string_view spec, std::string_view passwd, std::string_view group,
                 ResolvedUser &user, ChildFailure &failure);

} // namespace Berth::Runtime::Internal
