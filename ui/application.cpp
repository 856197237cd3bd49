#include "application.h"

#include "icons.h"
#include "language.h"

#include <QApplication>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace Berth::Ui {

namespace {

bool isSet(const char *name)
{
    const char *value = std::getenv(name);
    return value && *value;
}

} // namespace

std::optional<int> handleArgumentsWithoutDisplay(int argc, char **argv, const char *version)
{
    for (int i = 1; i < argc; ++i) {
        const char *arg = argv[i];
        if (std::strcmp(arg, "--") == 0)
            break;
        if (std::strcmp(arg, "--version") == 0 || std::strcmp(arg, "-v") == 0) {
            std::printf("berth %s\n", version);
            return 0;
        }
        if (std::strcmp(arg, "--help") == 0 || std::strcmp(arg, "-h") == 0) {
            std::printf("Usage: berth [options] [Dockerfile]\n"
                        "Berth, a desktop container manager.\n\n"
                        "Options:\n"
                        "  -h, --help     Show this help and exit.\n"
                        "  -v, --version  Show the version and exit.\n\n"
                        "Arguments:\n"
                        "  Dockerfile     A Dockerfile to open in the Dockerfiles view.\n");
            return 0;
        }
    }
    return std::nullopt;
}

std::optional<std::string> missingDisplayReason()
{
    if (isSet("QT_QPA_PLATFORM") || isSet("DISPLAY") || isSet("WAYLAND_DISPLAY"))
        return std::nullopt;
    return std::string("no display found (DISPLAY and WAYLAND_DISPLAY are unset). Run it in a "
                       "desktop session, or try: xvfb-run -a make run");
}

void setUpApplication(QApplication &app, const char *version)
{
    QApplication::setOrganizationName(QStringLiteral("berth"));
    QApplication::setApplicationName(QStringLiteral("berth"));
    QApplication::setApplicationDisplayName(QStringLiteral("Berth"));
    QApplication::setApplicationVersion(QString::fromUtf8(version));
    QApplication::setDesktopFileName(QStringLiteral("berth"));
    QApplication::setWindowIcon(applicationIcon());
    installTranslations(app, localeForLanguage(savedLanguage()));
}

} // namespace Berth::Ui
