// The container log: a million lines written as a shim writes them, then read back as `logs`
// reads them (the target: 30 times faster than `docker logs`, 5.7 s here; PEERS.md).
#include "runtime/logfile.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace {

constexpr int s_lines = 1'000'000;
constexpr std::int64_t s_t0 = 1'764'400'000'000'000'000;

std::string scratchDir()
{
    std::string dir = (std::filesystem::temp_directory_path() / "berth-bench-logs.XXXXXX").string();
    return ::mkdtemp(dir.data()) ? dir : std::string();
}

// What `seq 1000000` prints, in the 4 KiB pieces a pipe hands the shim.
std::string output()
{
    std::string out;
    for (int i = 1; i <= s_lines; ++i)
        out += "line number " + std::to_string(i) + "\n";
    return out;
}

void writeMillionLines(benchmark::State &state)
{
    const std::string data = output();
    for (auto _ : state) {
        const std::string dir = scratchDir();
        auto log = Berth::Runtime::LogWriter::open(dir, {1LL << 40, 1});
        for (std::size_t at = 0; at < data.size(); at += 4096)
            (void)log->write(Berth::Runtime::LogStream::Stdout,
                             std::string_view(data).substr(at, 4096), s_t0 + std::int64_t(at));
        state.PauseTiming();
        std::filesystem::remove_all(dir);
        state.ResumeTiming();
    }
}
BENCHMARK(writeMillionLines)->Unit(benchmark::kMillisecond);

void readMillionLines(benchmark::State &state)
{
    const std::string dir = scratchDir();
    {
        auto log = Berth::Runtime::LogWriter::open(dir, {1LL << 40, 1});
        (void)log->write(Berth::Runtime::LogStream::Stdout, output(), s_t0);
    }
    for (auto _ : state) {
        std::size_t bytes = 0;
        (void)Berth::Runtime::readLog(dir, {}, [&](const Berth::Runtime::LogLine &line) {
            bytes += line.text.size() + 1;
            return true;
        });
        benchmark::DoNotOptimize(bytes);
    }
    std::filesystem::remove_all(dir);
}
BENCHMARK(readMillionLines)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
