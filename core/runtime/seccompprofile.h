#pragma once

#include "base/result.h"

#include <linux/filter.h>

#include <string>
#include <vector>

namespace Berth::Runtime {

// The default seccomp profile: everything allowed except what Docker's default profile blocks
// for a container with the default capabilities, which fails with EPERM:
//   kernel keyring: add_key, keyctl, request_key
//   tracing and other processes' memory: bpf, perf_event_open, kcmp, process_vm_readv,
//     process_vm_writev, userfaultfd, lookup_dcookie
//   mounts and namespaces: mount, umount, umount2, pivot_root, fsopen, fsconfig, fsmount, fspick,
//     move_mount, open_tree, mount_setattr, unshare, setns, and clone with any CLONE_NEW* flag
//     (clone3 fails with ENOSYS, as with Docker, so that libc falls back to clone)
//   kernel and machine: kexec_load, kexec_file_load, init_module, finit_module, delete_module,
//     create_module, get_kernel_syms, query_module, reboot, swapon, swapoff, acct, quotactl,
//     quotactl_fd, syslog, nfsservctl, _sysctl, sysfs, uselib, ustat
//   time: settimeofday, stime, clock_settime, clock_settime64, clock_adjtime, clock_adjtime64
//     (adjtimex stays allowed: reading the clock state is common; setting it needs CAP_SYS_TIME)
//   handles: open_by_handle_at, name_to_handle_at
//   hardware and NUMA: iopl, ioperm, vm86, vm86old, mbind, move_pages, set_mempolicy,
//     get_mempolicy
//   personality other than 0, PER_LINUX32 (8), UNAME26 (0x20000), 0x20008 and 0xffffffff (query)
// Covers the native architecture and its 32-bit companions (x86 and x32 on x86_64).
std::vector<std::string> defaultDeniedSyscalls();

// The default profile compiled to a classic BPF program, ready for PR_SET_SECCOMP.
Result<std::vector<sock_filter>> buildDefaultSeccompFilter();

} // namespace Berth::Runtime
