#pragma once

#include <string>
#include <vector>

namespace Berth::Runtime {

// The PATH a container gets when neither its image nor the run options set one (Docker's).
inline constexpr char DefaultPathEnv[] =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// A host path bound into the container.
struct BindMount
{
    std::string source;      // host path
    std::string destination; // path inside the container, resolved without leaving its root
    bool readOnly = false;
};

// Everything needed to start a container's first process, with Docker's semantics.
// Rootful for now: a rootless variant adds a user namespace (CLONE_NEWUSER, mapped by the
// caller between create() and start() with newuidmap/newgidmap) and "userxattr" overlays.
struct ContainerSpec
{
    // The root file system: an overlay of lowerDirs (top first) with upperDir and workDir,
    // mounted on rootfs (an empty host directory; the mount exists only in the container's
    // mount namespace).
    std::vector<std::string> lowerDirs;
    std::string upperDir;
    std::string workDir;
    std::string rootfs;
    bool readOnlyRootfs = false;

    // The process: args[0] is looked up in the container's PATH unless it holds a '/'.
    std::vector<std::string> args;
    std::vector<std::string> env; // "KEY=value"; PATH, HOSTNAME, HOME (and TERM) added if missing
    std::string cwd = "/";        // created when missing; never through /proc magic links
    // "", "name", "uid", "uid:gid", "name:group", "uid:group", resolved from the image's own
    // /etc/passwd and /etc/group.
    std::string user;
    std::string hostname;
    bool tty = false; // stdio is a terminal: TERM=xterm unless env sets it

    bool privateNetwork = true; // false: the host's network namespace ("--network host")
    std::vector<BindMount> mounts;

    // Host files bound on /etc/hosts, /etc/hostname and /etc/resolv.conf ("" keeps the image's).
    // Files, not contents, so the engine can keep and update them as Docker does.
    std::string hostsFile;
    std::string hostnameFile;
    std::string resolvConfFile;

    // The process's stdin, stdout and stderr; -1 gives /dev/null. They are duplicated, the
    // caller keeps its own.
    int stdinFd = -1;
    int stdoutFd = -1;
    int stderrFd = -1;
};

} // namespace Berth::Runtime
