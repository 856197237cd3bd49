#include "engine/job.h"
#include "engine/localengine.h"

#include "enginetesting.h"
#include "testimages.h"

#include <QCoro/QCoroTask>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using Berth::ErrorCode;
using Berth::ImageSummary;
using Berth::Job;
using Berth::LocalEngine;
using namespace Berth::Testing;

namespace {

const QString s_busybox = QStringLiteral("/bin/busybox");
constexpr int s_timeout = 30'000;

} // namespace

class TestLocalEngine : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void anEmptyStoreListsNothing();
    void busyboxStatusTellsStaticFromDynamic();
    void bootstrapMakesBusyboxAndSaysSo();
    void bootstrapRefusesADynamicBusybox();
    void inspectAndHistoryDescribeTheImage();
    void tagAddsATagAndRemoveTakesItAway();
    void removingByIdNeedsForceWithSeveralTags();
    void aBadReferenceIsRefusedWithoutEvents();
    void validateReferenceNormalises_data();
    void validateReferenceNormalises();
    void changesRunInTheOrderTheyWereAskedFor();
    void readsDoNotWaitForAChange();
    void pruneAllRemovesEverything();
    void anotherStoreInstanceProducesEvents();

private:
    ImageSummary bootstrap();

    QTemporaryDir *m_dir = nullptr;
    LocalEngine *m_engine = nullptr;
};

void TestLocalEngine::initTestCase()
{
    qRegisterMetaType<ImageSummary>();
    // The CI machine has Debian's busybox-static (make test installs it): no skip.
    QVERIFY2(QFileInfo(s_busybox).isExecutable(), "install busybox-static");
}

void TestLocalEngine::init()
{
    m_dir = new QTemporaryDir;
    QVERIFY(m_dir->isValid());
    m_engine = new LocalEngine(m_dir->filePath("store"));
}

void TestLocalEngine::cleanup()
{
    delete m_engine;
    m_engine = nullptr;
    delete m_dir;
    m_dir = nullptr;
}

ImageSummary TestLocalEngine::bootstrap()
{
    auto image = QCoro::waitFor(m_engine->bootstrapBusybox());
    if (!image)
        qWarning("%s", image.error().toString().c_str());
    return image ? *image : ImageSummary();
}

void TestLocalEngine::anEmptyStoreListsNothing()
{
    QSignalSpy changed(m_engine, &LocalEngine::imagesChanged);
    auto images = QCoro::waitFor(m_engine->images());
    QVERIFY(images);
    QVERIFY(images->isEmpty());
    QCOMPARE(changed.count(), 0);
    QVERIFY2(QFileInfo(m_dir->filePath("store/oci-layout")).exists(), "the store was created");
}

void TestLocalEngine::busyboxStatusTellsStaticFromDynamic()
{
    auto status = QCoro::waitFor(m_engine->busyboxStatus());
    QVERIFY(status);
    QCOMPARE(status->path, s_busybox);
    QVERIFY(status->exists);
    QVERIFY(status->isStatic);
    QVERIFY(status->usable());

    // Debian's /bin/sh (dash) is dynamically linked.
    m_engine->setBusyboxPath(QFileInfo("/bin/sh").canonicalFilePath());
    status = QCoro::waitFor(m_engine->busyboxStatus());
    QVERIFY(status->exists);
    QVERIFY(!status->isStatic);

    m_engine->setBusyboxPath(m_dir->filePath("no-busybox"));
    status = QCoro::waitFor(m_engine->busyboxStatus());
    QVERIFY(!status->exists);
    QVERIFY(!status->usable());
}

void TestLocalEngine::bootstrapMakesBusyboxAndSaysSo()
{
    QSignalSpy added(m_engine, &LocalEngine::imageAdded);
    QSignalSpy changed(m_engine, &LocalEngine::imagesChanged);
    const ImageSummary image = bootstrap();
    QCOMPARE(image.tags.size(), 1);
    QCOMPARE(image.tags[0].reference, "busybox:latest");
    QCOMPARE(image.tags[0].repository, "busybox");
    QCOMPARE(image.tags[0].tag, "latest");
    QVERIFY2(QRegularExpression("^[0-9a-f]{64}$").match(image.id).hasMatch(), qPrintable(image.id));
    QVERIFY(image.digest.startsWith("sha256:"));
    QVERIFY(image.size > 100'000); // busybox itself is about a megabyte
    QVERIFY(image.added.isValid());

    // The event came before the call returned.
    QCOMPARE(added.count(), 1);
    QCOMPARE(summaries(added).constFirst().id, image.id);
    QCOMPARE(changed.count(), 1);
    auto images = QCoro::waitFor(m_engine->images());
    QCOMPARE(ids(*images), QStringList{image.id});
    QCOMPARE(added.count(), 1);
}

void TestLocalEngine::bootstrapRefusesADynamicBusybox()
{
    // /bin/sh is a symlink to dash: the engine resolves it as busyboxStatus() does.
    m_engine->setBusyboxPath("/bin/sh");
    auto image = QCoro::waitFor(m_engine->bootstrapBusybox());
    QVERIFY(!image);
    QCOMPARE(image.error().code(), ErrorCode::Invalid);
    QVERIFY2(QString::fromStdString(image.error().message()).contains("dynamically linked"),
             image.error().message().c_str());
    QVERIFY(QCoro::waitFor(m_engine->images())->isEmpty());
}

void TestLocalEngine::inspectAndHistoryDescribeTheImage()
{
    const ImageSummary image = bootstrap();
    auto details = QCoro::waitFor(m_engine->inspect("busybox"));
    QVERIFY(details);
    QCOMPARE(details->image.id, image.id);
    QCOMPARE(details->cmd, QStringList{"sh"});
    QCOMPARE(details->os, "linux");
    QVERIFY(!details->architecture.isEmpty());
    QCOMPARE(details->layers, 1);
    QVERIFY(details->configJson.contains("\"rootfs\""));

    auto steps = QCoro::waitFor(m_engine->history(image.id.left(12)));
    QVERIFY(steps);
    QVERIFY(!steps->isEmpty());
    QVERIFY(!steps->constLast().createdBy.isEmpty());

    auto missing = QCoro::waitFor(m_engine->inspect("nothing-here"));
    QVERIFY(!missing);
    QCOMPARE(missing.error().code(), ErrorCode::NotFound);
}

void TestLocalEngine::tagAddsATagAndRemoveTakesItAway()
{
    const ImageSummary image = bootstrap();
    QSignalSpy changed(m_engine, &LocalEngine::imageChanged);
    QSignalSpy removed(m_engine, &LocalEngine::imageRemoved);
    QVERIFY(QCoro::waitFor(m_engine->tag("busybox:latest", "localhost/mine:1")));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(summaries(changed).constFirst().id, image.id);
    QCOMPARE(summaries(changed).constFirst().references(),
             (QStringList{"busybox:latest", "localhost/mine:1"}));
    // The engine splits every tag; views do not parse references.
    const Berth::ImageTag mine = summaries(changed).constFirst().tags.at(1);
    QCOMPARE(mine.repository, "localhost/mine");
    QCOMPARE(mine.tag, "1");

    auto lines = QCoro::waitFor(m_engine->remove("localhost/mine:1", false));
    QVERIFY(lines);
    QCOMPARE(*lines, QStringList{"Untagged: localhost/mine:1"});
    QCOMPARE(changed.count(), 2);
    QCOMPARE(summaries(changed).constLast().references(), QStringList{"busybox:latest"});

    lines = QCoro::waitFor(m_engine->remove("busybox", false));
    QVERIFY(lines);
    QCOMPARE(lines->constLast(), "Deleted: sha256:" + image.id);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.constFirst().at(0).toString(), image.id);
}

void TestLocalEngine::removingByIdNeedsForceWithSeveralTags()
{
    const ImageSummary image = bootstrap();
    QVERIFY(QCoro::waitFor(m_engine->tag(image.id, "second:1")));
    QSignalSpy removed(m_engine, &LocalEngine::imageRemoved);
    auto refused = QCoro::waitFor(m_engine->remove(image.id, false));
    QVERIFY(!refused);
    QCOMPARE(refused.error().code(), ErrorCode::Conflict);
    QCOMPARE(removed.count(), 0);

    QVERIFY(QCoro::waitFor(m_engine->remove(image.id, true)));
    QCOMPARE(removed.count(), 1);
    QVERIFY(QCoro::waitFor(m_engine->images())->isEmpty());
}

void TestLocalEngine::aBadReferenceIsRefusedWithoutEvents()
{
    bootstrap();
    QSignalSpy changed(m_engine, &LocalEngine::imagesChanged);
    auto tagged = QCoro::waitFor(m_engine->tag("busybox", "Upper/Case"));
    QVERIFY(!tagged);
    QVERIFY2(QString::fromStdString(tagged.error().message()).contains("lowercase"),
             tagged.error().message().c_str());
    QCOMPARE(changed.count(), 0);
}

void TestLocalEngine::validateReferenceNormalises_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // empty: refused
    QTest::newRow("a bare name gets latest") << "app"
                                             << "app:latest";
    QTest::newRow("docker.io/library is the familiar default") << "docker.io/library/app:1"
                                                               << "app:1";
    QTest::newRow("a registry with a port stays") << "localhost:5000/team/app:2"
                                                  << "localhost:5000/team/app:2";
    QTest::newRow("surrounding blanks are ignored") << "  app:3 "
                                                    << "app:3";
    QTest::newRow("upper case repository is refused") << "App"
                                                      << "";
    QTest::newRow("a digest cannot be a tag")
        << "app@sha256:0123456789012345678901234567890123456789012345678901234567890123"
        << "";
    QTest::newRow("an empty reference is refused") << ""
                                                   << "";
    QTest::newRow("a bad tag is refused") << "app:-x"
                                          << "";
}

void TestLocalEngine::validateReferenceNormalises()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const auto result = Berth::Engine::validateReference(text);
    if (expected.isEmpty()) {
        QVERIFY(!result);
        QVERIFY(!result.error().message().empty());
    } else {
        QVERIFY2(result, result ? "" : result.error().message().c_str());
        QCOMPARE(*result, expected);
    }
}

void TestLocalEngine::pruneAllRemovesEverything()
{
    bootstrap();
    auto usage = QCoro::waitFor(m_engine->diskUsage());
    QVERIFY(usage);
    QCOMPARE(usage->images, 1);
    QVERIFY(usage->blobs > 0);
    QSignalSpy removed(m_engine, &LocalEngine::imageRemoved);
    auto report = QCoro::waitFor(m_engine->prune(true));
    QVERIFY2(report, report ? "" : report.error().toString().c_str());
    QVERIFY(report->reclaimed > 0);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(QCoro::waitFor(m_engine->diskUsage())->images, 0);
}

void TestLocalEngine::anotherStoreInstanceProducesEvents()
{
    // The engine knows the store (empty) and watches it.
    QVERIFY(QCoro::waitFor(m_engine->images())->isEmpty());
    QSignalSpy added(m_engine, &LocalEngine::imageAdded);
    QSignalSpy changed(m_engine, &LocalEngine::imageChanged);
    QSignalSpy removed(m_engine, &LocalEngine::imageRemoved);
    const std::string root = m_engine->root().toStdString();

    auto first = Berth::Testing::importWithOwnStore(root, "elsewhere:1", "one");
    QVERIFY2(first, first ? "" : first.error().toString().c_str());
    QVERIFY(added.wait(10'000));
    QCOMPARE(summaries(added).constFirst().id, QString::fromStdString(first->id()));

    // Once index.json exists the engine watches the file, which is replaced on each change.
    auto second = Berth::Testing::importWithOwnStore(root, "elsewhere:2", "two");
    QVERIFY(second);
    QTRY_COMPARE_WITH_TIMEOUT(added.count(), 2, 10'000);
    QCOMPARE(summaries(added).constLast().id, QString::fromStdString(second->id()));

    auto store = Berth::Store::ImageStore::open(root);
    QVERIFY(store);
    QVERIFY(store->tag("elsewhere:1", *Berth::Image::Reference::parse("elsewhere:3")));
    QVERIFY(changed.wait(10'000));
    QCOMPARE(summaries(changed).constFirst().references(),
             (QStringList{"elsewhere:1", "elsewhere:3"}));

    QVERIFY(store->remove("elsewhere:2", false));
    QVERIFY(removed.wait(10'000));
    QCOMPARE(removed.constFirst().at(0).toString(), QString::fromStdString(second->id()));
}

// Issued back to back, a tag and the removal of that tag must run in that order.
void TestLocalEngine::changesRunInTheOrderTheyWereAskedFor()
{
    bootstrap();
    for (int round = 0; round < 3; ++round) {
        auto tagging = m_engine->tag("busybox:latest", "copy:1");
        auto removing = m_engine->remove("copy:1", false);
        auto tagged = QCoro::waitFor(tagging);
        QVERIFY2(tagged, tagged ? "" : tagged.error().toString().c_str());
        auto removed = QCoro::waitFor(removing);
        QVERIFY2(removed, removed ? "" : removed.error().toString().c_str());
        QCOMPARE(QCoro::waitFor(m_engine->images())->constFirst().references(),
                 QStringList{"busybox:latest"});
    }
}

// An import reading a FIFO holds the store's turn for as long as the test wants.
void TestLocalEngine::readsDoNotWaitForAChange()
{
    bootstrap();
    const QString fifo = m_dir->filePath("rootfs.fifo");
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    std::unique_ptr<Job> import(m_engine->importRootfs(fifo, "fifo:1"));
    QTRY_COMPARE(import->state(), Job::State::Running);

    std::optional<Berth::Result<QList<ImageSummary>>> listed;
    std::optional<Berth::Result<Berth::ImageDetails>> inspected;
    QCoro::connect(m_engine->images(), this, [&](auto &&r) { listed = r; });
    QCoro::connect(m_engine->inspect("busybox"), this, [&](auto &&r) { inspected = r; });
    QTRY_VERIFY_WITH_TIMEOUT(listed && inspected, s_timeout);
    QCOMPARE((*listed)->size(), 1);
    QVERIFY(*inspected);
    QCOMPARE(import->state(), Job::State::Running);

    const std::string tar = rootfsTar("from a pipe");
    const int fd = ::open(QFile::encodeName(fifo).constData(), O_WRONLY | O_CLOEXEC);
    QVERIFY(fd >= 0);
    QCOMPARE(::write(fd, tar.data(), tar.size()), ssize_t(tar.size()));
    ::close(fd);
    QVERIFY(QCoro::waitFor(import->result()));
}

QTEST_GUILESS_MAIN(TestLocalEngine)
#include "tst_localengine.moc"
