#include "errorbar.h"
#include "images/imagelistmodel.h"
#include "images/imagesview.h"
#include "images/tagdialog.h"

#include "engine/localengine.h"

#include "testimages.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCoro/QCoroTask>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QTreeView>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using Berth::LocalEngine;
using Berth::Ui::ImageListModel;
using Berth::Ui::ImagesView;

namespace {

// Store operations under ASan on a busy machine take a while; nothing here waits this long when
// it works.
constexpr int s_timeout = 30'000;

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

// The view's toolbar action with this text.
QAction *action(QWidget *view, const QString &text)
{
    for (QAction *a : view->findChildren<QAction *>())
        if (a->text() == text)
            return a;
    return nullptr;
}

// The dialog the view opened (with open(), so the test's own event loop drives it).
template<class T> T *openDialog()
{
    return qobject_cast<T *>(QApplication::activeModalWidget());
}

} // namespace

class TestImagesView : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void anEmptyStoreOffersBusybox();
    void withoutBusyboxTheOfferIsDisabledAndSaysWhy();
    void tagAddsARowAndRemoveRemovesIt();
    void aBadTagShowsItsErrorInTheRow();
    void removingAnImageWithSeveralTagsNeedsForce();
    void aCorruptArchiveShowsItsErrorInPlace();
    void exportWritesAnArchiveThatLoadsBack();
    void anImageAddedElsewhereAppears();
    void theFilterMatchesNamesAndIds();
    void aLoadStopsWithItsCancelButton();
    void anExportFailureShowsInItsRowOnly();
    void removeAsksFirstThenRemovesTheTag();
    void tagAsksForTheNewTag();
    void aSecondPruneWaitsForTheFirst();
    void theTagDialogValidatesAsYouType();
    void theViewSpeaksFrench();

private:
    ImagesView *createView();
    QString bootstrapWithEngine();

    QTemporaryDir *m_dir = nullptr;
    LocalEngine *m_engine = nullptr;
    ImagesView *m_view = nullptr;
};

void TestImagesView::initTestCase()
{
    qRegisterMetaType<Berth::ImageSummary>();
    QVERIFY2(QFileInfo("/bin/busybox").isExecutable(), "install busybox-static");
}

void TestImagesView::init()
{
    m_dir = new QTemporaryDir;
    QVERIFY(m_dir->isValid());
    m_engine = new LocalEngine(m_dir->filePath("store"));
}

void TestImagesView::cleanup()
{
    delete m_view;
    m_view = nullptr;
    delete m_engine;
    m_engine = nullptr;
    delete m_dir;
    m_dir = nullptr;
}

ImagesView *TestImagesView::createView()
{
    m_view = new ImagesView(m_engine);
    m_view->resize(900, 600);
    m_view->show();
    return m_view;
}

QString TestImagesView::bootstrapWithEngine()
{
    auto image = QCoro::waitFor(m_engine->bootstrapBusybox());
    return image ? image->id : QString();
}

void TestImagesView::anEmptyStoreOffersBusybox()
{
    ImagesView *view = createView();
    QTRY_COMPARE_WITH_TIMEOUT(view->currentPage(), ImagesView::Page::Empty, s_timeout);
    QTRY_VERIFY_WITH_TIMEOUT(view->bootstrapButton()->isEnabled(), s_timeout);
    QVERIFY(view->bootstrapButton()->isVisible());
    QVERIFY(view->bootstrapButton()->text().contains("busybox:latest"));
    QVERIFY2(view->bootstrapExplanation()->text().contains("/bin/busybox"),
             qPrintable(view->bootstrapExplanation()->text()));
    QVERIFY(view->bootstrapExplanation()->text().contains("Nothing is downloaded"));

    QTest::mouseClick(view->bootstrapButton(), Qt::LeftButton);
    QVERIFY(!view->bootstrapButton()->isEnabled()); // in flight
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowOfReference("busybox:latest"), 0, s_timeout);
    QCOMPARE(view->currentPage(), ImagesView::Page::List);
    QVERIFY(view->view()->isVisible());
    const QModelIndex row = view->proxy()->index(0, ImageListModel::RepositoryColumn);
    QCOMPARE(row.data().toString(), "busybox");
    QCOMPARE(row.siblingAtColumn(ImageListModel::TagColumn).data().toString(), "latest");
    QCOMPARE(row.siblingAtColumn(ImageListModel::IdColumn).data().toString().size(), 12);
    QTRY_COMPARE(view->selectedReference(), "busybox:latest");
    QVERIFY(view->errorBar()->isHidden());
}

void TestImagesView::withoutBusyboxTheOfferIsDisabledAndSaysWhy()
{
    m_engine->setBusyboxPath(m_dir->filePath("no-busybox"));
    ImagesView *view = createView();
    QTRY_COMPARE_WITH_TIMEOUT(view->currentPage(), ImagesView::Page::Empty, s_timeout);
    QTRY_VERIFY_WITH_TIMEOUT(view->bootstrapExplanation()->text().contains("was not found"),
                             s_timeout);
    QVERIFY(view->bootstrapExplanation()->text().contains("busybox-static"));
    QVERIFY(!view->bootstrapButton()->isEnabled());

    m_engine->setBusyboxPath(
        QFileInfo("/bin/sh").canonicalFilePath()); // dynamically linked on Debian
    delete m_view;
    view = createView();
    QTRY_VERIFY_WITH_TIMEOUT(view->bootstrapExplanation()->text().contains("dynamically linked"),
                             s_timeout);
    QVERIFY(!view->bootstrapButton()->isEnabled());
}

void TestImagesView::tagAddsARowAndRemoveRemovesIt()
{
    const QString id = bootstrapWithEngine();
    QVERIFY(!id.isEmpty());
    ImagesView *view = createView();
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 1, s_timeout);
    ImageListModel *model = view->model();

    view->tagImage(id, "busybox:latest", "localhost/copy:1");
    // The row shows the action at once.
    QVERIFY(model->index(model->rowOfReference("busybox:latest"), 0)
                .data(ImageListModel::PendingRole)
                .toBool());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2, s_timeout);
    QVERIFY(model->rowOfReference("localhost/copy:1") >= 0);
    QTRY_VERIFY(!model->index(model->rowOfReference("busybox:latest"), 0)
                     .data(ImageListModel::PendingRole)
                     .toBool());
    QCOMPARE(view->selectedReference(), "localhost/copy:1");

    view->removeImage(id, "localhost/copy:1", false);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, s_timeout);
    QCOMPARE(model->rowOfReference("localhost/copy:1"), -1);
    QCOMPARE(model->rowOfReference("busybox:latest"), 0);
    QVERIFY(view->errorBar()->isHidden());

    // Removing the last tag removes the image, and the empty state comes back.
    view->removeImage(id, "busybox:latest", false);
    QTRY_COMPARE_WITH_TIMEOUT(view->currentPage(), ImagesView::Page::Empty, s_timeout);
}

void TestImagesView::aBadTagShowsItsErrorInTheRow()
{
    const QString id = bootstrapWithEngine();
    ImagesView *view = createView();
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 1, s_timeout);
    view->tagImage(id, "busybox:latest", "Upper/Case");
    QTRY_VERIFY_WITH_TIMEOUT(view->errorBar()->isVisible(), s_timeout);
    QVERIFY2(view->errorBar()->text().contains("Could not tag busybox:latest as Upper/Case."),
             qPrintable(view->errorBar()->text()));
    QVERIFY2(view->errorBar()->detailsText().contains("lowercase"),
             qPrintable(view->errorBar()->detailsText()));
    const QModelIndex row = view->model()->index(0, 0);
    QCOMPARE(row.data(ImageListModel::ErrorRole).toString(),
             "Could not tag busybox:latest as Upper/Case.");
    QVERIFY(row.data(ImageListModel::ErrorDetailsRole).toString().contains("lowercase"));
    QVERIFY(!row.data(Qt::DecorationRole).isNull());
    QVERIFY(!row.data(ImageListModel::PendingRole).toBool());
}

void TestImagesView::removingAnImageWithSeveralTagsNeedsForce()
{
    const QString id = bootstrapWithEngine();
    QVERIFY(QCoro::waitFor(m_engine->tag(id, "second:1")));
    ImagesView *view = createView();
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 2, s_timeout);
    view->removeImage(id, QString(), false);
    QTRY_VERIFY_WITH_TIMEOUT(view->errorBar()->isVisible(), s_timeout);
    QVERIFY2(view->errorBar()->text().contains("conflicts"), qPrintable(view->errorBar()->text()));
    QCOMPARE(view->model()->rowCount(), 2);
    for (int r = 0; r < 2; ++r)
        QVERIFY(!view->model()->index(r, 0).data(ImageListModel::ErrorRole).toString().isEmpty());

    view->removeImage(id, QString(), true);
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 0, s_timeout);
    QVERIFY(view->errorBar()->isHidden());
}

void TestImagesView::aCorruptArchiveShowsItsErrorInPlace()
{
    ImagesView *view = createView();
    QTRY_COMPARE_WITH_TIMEOUT(view->currentPage(), ImagesView::Page::Empty, s_timeout);
    const QString path = m_dir->filePath("corrupt.tar");
    QVERIFY(writeFile(path, QByteArray(10'000, '\x42')));
    view->loadArchive(path);
    QVERIFY(view->activityArea()->isVisible());
    QVERIFY(view->activityArea()->findChild<QWidget *>("job"));
    QTRY_VERIFY_WITH_TIMEOUT(view->errorBar()->isVisible(), s_timeout);
    QVERIFY2(view->errorBar()->text().contains("Could not load"),
             qPrintable(view->errorBar()->text()));
    QVERIFY(view->errorBar()->text().contains("corrupt.tar"));
    QVERIFY(!view->errorBar()->detailsText().isEmpty());
    QTRY_VERIFY(view->activityArea()->isHidden());
    QCOMPARE(view->model()->rowCount(), 0);
}

void TestImagesView::exportWritesAnArchiveThatLoadsBack()
{
    const QString id = bootstrapWithEngine();
    ImagesView *view = createView();
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 1, s_timeout);
    const QString path = m_dir->filePath("busybox-oci.tar");
    view->exportImage("busybox:latest", path, Berth::ArchiveFormat::OciArchive);
    QVERIFY(view->model()->index(0, 0).data(ImageListModel::PendingRole).toBool());
    QTRY_VERIFY_WITH_TIMEOUT(!view->model()->index(0, 0).data(ImageListModel::PendingRole).toBool(),
                             s_timeout);
    QVERIFY(view->errorBar()->isHidden());
    QVERIFY(QFileInfo(path).size() > 100'000);

    view->removeImage(id, "busybox:latest", false);
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 0, s_timeout);
    view->loadArchive(path);
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowOfReference("busybox:latest"), 0, s_timeout);
    QCOMPARE(view->model()->row(0).image.id, id);
}

void TestImagesView::anImageAddedElsewhereAppears()
{
    ImagesView *view = createView();
    QTRY_COMPARE_WITH_TIMEOUT(view->currentPage(), ImagesView::Page::Empty, s_timeout);
    // As berthctl would: its own ImageStore on the same root.
    auto image = Berth::Testing::importWithOwnStore(m_engine->root().toStdString(),
                                                    "localhost/elsewhere:1", "hello");
    QVERIFY2(image, image ? "" : image.error().toString().c_str());
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowOfReference("localhost/elsewhere:1"), 0, s_timeout);
    QCOMPARE(view->currentPage(), ImagesView::Page::List);
}

void TestImagesView::theFilterMatchesNamesAndIds()
{
    const QString id = bootstrapWithEngine();
    auto other = Berth::Testing::importWithOwnStore(m_engine->root().toStdString(), "app:1", "x");
    QVERIFY(other);
    ImagesView *view = createView();
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 2, s_timeout);
    QTest::keyClicks(view->filterEdit(), "BUSY");
    QCOMPARE(view->proxy()->rowCount(), 1);
    QCOMPARE(view->proxy()->index(0, 0).data(ImageListModel::IdRole).toString(), id);
    view->filterEdit()->setText(QString::fromStdString(other->id()).left(8));
    QCOMPARE(view->proxy()->rowCount(), 1);
    QCOMPARE(view->proxy()->index(0, 0).data(ImageListModel::ReferenceRole).toString(), "app:1");
    view->filterEdit()->clear();
    QCOMPARE(view->proxy()->rowCount(), 2);

    // Sorting by size uses the bytes, not the text.
    view->view()->sortByColumn(ImageListModel::SizeColumn, Qt::AscendingOrder);
    QCOMPARE(view->proxy()->index(0, 0).data(ImageListModel::ReferenceRole).toString(), "app:1");
    view->view()->sortByColumn(ImageListModel::SizeColumn, Qt::DescendingOrder);
    QCOMPARE(view->proxy()->index(0, 0).data(ImageListModel::ReferenceRole).toString(),
             "busybox:latest");
}

// A load reading a FIFO is under way (the test feeds it) when its Cancel button is clicked.
void TestImagesView::aLoadStopsWithItsCancelButton()
{
    ImagesView *view = createView();
    QTRY_COMPARE_WITH_TIMEOUT(view->currentPage(), ImagesView::Page::Empty, s_timeout);
    const QString fifo = m_dir->filePath("archive.fifo");
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    view->loadArchive(fifo);
    auto *cancel = view->activityArea()->findChild<QPushButton *>("cancelJob");
    QVERIFY(cancel);
    QVERIFY(cancel->isEnabled());
    const int fd = ::open(QFile::encodeName(fifo).constData(), O_WRONLY | O_CLOEXEC);
    QVERIFY(fd >= 0);
    const std::string tar = Berth::Testing::rootfsTar(std::string(20'000, 'c'));
    QCOMPARE(::write(fd, tar.data(), tar.size() / 2), ssize_t(tar.size() / 2));
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(!cancel->isEnabled());
    // The read in progress returns this; the next one sees the cancellation.
    QCOMPARE(::write(fd, tar.data() + tar.size() / 2, 512), ssize_t(512));
    QTRY_VERIFY_WITH_TIMEOUT(view->activityArea()->isHidden(), s_timeout);
    ::close(fd);
    QVERIFY(!view->activityArea()->findChild<QWidget *>("job"));
    QVERIFY2(view->errorBar()->isHidden(), "a cancel is not an error");
    QCOMPARE(view->model()->rowCount(), 0);
}

void TestImagesView::anExportFailureShowsInItsRowOnly()
{
    const QString id = bootstrapWithEngine();
    QVERIFY(QCoro::waitFor(m_engine->tag(id, "second:1")));
    ImagesView *view = createView();
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 2, s_timeout);
    view->exportImage("second:1", m_dir->filePath("no-such-folder/second.tar"),
                      Berth::ArchiveFormat::DockerArchive);
    ImageListModel *model = view->model();
    const auto state = [&](const char *reference, int role) {
        return model->index(model->rowOfReference(reference), 0).data(role);
    };
    QVERIFY(state("second:1", ImageListModel::PendingRole).toBool());
    QVERIFY(!state("busybox:latest", ImageListModel::PendingRole).toBool());
    QTRY_VERIFY_WITH_TIMEOUT(view->errorBar()->isVisible(), s_timeout);
    QVERIFY2(view->errorBar()->text().contains("Could not export second:1."),
             qPrintable(view->errorBar()->text()));
    QCOMPARE(state("second:1", ImageListModel::ErrorRole).toString(), "Could not export second:1.");
    QVERIFY(!state("second:1", ImageListModel::PendingRole).toBool());
    QVERIFY(state("busybox:latest", ImageListModel::ErrorRole).toString().isEmpty());
    QVERIFY(view->activityArea()->isHidden());
}

void TestImagesView::removeAsksFirstThenRemovesTheTag()
{
    const QString id = bootstrapWithEngine();
    QVERIFY(QCoro::waitFor(m_engine->tag(id, "second:1")));
    ImagesView *view = createView();
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 2, s_timeout);
    view->selectRow(view->model()->rowOfReference("second:1"));
    QAction *remove = action(view, "Remove");
    QVERIFY(remove && remove->isEnabled());
    remove->trigger();
    QMessageBox *box = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((box = openDialog<QMessageBox>()), s_timeout);
    QCOMPARE(box->text(), "Remove the tag second:1?");
    QAbstractButton *removeTag = nullptr;
    for (QAbstractButton *button : box->buttons())
        if (button->text() == "Remove Tag")
            removeTag = button;
    QVERIFY(removeTag);
    removeTag->click();
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 1, s_timeout);
    QCOMPARE(view->model()->rowOfReference("busybox:latest"), 0);
    QVERIFY(view->errorBar()->isHidden());
}

void TestImagesView::tagAsksForTheNewTag()
{
    bootstrapWithEngine();
    ImagesView *view = createView();
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 1, s_timeout);
    view->selectRow(0);
    action(view, "Tag…")->trigger();
    Berth::Ui::TagDialog *dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = openDialog<Berth::Ui::TagDialog>()), s_timeout);
    QTest::keyClicks(dialog->referenceEdit(), "asked:2");
    dialog->buttons()->button(QDialogButtonBox::Ok)->click();
    QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowOfReference("asked:2") >= 0, s_timeout);
    QTRY_COMPARE_WITH_TIMEOUT(view->selectedReference(), "asked:2", s_timeout);
}

void TestImagesView::aSecondPruneWaitsForTheFirst()
{
    bootstrapWithEngine();
    ImagesView *view = createView();
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 1, s_timeout);
    QAction *prune = action(view, "Prune…");
    QVERIFY(prune->isEnabled());
    prune->trigger();
    QMessageBox *box = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((box = openDialog<QMessageBox>()), s_timeout);
    box->checkBox()->setChecked(true);
    for (QAbstractButton *button : box->buttons())
        if (button->text() == "Prune")
            button->click();
    QVERIFY2(!prune->isEnabled(), "no second prune while one runs");
    view->selectRow(0); // which updates the actions again
    QVERIFY(!prune->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 0, s_timeout);
    QVERIFY(view->errorBar()->isHidden());
}

void TestImagesView::theTagDialogValidatesAsYouType()
{
    Berth::Ui::TagDialog dialog("busybox:latest");
    QPushButton *ok = dialog.buttons()->button(QDialogButtonBox::Ok);
    QVERIFY(!ok->isEnabled());
    QTest::keyClicks(dialog.referenceEdit(), "myapp");
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog.reference(), "myapp:latest");
    QCOMPARE(dialog.feedback(), "Will be tagged myapp:latest");
    QTest::keyClicks(dialog.referenceEdit(), ":-bad");
    QVERIFY(!ok->isEnabled());
    QVERIFY(dialog.reference().isEmpty());
    QVERIFY2(dialog.feedback().startsWith("Not a valid reference."), qPrintable(dialog.feedback()));
    // The engine's technical words are a hover away, not inline.
    QVERIFY(!dialog.feedbackDetails().isEmpty());
    QVERIFY(!dialog.feedback().contains(dialog.feedbackDetails()));
    dialog.referenceEdit()->setText("Upper");
    QVERIFY(!ok->isEnabled());
    dialog.referenceEdit()->setText("localhost:5000/team/app:2");
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog.reference(), "localhost:5000/team/app:2");
}

void TestImagesView::theViewSpeaksFrench()
{
    QTranslator translator;
    QVERIFY(translator.load(":/i18n/berth_fr.qm"));
    QCoreApplication::installTranslator(&translator);
    ImagesView *view = createView();
    QTRY_COMPARE_WITH_TIMEOUT(view->currentPage(), ImagesView::Page::Empty, s_timeout);
    QCOMPARE(view->bootstrapButton()->text(),
             "Créer busybox:latest à partir du busybox de cet ordinateur");
    QCOMPARE(view->model()->headerData(ImageListModel::IdColumn, Qt::Horizontal).toString(),
             "ID de l’image");
    QCOMPARE(ImageListModel::relativeTime(QDateTime::currentDateTimeUtc().addSecs(-7200),
                                          QDateTime::currentDateTimeUtc()),
             "il y a 2 heures");
    QCoreApplication::removeTranslator(&translator);
}

QTEST_MAIN(TestImagesView)
#include "tst_imagesview.moc"
