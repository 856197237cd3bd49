// berth: the desktop application. Everything but the entry point lives in berth_ui.
#include "application.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>

#include <cstdio>

int main(int argc, char *argv[])
{
    using namespace Berth::Ui;
    if (const auto status = handleArgumentsWithoutDisplay(argc, argv, BERTH_VERSION))
        return *status;
    // Without a display Qt aborts with a long message; say what to do instead.
    if (const auto reason = missingDisplayReason()) {
        std::fprintf(stderr, "berth: %s\n", reason->c_str());
        return 1;
    }

    QApplication app(argc, argv);
    setUpApplication(app, BERTH_VERSION);

    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("Dockerfile"),
                                 QStringLiteral("A Dockerfile to open in the Dockerfiles view."),
                                 QStringLiteral("[Dockerfile]"));
    parser.process(app);

    MainWindow window;
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openDockerfile(parser.positionalArguments().constFirst());
    return app.exec();
}
