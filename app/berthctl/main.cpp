#include "dockerfilecommands.h"

#include <QCoreApplication>
#include <QStringList>

#include <cstdio>

namespace {

const char s_help[] = R"(berthctl: the Berth container engine from a terminal.

Usage: berthctl COMMAND [ARGS...]

Commands:
  dockerfile parse FILE [--json]      show a Dockerfile's syntax tree
  dockerfile lint FILE [--format F]   check a Dockerfile (text or json)
  dockerfile fmt FILE [-w] [--check]  format a Dockerfile
  dockerfile rules                    list the lint rules
  version                             print the version
  help                                show this help

Images, containers and builds come with the engine (see the README for what is there).
)";

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("berthctl"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BERTH_VERSION));
    const QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty()) {
        std::fputs(s_help, stderr);
        return 2;
    }
    const QString &command = args[0];
    if (command == QLatin1String("--help") || command == QLatin1String("-h") ||
        command == QLatin1String("help")) {
        std::fputs(s_help, stdout);
        return 0;
    }
    if (command == QLatin1String("version") || command == QLatin1String("--version")) {
        std::printf("berthctl %s (Qt %s)\n", BERTH_VERSION, qVersion());
        return 0;
    }
    if (command == QLatin1String("dockerfile"))
        return Berth::Cli::runDockerfileCommand(args.mid(1));
    std::fprintf(stderr, "berthctl: unknown command \"%s\" (try berthctl --help)\n",
                 qPrintable(command));
    return 2;
}
