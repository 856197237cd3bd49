#include "processrun.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <chrono>
#include <limits>
#include <thread>

using namespace BerthTest;

// Crash safety of `berthctl load`: killed with SIGKILL at moments spread over a whole load, it
// leaves a store that `system check` finds consistent, and the same load then succeeds.
class TestBerthctlCrash : public QObject
{
    Q_OBJECT

    static constexpr int s_runs = 56;

    QTemporaryDir m_dir;
    QString m_archives[2]; // a docker archive and an OCI archive of the same two images

    Run berthctl(const QString &root, const QStringList &args)
    {
        return runProgram(berthctlPath(), args, {root, {}, {}});
    }
    // A root file system of `files` files of incompressible bytes, as a tar.
    QString makeRootfs(const QString &name, int files, int size)
    {
        const QString tree = m_dir.filePath(name);
        QRandomGenerator random(quint32(qHash(name)));
        for (int i = 0; i < files; ++i) {
            const QString dir = tree + QString("/d%1").arg(i % 17);
            QDir().mkpath(dir);
            QFile f(dir + QString("/f%1").arg(i));
            if (!f.open(QIODevice::WriteOnly))
                return {};
            QByteArray bytes(size, Qt::Uninitialized);
            random.fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
            f.write(bytes);
        }
        const QString tar = m_dir.filePath(name + ".tar");
        if (runProgram("tar", {"-C", tree, "-cf", tar, "."}).status != 0)
            return {};
        return tar;
    }
    static QStringList entries(const QString &dir)
    {
        return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString source = m_dir.filePath("source");
        const QString a = makeRootfs("a", 200, 8192);
        const QString b = makeRootfs("b", 16, 64 * 1024);
        QVERIFY(!a.isEmpty() && !b.isEmpty());
        QCOMPARE(berthctl(source, {"import", a, "localhost/a:1"}).status, 0);
        QCOMPARE(berthctl(source, {"import", b, "localhost/b:1"}).status, 0);
        m_archives[0] = m_dir.filePath("images-docker.tar");
        m_archives[1] = m_dir.filePath("images-oci.tar");
        QCOMPARE(berthctl(source, {"save", "-o", m_archives[0], "localhost/a:1", "localhost/b:1"})
                     .status,
                 0);
        QCOMPARE(berthctl(source, {"save", "--format", "oci-archive", "-o", m_archives[1],
                                   "localhost/a:1", "localhost/b:1"})
                     .status,
                 0);
    }

    void aKilledLoadLeavesAConsistentStore()
    {
        // How long a whole load takes here (the fastest of three: a slow one, on a busy machine,
        // would put the late kills after the end), so that the kills spread over all of it.
        qint64 whole = std::numeric_limits<qint64>::max();
        for (int i = 0; i < 3; ++i) {
            const QString probe = m_dir.filePath(QString("probe%1").arg(i));
            QElapsedTimer timer;
            timer.start();
            const Run first = berthctl(probe, {"load", "-i", m_archives[0]});
            whole = std::min(whole, timer.elapsed());
            QVERIFY2(first.status == 0, first.err.constData());
            QVERIFY(QDir(probe).removeRecursively());
        }

        int killed = 0;
        for (int i = 0; i < s_runs; ++i) {
            const QString root = m_dir.filePath(QString("run%1").arg(i));
            const QString &archive = m_archives[i % 2];
            QProcess load;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("BERTH_ROOT", root);
            load.setProcessEnvironment(env);
            load.start(berthctlPath(), {"load", "-i", archive});
            QVERIFY(load.waitForStarted());
            // The moment of the kill is what this test varies: a deliberate delay, not a wait
            // for a condition.
            const qint64 at = whole * i / s_runs;
            std::this_thread::sleep_for(std::chrono::milliseconds(at));
            const bool finished = load.state() == QProcess::NotRunning;
            load.kill();
            QVERIFY(load.waitForFinished(60000));
            if (!finished && load.exitStatus() == QProcess::CrashExit)
                ++killed;

            const Run checked = berthctl(root, {"system", "check", "--json"});
            const QJsonObject report = QJsonDocument::fromJson(checked.out).object();
            QVERIFY2(checked.status == 0 && report["consistent"].toBool(),
                     qPrintable(QString("run %1, killed after %2 ms: %3%4")
                                    .arg(i)
                                    .arg(at)
                                    .arg(QString::fromUtf8(checked.out))
                                    .arg(QString::fromUtf8(checked.err))));
            // What the killed process was writing is gone once a new one opened the store.
            QVERIFY2(entries(root + "/tmp").isEmpty(),
                     qPrintable(entries(root + "/tmp").join(' ')));
            QVERIFY(entries(root + "/layers").filter(".incomplete").isEmpty());

            const Run again = berthctl(root, {"load", "-i", archive});
            QVERIFY2(again.status == 0, qPrintable(QString("run %1, killed after %2 ms: %3")
                                                       .arg(i)
                                                       .arg(at)
                                                       .arg(QString::fromUtf8(again.err))));
            const Run listed = berthctl(root, {"images", "--json"});
            QCOMPARE(QJsonDocument::fromJson(listed.out).array().size(), 2);
            QVERIFY(QDir(root).removeRecursively());
        }
        qInfo("%d of %d loads were killed before they finished (a whole load: %lld ms)", killed,
              s_runs, whole);
        // The kills must have landed inside loads, not after them (most of them: the machine's
        // speed varies from run to run).
        QVERIFY2(killed >= s_runs / 3, qPrintable(QString::number(killed)));
    }
};

QTEST_GUILESS_MAIN(TestBerthctlCrash)
#include "tst_berthctl_crash.moc"
