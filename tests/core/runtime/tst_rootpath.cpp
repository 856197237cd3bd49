#include "runtime/rootpath.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

using namespace Berth::Runtime::Internal;

// Mount targets resolved inside a root: symlinks and ".." never lead out of it.
class TestRootPath : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_root;
    QString m_outside;
    int m_rootFd = -1;

    // Where `path` resolves, as a path relative to the root ("" for the root), or an errno name.
    QString resolve(const char *path, Create create)
    {
        const int fd = openInRoot(m_rootFd, path, create);
        if (fd < 0)
            return QString("errno ") + QString::number(-fd);
        char link[4096] = {};
        const QByteArray proc = "/proc/self/fd/" + QByteArray::number(fd);
        const ssize_t n = ::readlink(proc.constData(), link, sizeof link - 1);
        ::close(fd);
        const QString target = QString::fromUtf8(link, int(n));
        if (target == m_root)
            return "";
        return target.startsWith(m_root + "/") ? target.mid(m_root.size() + 1)
                                               : "OUTSIDE " + target;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_root = m_dir.filePath("root");
        m_outside = m_dir.filePath("outside");
        QVERIFY(QDir().mkpath(m_root + "/etc") && QDir().mkpath(m_outside));
        QVERIFY(::symlink(m_outside.toUtf8().constData(), (m_root + "/abs").toUtf8().constData()) ==
                0);
        QVERIFY(::symlink("../../..", (m_root + "/etc/up").toUtf8().constData()) == 0);
        QVERIFY(::symlink("loop", (m_root + "/loop").toUtf8().constData()) == 0);
        QVERIFY(::symlink("/etc", (m_root + "/etclink").toUtf8().constData()) == 0);
        m_rootFd = ::open(m_root.toUtf8().constData(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        QVERIFY(m_rootFd >= 0);
    }
    void cleanupTestCase() { ::close(m_rootFd); }

    void resolves_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("create");
        QTest::addColumn<QString>("expected");
        const int nothing = int(Create::Nothing), dir = int(Create::Directory),
                  file = int(Create::File);
        QTest::newRow("an existing directory") << "/etc" << nothing << "etc";
        QTest::newRow("the root itself") << "/" << nothing << "";
        QTest::newRow("dot-dot stops at the root") << "/../../etc" << nothing << "etc";
        QTest::newRow("a relative symlink climbing out stops at the root")
            << "/etc/up/etc" << nothing << "etc";
        QTest::newRow("an absolute symlink restarts at the root") << "/etclink" << nothing << "etc";
        // The host directory the link names is recreated inside the root instead.
        QTest::newRow("a symlink to a host path is created inside")
            << "/abs/sub" << dir << "OUTSIDE-COPY";
        QTest::newRow("a missing file is created with its parents")
            << "/a/b/file" << file << "a/b/file";
        QTest::newRow("a missing path without create is ENOENT") << "/nope" << nothing << "errno 2";
        QTest::newRow("a symlink loop is ELOOP") << "/loop" << nothing << "errno 40";
    }
    void resolves()
    {
        QFETCH(QString, path);
        QFETCH(int, create);
        QFETCH(QString, expected);
        if (expected == "OUTSIDE-COPY")
            expected = m_outside.mid(1) + "/sub";
        QCOMPARE(resolve(path.toUtf8().constData(), Create(create)), expected);
        QCOMPARE(QDir(m_outside).entryList(QDir::NoDotAndDotDot | QDir::AllEntries), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestRootPath)
#include "tst_rootpath.moc"
