#include "store/metadata.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace Berth;
using namespace Berth::Store;

namespace {

ImageRecord imageNamed(const std::string &name)
{
    return {Digest::sha256("manifest " + name),
            Digest::sha256("config " + name),
            "application/vnd.oci.image.manifest.v1+json",
            1234,
            1700000000,
            0};
}

} // namespace

class TestMetadata : public QObject
{
    Q_OBJECT
private slots:
    void createsTheSchemaOnce()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("berth.db").toStdString();
        {
            auto db = Metadata::open(path);
            QVERIFY2(db, db ? "" : db.error().toString().c_str());
            QCOMPARE(*db->version(), Metadata::schemaVersion);
            QVERIFY(db->putImage(imageNamed("a")));
        }
        auto again = Metadata::open(path); // migrating an up-to-date file changes nothing
        QVERIFY(again);
        QCOMPARE(again->images()->size(), std::size_t(1));
    }

    void refusesANewerSchema()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("berth.db").toStdString();
        sqlite3 *raw = nullptr;
        QCOMPARE(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
        QCOMPARE(sqlite3_exec(raw, "PRAGMA user_version=99", nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(raw);
        const auto db = Metadata::open(path);
        QVERIFY(!db);
        QCOMPARE(db.error().code(), ErrorCode::Unsupported);
        QVERIFY(QString::fromStdString(db.error().toString()).contains("schema version 99"));
    }

    void migratesAVersionOneDatabase()
    {
        // The schema of version 1 as it shipped, with one image and its tag.
        QTemporaryDir dir;
        const std::string path = dir.filePath("berth.db").toStdString();
        sqlite3 *raw = nullptr;
        QCOMPARE(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
        const ImageRecord a = imageNamed("a");
        const std::string sql =
            "CREATE TABLE images (manifest TEXT PRIMARY KEY, config TEXT NOT NULL, media_type "
            "TEXT NOT NULL, size INTEGER NOT NULL, created INTEGER NOT NULL, added INTEGER NOT "
            "NULL); CREATE TABLE tags (reference TEXT PRIMARY KEY, manifest TEXT NOT NULL "
            "REFERENCES images(manifest) ON DELETE CASCADE); CREATE INDEX tags_by_manifest ON "
            "tags(manifest); INSERT INTO images VALUES ('" +
            a.manifest.toString() + "', '" + a.config.toString() + "', '" + a.mediaType +
            "', 1234, 1700000000, 1700000001); INSERT INTO tags VALUES ('docker.io/library/a:1', "
            "'" +
            a.manifest.toString() + "'); PRAGMA user_version=1;";
        QCOMPARE(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(raw);
        auto db = Metadata::open(path);
        QVERIFY2(db, db ? "" : db.error().toString().c_str());
        QCOMPARE(*db->version(), Metadata::schemaVersion);
        QCOMPARE(db->images()->size(), std::size_t(1));
        QCOMPARE(**db->resolve("docker.io/library/a:1"), a.manifest);
        QVERIFY(db->roots()->empty());
        QVERIFY(db->addRoot({"container:1", GcRoot::Kind::Image, a.manifest}));
    }

    void gcRootsAreRecordedPerOwner()
    {
        QTemporaryDir dir;
        auto db = Metadata::open(dir.filePath("berth.db").toStdString());
        QVERIFY(db);
        const Digest image = Digest::sha256("manifest");
        const Digest layer = Digest::sha256("layer");
        QVERIFY(db->addRoot({"container:1", GcRoot::Kind::Image, image}));
        QVERIFY(db->addRoot({"container:1", GcRoot::Kind::Image, image})); // again: no effect
        QVERIFY(db->addRoot({"build-cache:k", GcRoot::Kind::Layer, layer}));
        auto roots = db->roots();
        QVERIFY(roots);
        QCOMPARE(roots->size(), std::size_t(2));
        QCOMPARE((*roots)[0].owner, std::string("build-cache:k"));
        QCOMPARE((*roots)[0].kind, GcRoot::Kind::Layer);
        QCOMPARE((*roots)[0].target, layer);
        QCOMPARE((*roots)[1].target, image);
        QVERIFY(db->removeRoots("container:1"));
        QCOMPARE(db->roots()->size(), std::size_t(1));
    }

    void imagesAndTags()
    {
        QTemporaryDir dir;
        auto db = Metadata::open(dir.filePath("berth.db").toStdString());
        QVERIFY(db);
        const ImageRecord a = imageNamed("a");
        const ImageRecord b = imageNamed("b");
        QVERIFY(db->putImage(a));
        QVERIFY(db->putImage(b));
        QVERIFY(db->tag("docker.io/library/busybox:latest", a.manifest));
        QVERIFY(db->tag("docker.io/library/busybox:1.36", a.manifest));
        QCOMPARE(**db->resolve("docker.io/library/busybox:latest"), a.manifest);
        QVERIFY(db->tag("docker.io/library/busybox:latest", b.manifest)); // a tag moves
        QCOMPARE(**db->resolve("docker.io/library/busybox:latest"), b.manifest);
        QCOMPARE(*db->tagsOf(a.manifest),
                 std::vector<std::string>{"docker.io/library/busybox:1.36"});
        QCOMPARE(*db->untag("docker.io/library/busybox:1.36"), true);
        QCOMPARE(*db->untag("docker.io/library/busybox:1.36"), false);
        const auto found = db->image(b.manifest);
        QVERIFY(found && *found);
        QCOMPARE((*found)->config, b.config);
        QCOMPARE((*found)->size, std::int64_t(1234));
        QVERIFY(db->removeImage(b.manifest)); // its tags go with it
        QVERIFY(!*db->resolve("docker.io/library/busybox:latest"));
        QVERIFY(!*db->image(b.manifest));
        // A tag must point at a known image.
        QVERIFY(!db->tag("x:1", Digest::sha256("unknown")));
    }

    void aFailedTransactionChangesNothing()
    {
        QTemporaryDir dir;
        auto db = Metadata::open(dir.filePath("berth.db").toStdString());
        QVERIFY(db);
        const auto result = db->transaction([&]() -> Result<void> {
            if (auto ok = db->putImage(imageNamed("a")); !ok)
                return ok;
            return fail(ErrorCode::Cancelled, "stopped half-way");
        });
        QCOMPARE(result.error().code(), ErrorCode::Cancelled);
        QVERIFY(db->images()->empty());
    }

    void twoProcessesWriteAtTheSameTime()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("berth.db").toStdString();
        QVERIFY(Metadata::open(path));
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        const bool isChild = child == 0;
        auto db = Metadata::open(path);
        bool ok = db.has_value();
        for (int i = 0; ok && i < 200; ++i) {
            const ImageRecord image =
                imageNamed((isChild ? "child" : "parent") + std::to_string(i));
            ok = db->transaction([&]() -> Result<void> {
                       if (auto put = db->putImage(image); !put)
                           return put;
                       return db->tag("r/" + image.manifest.hex() + ":1", image.manifest);
                   }).has_value();
        }
        if (isChild)
            ::_exit(ok ? 0 : 1);
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY(ok);
        QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        QCOMPARE(db->images()->size(), std::size_t(400));
        QCOMPARE(db->tags()->size(), std::size_t(400));
    }

    void theStoreLock()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("lock").toStdString();
        auto first = StoreLock::acquire(path, StoreLock::Mode::Shared);
        QVERIFY(first);
        QVERIFY(StoreLock::tryAcquire(path, StoreLock::Mode::Shared)); // readers share
        const auto gc = StoreLock::tryAcquire(path, StoreLock::Mode::Exclusive);
        QVERIFY(!gc);
        QCOMPARE(gc.error().code(), ErrorCode::Conflict);
        first = StoreLock::acquire(dir.filePath("other").toStdString(), StoreLock::Mode::Shared);
        QVERIFY(StoreLock::tryAcquire(path, StoreLock::Mode::Exclusive)); // released: free
    }
};

QTEST_GUILESS_MAIN(TestMetadata)
#include "tst_metadata.moc"
