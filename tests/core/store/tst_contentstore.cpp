#include "store/contentstore.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Berth;
using namespace Berth::Store;

namespace {

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

} // namespace

class TestContentStore : public QObject
{
    Q_OBJECT
private slots:
    void aNewStoreIsAnOciLayout()
    {
        QTemporaryDir dir;
        const std::string root = dir.filePath("store").toStdString();
        auto store = ContentStore::open(root);
        QVERIFY2(store, store ? "" : store.error().toString().c_str());
        QFile layout(dir.filePath("store/oci-layout"));
        QVERIFY(layout.open(QIODevice::ReadOnly));
        QCOMPARE(layout.readAll(), QByteArray("{\"imageLayoutVersion\":\"1.0.0\"}"));
        QVERIFY(QDir(dir.filePath("store/blobs/sha256")).exists());
        QVERIFY(store->list()->empty());
    }

    void writeReadAndDeduplicate()
    {
        QTemporaryDir dir;
        auto store = ContentStore::open(dir.filePath("s").toStdString());
        QVERIFY(store);
        const auto digest = store->write("hello");
        QVERIFY(digest);
        QCOMPARE(*digest, Digest::sha256("hello"));
        QVERIFY(store->contains(*digest));
        QCOMPARE(*store->size(*digest), std::int64_t(5));
        QCOMPARE(*store->read(*digest), std::string("hello"));
        QVERIFY(store->write("hello", *digest)); // the same blob again is fine
        QCOMPARE(store->list()->size(), std::size_t(1));
        QVERIFY(entries(dir.filePath("s/tmp")).isEmpty());
        QVERIFY(store->remove(*digest));
        QVERIFY(!store->contains(*digest));
        QVERIFY(store->remove(*digest)); // removing twice is not an error
        const auto gone = store->read(*digest);
        QCOMPARE(gone.error().code(), ErrorCode::NotFound);
        QVERIFY(QString::fromStdString(gone.error().message()).contains(digest->hex().c_str()));
    }

    void nothingUnverifiedIsCommitted()
    {
        QTemporaryDir dir;
        auto store = ContentStore::open(dir.filePath("s").toStdString());
        QVERIFY(store);
        const Digest other = Digest::sha256("other");
        auto wrong = store->write("hello", other);
        QVERIFY(!wrong);
        QVERIFY(QString::fromStdString(wrong.error().message()).startsWith("digest mismatch"));
        auto ingest = store->beginIngest();
        QVERIFY(ingest);
        QVERIFY(ingest->write("abc"));
        auto shortBlob = ingest->commit({}, 4);
        QVERIFY(!shortBlob);
        QVERIFY(QString::fromStdString(shortBlob.error().message()).startsWith("size mismatch"));
        QVERIFY(store->list()->empty());
        QVERIFY2(entries(dir.filePath("s/tmp")).isEmpty(), "a refused ingest leaves nothing");
    }

    void anAbandonedIngestLeavesNothing()
    {
        QTemporaryDir dir;
        auto store = ContentStore::open(dir.filePath("s").toStdString());
        QVERIFY(store);
        {
            auto ingest = store->beginIngest();
            QVERIFY(ingest);
            QVERIFY(ingest->write(std::string(100000, 'x')));
            QCOMPARE(entries(dir.filePath("s/tmp")).size(), 1);
        }
        QVERIFY(entries(dir.filePath("s/tmp")).isEmpty());
    }

    void leftoversOfADeadProcessAreSwept()
    {
        QTemporaryDir dir;
        QVERIFY(ContentStore::open(dir.filePath("s").toStdString()));
        // A process that died mid-ingest: its pid no longer runs (pid 0 is never a process's).
        QFile dead(dir.filePath("s/tmp/ingest-999999999-1"));
        QVERIFY(dead.open(QIODevice::WriteOnly));
        dead.write("partial");
        dead.close();
        QFile live(dir.filePath("s/tmp/ingest-1-1")); // pid 1 runs: its ingest stays
        QVERIFY(live.open(QIODevice::WriteOnly));
        live.close();
        QVERIFY(ContentStore::open(dir.filePath("s").toStdString()));
        QCOMPARE(entries(dir.filePath("s/tmp")), QStringList{"ingest-1-1"});
    }

    void aCorruptBlobIsReportedNotReturned()
    {
        QTemporaryDir dir;
        auto store = ContentStore::open(dir.filePath("s").toStdString());
        QVERIFY(store);
        const auto digest = store->write("original");
        QVERIFY(digest);
        QFile blob(QString::fromStdString(store->blobPath(*digest)));
        QVERIFY(blob.open(QIODevice::WriteOnly));
        blob.write("tampered");
        blob.close();
        const auto bytes = store->read(*digest);
        QVERIFY(!bytes);
        QCOMPARE(bytes.error().code(), ErrorCode::Conflict);
        QVERIFY(!store->verify(*digest));
    }

    void aFullDiskGivesACleanError()
    {
        if (::geteuid() != 0)
            QSKIP("mounting a small tmpfs needs root; CI runs as root");
        QTemporaryDir dir;
        const QString mountPoint = dir.filePath("small");
        QVERIFY(QDir().mkpath(mountPoint));
        QCOMPARE(
            QProcess::execute("mount", {"-t", "tmpfs", "-o", "size=256k", "tmpfs", mountPoint}), 0);
        auto unmount = qScopeGuard([&] { QProcess::execute("umount", {mountPoint}); });
        auto store = ContentStore::open(mountPoint.toStdString() + "/s");
        QVERIFY(store);
        const auto big = store->write(std::string(1 << 20, 'x'));
        QVERIFY(!big);
        QVERIFY2(QString::fromStdString(big.error().toString()).contains("No space left on device"),
                 big.error().toString().c_str());
        QVERIFY2(entries(mountPoint + "/s/tmp").isEmpty(), "nothing partial is left behind");
        QVERIFY(store->list()->empty());
        QVERIFY(store->write("small")); // and the store still works
    }
};

QTEST_GUILESS_MAIN(TestContentStore)
#include "tst_contentstore.moc"
