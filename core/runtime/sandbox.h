#pragma once

#include "archive/uniquefd.h"
#include "base/result.h"
#include "runtime/containerspec.h"

#include <sys/types.h>

namespace Berth::Runtime {

// A container's first process, started in two steps so that the caller can work on it in
// between (put it into its cgroups; rootless: write its uid and gid maps):
//
//   auto sandbox = Sandbox::create(spec);  // cloned into new namespaces, waiting
//   cgroups.add(sandbox->pid());           // the caller's work
//   auto started = sandbox->start();       // root, user, capabilities, seccomp, execve
//   auto status = sandbox->wait();         // 0-255, or 128+n after signal n
//
// Setup and exec failures come back from start() as an Error, and failureStatus() tells the
// status Docker gives them: 125 (setup), 126 (not executable), 127 (not found); the process
// then exits with that status. Rootful: the caller must be root. All of the container's mounts
// live in its own mount namespace and disappear with its last process.
class Sandbox
{
public:
    // Clones a child into new mount, PID, UTS, IPC and (unless host network) network
    // namespaces. It does nothing until start(); destroying the Sandbox before that ends it.
    static Result<Sandbox> create(const ContainerSpec &spec);

    Sandbox(Sandbox &&other) noexcept;
    Sandbox &operator=(Sandbox &&other) noexcept;
    Sandbox(const Sandbox &) = delete;
    Sandbox &operator=(const Sandbox &) = delete;
    // Kills (SIGKILL) and reaps a process that was not waited for.
    ~Sandbox();

    // The process id, as the caller's PID namespace sees it.
    pid_t pid() const { return m_pid; }
    // A pidfd for the process: readable once it has exited.
    int pidfd() const { return m_pidfd.get(); }

    // Lets the child build the container and exec; returns once exec succeeded or failed.
    Result<> start();
    // 125, 126 or 127 after start() failed; 0 otherwise.
    int failureStatus() const { return m_failureStatus; }

    // Sends `signal` to the process (through its pidfd, so never to a reused pid).
    Result<> kill(int signal);
    // Reaps the process: its exit status, or 128+n when signal n ended it.
    Result<int> wait();

private:
    Sandbox() = default;
    void release();

    pid_t m_pid = -1;
    Archive::UniqueFd m_pidfd;
    Archive::UniqueFd m_syncFd;
    Archive::UniqueFd m_errorFd;
    int m_failureStatus = 0;
};

} // namespace Berth::Runtime
