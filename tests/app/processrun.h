#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

// Runs the real binaries the way a script would, for the end-to-end tests.
namespace BerthTest {

struct Run
{
    int status = -1; // -1 when the program crashed or did not finish in time
    QByteArray out, err;
};

struct RunOptions
{
    QString berthRoot;  // BERTH_ROOT for the program; inherited when empty
    QByteArray input;   // written to its standard input
    QString workingDir; // the current directory when not empty
};

inline Run runProgram(const QString &program, const QStringList &args,
                      const RunOptions &options = {})
{
    QProcess p;
    if (!options.berthRoot.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("BERTH_ROOT", options.berthRoot);
        p.setProcessEnvironment(env);
    }
    if (!options.workingDir.isEmpty())
        p.setWorkingDirectory(options.workingDir);
    p.start(program, args);
    if (!options.input.isEmpty())
        p.write(options.input);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

inline QString berthctlPath()
{
    return QStringLiteral(BERTH_BINARY_DIR "/bin/berthctl");
}

} // namespace BerthTest
