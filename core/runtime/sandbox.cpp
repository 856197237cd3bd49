#include "runtime/sandbox.h"

#include "runtime/capabilities.h"
#include "runtime/childfailure.h"
#include "runtime/sandbox_p.h"
#include "runtime/seccompprofile.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <memory>

namespace Berth::Runtime {

using Internal::ChildContext;
using Internal::ChildFailure;

namespace {

Result<> validate(const ContainerSpec &spec)
{
    if (spec.args.empty() || spec.args.front().empty())
        return fail(ErrorCode::Invalid, "no command to run");
    if (spec.lowerDirs.empty())
        return fail(ErrorCode::Invalid, "no lower directory for the root file system");
    for (const std::string *dir : {&spec.rootfs, &spec.upperDir, &spec.workDir}) {
        if (dir->empty() || dir->front() != '/')
            return fail(ErrorCode::Invalid,
                        "rootfs, upper and work directories must be absolute paths");
    }
    for (const BindMount &m : spec.mounts) {
        if (m.source.empty() || m.destination.empty())
            return fail(ErrorCode::Invalid, "a bind mount needs a source and a destination");
    }
    return {};
}

Result<std::string> overlayOptions(const ContainerSpec &spec)
{
    std::string lower;
    for (const std::string &dir : spec.lowerDirs) {
        if (dir.empty() || dir.front() != '/')
            return fail(ErrorCode::Invalid, "lower directory \"" + dir + "\" is not absolute");
        lower += (lower.empty() ? "" : ":") + dir;
    }
    std::string options =
        "lowerdir=" + lower + ",upperdir=" + spec.upperDir + ",workdir=" + spec.workDir;
    const std::string *const dirs[] = {&lower, &spec.upperDir, &spec.workDir};
    for (const std::string *dir : dirs) {
        if (dir->find_first_of(",\\") != std::string::npos ||
            (dir != &lower && dir->find(':') != std::string::npos))
            return fail(ErrorCode::Invalid,
                        "overlay directory holds ',', ':' or '\\': \"" + *dir + "\"");
    }
    if (options.size() >= 4096)
        return fail(ErrorCode::Unsupported, "too many layers for one overlay mount (" +
                                                std::to_string(options.size()) +
                                                " bytes of options)");
    return options;
}

bool hasKey(const std::vector<std::string> &env, const std::string &key)
{
    for (const std::string &entry : env) {
        if (entry.size() > key.size() && entry.compare(0, key.size(), key) == 0 &&
            entry[key.size()] == '=')
            return true;
    }
    return false;
}

void prepareProcess(ChildContext &c)
{
    c.envStorage = c.spec.env;
    if (!hasKey(c.envStorage, "PATH"))
        c.envStorage.push_back(DefaultPathEnv);
    if (!hasKey(c.envStorage, "HOSTNAME") && !c.spec.hostname.empty())
        c.envStorage.push_back("HOSTNAME=" + c.spec.hostname);
    if (c.spec.tty && !hasKey(c.envStorage, "TERM"))
        c.envStorage.push_back("TERM=xterm");
    for (std::string &arg : c.spec.args)
        c.argv.push_back(arg.data());
    c.argv.push_back(nullptr);
    for (std::string &entry : c.envStorage)
        c.envp.push_back(entry.data());
    if (!hasKey(c.envStorage, "HOME")) {
        c.homeSlot = c.envp.size();
        c.envp.push_back(nullptr); // HOME, from the container's /etc/passwd
    }
    c.envp.push_back(nullptr);
}

Result<std::unique_ptr<ChildContext>> prepare(const ContainerSpec &spec)
{
    auto c = std::make_unique<ChildContext>();
    c->spec = spec;
    auto options = overlayOptions(spec);
    if (!options)
        return fail(options.error());
    c->overlayOptions = *options;
    for (const BindMount &m : spec.mounts) {
        struct stat st
        {};
        if (::stat(m.source.c_str(), &st) != 0)
            return fail(Error::fromErrno("bind mount source \"" + m.source + "\"", errno));
        c->mountIsDirectory.push_back(S_ISDIR(st.st_mode));
    }
    static const Result<std::vector<sock_filter>> s_seccomp = buildDefaultSeccompFilter();
    if (!s_seccomp)
        return fail(s_seccomp.error());
    c->seccomp = *s_seccomp;
    c->capabilities = Internal::kDefaultCapabilities;
    c->lastCapability = Internal::lastCapability();
    prepareProcess(*c);
    return c;
}

pid_t cloneChild(bool privateNetwork, int *pidfd)
{
    std::uint64_t flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_PIDFD;
    if (privateNetwork)
        flags |= CLONE_NEWNET;
    clone_args args{};
    args.flags = flags;
    args.pidfd = reinterpret_cast<std::uintptr_t>(pidfd);
    args.exit_signal = SIGCHLD;
    // No CLONE_VM and no new stack: the child is a copy of this process, as after fork().
    return pid_t(::syscall(SYS_clone3, &args, sizeof args));
}

} // namespace

Result<Sandbox> Sandbox::create(const ContainerSpec &spec)
{
    if (auto ok = validate(spec); !ok)
        return fail(ok.error());
    auto context = prepare(spec);
    if (!context)
        return fail(context.error());
    ChildContext &c = **context;
    int sync[2];
    int error[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sync) != 0)
        return fail(Error::fromErrno("socketpair", errno));
    Archive::UniqueFd syncParent(sync[0]), syncChild(sync[1]);
    if (::pipe2(error, O_CLOEXEC) != 0)
        return fail(Error::fromErrno("pipe", errno));
    Archive::UniqueFd errorParent(error[0]), errorChild(error[1]);
    Archive::UniqueFd null(::open("/dev/null", O_RDWR | O_CLOEXEC));
    if (!null.isValid())
        return fail(Error::fromErrno("open \"/dev/null\"", errno));
    c.syncFd = syncChild.get();
    c.errorFd = errorChild.get();
    c.nullFd = null.get();

    // The child starts with every signal blocked, so that none of the caller's handlers runs in
    // it before it has put them back to their defaults.
    sigset_t all, old;
    ::sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &old);
    int pidfd = -1;
    const pid_t pid = cloneChild(spec.privateNetwork, &pidfd);
    const int cloneErrno = errno;
    if (pid != 0)
        ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (pid < 0)
        return fail(Error::fromErrno("clone3 into new namespaces", cloneErrno));
    if (pid == 0) {
        syncParent.reset();
        errorParent.reset();
        ::_exit(Internal::childMain(c));
    }
    Sandbox sandbox;
    sandbox.m_pid = pid;
    sandbox.m_pidfd.reset(pidfd);
    sandbox.m_syncFd = std::move(syncParent);
    sandbox.m_errorFd = std::move(errorParent);
    return sandbox;
}

Sandbox::Sandbox(Sandbox &&other) noexcept
    : m_pid(std::exchange(other.m_pid, -1))
    , m_pidfd(std::move(other.m_pidfd))
    , m_syncFd(std::move(other.m_syncFd))
    , m_errorFd(std::move(other.m_errorFd))
    , m_failureStatus(other.m_failureStatus)
{}

Sandbox &Sandbox::operator=(Sandbox &&other) noexcept
{
    if (this != &other) {
        release();
        m_pid = std::exchange(other.m_pid, -1);
        m_pidfd = std::move(other.m_pidfd);
        m_syncFd = std::move(other.m_syncFd);
        m_errorFd = std::move(other.m_errorFd);
        m_failureStatus = other.m_failureStatus;
    }
    return *this;
}

Sandbox::~Sandbox()
{
    release();
}

void Sandbox::release()
{
    if (m_pid <= 0)
        return;
    m_syncFd.reset();
    (void)kill(SIGKILL);
    (void)wait();
}

Result<> Sandbox::start()
{
    if (!m_syncFd.isValid())
        return fail(ErrorCode::Conflict, "the container process was already started");
    const char go = 'g';
    const ssize_t sent = ::send(m_syncFd.get(), &go, 1, MSG_NOSIGNAL);
    const int sendErr = errno;
    m_syncFd.reset();
    if (sent != 1)
        return fail(Error::fromErrno("start the container process", sendErr));
    ChildFailure failure;
    std::size_t got = 0;
    while (got < sizeof failure) {
        const ssize_t n =
            ::read(m_errorFd.get(), reinterpret_cast<char *>(&failure) + got, sizeof failure - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += std::size_t(n);
    }
    m_errorFd.reset();
    if (got == 0)
        return {};
    m_failureStatus = Internal::SetupFailed;
    if (got != sizeof failure)
        return fail(ErrorCode::Internal, "the container process died during setup");
    failure.message[sizeof failure.message - 1] = '\0';
    m_failureStatus = failure.status;
    return fail(failure.toError());
}

Result<> Sandbox::kill(int signal)
{
    if (m_pid <= 0)
        return fail(ErrorCode::Conflict, "the container process was already reaped");
    if (::syscall(SYS_pidfd_send_signal, m_pidfd.get(), signal, nullptr, 0) != 0 && errno != ESRCH)
        return fail(Error::fromErrno("kill the container process", errno));
    return {};
}

Result<int> Sandbox::wait()
{
    if (m_pid <= 0)
        return fail(ErrorCode::Conflict, "the container process was already reaped");
    int status = 0;
    pid_t rc;
    do
        rc = ::waitpid(m_pid, &status, __WALL);
    while (rc < 0 && errno == EINTR);
    if (rc < 0)
        return fail(Error::fromErrno("wait for the container process", errno));
    m_pid = -1;
    m_pidfd.reset();
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

} // namespace Berth::Runtime
