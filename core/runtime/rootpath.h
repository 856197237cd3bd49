#pragma once

namespace Berth::Runtime::Internal {

enum class Create {
    Nothing,   // a missing component is an error (ENOENT)
    Directory, // missing components are created as directories (0755)
    File,      // missing parents are created as directories, the last as an empty file (0644)
};

// Opens `path` (O_PATH) inside the directory `rootFd` as the container will see it: symlinks are
// followed one component at a time, an absolute target restarts at `rootFd` and ".." never
// climbs above it, so nothing an image contains can lead outside. A magic link's text (as
// /proc/self/fd/N has) is read as a plain path inside the root. Missing components are created
// as `create` says. Returns the fd (O_CLOEXEC) or -errno. Does not allocate: it runs in the
// container's child before exec.
int openInRoot(int rootFd, const char *path, Create create);

} // namespace Berth::Runtime::Internal
