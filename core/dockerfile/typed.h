#pragma once

#include "dockerfile/syntax.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

// A typed view of each instruction: the parts a builder, an editor form or a lint rule needs,
// with quotes removed where Docker removes them and the source range of each part. Variables
// are not expanded here (see expand.h).
namespace Berth::Dockerfile {

struct KeyValue
{
    std::string key;
    std::string value;     // quotes and escapes removed
    std::string rawValue;  // as written, for expansion (which removes the quotes itself)
    bool hasValue = false; // "ARG NAME" has none
    Range range;           // the whole "key=value" (or "key value") word
};

struct FromCommand
{
    std::string image;     // as written, e.g. "python:${PY}-slim"
    std::string stageName; // as written; empty when unnamed
    std::string platform;  // --platform value, empty when absent
    Range imageRange;
    std::optional<Range> asRange;
    std::optional<Range> stageNameRange;
};

struct MountSpec
{
    std::string type = "bind";                  // bind, cache, tmpfs, secret, ssh
    std::map<std::string, std::string> options; // target, source, from, id, sharing, ...
    Range range;
};

// RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK CMD: a command in shell or exec form.
struct CommandLine
{
    Form form = Form::None;
    std::vector<std::string> arguments; // exec form: the array; shell form: one script
};

struct RunCommand
{
    CommandLine command;
    std::vector<MountSpec> mounts;
    std::string network;  // default, none, host; empty when absent
    std::string security; // sandbox, insecure; empty when absent
    bool hasHeredoc = false;
};

struct CopyCommand
{
    bool isAdd = false;
    std::vector<Word> sources; // heredoc markers ("<<EOF") included, as written
    std::optional<Word> destination;
    std::string from, chown, chmod, checksum;
    bool link = false, parents = false, keepGitDir = false;
    std::vector<std::string> excludes;
};

struct HealthcheckCommand
{
    bool none = false;
    CommandLine command;
    std::optional<std::int64_t> interval, timeout, startPeriod, startInterval; // nanoseconds
    std::optional<int> retries;
};

struct KeyValueCommand // ENV, LABEL, ARG
{
    std::vector<KeyValue> pairs;
    bool legacyForm = false; // "ENV key value"
};

struct ValueCommand // USER, WORKDIR, STOPSIGNAL, MAINTAINER
{
    std::string value;
};

struct ListCommand // EXPOSE, VOLUME
{
    std::vector<Word> items;
};

struct OnbuildCommand
{
    const Instruction *trigger = nullptr;
};

using TypedInstruction =
    std::variant<std::monostate, FromCommand, RunCommand, CommandLine, CopyCommand,
                 HealthcheckCommand, KeyValueCommand, ValueCommand, ListCommand, OnbuildCommand>;

// The typed form of an instruction; std::monostate for an unknown instruction. Malformed
// parts are reported by parse() diagnostics; here they are left empty.
TypedInstruction toTyped(const Instruction &instruction, char escape = '\\');

// The value of the last flag with that name (quotes removed); nullopt when absent.
std::optional<std::string> flagValue(const Instruction &instruction, std::string_view name);
// True for "--link" or "--link=true".
bool flagEnabled(const Instruction &instruction, std::string_view name);

std::optional<FromCommand> fromCommand(const Instruction &instruction);
// ENV, LABEL and ARG pairs.
KeyValueCommand keyValues(const Instruction &instruction, char escape = '\\');
CopyCommand copyCommand(const Instruction &instruction);
// Parses a --mount value ("type=cache,target=/root/.cache"); bare keys map to "true".
MountSpec parseMount(std::string_view value);
HealthcheckCommand healthcheckCommand(const Instruction &instruction);

// Removes one level of quotes and escapes as Docker does for ENV/LABEL/ARG words.
std::string unquote(std::string_view word, char escape = '\\');

} // namespace Berth::Dockerfile
