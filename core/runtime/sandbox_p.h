#pragma once

#include "runtime/containerspec.h"

#include <linux/filter.h>

#include <cstdint>
#include <string>
#include <vector>

namespace Berth::Runtime::Internal {

// Everything the container's child needs, prepared by the parent before clone so that the child
// only makes system calls on ready data (it is a copy of a possibly multithreaded process).
struct ChildContext
{
    ContainerSpec spec;
    std::string overlayOptions;          // "lowerdir=...,upperdir=...,workdir=..."
    std::vector<bool> mountIsDirectory;  // per spec.mounts: whether the source is a directory
    std::vector<std::string> envStorage; // spec.env with PATH, HOSTNAME and TERM added
    std::vector<char *> argv;            // null terminated
    std::vector<char *> envp;            // null terminated, with a spare slot for HOME
    std::size_t homeSlot = 0;            // envp index of that slot, or 0 when env sets HOME
    std::vector<sock_filter> seccomp;
    std::uint64_t capabilities = 0;
    int lastCapability = 0;
    int syncFd = -1;  // read end: one byte lets the child go on
    int errorFd = -1; // write end, close-on-exec: a ChildFailure, or EOF once exec succeeded
    int nullFd = -1;  // /dev/null, for stdio the caller leaves unset
};

// The container's child: waits for the go, sets up and execs; returns the exit status on failure.
int childMain(ChildContext &context);

} // namespace Berth::Runtime::Internal
