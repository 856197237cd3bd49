#pragma once

#include <QDir>
#include <QFile>
#include <QString>
#include <QStringList>

#include <string>

// Golden fixtures under tests/data/dockerfile: one folder per case holding a Dockerfile.
namespace BerthTest {

inline QString dockerfileDataDir()
{
    return QStringLiteral(BERTH_TEST_DATA_DIR "/dockerfile");
}

// Case folders below `sub` ("" for the valid cases, "errors" for the error cases), sorted.
inline QStringList fixtureCases(const QString &sub)
{
    QDir dir(dockerfileDataDir() + (sub.isEmpty() ? QString() : QLatin1Char('/') + sub));
    QStringList out;
    for (const QString &name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        if (QFile::exists(dir.filePath(name + QStringLiteral("/Dockerfile"))))
            out << dir.filePath(name);
    return out;
}

inline std::string readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray data = f.readAll();
    return std::string(data.constData(), std::size_t(data.size()));
}

// When BERTH_UPDATE_FIXTURES names a folder, fresh expected files are written there (mirroring
// tests/data/dockerfile) for review; the test never writes into the source tree by itself.
inline void maybeWriteExpected(const QString &caseDir, const QString &fileName,
                               const std::string &text)
{
    const QByteArray target = qgetenv("BERTH_UPDATE_FIXTURES");
    if (target.isEmpty())
        return;
    const QString rel = QDir(dockerfileDataDir()).relativeFilePath(caseDir);
    const QString outDir = QString::fromLocal8Bit(target) + QLatin1Char('/') + rel;
    QDir().mkpath(outDir);
    QFile f(outDir + QLatin1Char('/') + fileName);
    if (f.open(QIODevice::WriteOnly))
        f.write(text.data(), qint64(text.size()));
}

} // namespace BerthTest
