#pragma once

// Helpers for the archive tests: a raw tar header writer (to build archives our TarWriter would
// never produce), a tree snapshot for comparisons, and running external tools.

#include "archive/stream.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>

namespace ArchiveTest {

// One raw ustar header block (+ data, padded) with whatever name and type we like.
inline std::string rawEntry(const std::string &name, char type, const std::string &data = {},
                            const std::string &link = {}, unsigned mode = 0644,
                            long long sizeOverride = -1)
{
    char b[512] = {};
    std::memcpy(b, name.data(), std::min<std::size_t>(name.size(), 100));
    std::snprintf(b + 100, 8, "%07o", mode);
    std::snprintf(b + 108, 8, "%07o", 0);
    std::snprintf(b + 116, 8, "%07o", 0);
    std::snprintf(b + 124, 12, "%011llo",
                  sizeOverride >= 0 ? sizeOverride : (long long)data.size());
    std::snprintf(b + 136, 12, "%011o", 1700000000);
    b[156] = type;
    std::memcpy(b + 157, link.data(), std::min<std::size_t>(link.size(), 100));
    std::memcpy(b + 257,
                "ustar\0"
                "00",
                8);
    std::memset(b + 148, ' ', 8);
    unsigned sum = 0;
    for (unsigned char c : b)
        sum += c;
    std::snprintf(b + 148, 8, "%06o", sum);
    b[155] = ' ';
    std::string out(b, 512);
    out += data;
    out.append((512 - data.size() % 512) % 512, '\0');
    return out;
}

// A PAX 'x' header holding `records` (already formatted).
inline std::string rawPax(const std::string &records)
{
    return rawEntry("PaxHeaders/x", 'x', records);
}

inline std::string paxRecord(const std::string &key, const std::string &value)
{
    const std::size_t body = key.size() + value.size() + 3;
    std::size_t len = body + 1;
    while (std::to_string(len).size() + body != len)
        len = std::to_string(len).size() + body;
    return std::to_string(len) + ' ' + key + '=' + value + '\n';
}

inline std::string rawEnd()
{
    return std::string(1024, '\0');
}

inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline void writeFile(const QString &path, const QByteArray &data, mode_t mode = 0644)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(data);
    f.close();
    ::chmod(QFile::encodeName(path).constData(), mode);
}

// One line per path describing everything we promise to keep; hardlinked files share a tag.
inline std::map<QString, QString> snapshot(const QString &root, bool withTimes = true)
{
    std::map<QString, QString> out;
    std::map<std::pair<dev_t, ino_t>, QString> inodes;
    std::map<QString, std::pair<dev_t, ino_t>> linked;
    QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QByteArray native = QFile::encodeName(path);
        struct stat st;
        ::lstat(native.constData(), &st);
        QString d = QString::asprintf("mode=%o uid=%u gid=%u", st.st_mode, st.st_uid, st.st_gid);
        if (withTimes && !S_ISLNK(st.st_mode))
            d += QString::asprintf(" mtime=%lld", (long long)st.st_mtim.tv_sec);
        if (S_ISREG(st.st_mode)) {
            d += " sha=" + QCryptographicHash::hash(readAll(path), QCryptographicHash::Sha256)
                               .toHex()
                               .left(16);
            if (st.st_nlink > 1) {
                const QString rel = QDir(root).relativeFilePath(path);
                QString &first = inodes[std::pair(st.st_dev, st.st_ino)];
                if (first.isEmpty() || rel < first)
                    first = rel;
                linked[rel] = std::pair(st.st_dev, st.st_ino);
            }
        }
        if (S_ISLNK(st.st_mode)) {
            char target[4096];
            const ssize_t n = ::readlink(native.constData(), target, sizeof target);
            d += " -> " + QString::fromUtf8(target, std::max<ssize_t>(n, 0));
        }
        if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
            d += QString::asprintf(" dev=%u,%u", major(st.st_rdev), minor(st.st_rdev));
        char names[4096];
        const ssize_t n = ::llistxattr(native.constData(), names, sizeof names);
        QStringList xattrs;
        for (ssize_t p = 0; p < n; p += (ssize_t)std::strlen(names + p) + 1) {
            char value[4096];
            const ssize_t v = ::lgetxattr(native.constData(), names + p, value, sizeof value);
            xattrs << QString(" xattr:%1=%2")
                          .arg(QString::fromUtf8(names + p),
                               QString::fromUtf8(value, std::max<ssize_t>(v, 0)));
        }
        xattrs.sort();
        out[QDir(root).relativeFilePath(path)] = d + xattrs.join(QString());
    }
    for (const auto &[rel, inode] : linked)
        out[rel] += " link-group=" + inodes[inode];
    return out;
}

inline bool haveTool(const QString &name)
{
    return !QStandardPaths::findExecutable(name).isEmpty();
}

struct ToolResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs a tool to completion (tests only), feeding `input` on stdin.
inline ToolResult runTool(const QString &program, const QStringList &args,
                          const QByteArray &input = {}, const QString &workDir = {})
{
    QProcess p;
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(program, args);
    p.waitForStarted();
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

inline int openDir(const QString &path)
{
    return ::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

} // namespace ArchiveTest
