#pragma once

#include "base/result.h"

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

// Small file helpers for cgroup file systems; every error names the file.
namespace Berth::Runtime::Internal {

// "a" + "b" -> "a/b", without doubled slashes.
std::string joinPath(std::string_view base, std::string_view name);
// The whole file: `read "PATH": ERR` on failure.
Result<std::string> readFile(const std::string &path);
// Writes `value` in one write(2), as cgroup files want: `write "PATH": ERR` on failure.
// `create` makes a missing file (fake trees in tests only: cgroupfs has no such thing).
Result<void> writeFile(const std::string &path, std::string_view value, bool create = false);
bool exists(const std::string &path);
// mkdir; an existing directory is fine. Returns whether it was made by this call.
Result<bool> makeDir(const std::string &path);
// The pids in a cgroup.procs text.
std::vector<pid_t> parsePids(std::string_view text);
// The trimmed text.
std::string_view trim(std::string_view text);
// Sleeps a little longer each round (1, 2, 4 ... 20 ms): settles fast without spinning.
void backoff(int &round);
// Splits on any of `separators`, dropping empty pieces.
std::vector<std::string_view> split(std::string_view text, std::string_view separators);

} // namespace Berth::Runtime::Internal
