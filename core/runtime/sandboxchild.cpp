// The container's child, from clone to execve. It is a copy of the caller (maybe a
// multithreaded one), so it works on data the parent prepared and makes system calls; failures
// are formatted into a fixed ChildFailure and written to the error pipe.
#include "runtime/capabilities.h"
#include "runtime/mounts.h"
#include "runtime/passwd.h"
#include "runtime/rootpath.h"
#include "runtime/sandbox_p.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

namespace Berth::Runtime::Internal {

namespace {

constexpr std::size_t kMaxDatabase = 4 << 20; // /etc/passwd or /etc/group

int openat2InRoot(int rootFd, const char *path, int flags)
{
    open_how how{};
    how.flags = std::uint64_t(flags | O_CLOEXEC);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    for (;;) {
        const long fd = ::syscall(SYS_openat2, rootFd, path, &how, sizeof how);
        if (fd >= 0)
            return int(fd);
        if (errno != EAGAIN && errno != EINTR)
            return -errno;
    }
}

void resetSignals()
{
    struct sigaction action
    {};
    action.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) {
        if (sig != SIGKILL && sig != SIGSTOP)
            ::sigaction(sig, &action, nullptr);
    }
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

bool setupStdio(const ChildContext &c, ChildFailure &failure)
{
    const int wanted[3] = {c.spec.stdinFd, c.spec.stdoutFd, c.spec.stderrFd};
    int copies[3];
    for (int i = 0; i < 3; ++i) {
        copies[i] = ::fcntl(wanted[i] >= 0 ? wanted[i] : c.nullFd, F_DUPFD_CLOEXEC, 3);
        if (copies[i] < 0)
            return failure.set(SetupFailed, errno, "duplicate stdio fd %d", wanted[i]);
    }
    for (int i = 0; i < 3; ++i) {
        if (::dup2(copies[i], i) < 0)
            return failure.set(SetupFailed, errno, "dup2 onto fd %d", i);
        ::close(copies[i]);
    }
    return true;
}

// Reads a file of the container (after pivot_root) into `buffer`; a missing file reads empty.
std::string_view readDatabase(const char *path, char *buffer)
{
    // Non-blocking and regular files only: an image's FIFO or device here must not hang or
    // touch anything (this runs with every capability still held).
    const int fd = openat2InRoot(AT_FDCWD, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return {};
    struct stat st;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return {};
    }
    std::size_t size = 0;
    for (ssize_t n = 1; n > 0 && size < kMaxDatabase; size += std::size_t(n > 0 ? n : 0))
        n = ::read(fd, buffer + size, kMaxDatabase - size);
    ::close(fd);
    return {buffer, size};
}

bool resolveContainerUser(const ChildContext &c, ResolvedUser &user, ChildFailure &failure)
{
    void *memory = ::mmap(nullptr, 2 * kMaxDatabase, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED)
        return failure.set(SetupFailed, errno, "map memory for /etc/passwd");
    char *buffer = static_cast<char *>(memory);
    const std::string_view passwd = readDatabase("/etc/passwd", buffer);
    const std::string_view group = readDatabase("/etc/group", buffer + kMaxDatabase);
    const bool ok = resolveUser(c.spec.user, passwd, group, user, failure);
    ::munmap(memory, 2 * kMaxDatabase);
    return ok;
}

// Opens the working directory, creating it when missing; refuses one reached through a /proc
// magic link (WORKDIR /proc/self/fd/N would otherwise leave the container's root).
int openWorkdir(const ChildContext &c, ChildFailure &failure)
{
    const char *cwd = c.spec.cwd.empty() ? "/" : c.spec.cwd.c_str();
    const int flags = O_PATH | O_DIRECTORY;
    int fd = openat2InRoot(AT_FDCWD, cwd, flags);
    if (fd == -ENOENT) {
        const int root = ::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        const int made = root < 0 ? -errno : openInRoot(root, cwd, Create::Directory);
        if (made >= 0)
            ::close(made);
        if (root >= 0)
            ::close(root);
        fd = made < 0 ? made : openat2InRoot(AT_FDCWD, cwd, flags);
    }
    if (fd == -ELOOP || fd == -EXDEV)
        failure.set(SetupFailed, 0,
                    "working directory \"%s\" leads through a /proc magic link or a symlink "
                    "loop",
                    cwd);
    else if (fd < 0)
        failure.set(SetupFailed, -fd, "working directory \"%s\"", cwd);
    return fd;
}

void setHome(ChildContext &c, const ResolvedUser &user)
{
    static char home[sizeof "HOME=" + sizeof user.home];
    if (c.homeSlot == 0)
        return;
    std::snprintf(home, sizeof home, "HOME=%s", user.home);
    c.envp[c.homeSlot] = home;
}

bool lockDown(const ChildContext &c, ChildFailure &failure)
{
    if (::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
        return failure.set(SetupFailed, errno, "mark file descriptors close-on-exec");
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return failure.set(SetupFailed, errno, "set no_new_privs");
    sock_fprog program{};
    program.len = static_cast<unsigned short>(c.seccomp.size());
    program.filter = const_cast<sock_filter *>(c.seccomp.data());
    if (::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program, 0, 0) != 0)
        return failure.set(SetupFailed, errno, "load the seccomp profile");
    return true;
}

const char *envValue(char *const *envp, const char *key)
{
    const std::size_t length = std::strlen(key);
    for (; *envp; ++envp) {
        if (std::strncmp(*envp, key, length) == 0 && (*envp)[length] == '=')
            return *envp + length + 1;
    }
    return nullptr;
}

bool execFailed(const char *file, int err, ChildFailure &failure)
{
    const int status = err == ENOENT || err == ENOTDIR ? CommandNotFound : NotExecutable;
    return failure.set(status, err, "exec \"%s\"", file);
}

// execve with the lookup Docker does: in the container's PATH, unless args[0] holds a '/'.
bool execute(const ChildContext &c, ChildFailure &failure)
{
    const char *file = c.argv[0];
    if (std::strchr(file, '/')) {
        ::execve(file, c.argv.data(), c.envp.data());
        return execFailed(file, errno, failure);
    }
    const char *path = envValue(c.envp.data(), "PATH");
    bool denied = false;
    char candidate[4096];
    for (const char *dir = path ? path : ""; *dir;) {
        const char *end = std::strchr(dir, ':');
        const std::size_t length = end ? std::size_t(end - dir) : std::strlen(dir);
        const int n = std::snprintf(candidate, sizeof candidate, "%.*s/%s", int(length), dir, file);
        dir += length + (end ? 1 : 0);
        if (length == 0 || n >= int(sizeof candidate))
            continue;
        ::execve(candidate, c.argv.data(), c.envp.data());
        if (errno == EACCES)
            denied = true;
        else if (errno != ENOENT && errno != ENOTDIR)
            return execFailed(candidate, errno, failure);
    }
    if (denied)
        return failure.set(NotExecutable, EACCES, "exec \"%s\"", file);
    return failure.set(CommandNotFound, 0, "exec: \"%s\": executable file not found in $PATH",
                       file);
}

bool setUp(ChildContext &c, ChildFailure &failure)
{
    // Its own session: the caller's terminal signals (Ctrl-C, hang-up) do not reach it.
    if (::setsid() < 0)
        return failure.set(SetupFailed, errno, "setsid");
    if (!setupStdio(c, failure))
        return false;
    // After the caller's work: the cgroup namespace is rooted at the cgroup it moved us into.
    if (::unshare(CLONE_NEWCGROUP) != 0)
        return failure.set(SetupFailed, errno, "unshare the cgroup namespace");
    if (!setupRootfs(c, failure))
        return false;
    if (!c.spec.hostname.empty() &&
        ::sethostname(c.spec.hostname.data(), c.spec.hostname.size()) != 0)
        return failure.set(SetupFailed, errno, "sethostname \"%s\"", c.spec.hostname.c_str());
    const int cwd = openWorkdir(c, failure);
    if (cwd < 0)
        return false;
    ResolvedUser user;
    if ((c.spec.readOnlyRootfs && !makeRootReadOnly(failure)) ||
        !resolveContainerUser(c, user, failure) ||
        !switchUser(user, c.capabilities, c.lastCapability, failure))
        return false;
    setHome(c, user);
    if (::fchdir(cwd) != 0)
        return failure.set(SetupFailed, errno, "chdir to \"%s\"", c.spec.cwd.c_str());
    ::close(cwd);
    return lockDown(c, failure) && execute(c, failure);
}

} // namespace

int childMain(ChildContext &c)
{
    resetSignals(); // they were blocked since the clone: the caller's handlers never run here
    char go = 0;
    ssize_t n;
    do
        n = ::read(c.syncFd, &go, 1);
    while (n < 0 && errno == EINTR);
    if (n != 1)
        return SetupFailed; // the caller gave up before start()
    ::close(c.syncFd);
    static ChildFailure failure;
    setUp(c, failure);
    ssize_t written;
    do
        written = ::write(c.errorFd, &failure, sizeof failure);
    while (written < 0 && errno == EINTR);
    return failure.status;
}

} // namespace Berth::Runtime::Internal
