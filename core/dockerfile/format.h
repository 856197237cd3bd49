#pragma once

#include "dockerfile/syntax.h"

#include <string>
#include <string_view>

namespace Berth::Dockerfile {

struct FormatOptions
{
    int indent = 4; // spaces before each continuation line
};

// The canonical layout of a Dockerfile: upper-case keywords, one space between keyword, flags
// and arguments, exec form printed as ["a", "b"], continuation lines indented and ended with
// " \", trailing white space and repeated blank lines removed, one line break at the end.
// Heredoc bodies, comments, directives, the BOM, the line ending (LF or CRLF) and the meaning
// of every instruction are kept; unknown instructions are left as written.
// format(parse(format(text))) == format(text).
std::string format(const Document &document, const FormatOptions &options = {});

// The canonical text of one instruction of `source` (the document's source), heredoc bodies
// included, without the final line break; for replaceInstruction() in the visual editor.
std::string formatInstruction(const Instruction &instruction, std::string_view source,
                              char escape = '\\', const FormatOptions &options = {});

} // namespace Berth::Dockerfile
