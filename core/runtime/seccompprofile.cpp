#include "runtime/seccompprofile.h"

#include <sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

namespace Berth::Runtime {

namespace {

using Filter = std::unique_ptr<void, decltype(&seccomp_release)>;

constexpr unsigned long kNamespaceFlags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
                                          CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |
                                          CLONE_NEWCGROUP | 0x00000080 /* CLONE_NEWTIME */;

Error seccompError(const std::string &what, int rc)
{
    return Error::fromErrno("seccomp: " + what, -rc);
}

Result<> addArchitectures(scmp_filter_ctx ctx)
{
#if defined(__x86_64__)
    for (const std::uint32_t arch : {SCMP_ARCH_X86, SCMP_ARCH_X32}) {
        const int rc = seccomp_arch_add(ctx, arch);
        if (rc != 0 && rc != -EEXIST)
            return fail(seccompError("add architecture", rc));
    }
#endif
    return {};
}

Result<> denyPlain(scmp_filter_ctx ctx)
{
    for (const std::string &name : defaultDeniedSyscalls()) {
        const int nr = seccomp_syscall_resolve_name(name.c_str());
        if (nr == __NR_SCMP_ERROR)
            continue; // not a system call on this architecture
        const int rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
        if (rc != 0 && rc != -EDOM) // -EDOM: absent from one of the architectures
            return fail(seccompError("deny " + name, rc));
    }
    return {};
}

// personality(2) takes an unsigned int; allowed: 0, PER_LINUX32 (bit 3), UNAME26 (bit 17), both,
// and 0xffffffff (a query). libseccomp ANDs no two comparisons of one argument, so the rest is
// denied with one-comparison rules "bit b set and bit b+1 (cyclically) clear" for every b but 3
// and 17, plus "bit 2 set, bit 4 clear" and "bit 16 set, bit 18 clear": any other value has a run
// of set bits that starts or passes over a bit outside {3, 17} and ends before a clear bit.
Result<> denyPersonalities(scmp_filter_ctx ctx)
{
    auto deny = [ctx](int set, int clear) {
        const std::uint64_t mask = (std::uint64_t(1) << set) | (std::uint64_t(1) << clear);
        return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(personality), 1,
                                SCMP_A0(SCMP_CMP_MASKED_EQ, mask, std::uint64_t(1) << set));
    };
    int rc = deny(2, 4);
    rc = rc != 0 ? rc : deny(16, 18);
    for (int bit = 0; bit < 32 && rc == 0; ++bit) {
        if (bit != 3 && bit != 17)
            rc = deny(bit, (bit + 1) % 32);
    }
    if (rc != 0)
        return fail(seccompError("restrict personality", rc));
    return {};
}

Result<> denyConditional(scmp_filter_ctx ctx)
{
    for (unsigned long flag = 1; flag != 0; flag <<= 1) {
        if (!(kNamespaceFlags & flag))
            continue;
        const int rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                                        SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag));
        if (rc != 0)
            return fail(seccompError("deny clone with namespace flags", rc));
    }
    int rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
    if (rc != 0 && rc != -EDOM)
        return fail(seccompError("deny clone3", rc));
    return denyPersonalities(ctx);
}

Result<std::vector<sock_filter>> exportFilter(scmp_filter_ctx ctx)
{
    const int fd = ::memfd_create("berth-seccomp", MFD_CLOEXEC);
    if (fd < 0)
        return fail(Error::fromErrno("memfd_create", errno));
    std::vector<sock_filter> program;
    int rc = seccomp_export_bpf(ctx, fd);
    const off_t size = rc == 0 ? ::lseek(fd, 0, SEEK_END) : -1;
    if (rc == 0 && size > 0) {
        program.resize(std::size_t(size) / sizeof(sock_filter));
        rc = ::pread(fd, program.data(), std::size_t(size), 0) == size ? 0 : -EIO;
    }
    ::close(fd);
    if (rc != 0 || program.empty())
        return fail(seccompError("export the filter", rc != 0 ? rc : -EIO));
    return program;
}

} // namespace

std::vector<std::string> defaultDeniedSyscalls()
{
    return {
        "add_key",
        "keyctl",
        "request_key",
        "bpf",
        "perf_event_open",
        "kcmp",
        "process_vm_readv",
        "process_vm_writev",
        "userfaultfd",
        // io_uring: blocked by Docker since 25.0 (it bypasses seccomp for the calls it runs).
        "io_uring_setup",
        "io_uring_enter",
        "io_uring_register",
        "lookup_dcookie",
        "mount",
        "umount",
        "umount2",
        "pivot_root",
        "fsopen",
        "fsconfig",
        "fsmount",
        "fspick",
        "move_mount",
        "open_tree",
        "mount_setattr",
        "unshare",
        "setns",
        "kexec_load",
        "kexec_file_load",
        "init_module",
        "finit_module",
        "delete_module",
        "create_module",
        "get_kernel_syms",
        "query_module",
        "reboot",
        "swapon",
        "swapoff",
        "acct",
        "quotactl",
        "quotactl_fd",
        "syslog",
        "nfsservctl",
        "_sysctl",
        "sysfs",
        "uselib",
        "ustat",
        "settimeofday",
        "stime",
        "clock_settime",
        "clock_settime64",
        "clock_adjtime",
        "clock_adjtime64",
        "open_by_handle_at",
        "name_to_handle_at",
        "iopl",
        "ioperm",
        "vm86",
        "vm86old",
        "mbind",
        "move_pages",
        "set_mempolicy",
        "get_mempolicy",
    };
}

Result<std::vector<sock_filter>> buildDefaultSeccompFilter()
{
    Filter ctx(seccomp_init(SCMP_ACT_ALLOW), &seccomp_release);
    if (!ctx)
        return fail(ErrorCode::Internal, "seccomp: cannot create a filter");
    if (auto ok = addArchitectures(ctx.get()); !ok)
        return fail(ok.error());
    if (auto ok = denyPlain(ctx.get()); !ok)
        return fail(ok.error());
    if (auto ok = denyConditional(ctx.get()); !ok)
        return fail(ok.error());
    return exportFilter(ctx.get());
}

} // namespace Berth::Runtime
