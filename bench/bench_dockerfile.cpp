// Google Benchmark for the Dockerfile library on a generated 10,000-instruction file and on a
// 1 MB single-line RUN. Run with `make bench` (a Release build).
#include "dockerfile/format.h"
#include "dockerfile/lint.h"
#include "dockerfile/syntax.h"

#include <benchmark/benchmark.h>

#include <string>

using namespace Berth::Dockerfile;

namespace {

constexpr int s_instructionCount = 10000;
constexpr int s_stageLength = 40; // instructions per build stage

// One instruction of a realistic mix, chosen by its index; each adds exactly one instruction.
void appendInstruction(std::string &out, int i)
{
    const std::string n = std::to_string(i);
    switch (i % 14) {
    case 0:
        out += "# Dependencies for component " + n + "\nARG VERSION_" + n + "=1." + n + "\n";
        break;
    case 1:
        out += "ENV APP_HOME=/opt/app" + n + " \\\n    PATH=/opt/app" + n + "/bin:$PATH\n";
        break;
    case 2:
        out += "RUN apt-get update \\\n"
               "    && apt-get install -y --no-install-recommends \\\n"
               "        ca-certificates=20230311 \\\n"
               "        curl=7.88.1-10 \\\n"
               "    # keep the image small\n"
               "    && rm -rf /var/lib/apt/lists/*\n";
        break;
    case 3: out += "WORKDIR /src/component" + n + "\n"; break;
    case 4: out += "COPY --chown=app:app --link src/" + n + " ./src/\n"; break;
    case 5:
        out += "RUN <<EOF\n#!/bin/sh\nset -eu\necho \"building " + n + "\"\nmake -j4 all\nEOF\n";
        break;
    case 6:
        out += "RUN --mount=type=cache,target=/root/.cache \\\n"
               "    pip install --no-cache-dir -r requirements-" +
               n + ".txt\n";
        break;
    case 7:
        out += "LABEL org.opencontainers.image.version=\"1." + n + "\" maintainer=\"ops\"\n";
        break;
    case 8:
        out += "COPY <<-EOT /etc/app/" + n + ".conf\n\tkey=value\n\tname=" + n + "\n\tEOT\n";
        break;
    case 9: out += "USER app\n"; break;
    case 10: out += "EXPOSE " + std::to_string(8000 + i % 1000) + "/tcp\n"; break;
    case 11:
        out += "HEALTHCHECK --interval=30s CMD [\"curl\", \"-f\", \"http://localhost/\"]\n";
        break;
    case 12:
        out += "\n# Entry point\nENTRYPOINT [\"/opt/app/bin/server\", \"--port\", \"" + n + "\"]\n";
        break;
    default: out += "RUN echo \"step " + n + "\" > /tmp/step-" + n + ".txt\n"; break;
    }
}

// A multi-stage Dockerfile with s_instructionCount instructions.
std::string generateDockerfile()
{
    std::string out = "# syntax=docker/dockerfile:1\n";
    for (int i = 0; i < s_instructionCount; ++i) {
        if (i % s_stageLength == 0) {
            const int stage = i / s_stageLength;
            out += "\nFROM debian:bookworm-slim AS stage" + std::to_string(stage) + "\n";
            continue;
        }
        if (i % s_stageLength == 1 && i > s_stageLength) {
            out += "COPY --from=stage" + std::to_string(i / s_stageLength - 1) +
                   " /opt/app /opt/app\n";
            continue;
        }
        appendInstruction(out, i);
    }
    return out;
}

const std::string &largeDockerfile()
{
    static const std::string text = generateDockerfile();
    return text;
}

// FROM plus one RUN line of about 1 MB.
const std::string &hugeRun()
{
    static const std::string text = [] {
        std::string out = "FROM alpine\nRUN true";
        while (out.size() < (1u << 20))
            out += " && echo \"chunk " + std::to_string(out.size()) + "\"";
        return out + "\n";
    }();
    return text;
}

void setBytes(benchmark::State &state, std::size_t size)
{
    state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(size));
}

void BM_Parse(benchmark::State &state)
{
    const std::string &text = largeDockerfile();
    for (auto _ : state) {
        Document doc = parse(text);
        if (doc.instructions.size() != std::size_t(s_instructionCount))
            state.SkipWithError("the generated file does not have 10,000 instructions");
        benchmark::DoNotOptimize(doc);
    }
    setBytes(state, text.size());
}

void BM_ParseAndLint(benchmark::State &state)
{
    const std::string &text = largeDockerfile();
    for (auto _ : state) {
        const Document doc = parse(text);
        auto findings = lint(doc);
        benchmark::DoNotOptimize(findings);
    }
    setBytes(state, text.size());
}

void BM_Format(benchmark::State &state)
{
    const Document doc = parse(largeDockerfile());
    for (auto _ : state) {
        std::string out = format(doc);
        benchmark::DoNotOptimize(out);
    }
    setBytes(state, largeDockerfile().size());
}

void BM_ParseHugeRun(benchmark::State &state)
{
    const std::string &text = hugeRun();
    for (auto _ : state) {
        Document doc = parse(text);
        benchmark::DoNotOptimize(doc);
    }
    setBytes(state, text.size());
}

void BM_ParseAndLintHugeRun(benchmark::State &state)
{
    const std::string &text = hugeRun();
    for (auto _ : state) {
        const Document doc = parse(text);
        auto findings = lint(doc);
        benchmark::DoNotOptimize(findings);
    }
    setBytes(state, text.size());
}

} // namespace

BENCHMARK(BM_Parse)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseAndLint)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Format)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseHugeRun)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseAndLintHugeRun)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
