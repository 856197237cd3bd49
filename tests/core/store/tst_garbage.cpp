#include "store/imagestore.h"

#include "../archive/archivetestutil.h"
#include "archive/stream.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <optional>
#include <sys/stat.h>
#include <thread>

using namespace Berth;
using namespace Berth::Store;

// Garbage collection marks from tags and from GC roots (what containers and the build cache
// use): whatever a root holds survives rmi, prune -a and collection.
class TestGarbage : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_stores = 0;

    static Result<ImageInfo> importFile(ImageStore &store, const std::string &content,
                                        const std::string &reference)
    {
        const std::string tar = ArchiveTest::rawEntry("etc/", '5', {}, {}, 0755) +
                                ArchiveTest::rawEntry("etc/content", '0', content) +
                                std::string(1024, '\0');
        Archive::MemoryReader in(tar);
        return store.importRootfs(in, *Image::Reference::parse(reference));
    }
    Result<ImageStore> freshStore()
    {
        return ImageStore::open(m_dir.filePath(QString::number(++m_stores)).toStdString());
    }
    // How many processes or threads wait for a lock on the file whose inode `inode` names.
    static int waitersOn(const QByteArray &inode)
    {
        QFile locks("/proc/locks");
        if (!locks.open(QIODevice::ReadOnly))
            return -1;
        int n = 0;
        for (const QByteArray &line : locks.readAll().split('\n'))
            if (line.contains("->") && line.contains(inode))
                ++n;
        return n;
    }
    static int count(const std::string &dir)
    {
        return int(QDir(QString::fromStdString(dir))
                       .entryList(QDir::AllEntries | QDir::NoDotAndDotDot)
                       .size());
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void anImageAContainerUsesSurvivesPruneAll()
    {
        auto store = freshStore();
        QVERIFY(store);
        auto used = importFile(*store, "used\n", "localhost/used:1");
        auto other = importFile(*store, "other\n", "localhost/other:1");
        QVERIFY(used && other);
        QVERIFY(store->metadata().addRoot(
            {"container:c1", GcRoot::Kind::Image, used->record.manifest}));
        auto report = store->prune(true);
        QVERIFY2(report, report ? "" : report.error().toString().c_str());
        auto left = store->images();
        QCOMPARE(left->size(), std::size_t(1));
        QCOMPARE(left->front().record.manifest, used->record.manifest);
        QCOMPARE(count(store->root() + "/blobs/sha256"), 3);
        QCOMPARE(count(store->root() + "/layers"), 1);
    }

    void rmiOfAnImageInUseNeedsForceAndKeepsTheImage()
    {
        auto store = freshStore();
        QVERIFY(store);
        auto image = importFile(*store, "x\n", "localhost/x:1");
        QVERIFY(image);
        QVERIFY(store->metadata().addRoot(
            {"container:c2", GcRoot::Kind::Image, image->record.manifest}));
        auto refused = store->remove("localhost/x:1", false);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code(), ErrorCode::Conflict);
        QVERIFY2(refused.error().message().find("container:c2 is using it") != std::string::npos,
                 refused.error().message().c_str());
        auto forced = store->remove("localhost/x:1", true);
        QVERIFY(forced);
        QCOMPARE(*forced, std::vector<std::string>{"Untagged: localhost/x:1"});
        // Untagged, still there, and its content survives a collection.
        auto found = store->find(image->record.manifest.toString());
        QVERIFY(found);
        QVERIFY(found->tags.empty());
        QVERIFY(store->collectGarbage());
        QVERIFY(store->config(*found));
        QVERIFY(QFileInfo::exists(QString::fromStdString(
            store->layerPath(store->config(*found)->rootfs.diffIds[0]) + "/etc/content")));
        // Once the container is gone, the dangling image goes with the next prune.
        QVERIFY(store->metadata().removeRoots("container:c2"));
        QVERIFY(store->prune(false));
        QVERIFY(store->images()->empty());
        QCOMPARE(count(store->root() + "/blobs/sha256"), 0);
        QCOMPARE(count(store->root() + "/layers"), 0);
    }

    void blobAndLayerRootsKeepWhatTheyName()
    {
        auto store = freshStore();
        QVERIFY(store);
        auto image = importFile(*store, "cached\n", "localhost/cached:1");
        QVERIFY(image);
        auto manifest = store->manifest(*image);
        auto config = store->config(*image);
        QVERIFY(manifest && config);
        const Digest layerBlob = manifest->layers[0].digest;
        const Digest diffId = config->rootfs.diffIds[0];
        QVERIFY(store->metadata().addRoot({"build-cache:k", GcRoot::Kind::Blob, layerBlob}));
        QVERIFY(store->metadata().addRoot({"build-cache:k", GcRoot::Kind::Layer, diffId}));
        QVERIFY(store->remove("localhost/cached:1", false));
        QVERIFY(store->collectGarbage());
        QVERIFY(store->content().contains(layerBlob));
        QVERIFY(!store->content().contains(image->record.manifest));
        QVERIFY(QFileInfo::exists(QString::fromStdString(store->layerPath(diffId))));
        QVERIFY(store->metadata().removeRoots("build-cache:k"));
        auto freed = store->collectGarbage();
        QVERIFY(freed && *freed > 0);
        QVERIFY(!store->content().contains(layerBlob));
        QVERIFY(!QFileInfo::exists(QString::fromStdString(store->layerPath(diffId))));
    }

    void aLayerIsCheckedAgainstItsDiffId()
    {
        auto store = freshStore();
        QVERIFY(store);
        auto a = importFile(*store, "a\n", "localhost/a:1");
        auto b = importFile(*store, "b\n", "localhost/b:1");
        QVERIFY(a && b);
        const Digest blobOfB = store->manifest(*b)->layers[0].digest;
        const Digest diffIdOfA = store->config(*a)->rootfs.diffIds[0];
        QVERIFY(QDir(QString::fromStdString(store->layerPath(diffIdOfA))).removeRecursively());
        // B's content cannot be unpacked under A's name: layer directories cannot be poisoned.
        auto wrong = store->unpackLayer(blobOfB, diffIdOfA);
        QVERIFY(!wrong);
        QVERIFY2(wrong.error().toString().find("does not match its diff id") != std::string::npos,
                 wrong.error().toString().c_str());
        QVERIFY(!QFileInfo::exists(QString::fromStdString(store->layerPath(diffIdOfA))));
        QCOMPARE(count(store->root() + "/layers"), 1);
        auto right = store->unpackLayer(store->manifest(*a)->layers[0].digest, diffIdOfA);
        QVERIFY(right && *right);
    }

    void aCollectionWaitsForOperationsInFlight()
    {
        auto store = freshStore();
        QVERIFY(store);
        const std::string lockPath = store->root() + "/berth.lock";
        // An operation in flight (a load) holds the store lock shared and has stored a blob it
        // has not recorded an image for yet.
        auto acquired = StoreLock::acquire(lockPath, StoreLock::Mode::Shared);
        QVERIFY(acquired);
        std::optional<StoreLock> held(std::move(*acquired));
        auto blob = store->content().write("in flight\n");
        QVERIFY(blob);
        Result<std::int64_t> collected = 0;
        std::thread collector([&] {
            auto other = ImageStore::open(store->root());
            collected = other ? other->collectGarbage()
                              : Result<std::int64_t>(fail(std::move(other).error()));
        });
        // The collection is blocked on the lock (a waiter shows in /proc/locks) ...
        struct stat st;
        QCOMPARE(::stat(lockPath.c_str(), &st), 0);
        const QByteArray inode = ":" + QByteArray::number(qulonglong(st.st_ino)) + " ";
        QTRY_VERIFY_WITH_TIMEOUT(waitersOn(inode) > 0, 20000);
        QVERIFY(store->content().contains(*blob));
        // ... and once the operation has recorded what uses the blob and let go, it keeps it.
        QVERIFY(store->metadata().addRoot({"load:1", GcRoot::Kind::Blob, *blob}));
        held.reset();
        collector.join();
        QVERIFY2(collected, collected ? "" : collected.error().toString().c_str());
        QVERIFY(store->content().contains(*blob));
    }

    void checkReportsWhatARootLacks()
    {
        auto store = freshStore();
        QVERIFY(store);
        const Digest gone = Digest::sha256("never stored");
        QVERIFY(store->metadata().addRoot({"build-cache:c3", GcRoot::Kind::Image, gone}));
        auto report = store->check();
        QVERIFY(report);
        QCOMPARE(report->problems.size(), std::size_t(1));
        QCOMPARE(report->problems[0].message,
                 "build-cache:c3 uses " + gone.toString() + ", which is missing from the store");
    }
};

QTEST_GUILESS_MAIN(TestGarbage)
#include "tst_garbage.moc"
