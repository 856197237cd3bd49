#include "dockerfile/lintshell.h"

#include <array>

namespace Berth::Dockerfile::Internal {

namespace {

bool isAssignment(std::string_view word)
{
    const std::size_t eq = word.find('=');
    if (eq == 0 || eq == std::string_view::npos)
        return false;
    for (std::size_t i = 0; i < eq; ++i) {
        const char c = word[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        if (!alpha && !(i > 0 && c >= '0' && c <= '9'))
            return false;
    }
    return true;
}

bool isReservedWord(std::string_view word)
{
    static constexpr std::array<std::string_view, 12> words = {
        "if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time", "exec"};
    for (auto w : words)
        if (w == word)
            return true;
    return false;
}

bool containsWord(std::string_view list, std::string_view word)
{
    std::size_t pos = 0;
    while (pos < list.size()) {
        std::size_t next = list.find(' ', pos);
        if (next == std::string_view::npos)
            next = list.size();
        if (list.substr(pos, next - pos) == word)
            return true;
        pos = next + 1;
    }
    return false;
}

// Reads a script character by character, building words and commands.
class ShellReader
{
public:
    ShellReader(std::string_view source, std::size_t begin, std::size_t end, char lineEscape)
        : m_src(source)
        , m_pos(begin)
        , m_end(std::min(end, source.size()))
        , m_escape(lineEscape)
    {}

    std::vector<ShellCommand> run();

private:
    bool atDockerContinuation() const;
    void skipDockerContinuation();
    void readSingleQuoted();
    void readDoubleQuoted();
    void readBalanced(char open, char close);
    void readOperator();
    void readRedirection();
    void startWord();
    void append(char c);
    void endWord();
    void endCommand(std::string separator);

    std::string_view m_src;
    std::size_t m_pos;
    std::size_t m_end;
    char m_escape;
    ShellWord m_word;
    bool m_inWord = false;
    bool m_dropNext = false; // the next word is a redirection target
    ShellCommand m_command;
    std::vector<ShellCommand> m_commands;
};

bool ShellReader::atDockerContinuation() const
{
    if (m_escape == 0 || m_src[m_pos] != m_escape)
        return false;
    std::size_t i = m_pos + 1;
    while (i < m_end && (m_src[i] == ' ' || m_src[i] == '\t' || m_src[i] == '\r'))
        ++i;
    return i < m_end && m_src[i] == '\n';
}

// Docker drops the escape, the line break and any comment or empty lines that follow.
void ShellReader::skipDockerContinuation()
{
    m_pos = m_src.find('\n', m_pos) + 1;
    while (m_pos < m_end) {
        std::size_t i = m_pos;
        while (i < m_end && (m_src[i] == ' ' || m_src[i] == '\t' || m_src[i] == '\r'))
            ++i;
        if (i < m_end && m_src[i] != '#' && m_src[i] != '\n')
            return;
        const std::size_t nl = m_src.find('\n', i);
        m_pos = nl == std::string_view::npos || nl >= m_end ? m_end : nl + 1;
    }
}

void ShellReader::startWord()
{
    if (!m_inWord) {
        m_inWord = true;
        m_word = {{}, m_pos, m_pos};
    }
}

void ShellReader::append(char c)
{
    startWord();
    m_word.text += c;
}

void ShellReader::endWord()
{
    if (!m_inWord)
        return;
    m_inWord = false;
    m_word.end = m_pos;
    if (m_dropNext) {
        m_dropNext = false;
        return;
    }
    m_command.words.push_back(std::move(m_word));
}

void ShellReader::endCommand(std::string separator)
{
    endWord();
    if (m_command.words.empty())
        return;
    m_command.separator = std::move(separator);
    m_command.finish();
    m_commands.push_back(std::move(m_command));
    m_command = {};
}

void ShellReader::readSingleQuoted()
{
    startWord(); // even for '': an empty word is still a word
    ++m_pos;
    while (m_pos < m_end && m_src[m_pos] != '\'') {
        if (atDockerContinuation()) {
            skipDockerContinuation();
            continue;
        }
        m_word.text += m_src[m_pos++];
    }
    ++m_pos;
}

void ShellReader::readDoubleQuoted()
{
    startWord();
    ++m_pos;
    while (m_pos < m_end && m_src[m_pos] != '"') {
        if (atDockerContinuation()) {
            skipDockerContinuation();
            continue;
        }
        const char c = m_src[m_pos];
        if (c == '\\' && m_pos + 1 < m_end &&
            std::string_view("\"\\$`\n").find(m_src[m_pos + 1]) != std::string_view::npos) {
            if (m_src[m_pos + 1] != '\n')
                m_word.text += m_src[m_pos + 1];
            m_pos += 2;
        } else if (c == '$' && m_pos + 1 < m_end && m_src[m_pos + 1] == '(') {
            readBalanced('(', ')');
        } else {
            m_word.text += c;
            ++m_pos;
        }
    }
    ++m_pos;
}

// $(...), ${...} or `...`: kept as written; nesting of the same brackets is followed.
void ShellReader::readBalanced(char open, char close)
{
    append(m_src[m_pos]); // '$' or the opening backquote
    ++m_pos;
    int depth = open == close ? 1 : 0;
    while (m_pos < m_end) {
        const char c = m_src[m_pos++];
        m_word.text += c;
        if (c == '\\' && m_pos < m_end)
            m_word.text += m_src[m_pos++];
        else if (c == close && --depth == 0)
            return;
        else if (c == open)
            ++depth;
    }
}

void ShellReader::readOperator()
{
    const char c = m_src[m_pos];
    std::string op(1, c);
    if (m_pos + 1 < m_end && (m_src[m_pos + 1] == c || (c == '|' && m_src[m_pos + 1] == '&')))
        op += m_src[m_pos + 1];
    m_pos += op.size();
    if (op == "|&")
        op = "|";
    if (op == ";;")
        op = ";";
    endCommand(op);
}

void ShellReader::readRedirection()
{
    // "2>" : the digits were the file descriptor, not a word.
    if (m_inWord && !m_word.text.empty() &&
        m_word.text.find_first_not_of("0123456789") == std::string::npos) {
        m_inWord = false;
    }
    endWord();
    while (m_pos < m_end && std::string_view("<>&|-").find(m_src[m_pos]) != std::string_view::npos)
        ++m_pos;
    m_dropNext = true;
}

std::vector<ShellCommand> ShellReader::run()
{
    while (m_pos < m_end) {
        if (atDockerContinuation()) {
            skipDockerContinuation();
            continue;
        }
        const char c = m_src[m_pos];
        const char next = m_pos + 1 < m_end ? m_src[m_pos + 1] : '\0';
        if (c == ' ' || c == '\t' || c == '\r') {
            endWord();
            ++m_pos;
        } else if (c == '\n') {
            endCommand("\n");
            ++m_pos;
        } else if (c == '#' && !m_inWord) {
            while (m_pos < m_end && m_src[m_pos] != '\n')
                ++m_pos;
        } else if (c == '\'') {
            readSingleQuoted();
        } else if (c == '"') {
            readDoubleQuoted();
        } else if (c == '\\') {
            if (next != '\n' && m_pos + 1 < m_end)
                append(next);
            m_pos += 2;
        } else if (c == '$' && (next == '(' || next == '{')) {
            readBalanced(next, next == '(' ? ')' : '}');
        } else if (c == '`') {
            readBalanced('`', '`');
        } else if (c == ';' || c == '&' || c == '|') {
            readOperator();
        } else if (c == '(' || c == ')') {
            endCommand(";");
            ++m_pos;
        } else if (c == '<' || c == '>') {
            readRedirection();
        } else {
            append(c);
            ++m_pos;
        }
    }
    m_pos = m_end;
    endCommand("");
    return std::move(m_commands);
}

} // namespace

void ShellCommand::finish()
{
    m_finished = false;
    m_nameIndex = nameIndex(true);
    m_program = name(true);
    m_finished = true;
}

std::size_t ShellCommand::nameIndex(bool skipSudo) const
{
    if (skipSudo && m_finished)
        return m_nameIndex;
    std::size_t i = 0;
    while (i < words.size()) {
        const std::string &w = words[i].text;
        if (isAssignment(w) || isReservedWord(w)) {
            ++i;
        } else if ((skipSudo && w == "sudo") || w == "env" || w == "nice" || w == "nohup" ||
                   w == "command") {
            ++i;
            while (i < words.size() &&
                   (words[i].text.starts_with('-') || (w == "env" && isAssignment(words[i].text))))
                i += (words[i].text == "-u" || words[i].text == "-n") ? 2 : 1;
        } else {
            break;
        }
    }
    return std::min(i, words.size());
}

std::string ShellCommand::name(bool skipSudo) const
{
    if (skipSudo && m_finished)
        return m_program;
    const std::size_t i = nameIndex(skipSudo);
    if (i >= words.size())
        return {};
    const std::string &w = words[i].text;
    const std::size_t slash = w.rfind('/');
    return slash == std::string::npos ? w : w.substr(slash + 1);
}

std::size_t ShellCommand::subcommandIndex(std::string_view optionsWithValue) const
{
    std::size_t i = nameIndex() + 1;
    while (i < words.size() && words[i].text.starts_with('-'))
        i += containsWord(optionsWithValue, words[i].text) ? 2 : 1;
    return std::min(i, words.size());
}

std::vector<const ShellWord *> ShellCommand::operands(std::size_t from,
                                                      std::string_view optionsWithValue) const
{
    std::vector<const ShellWord *> out;
    for (std::size_t i = from + 1; i < words.size(); ++i) {
        if (!words[i].text.starts_with('-'))
            out.push_back(&words[i]);
        else if (containsWord(optionsWithValue, words[i].text))
            ++i;
    }
    return out;
}

bool ShellCommand::hasOption(std::string_view options) const
{
    for (std::size_t i = nameIndex() + 1; i < words.size(); ++i) {
        const std::string &w = words[i].text;
        if (containsWord(options, w))
            return true;
        if (w.size() < 2 || w[0] != '-' || w[1] == '-')
            continue;
        for (std::size_t k = 1; k < w.size(); ++k)
            if (containsWord(options, std::string{'-', w[k]}))
                return true;
    }
    return false;
}

std::vector<ShellCommand> splitShellCommands(std::string_view source, std::size_t begin,
                                             std::size_t end, char lineEscape)
{
    if (begin >= end || begin >= source.size())
        return {};
    return ShellReader(source, begin, end, lineEscape).run();
}

} // namespace Berth::Dockerfile::Internal
