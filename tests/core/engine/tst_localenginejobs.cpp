// LocalEngine's long operations (load, save, import): progress, cancellation, and what is left
// when they stop.
#include "engine/job.h"
#include "engine/localengine.h"

#include "enginetesting.h"
#include "testimages.h"

#include <QCoro/QCoroTask>
#include <QDeadlineTimer>
#include <QDirIterator>
#include <QPointer>
#include <QTemporaryDir>
#include <QTest>

#include <random>
#include <sys/stat.h>

using Berth::ErrorCode;
using Berth::ImageSummary;
using Berth::Job;
using Berth::LocalEngine;
using Berth::Internal::JobControl;
using namespace Berth::Testing;

namespace {

// Store operations under ASan on a busy machine take a while; nothing waits this long when it
// works.
constexpr int s_timeout = 30'000;

// Every file under `dir` (none when it does not exist).
QStringList filesUnder(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        out.append(it.next());
    return out;
}

bool makeFifo(const QString &path)
{
    return ::mkfifo(QFile::encodeName(path).constData(), 0600) == 0;
}

// Opens the FIFO for writing; blocks until the job opens it for reading.
int openWriter(const QString &fifo)
{
    return ::open(QFile::encodeName(fifo).constData(), O_WRONLY | O_CLOEXEC);
}

} // namespace

class TestLocalEngineJobs : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void saveThenLoadGivesTheSameImage();
    void aCorruptArchiveFailsAndLeavesNothing();
    void importReportsProgressAndTheNewImage();
    void aQueuedLoadCanBeCancelled();
    void resultEndsWhenTheJobIsDeleted();
    void aRunningImportCanBeCancelled();
    void aLoadCancelledInItsFirstPassLeavesNothing();
    void aLoadCancelledWhileStoringBlobsLeavesNothing();
    void destroyingTheEngineDoesNotWaitForARunningLoad();

private:
    ImageSummary bootstrap();
    QString rootfsFile(const QString &name, const std::string &text);

    QTemporaryDir *m_dir = nullptr;
    LocalEngine *m_engine = nullptr;
};

void TestLocalEngineJobs::initTestCase()
{
    qRegisterMetaType<ImageSummary>();
    QVERIFY2(QFileInfo("/bin/busybox").isExecutable(), "install busybox-static");
}

void TestLocalEngineJobs::init()
{
    m_dir = new QTemporaryDir;
    QVERIFY(m_dir->isValid());
    m_engine = new LocalEngine(m_dir->filePath("store"));
}

void TestLocalEngineJobs::cleanup()
{
    delete m_engine;
    m_engine = nullptr;
    delete m_dir;
    m_dir = nullptr;
}

ImageSummary TestLocalEngineJobs::bootstrap()
{
    auto image = QCoro::waitFor(m_engine->bootstrapBusybox());
    if (!image)
        qWarning("%s", image.error().toString().c_str());
    return image ? *image : ImageSummary();
}

QString TestLocalEngineJobs::rootfsFile(const QString &name, const std::string &text)
{
    const QString path = m_dir->filePath(name);
    return writeFile(path, QByteArray::fromStdString(rootfsTar(text))) ? path : QString();
}

void TestLocalEngineJobs::saveThenLoadGivesTheSameImage()
{
    const ImageSummary image = bootstrap();
    for (auto format : {Berth::ArchiveFormat::DockerArchive, Berth::ArchiveFormat::OciArchive}) {
        const QString path = m_dir->filePath(
            format == Berth::ArchiveFormat::OciArchive ? "busybox-oci.tar" : "busybox.tar");
        std::unique_ptr<Job> save(m_engine->save({"busybox:latest"}, path, format));
        QCOMPARE(save->kind(), Job::Kind::Save);
        auto saved = QCoro::waitFor(save->result());
        QVERIFY2(saved, saved ? "" : saved.error().toString().c_str());
        QVERIFY(saved->isEmpty());
        QVERIFY(QFileInfo(path).size() > 100'000);
        QCOMPARE(save->progress(), 100);
        QVERIFY(save->outcome()); // awaiting the result leaves it in the job

        QVERIFY(QCoro::waitFor(m_engine->remove("busybox", true)));
        QSignalSpy added(m_engine, &LocalEngine::imageAdded);
        std::unique_ptr<Job> load(m_engine->load(path));
        auto loaded = QCoro::waitFor(load->result());
        QVERIFY2(loaded, loaded ? "" : loaded.error().toString().c_str());
        QCOMPARE(ids(*loaded), QStringList{image.id});
        QCOMPARE(loaded->constFirst().references(), QStringList{"busybox:latest"});
        QCOMPARE(added.count(), 1);
        QVERIFY(load->log().constLast().contains("busybox:latest"));
        QCOMPARE(load->state(), Job::State::Finished);
    }
    // No temporary file is left beside the archives.
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files),
             (QStringList{"busybox-oci.tar", "busybox.tar"}));
}

void TestLocalEngineJobs::aCorruptArchiveFailsAndLeavesNothing()
{
    const QString path = m_dir->filePath("corrupt.tar");
    QVERIFY(writeFile(path, QByteArray(4096, 'x')));
    QSignalSpy changed(m_engine, &LocalEngine::imagesChanged);
    std::unique_ptr<Job> load(m_engine->load(path));
    QSignalSpy finished(load.get(), &Job::finished);
    QVERIFY(finished.wait(s_timeout));
    QVERIFY(load->isFinished());
    QVERIFY(!load->outcome());
    QVERIFY(!load->outcome().error().message().empty());
    QVERIFY(load->log().constLast().startsWith("Error: "));
    QVERIFY(load->progress() < 100);
    QCOMPARE(changed.count(), 0);
    QVERIFY(QCoro::waitFor(m_engine->images())->isEmpty());
    QVERIFY(QDir(m_dir->filePath("store/tmp")).isEmpty());
}

void TestLocalEngineJobs::importReportsProgressAndTheNewImage()
{
    const QString path = rootfsFile("rootfs.tar", std::string(200'000, 'a'));
    QVERIFY(!path.isEmpty());
    QSignalSpy added(m_engine, &LocalEngine::imageAdded);
    std::unique_ptr<Job> job(m_engine->importRootfs(path, "localhost/base:1"));
    QSignalSpy progress(job.get(), &Job::progressChanged);
    auto images = QCoro::waitFor(job->result());
    QVERIFY2(images, images ? "" : images.error().toString().c_str());
    QCOMPARE(images->size(), 1);
    QCOMPARE(images->constFirst().references(), QStringList{"localhost/base:1"});
    QCOMPARE(job->progress(), 100);
    QVERIFY(!progress.isEmpty());
    // 100 comes once, with the end: every byte read is not the end of the work.
    QCOMPARE(progress.constLast().at(0).toInt(), 100);
    for (qsizetype i = 0; i + 1 < progress.size(); ++i)
        QVERIFY(progress.at(i).at(0).toInt() < 100);
    QCOMPARE(added.count(), 1);
    QCOMPARE(summaries(added).constFirst().id, images->constFirst().id);
}

// An import reading a FIFO holds the store's turn until the test writes to it, so a load
// started meanwhile is queued for certain.
void TestLocalEngineJobs::aQueuedLoadCanBeCancelled()
{
    const QString fifo = m_dir->filePath("rootfs.fifo");
    QVERIFY(makeFifo(fifo));
    std::unique_ptr<Job> import(m_engine->importRootfs(fifo, "fifo:1"));
    QTRY_COMPARE(import->state(), Job::State::Running);

    const QString archive = m_dir->filePath("never-read.tar");
    QVERIFY(writeFile(archive, "anything"));
    std::unique_ptr<Job> load(m_engine->load(archive));
    QCOMPARE(load->control()->state.load(), int(JobControl::Queued));
    QVERIFY(load->canCancel());
    QVERIFY(load->cancel());
    QVERIFY(!load->canCancel());
    auto loaded = QCoro::waitFor(load->result());
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().code(), ErrorCode::Cancelled);

    const std::string tar = rootfsTar("from a pipe");
    const int fd = openWriter(fifo);
    QVERIFY(fd >= 0);
    QCOMPARE(::write(fd, tar.data(), tar.size()), ssize_t(tar.size()));
    ::close(fd);
    auto imported = QCoro::waitFor(import->result());
    QVERIFY2(imported, imported ? "" : imported.error().toString().c_str());
    QCOMPARE(imported->constFirst().references(), QStringList{"fifo:1"});
}

// Deleting a job is the one way to stop caring about it: whoever awaits it hears so.
void TestLocalEngineJobs::resultEndsWhenTheJobIsDeleted()
{
    const QString fifo = m_dir->filePath("rootfs.fifo");
    QVERIFY(makeFifo(fifo));
    std::unique_ptr<Job> import(m_engine->importRootfs(fifo, "fifo:1"));
    const QString archive = m_dir->filePath("queued.tar");
    QVERIFY(writeFile(archive, "anything"));
    auto *load = m_engine->load(archive);
    auto waiting = load->result();
    delete load;
    auto loaded = QCoro::waitFor(waiting);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().code(), ErrorCode::Cancelled);

    const std::string tar = rootfsTar("after the deleted load");
    const int fd = openWriter(fifo);
    QVERIFY(fd >= 0);
    QCOMPARE(::write(fd, tar.data(), tar.size()), ssize_t(tar.size()));
    ::close(fd);
    QVERIFY(QCoro::waitFor(import->result()));
}

void TestLocalEngineJobs::aRunningImportCanBeCancelled()
{
    const QString fifo = m_dir->filePath("rootfs.fifo");
    QVERIFY(makeFifo(fifo));
    std::unique_ptr<Job> import(m_engine->importRootfs(fifo, "fifo:1"));
    const int fd = openWriter(fifo);
    QVERIFY(fd >= 0);
    // Half of a tar: the importer reads it and waits for the rest.
    const std::string tar = rootfsTar(std::string(20'000, 'b'));
    const std::size_t half = tar.size() / 2;
    QCOMPARE(::write(fd, tar.data(), half), ssize_t(half));
    QTRY_VERIFY(import->control()->done.load() > 0);
    QVERIFY(import->canCancel());
    QVERIFY(import->cancel());
    // The read in progress returns this; the next one sees the cancellation.
    QCOMPARE(::write(fd, tar.data() + half, 512), ssize_t(512));
    auto imported = QCoro::waitFor(import->result());
    ::close(fd);
    QVERIFY(!imported);
    QCOMPARE(imported.error().code(), ErrorCode::Cancelled);
    QVERIFY(QCoro::waitFor(m_engine->images())->isEmpty());
}

// A load reading a FIFO: the first pass over the archive is under way when it is cancelled.
void TestLocalEngineJobs::aLoadCancelledInItsFirstPassLeavesNothing()
{
    const QString fifo = m_dir->filePath("archive.fifo");
    QVERIFY(makeFifo(fifo));
    std::unique_ptr<Job> load(m_engine->load(fifo));
    const int fd = openWriter(fifo);
    QVERIFY(fd >= 0);
    const std::string tar = rootfsTar(std::string(20'000, 'c'));
    const std::size_t half = tar.size() / 2;
    QCOMPARE(::write(fd, tar.data(), half), ssize_t(half));
    QTRY_VERIFY(load->control()->done.load() > 0);
    QVERIFY(load->canCancel());
    QVERIFY(load->cancel());
    QCOMPARE(::write(fd, tar.data() + half, 512), ssize_t(512));
    auto loaded = QCoro::waitFor(load->result());
    ::close(fd);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().code(), ErrorCode::Cancelled);
    QVERIFY(QCoro::waitFor(m_engine->images())->isEmpty());
    QCOMPARE(filesUnder(m_dir->filePath("store/blobs")), QStringList());
    QCOMPARE(filesUnder(m_dir->filePath("store/tmp")), QStringList());
}

// The second pass over an archive stores its blobs: a cancel then must undo what was stored.
void TestLocalEngineJobs::aLoadCancelledWhileStoringBlobsLeavesNothing()
{
    // An image with an 8 MB layer that does not compress, saved to an archive.
    std::mt19937 random(42);
    std::string noise(8 << 20, '\0');
    for (char &c : noise)
        c = char(random());
    QVERIFY(importWithOwnStore(m_engine->root().toStdString(), "noise:1", noise));
    const QString archive = m_dir->filePath("noise.tar");
    std::unique_ptr<Job> save(
        m_engine->save({"noise:1"}, archive, Berth::ArchiveFormat::DockerArchive));
    QVERIFY(QCoro::waitFor(save->result()));

    // Into a store of its own, which starts with nothing.
    LocalEngine other(m_dir->filePath("other"));
    QVERIFY(QCoro::waitFor(other.images())->isEmpty());
    std::unique_ptr<Job> load(other.load(archive));
    const auto control = load->control();
    // Watched from here rather than by QTRY's 50 ms polls, so the cancel lands mid-blob.
    QDeadlineTimer deadline(s_timeout);
    const auto storingBlobs = [&] {
        const qint64 total = control->total.load();
        return total > 0 && control->done.load() > total * 3 / 4;
    };
    while (!storingBlobs() && control->state.load() <= JobControl::Running &&
           !deadline.hasExpired())
        std::this_thread::yield();
    QVERIFY2(storingBlobs(), "the load ended before its second pass");
    QVERIFY(load->cancel());
    auto loaded = QCoro::waitFor(load->result());
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().code(), ErrorCode::Cancelled);
    QVERIFY(QCoro::waitFor(other.images())->isEmpty());
    QCOMPARE(filesUnder(m_dir->filePath("other/blobs")), QStringList());
    QCOMPARE(filesUnder(m_dir->filePath("other/layers")), QStringList());
    QCOMPARE(filesUnder(m_dir->filePath("other/tmp")), QStringList());
}

// Closing the application while a load runs: the engine cancels it instead of waiting for its
// end. The archive here never ends (its writer only stops once the engine is gone), so an
// engine that waited would wait until the writer's deadline, and fail.
void TestLocalEngineJobs::destroyingTheEngineDoesNotWaitForARunningLoad()
{
    const QString fifo = m_dir->filePath("endless.fifo");
    QVERIFY(makeFifo(fifo));
    QPointer<Job> load = m_engine->load(fifo);
    auto waiting = load->result();
    EndlessFifoWriter writer(fifo, s_timeout);
    QTRY_VERIFY_WITH_TIMEOUT(load->control()->done.load() > 0, s_timeout);
    delete m_engine;
    m_engine = nullptr;
    QVERIFY2(!writer.timedOut(), "the engine waited for the load to end");
    writer.stop();
    QVERIFY(!writer.timedOut());
    QVERIFY(!load); // the engine's child
    auto loaded = QCoro::waitFor(waiting);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().code(), ErrorCode::Cancelled);
}

QTEST_GUILESS_MAIN(TestLocalEngineJobs)
#include "tst_localenginejobs.moc"
