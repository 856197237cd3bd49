#include "store/bootstrap.h"

#include "archive/tarwriter.h"
#include "store/fsutil.h"
#include "store/imagearchive_p.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

namespace Berth::Store {

using namespace Internal;

namespace {

// True when the ELF file asks for a program interpreter (a dynamic loader).
template<class Ehdr, class Phdr> bool hasInterpreter(std::string_view elf)
{
    if (elf.size() < sizeof(Ehdr))
        return false;
    Ehdr header;
    std::memcpy(&header, elf.data(), sizeof header);
    for (unsigned i = 0; i < header.e_phnum; ++i) {
        const std::size_t at = std::size_t(header.e_phoff) + std::size_t(i) * header.e_phentsize;
        if (at + sizeof(Phdr) > elf.size())
            return false;
        Phdr ph;
        std::memcpy(&ph, elf.data() + at, sizeof ph);
        if (ph.p_type == PT_INTERP)
            return true;
    }
    return false;
}

Result<void> checkStatic(const std::string &path, std::string_view elf)
{
    if (elf.size() < EI_NIDENT || elf.substr(0, 4) != ELFMAG)
        return fail(ErrorCode::Invalid, "\"" + path + "\" is not an executable (ELF) file");
    const bool dynamic = elf[EI_CLASS] == ELFCLASS64 ? hasInterpreter<Elf64_Ehdr, Elf64_Phdr>(elf)
                                                     : hasInterpreter<Elf32_Ehdr, Elf32_Phdr>(elf);
    if (dynamic)
        return fail(ErrorCode::Invalid, "\"" + path +
                                            "\" is dynamically linked and would not start in an "
                                            "image without its libraries: install busybox-static");
    return {};
}

bool isSafeAppletPath(const std::string &p)
{
    if (p.empty() || p[0] == '/' || p.find("..") != std::string::npos)
        return false;
    return std::all_of(p.begin(), p.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '_' ||
               c == '-' || c == '.' || c == '[';
    });
}

Result<void> addDirectory(Archive::TarWriter &tar, const std::string &path, std::uint32_t mode)
{
    Archive::TarEntry e;
    e.path = path;
    e.type = Archive::TarEntry::Type::Directory;
    e.mode = mode;
    return tar.writeHeader(e);
}

Result<void> addFile(Archive::TarWriter &tar, const std::string &path, std::string_view data,
                     std::uint32_t mode)
{
    Archive::TarEntry e;
    e.path = path;
    e.mode = mode;
    e.size = std::int64_t(data.size());
    if (auto ok = tar.writeHeader(e); !ok)
        return ok;
    return tar.writeData(data.data(), data.size());
}

Result<std::string> rootfsTar(const std::string &busybox, std::string_view binary,
                              const std::vector<std::string> &applets)
{
    Archive::StringWriter out;
    Archive::TarWriter tar(out);
    std::set<std::string> dirs = {"bin", "dev", "etc",     "home",     "proc", "sbin",
                                  "sys", "usr", "usr/bin", "usr/sbin", "var"};
    for (const auto &a : applets)
        for (std::size_t slash = a.find('/'); slash != std::string::npos;
             slash = a.find('/', slash + 1))
            dirs.insert(a.substr(0, slash));
    for (const auto &d : dirs)
        if (auto ok = addDirectory(tar, d, 0755); !ok)
            return fail(std::move(ok).error());
    for (const auto &[path, mode] :
         {std::pair<const char *, std::uint32_t>{"root", 0700}, {"tmp", 01777}})
        if (auto ok = addDirectory(tar, path, mode); !ok)
            return fail(std::move(ok).error());
    if (auto ok = addFile(tar, "bin/busybox", binary, 0755); !ok)
        return fail(std::move(ok).error().wrap("adding \"" + busybox + "\""));
    for (const auto &a : applets) {
        if (a == "bin/busybox")
            continue;
        Archive::TarEntry link;
        link.path = a;
        link.type = Archive::TarEntry::Type::Symlink;
        link.linkTarget = "/bin/busybox";
        link.mode = 0777;
        if (auto ok = tar.writeHeader(link); !ok)
            return fail(std::move(ok).error());
    }
    const std::pair<const char *, const char *> etc[] = {
        {"etc/passwd",
         "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n"},
        {"etc/group", "root:x:0:\nnobody:x:65534:\n"}};
    for (const auto &[path, text] : etc)
        if (auto ok = addFile(tar, path, text, 0644); !ok)
            return fail(std::move(ok).error());
    if (auto ok = tar.finish(); !ok)
        return fail(std::move(ok).error());
    return out.data();
}

} // namespace

Result<std::vector<std::string>> busyboxApplets(const std::string &busybox)
{
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0)
        return fail(Error::fromErrno("pipe", errno));
    const pid_t pid = ::fork();
    if (pid < 0)
        return fail(Error::fromErrno("fork", errno));
    if (pid == 0) {
        ::dup2(pipeFds[1], 1);
        // argv[0] "busybox": through a symlink of another name it would pick an applet.
        ::execl(busybox.c_str(), "busybox", "--list-full", static_cast<char *>(nullptr));
        ::_exit(127);
    }
    ::close(pipeFds[1]);
    std::string output;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(pipeFds[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            output.append(buf, std::size_t(n));
    ::close(pipeFds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return fail(ErrorCode::Invalid, "\"" + busybox + " --list-full\" failed (status " +
                                            std::to_string(WEXITSTATUS(status)) + ")");
    std::vector<std::string> applets;
    std::size_t pos = 0;
    while (pos < output.size()) {
        const std::size_t nl = std::min(output.find('\n', pos), output.size());
        std::string line = output.substr(pos, nl - pos);
        pos = nl + 1;
        if (!line.empty() && isSafeAppletPath(line))
            applets.push_back(std::move(line));
    }
    std::sort(applets.begin(), applets.end());
    applets.erase(std::unique(applets.begin(), applets.end()), applets.end());
    return applets;
}

namespace {

// The busybox binary, read whole (symlinks followed: the path is the user's choice).
Result<std::string> readBusybox(const std::string &path)
{
    auto fd = openFile(path);
    if (!fd) {
        Error e = std::move(fd).error();
        if (e.sysErrno() == ENOENT)
            e = Error(ErrorCode::NotFound, e.message() + " (install Debian's busybox-static)");
        return fail(std::move(e));
    }
    Archive::FdReader in(fd->get());
    std::string out;
    char buffer[64 * 1024];
    for (;;) {
        auto n = in.read(buffer, sizeof buffer);
        if (!n)
            return fail(std::move(n).error().wrap("reading \"" + path + "\""));
        if (*n == 0)
            return out;
        if (out.size() + *n > (std::size_t(64) << 20))
            return fail(ErrorCode::Invalid, "\"" + path + "\" is larger than 64 MiB");
        out.append(buffer, *n);
    }
}

std::string absolute(std::string path)
{
    if (path.empty() || path[0] != '/') {
        char cwd[4096];
        path = std::string(::getcwd(cwd, sizeof cwd) ? cwd : ".") + "/" + path;
    }
    return path;
}

} // namespace

Result<void> checkBusybox(const std::string &busybox)
{
    const std::string path = absolute(busybox);
    auto binary = readBusybox(path);
    if (!binary)
        return fail(std::move(binary).error());
    return checkStatic(path, *binary);
}

Result<ImageInfo> bootstrapBusybox(ImageStore &store, const BootstrapOptions &options)
{
    const std::string path = absolute(options.busybox);
    auto binary = readBusybox(path);
    if (!binary)
        return fail(std::move(binary).error());
    if (auto ok = checkStatic(path, *binary); !ok)
        return fail(std::move(ok).error());
    auto applets = busyboxApplets(path);
    if (!applets)
        return fail(std::move(applets).error());
    auto tar = rootfsTar(path, *binary, *applets);
    if (!tar)
        return fail(std::move(tar).error());
    auto reference = Image::Reference::parse(options.reference);
    if (!reference)
        return fail(std::move(reference).error());
    ImportOptions import;
    import.createdBy = "berthctl image bootstrap (from " + path + ")";
    import.config.cmd = std::vector<std::string>{"sh"};
    import.config.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"};
    Archive::MemoryReader reader(*tar);
    return store.importRootfs(reader, *reference, import);
}

} // namespace Berth::Store
