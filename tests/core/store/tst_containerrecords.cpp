#include "store/containernames.h"
#include "store/imagestore.h"

#include "../archive/archivetestutil.h"
#include "archive/stream.h"

#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace Berth;
using namespace Berth::Store;

// Container records: ids, Docker-style names, lookups, and the GC root that keeps a container's
// image in the store until the container is removed.
class TestContainerRecords : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_stores = 0;

    struct Fixture
    {
        ImageStore store;
        ImageInfo image;
    };
    std::optional<Fixture> fixture()
    {
        auto store = ImageStore::open(m_dir.filePath(QString::number(++m_stores)).toStdString());
        if (!store)
            return std::nullopt;
        const std::string tar = ArchiveTest::rawEntry("etc/", '5', {}, {}, 0755) +
                                ArchiveTest::rawEntry("etc/motd", '0', "hi\n") +
                                std::string(1024, '\0');
        Archive::MemoryReader in(tar);
        auto image = store->importRootfs(in, *Image::Reference::parse("localhost/base:1"));
        if (!image)
            return std::nullopt;
        return Fixture{std::move(*store), std::move(*image)};
    }
    static ContainerRecord recordFor(const ImageInfo &image, std::string name = {})
    {
        ContainerRecord r;
        r.image = image.record.manifest;
        r.imageName = "localhost/base:1";
        r.name = std::move(name);
        r.config = "{}";
        return r;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void idsAndGeneratedNames()
    {
        std::set<std::string> ids;
        for (int i = 0; i < 100; ++i) {
            const std::string id = newContainerId();
            QCOMPARE(id.size(), std::size_t(64));
            QVERIFY(id.find_first_not_of("0123456789abcdef") == std::string::npos);
            ids.insert(id);
            const std::string name = randomContainerName(i % 2);
            QVERIFY2(checkContainerName(name), name.c_str());
            QVERIFY(name.find('_') != std::string::npos);
        }
        QCOMPARE(ids.size(), std::size_t(100));
    }

    void names_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected"); // empty: refused
        QTest::newRow("letters, digits and separators") << "web-1.blue_x"
                                                        << "web-1.blue_x";
        QTest::newRow("a leading slash is dropped, as Docker does") << "/db"
                                                                    << "db";
        QTest::newRow("one character is too short") << "a"
                                                    << "";
        QTest::newRow("a leading separator") << "-web"
                                             << "";
        QTest::newRow("a space") << "my web"
                                 << "";
        QTest::newRow("a slash inside") << "a/b"
                                        << "";
        QTest::newRow("empty") << ""
                               << "";
    }
    void names()
    {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        auto checked = checkContainerName(name.toStdString());
        if (expected.isEmpty()) {
            QVERIFY(!checked);
            QVERIFY(checked.error().message().starts_with("invalid container name"));
        } else {
            QVERIFY(checked);
            QCOMPARE(QString::fromStdString(*checked), expected);
        }
    }

    void aContainerKeepsItsImage()
    {
        auto f = fixture();
        QVERIFY(f);
        auto created = f->store.createContainer(recordFor(f->image));
        QVERIFY2(created, created ? "" : created.error().toString().c_str());
        QCOMPARE(created->id.size(), std::size_t(64));
        QVERIFY(checkContainerName(created->name));
        QVERIFY(created->created > 0);
        // Found by name, by id and by a prefix of the id.
        QCOMPARE(f->store.metadata().container(created->name)->id, created->id);
        QCOMPARE(f->store.metadata().container(created->id)->id, created->id);
        QCOMPARE(f->store.metadata().container(created->id.substr(0, 12))->name, created->name);
        // The image stays through prune -a, and rmi of its last tag needs -f.
        QVERIFY(f->store.prune(true));
        QCOMPARE(f->store.images()->size(), std::size_t(1));
        auto refused = f->store.remove("localhost/base:1", false);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message().find("container:" + created->id + " is using it") !=
                     std::string::npos,
                 refused.error().message().c_str());
        // Removed, the container lets the image go.
        QCOMPARE(*f->store.removeContainer(created->id), true);
        QCOMPARE(*f->store.removeContainer(created->id), false);
        QVERIFY(f->store.metadata().roots()->empty());
        QVERIFY(f->store.prune(true));
        QVERIFY(f->store.images()->empty());
        auto gone = f->store.metadata().container(created->id);
        QVERIFY(!gone);
        QCOMPARE(gone.error().code(), ErrorCode::NotFound);
    }

    void namesAreUnique()
    {
        auto f = fixture();
        QVERIFY(f);
        auto web = f->store.createContainer(recordFor(f->image, "web"));
        QVERIFY(web);
        auto again = f->store.createContainer(recordFor(f->image, "web"));
        QVERIFY(!again);
        QCOMPARE(again.error().code(), ErrorCode::Conflict);
        QCOMPARE(again.error().message(),
                 "the container name \"web\" is already in use by container " +
                     web->id.substr(0, 12) + " (remove or rename it, or choose another name)");
        auto bad = f->store.createContainer(recordFor(f->image, "no way"));
        QVERIFY(!bad);
        QCOMPARE(bad.error().code(), ErrorCode::Invalid);
        // A failed create leaves no record and no root behind.
        QCOMPARE(f->store.metadata().containers()->size(), std::size_t(1));
        QCOMPARE(f->store.metadata().roots()->size(), std::size_t(1));
        auto db = f->store.createContainer(recordFor(f->image, "db"));
        QVERIFY(db);
        QVERIFY(!f->store.metadata().renameContainer(db->id, "web"));
        QVERIFY(f->store.metadata().renameContainer(db->id, "database"));
        QCOMPARE(f->store.metadata().container("database")->id, db->id);
        // Newest first.
        auto all = f->store.metadata().containers();
        QCOMPARE(all->size(), std::size_t(2));
    }

    void anAmbiguousPrefixIsAConflict()
    {
        auto f = fixture();
        QVERIFY(f);
        for (const char *id : {"abc1", "abc2"}) {
            ContainerRecord r = recordFor(f->image, std::string("c-") + id);
            r.id = std::string(id) + std::string(60, '0');
            QVERIFY(f->store.metadata().putContainer(r));
        }
        auto both = f->store.metadata().container("abc");
        QVERIFY(!both);
        QCOMPARE(both.error().code(), ErrorCode::Conflict);
        QCOMPARE(f->store.metadata().container("abc2")->name, std::string("c-abc2"));
        auto none = f->store.metadata().container("abd");
        QVERIFY(!none);
        QCOMPARE(none.error().message(), std::string("no such container: \"abd\""));
    }

    void theImageOfAContainerCannotGoMissing()
    {
        auto f = fixture();
        QVERIFY(f);
        ContainerRecord r = recordFor(f->image);
        r.image = Digest::sha256("not an image here");
        auto created = f->store.createContainer(r);
        QVERIFY(!created);
        QCOMPARE(created.error().code(), ErrorCode::NotFound);
        QVERIFY(f->store.metadata().containers()->empty());
    }

    void checkFindsRootsOfVanishedContainers()
    {
        auto f = fixture();
        QVERIFY(f);
        auto created = f->store.createContainer(recordFor(f->image));
        QVERIFY(created);
        // A record removed without its root (an older Berth, or a hand in the database).
        QVERIFY(f->store.metadata().removeContainer(created->id));
        auto report = f->store.check();
        QVERIFY(report);
        QCOMPARE(report->problems.size(), std::size_t(1));
        QCOMPARE(report->problems[0].object, "container:" + created->id);
        auto repaired = f->store.check({true, false});
        QVERIFY(repaired && repaired->repaired);
        QVERIFY(f->store.metadata().roots()->empty());
        QVERIFY(f->store.check()->consistent());
    }
};

QTEST_GUILESS_MAIN(TestContainerRecords)
#include "tst_containerrecords.moc"
