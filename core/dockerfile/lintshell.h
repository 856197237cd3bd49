#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

// A small shell reader for lint rules: enough of POSIX sh to find the simple commands of a RUN
// script (apt-get install ..., cd, sudo, pipes) and where each word is in the Dockerfile. It is
// not an interpreter: expansions stay as written, compound commands are flattened.
namespace Berth::Dockerfile::Internal {

struct ShellWord
{
    std::string text;      // quotes and shell escapes removed, $VAR and $(...) kept as written
    std::size_t begin = 0; // byte offsets in the Dockerfile source
    std::size_t end = 0;
};

struct ShellCommand
{
    std::vector<ShellWord> words;
    std::string separator; // what ended it: "|", "||", "&&", ";", "&", "\n" or "" at the end

    // Computes the cached name; splitShellCommands() does it for the commands it returns.
    void finish();

    // Index of the program's name: after VAR=value assignments, reserved words (if, then, !,
    // {...) and wrappers (sudo, env, nice...); words.size() when there is none.
    std::size_t nameIndex(bool skipSudo = true) const;
    // The program's name ("" when none), without a leading path ("/usr/bin/apt-get" -> "apt-get").
    std::string name(bool skipSudo = true) const;
    // The first word after the name that is not an option, i.e. the subcommand ("install");
    // words.size() when none. `optionsWithValue` are options whose value is the next word.
    std::size_t subcommandIndex(std::string_view optionsWithValue = {}) const;
    // Words after `from` that are not options (nor values of `optionsWithValue`, a space
    // separated list such as "-o -t --target-release").
    std::vector<const ShellWord *> operands(std::size_t from,
                                            std::string_view optionsWithValue = {}) const;
    // True when a word after the name equals one of `options` (space separated), or, for a
    // one-letter option such as "-y", when a cluster like "-qy" holds its letter.
    bool hasOption(std::string_view options) const;

private:
    bool m_finished = false;
    std::size_t m_nameIndex = 0;
    std::string m_program; // name() with sudo skipped, cached as every rule asks for it
};

// Splits a script into simple commands. `source` is the Dockerfile text and [begin, end) the
// script in it; `lineEscape` (the Dockerfile's escape) followed by a line break joins lines,
// dropping comment and empty lines that follow, as Docker does before the shell runs.
std::vector<ShellCommand> splitShellCommands(std::string_view source, std::size_t begin,
                                             std::size_t end, char lineEscape);

} // namespace Berth::Dockerfile::Internal
