#include "images/imagelistmodel.h"

#include "engine/job.h"

#include <QAbstractItemModelTester>
#include <QCoro/QCoroSignal>
#include <QSignalSpy>
#include <QTest>

using Berth::ImageSummary;
using Berth::Result;
using Berth::Ui::ImageListModel;

// Holds a listing back until the test opens it.
class Gate : public QObject
{
    Q_OBJECT
signals:
    void opened();
};

namespace {

// An engine whose listing and events the test decides.
class FakeEngine : public Berth::Engine
{
public:
    QList<ImageSummary> list;
    std::optional<Berth::Error> listError;
    bool gated = false; // images() returns the list as it was asked, once the gate opens
    Gate gate;

    QCoro::Task<Result<QList<ImageSummary>>> images() override
    {
        if (listError)
            co_return Berth::fail(*listError);
        QList<ImageSummary> copy = list; // GCC 12 would move from a member named in co_return
        if (gated)
            co_await qCoro(&gate, &Gate::opened);
        co_return copy;
    }
    QCoro::Task<Result<Berth::ImageDetails>> inspect(QString) override { co_return unsupported(); }
    QCoro::Task<Result<QList<Berth::HistoryStep>>> history(QString) override
    {
        co_return unsupported();
    }
    QCoro::Task<Result<void>> tag(QString, QString) override { co_return unsupported(); }
    QCoro::Task<Result<QStringList>> remove(QString, bool) override { co_return unsupported(); }
    QCoro::Task<Result<Berth::PruneSummary>> prune(bool) override { co_return unsupported(); }
    QCoro::Task<Result<Berth::DiskUsageSummary>> diskUsage() override { co_return unsupported(); }
    QCoro::Task<Result<Berth::BusyboxStatus>> busyboxStatus() override { co_return unsupported(); }
    QCoro::Task<Result<ImageSummary>> bootstrapBusybox() override { co_return unsupported(); }
    Berth::Job *load(QString) override { return nullptr; }
    Berth::Job *save(QStringList, QString, Berth::ArchiveFormat) override { return nullptr; }
    Berth::Job *importRootfs(QString, QString) override { return nullptr; }

private:
    static Berth::Unexpected<Berth::Error> unsupported()
    {
        return Berth::fail(Berth::ErrorCode::Unsupported, "not in the fake");
    }
};

// "repository:tag" split as the engine would (these references have no digest).
Berth::ImageTag tagOf(const QString &reference)
{
    const qsizetype colon = reference.lastIndexOf(u':');
    return {reference, reference.left(colon), reference.mid(colon + 1)};
}

ImageSummary image(const QString &id, const QStringList &tags, qint64 size = 1000,
                   qint64 ageSeconds = 3600)
{
    ImageSummary s;
    s.id = id.repeated(64 / id.size());
    s.digest = "sha256:" + s.id;
    for (const QString &reference : tags)
        s.tags.append(tagOf(reference));
    s.size = size;
    s.created = QDateTime::currentDateTimeUtc().addSecs(-ageSeconds);
    return s;
}

QStringList references(const ImageListModel &model)
{
    QStringList out;
    for (int r = 0; r < model.rowCount(); ++r)
        out.append(model.index(r, 0).data(ImageListModel::ReferenceRole).toString());
    return out;
}

} // namespace

class TestImageListModel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void firstLoadIsOneReset();
    void rowsAreOnePerTag();
    void displayAndRawValues();
    void eventsApplyAsDiffs();
    void eventsDuringTheFirstLoadAreKept();
    void pendingAndErrorStayWithTheirRow();
    void aFailedLoadSaysWhy();
    void relativeTime_data();
    void relativeTime();
};

void TestImageListModel::initTestCase()
{
    qRegisterMetaType<ImageSummary>();
}

void TestImageListModel::firstLoadIsOneReset()
{
    FakeEngine engine;
    engine.list = {image("a", {"busybox:latest"}), image("b", {})};
    ImageListModel model(&engine);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy finished(&model, &ImageListModel::loadFinished);
    QVERIFY(!model.isLoaded());
    model.load();
    QTRY_VERIFY(model.isLoaded());
    QCOMPARE(reset.count(), 1);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(model.rowCount(), 2);
    model.load(); // loaded already: no second reset
    QCOMPARE(reset.count(), 1);
}

void TestImageListModel::rowsAreOnePerTag()
{
    FakeEngine engine;
    engine.list = {image("a", {"busybox:latest", "localhost:5000/team/app:1"}), image("b", {})};
    ImageListModel model(&engine);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.load();
    QTRY_VERIFY(model.isLoaded());
    QCOMPARE(references(model), (QStringList{"busybox:latest", "localhost:5000/team/app:1", ""}));
    // A registry port is not a tag.
    QCOMPARE(model.index(1, ImageListModel::RepositoryColumn).data().toString(),
             "localhost:5000/team/app");
    QCOMPARE(model.index(1, ImageListModel::TagColumn).data().toString(), "1");
    QCOMPARE(model.index(2, ImageListModel::RepositoryColumn).data().toString(), "(untagged)");
    QCOMPARE(model.index(2, ImageListModel::TagColumn).data().toString(), "");
    QCOMPARE(model.rowOfReference("busybox:latest"), 0);
    QCOMPARE(model.rowOf(engine.list[1].id, QString()), 2);
}

void TestImageListModel::displayAndRawValues()
{
    FakeEngine engine;
    engine.list = {image("ab", {"busybox:latest"}, 2'500'000, 3 * 3600)};
    ImageListModel model(&engine);
    model.load();
    QTRY_VERIFY(model.isLoaded());
    const QModelIndex id = model.index(0, ImageListModel::IdColumn);
    QCOMPARE(id.data().toString(), QString("ab").repeated(6));
    QCOMPARE(id.data(ImageListModel::IdRole).toString(), engine.list[0].id);
    const QModelIndex size = model.index(0, ImageListModel::SizeColumn);
    QCOMPARE(size.data().toString(), QLocale().formattedDataSize(2'500'000));
    QCOMPARE(size.data(ImageListModel::SortRole).toLongLong(), 2'500'000);
    QCOMPARE(model.index(0, ImageListModel::CreatedColumn).data().toString(), "3 hours ago");
    QCOMPARE(model.index(0, 0).data(ImageListModel::TagsRole).toStringList(),
             QStringList{"busybox:latest"});
    QVERIFY(!model.index(0, 0).data(ImageListModel::PendingRole).toBool());
    QVERIFY(!model.index(0, 0).data(12345).isValid());
    QCOMPARE(model.headerData(ImageListModel::IdColumn, Qt::Horizontal).toString(), "Image ID");
}

void TestImageListModel::eventsApplyAsDiffs()
{
    FakeEngine engine;
    const ImageSummary a = image("a", {"a:1"});
    engine.list = {a};
    ImageListModel model(&engine);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.load();
    QTRY_VERIFY(model.isLoaded());
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    const ImageSummary b = image("b", {"b:1"});
    emit engine.imageAdded(b);
    QCOMPARE(references(model), (QStringList{"a:1", "b:1"}));
    QCOMPARE(inserted.count(), 1);

    // A second tag is a new row; the first row is untouched.
    ImageSummary a2 = a;
    a2.tags = {tagOf("a:1"), tagOf("a:2")};
    emit engine.imageChanged(a2);
    QCOMPARE(references(model), (QStringList{"a:1", "b:1", "a:2"}));
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(changed.count(), 1); // a:1 row learns of its new sibling tag
    const auto roles = changed.constFirst().at(2).value<QList<int>>();
    QVERIFY(roles.contains(ImageListModel::TagsRole));
    QVERIFY(!roles.contains(ImageListModel::ReferenceRole)); // the row's own tag did not change

    // The same event again changes nothing.
    emit engine.imageAdded(a2);
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(changed.count(), 1);

    // Untagging the last tag leaves the untagged row.
    ImageSummary bare = b;
    bare.tags = {};
    emit engine.imageChanged(bare);
    QCOMPARE(references(model), (QStringList{"a:1", "a:2", ""}));
    QCOMPARE(removed.count(), 1);

    emit engine.imageRemoved(a.id);
    QCOMPARE(references(model), QStringList{""});
    emit engine.imageRemoved("unknown");
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(reset.count(), 0);
}

void TestImageListModel::eventsDuringTheFirstLoadAreKept()
{
    FakeEngine engine;
    engine.list = {image("a", {"a:1"}), image("c", {"c:1"})};
    engine.gated = true;
    ImageListModel model(&engine);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Before load() nothing is wanted: the listing will hold it.
    emit engine.imageAdded(image("z", {"z:1"}));
    model.load();
    QVERIFY(!model.isLoaded());
    // While the listing is on its way, b arrives and c goes: the listing knows of neither.
    emit engine.imageAdded(image("b", {"b:1"}));
    emit engine.imageRemoved(image("c", {}).id);
    emit engine.gate.opened();
    QTRY_VERIFY(model.isLoaded());
    QCOMPARE(references(model), (QStringList{"a:1", "b:1"}));
}

void TestImageListModel::pendingAndErrorStayWithTheirRow()
{
    FakeEngine engine;
    const ImageSummary a = image("a", {"a:1", "a:2"});
    engine.list = {image("c", {"c:1"}), a};
    ImageListModel model(&engine);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.load();
    QTRY_VERIFY(model.isLoaded());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setPending(a.id, "a:2", "Removing…");
    QCOMPARE(changed.count(), 1);
    QVERIFY(changed.constFirst().at(2).value<QList<int>>().contains(ImageListModel::PendingRole));
    const int row = model.rowOfReference("a:2");
    QVERIFY(model.index(row, 0).data(ImageListModel::PendingRole).toBool());
    QCOMPARE(model.index(row, 0).data(Qt::ToolTipRole).toString(), "Removing…");
    QVERIFY(!model.index(row, 0).data(Qt::DecorationRole).isNull());
    QVERIFY(
        !model.index(model.rowOfReference("a:1"), 0).data(ImageListModel::PendingRole).toBool());

    // Another row leaving does not move the state to the wrong row.
    emit engine.imageRemoved(engine.list[0].id);
    const int moved = model.rowOfReference("a:2");
    QVERIFY(model.index(moved, 0).data(ImageListModel::PendingRole).toBool());

    model.setError(a.id, QString(), "Could not remove a:2.", "conflict: details");
    for (const char *reference : {"a:1", "a:2"}) {
        const QModelIndex index = model.index(model.rowOfReference(reference), 0);
        QVERIFY(!index.data(ImageListModel::PendingRole).toBool());
        QCOMPARE(index.data(ImageListModel::ErrorRole).toString(), "Could not remove a:2.");
        QCOMPARE(index.data(ImageListModel::ErrorDetailsRole).toString(), "conflict: details");
        QVERIFY(index.data(Qt::ToolTipRole).toString().contains("conflict: details"));
    }
    // A new action clears the old error.
    model.setPending(a.id, "a:1", "Tagging…");
    QVERIFY(model.index(model.rowOfReference("a:1"), 0)
                .data(ImageListModel::ErrorRole)
                .toString()
                .isEmpty());
}

void TestImageListModel::aFailedLoadSaysWhy()
{
    FakeEngine engine;
    engine.listError =
        Berth::Error(Berth::ErrorCode::Sys, "open \"/x/berth.db\": Permission denied");
    ImageListModel model(&engine);
    QSignalSpy finished(&model, &ImageListModel::loadFinished);
    model.load();
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY(!model.isLoaded());
    QVERIFY(model.loadError());
    QCOMPARE(model.loadError()->code(), Berth::ErrorCode::Sys);

    // Trying again once the problem is gone works.
    engine.listError.reset();
    engine.list = {image("a", {"a:1"})};
    model.load();
    QTRY_VERIFY(model.isLoaded());
    QVERIFY(!model.loadError());
    QCOMPARE(model.rowCount(), 1);
}

void TestImageListModel::relativeTime_data()
{
    QTest::addColumn<qint64>("secondsAgo");
    QTest::addColumn<QString>("expected");
    QTest::newRow("seconds are just now") << qint64(30) << "just now";
    QTest::newRow("one minute is singular") << qint64(60) << "1 minute ago";
    QTest::newRow("59 minutes") << qint64(59 * 60 + 59) << "59 minutes ago";
    QTest::newRow("two hours") << qint64(2 * 3600) << "2 hours ago";
    QTest::newRow("one day") << qint64(86400) << "1 day ago";
    QTest::newRow("three months") << qint64(95 * 86400) << "3 months ago";
    QTest::newRow("two years") << qint64(800 * 86400) << "2 years ago";
    // A clock slightly behind the image's own is not "in the future".
    QTest::newRow("the future is just now") << qint64(-120) << "just now";
}

void TestImageListModel::relativeTime()
{
    QFETCH(qint64, secondsAgo);
    QFETCH(QString, expected);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QCOMPARE(ImageListModel::relativeTime(now.addSecs(-secondsAgo), now), expected);
    QCOMPARE(ImageListModel::relativeTime(QDateTime(), now), "unknown");
}

QTEST_MAIN(TestImageListModel)
#include "tst_imagelistmodel.moc"
