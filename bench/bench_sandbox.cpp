// A container's first process, start to exit: Sandbox (namespaces, overlay root, /proc, /dev,
// capabilities, seccomp) running busybox `true`, side by side with the floor PEERS.md measures
// here: `unshare -mpuin --fork chroot ROOTFS /bin/true` (no overlay, no /proc, no /dev).
// Needs root; the image is busybox-static's, made in a scratch store.
#include "runtime/sandbox.h"
#include "store/bootstrap.h"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace {

struct Fixture
{
    std::string root;  // scratch directory, removed at exit
    std::string layer; // busybox's unpacked layer
};

// Removes the scratch directory when the program ends.
struct ScratchRemover
{
    std::string dir;
    ~ScratchRemover()
    {
        if (!dir.empty())
            std::filesystem::remove_all(dir);
    }
};

const Fixture &fixture()
{
    static const Fixture f = [] {
        Fixture out;
        std::string dir =
            (std::filesystem::temp_directory_path() / "berth-bench-run.XXXXXX").string();
        if (!::mkdtemp(dir.data()))
            return out;
        out.root = dir;
        auto store = Berth::Store::ImageStore::open(dir + "/store");
        auto image = store ? Berth::Store::bootstrapBusybox(*store)
                           : Berth::Result<Berth::Store::ImageInfo>(Berth::fail(store.error()));
        if (!image)
            return out;
        out.layer = store->layerPath(store->config(*image)->rootfs.diffIds.at(0));
        return out;
    }();
    static const ScratchRemover remover{f.root};
    return f;
}

void sandboxTrue(benchmark::State &state)
{
    const Fixture &f = fixture();
    if (::geteuid() != 0 || f.layer.empty()) {
        state.SkipWithError("needs root and /bin/busybox (busybox-static)");
        return;
    }
    int run = 0;
    for (auto _ : state) {
        const std::string dir = f.root + "/c" + std::to_string(run++);
        for (const char *sub : {"/upper", "/work", "/rootfs"})
            std::filesystem::create_directories(dir + sub);
        Berth::Runtime::ContainerSpec spec;
        spec.lowerDirs = {f.layer};
        spec.upperDir = dir + "/upper";
        spec.workDir = dir + "/work";
        spec.rootfs = dir + "/rootfs";
        spec.args = {"true"};
        spec.hostname = "bench";
        auto sandbox = Berth::Runtime::Sandbox::create(spec);
        if (!sandbox || !sandbox->start() || sandbox->wait().value_or(1) != 0) {
            state.SkipWithError("the container did not run");
            return;
        }
        state.PauseTiming();
        std::filesystem::remove_all(dir);
        state.ResumeTiming();
    }
}
BENCHMARK(sandboxTrue)->Unit(benchmark::kMillisecond)->UseRealTime();

void unshareChrootTrue(benchmark::State &state)
{
    const Fixture &f = fixture();
    if (::geteuid() != 0 || f.layer.empty()) {
        state.SkipWithError("needs root and /bin/busybox (busybox-static)");
        return;
    }
    const char *argv[] = {"unshare",       "-mpuin",    "--fork", "chroot",
                          f.layer.c_str(), "/bin/true", nullptr};
    for (auto _ : state) {
        pid_t pid = 0;
        if (::posix_spawnp(&pid, "unshare", nullptr, nullptr, const_cast<char **>(argv), environ) !=
            0) {
            state.SkipWithError("unshare did not start");
            return;
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
    }
}
BENCHMARK(unshareChrootTrue)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
