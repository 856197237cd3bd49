#pragma once

#include "archive/uniquefd.h"
#include "base/result.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// File-system helpers that only ever act through directory file descriptors, so that nothing a
// layer contains (symlinks, "..") can make them touch a path outside a given root.
namespace Berth::Archive::Internal {

// openat2() relative to `rootFd` as if it were "/" (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS, plus
// `extraResolve`); "" opens the root itself. Returns the fd or -errno.
int openInRoot(int rootFd, std::string_view path, int flags, std::uint64_t extraResolve = 0);

// Opens the directory `path` inside the root, creating missing components (mode 0755).
// With `noSymlinks`, a symlink anywhere on the way is refused (ELOOP) instead of followed.
Result<UniqueFd> makeDirectories(int rootFd, std::string_view path, bool noSymlinks);

// Lexically cleans an archive path: drops leading '/', "." and empty components, resolves "..";
// nullopt when ".." would climb above the root.
std::optional<std::string> cleanPath(std::string_view path);

// Splits "a/b/c" into {"a/b", "c"} and "c" into {"", "c"}.
std::pair<std::string_view, std::string_view> splitParent(std::string_view path);

// Names in a directory, sorted bytewise, without "." and "..".
Result<std::vector<std::string>> listDirectory(int dirFd);

// Removes `name` in `dirFd`, with everything under it when it is a directory; never follows a
// symlink. A missing `name` is not an error.
Result<> removeTree(int dirFd, const std::string &name);

// Removes everything in the directory `dirFd` whose name `keep` does not accept.
Result<> clearDirectory(int dirFd, const std::function<bool(const std::string &)> &keep);

// "/proc/self/fd/<dirFd>/<name>", to reach xattrs of a symlink through its parent's fd.
std::string procPath(int dirFd, std::string_view name);

} // namespace Berth::Archive::Internal
