#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Berth::Dockerfile {

// A place in the source. Lines and columns are 1-based; columns count Unicode code points
// (each byte of invalid UTF-8 counts as one); offset is in bytes from the start of the file.
struct Position
{
    int line = 1;
    int column = 1;
    std::size_t offset = 0;
    friend bool operator==(const Position &, const Position &) = default;
};

// A half-open range [start, end).
struct Range
{
    Position start;
    Position end;
    friend bool operator==(const Range &, const Range &) = default;
};

enum class Severity { Error, Warning, Info };
const char *severityName(Severity severity); // "error", "warning", "info"

// A problem found while parsing or checking a Dockerfile. `code` is a stable id such as
// "unknown-instruction"; `message` is technical English without the location.
struct Diagnostic
{
    Severity severity = Severity::Error;
    std::string code;
    std::string message;
    Range range;
};

enum class Keyword {
    Unknown,
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
};

// Upper-case name of a keyword ("RUN"); "" for Unknown.
const char *keywordName(Keyword keyword);
// Case-insensitive lookup; Unknown when the word is no instruction.
Keyword keywordFromString(std::string_view word);
// All the instruction names, upper case, in alphabetical order.
const std::vector<std::string> &allKeywordNames();

enum class Form { None, Shell, Exec };
const char *formName(Form form); // "none", "shell", "exec"

// A builder flag such as --from=build, exactly as written, and its parts.
struct Flag
{
    std::string raw;                  // the source text, e.g. --mount=type=cache,target=/root
    std::string name;                 // "mount"
    std::optional<std::string> value; // "type=cache,target=/root" (quotes removed); none for --link
    Range range;
};

// One argument: for the exec form a decoded JSON string; otherwise a word of the arguments as
// Docker splits them for that instruction (quotes kept, as BuildKit keeps them).
struct Word
{
    std::string text;
    Range range;
};

struct Heredoc
{
    std::string name;    // the delimiter, quotes removed
    bool expand = true;  // false when the delimiter was quoted: the body is taken literally
    bool chomp = false;  // <<- : leading tabs are stripped from the body and the terminator
    int fd = 0;          // 3<<EOF gives 3; 0 when none was written
    std::string content; // the body as in the file, each line ending with "\n"
    Range range;         // the body and the terminator line
    Range headerRange;   // "<<EOF" in the instruction line

    // The body as the builder uses it: with chomp, leading tabs removed from each line.
    std::string effectiveContent() const;
};

// One instruction, from its keyword to the end of its last line (continuations and heredoc
// bodies included).
struct Instruction
{
    Keyword keyword = Keyword::Unknown;
    std::string keywordText; // as written: "run"
    std::string name;        // lower case: "run"
    Range range;             // excludes the final line break
    Range keywordRange;
    std::vector<Flag> flags;
    Form form = Form::None;
    // The text after the flags with continuations joined as Docker joins them (escape and line
    // break removed, comment lines inside the continuation dropped), leading and trailing
    // white space trimmed.
    std::string arguments;
    Range argumentsRange; // where `arguments` starts and ends in the source
    std::vector<Word> words;
    std::vector<Heredoc> heredocs;
    // The comment lines right above the instruction, without "#" and trimmed (as BuildKit).
    std::vector<std::string> comments;
    // Comment lines and empty lines found inside the continuation.
    std::vector<Range> continuationComments;
    std::vector<Range> emptyContinuationLines;
    // ONBUILD: the trigger instruction; its ranges point into the same source.
    std::shared_ptr<const Instruction> trigger;

    // The source text of this instruction.
    std::string_view text(std::string_view source) const
    {
        return source.substr(range.start.offset, range.end.offset - range.start.offset);
    }
};

// A parser directive at the top of the file: # syntax=..., # escape=..., # check=...
struct Directive
{
    std::string name; // lower case
    std::string value;
    Range range;
};

// A comment line outside any instruction.
struct Comment
{
    std::string text; // after "#", not trimmed
    Range range;
};

// A parsed Dockerfile: every byte of the source belongs either to an instruction or to the
// trivia between instructions (blank lines, comments, directives, line breaks).
class Document
{
public:
    std::string fileName = "Dockerfile";
    bool hasBom = false;
    char escape = '\\';
    std::vector<Directive> directives;
    std::vector<Instruction> instructions;
    std::vector<Comment> comments;
    std::vector<Diagnostic> diagnostics;

    // The source, byte for byte, rebuilt from the trivia and the instructions' text.
    std::string print() const;
    const std::string &source() const { return m_source; }
    // The directive with that name, or nullptr.
    const Directive *directive(std::string_view name) const;
    bool hasErrors() const;

private:
    friend class Parser;
    std::string m_source;
};

struct ParseOptions
{
    std::string fileName = "Dockerfile";
};

// Parses a Dockerfile. Never fails: problems become diagnostics with their location, and the
// parser recovers at the next line so an editor can show the rest of the file.
Document parse(std::string source, const ParseOptions &options = {});

// Converts a byte offset of `source` to a position.
Position positionAt(std::string_view source, std::size_t offset);

} // namespace Berth::Dockerfile
