#include "store/imagearchive.h"
#include "store/imagestore.h"

#include "../archive/archivetestutil.h"
#include "archive/stream.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <set>
#include <unistd.h>

using namespace Berth;
using namespace Berth::Store;

// A load cancelled through LoadOptions::progress, at every kind of moment (reading the
// archive, storing blobs, before each layer is unpacked), keeps nothing.
class TestLoadCancel : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_stores = 0;
    QString m_archives[2];

    Result<ImageStore> freshStore()
    {
        return ImageStore::open(m_dir.filePath(QString("s%1").arg(++m_stores)).toStdString());
    }
    static int count(const std::string &dir)
    {
        return int(QDir(QString::fromStdString(dir))
                       .entryList(QDir::AllEntries | QDir::NoDotAndDotDot)
                       .size());
    }
    static Result<ImageInfo> importFile(ImageStore &store, std::size_t size, const char *reference)
    {
        std::string content(size, '\0');
        for (std::size_t i = 0; i < size; ++i)
            content[i] = char((i * 2654435761u) >> 13);
        const std::string tar = ArchiveTest::rawEntry("data/", '5', {}, {}, 0755) +
                                ArchiveTest::rawEntry("data/blob", '0', content) +
                                std::string(1024, '\0');
        Archive::MemoryReader in(tar);
        return store.importRootfs(in, *Image::Reference::parse(reference));
    }
    bool save(ImageStore &store, ArchiveFormat format, const QString &path)
    {
        const int fd = ::open(QFile::encodeName(path).constData(),
                              O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
            return false;
        Archive::FdWriter out(fd);
        const bool ok = bool(saveImages(store, {"localhost/a:1", "localhost/b:1"}, out, format));
        ::close(fd);
        return ok;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto source = freshStore();
        QVERIFY(source);
        QVERIFY(importFile(*source, 3 << 20, "localhost/a:1"));
        QVERIFY(importFile(*source, 1 << 20, "localhost/b:1"));
        m_archives[0] = m_dir.filePath("docker.tar");
        m_archives[1] = m_dir.filePath("oci.tar");
        QVERIFY(save(*source, ArchiveFormat::DockerArchive, m_archives[0]));
        QVERIFY(save(*source, ArchiveFormat::OciArchive, m_archives[1]));
    }

    void aCancelledLoadKeepsNothing_data()
    {
        QTest::addColumn<int>("archive");
        QTest::newRow("a docker archive") << 0;
        QTest::newRow("an OCI archive") << 1;
    }
    void aCancelledLoadKeepsNothing()
    {
        QFETCH(int, archive);
        const std::string path = m_archives[archive].toStdString();
        // How often a whole load reports progress; the cancellations spread over those calls.
        int calls = 0;
        std::int64_t lastTotal = 0;
        {
            auto store = freshStore();
            QVERIFY(store);
            LoadOptions counting;
            counting.progress = [&](std::int64_t done, std::int64_t total) {
                ++calls;
                lastTotal = total;
                return done <= total;
            };
            auto loaded = loadImages(*store, path, counting);
            QVERIFY2(loaded, loaded ? "" : loaded.error().toString().c_str());
            QCOMPARE(loaded->size(), std::size_t(2));
        }
        QVERIFY2(calls >= 8, qPrintable(QString::number(calls)));
        QVERIFY(lastTotal > 0);
        std::set<int> stops = {1, 2, calls / 4, calls / 2, 3 * calls / 4, calls - 1, calls};
        for (int stop : stops) {
            auto store = freshStore();
            QVERIFY(store);
            int call = 0;
            LoadOptions cancelling;
            cancelling.progress = [&](std::int64_t, std::int64_t) {
                return ++call < stop;
            };
            auto loaded = loadImages(*store, path, cancelling);
            QVERIFY2(!loaded, qPrintable(QString("stopped at call %1 of %2").arg(stop).arg(calls)));
            QCOMPARE(loaded.error().code(), ErrorCode::Cancelled);
            QVERIFY(store->images()->empty());
            QCOMPARE(count(store->root() + "/blobs/sha256"), 0);
            QCOMPARE(count(store->root() + "/layers"), 0);
            QCOMPARE(count(store->root() + "/tmp"), 0);
            auto report = store->check();
            QVERIFY(report && report->consistent() && report->unused.empty());
        }
    }
};

QTEST_GUILESS_MAIN(TestLoadCancel)
#include "tst_loadcancel.moc"
