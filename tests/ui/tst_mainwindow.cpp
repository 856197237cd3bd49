#include "dockerfiles/dockerfilesview.h"
#include "dockerfiles/findingsmodel.h"
#include "language.h"
#include "mainwindow.h"
#include "settings/settingsview.h"

#include "dockerfile/lint.h"
#include "dockerfile/syntax.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTranslator>
#include <QTreeView>

using Berth::Ui::DockerfilesView;
using Berth::Ui::FindingsModel;
using Berth::Ui::MainWindow;
namespace Dockerfile = Berth::Dockerfile;

namespace {

const QStringList s_pageNames = {
    "Dashboard", "Containers", "Images", "Builds", "Dockerfiles", "Volumes", "Settings",
};

// An untagged base image, an unknown instruction and a few habits the linter dislikes.
const QByteArray s_dockerfile = "FROM ubuntu\n"
                                "MAINTAINER someone@example.com\n"
                                "RUNN echo hello\n"
                                "ADD app.tar /app\n"
                                "RUN cd /app && make\n";

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(content) == content.size();
}

int expectedRows(const QByteArray &source)
{
    const Dockerfile::Document document = Dockerfile::parse(source.toStdString());
    return int(document.diagnostics.size() + Dockerfile::lint(document).size());
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void sidebarListsTheSevenViewsInOrder();
    void selectingAnEntryShowsItsView();
    void keyboardMovesThroughTheSidebar();
    void unbuiltViewsOfferNoAction();
    void dockerfilesViewShowsFileAndFindings();
    void activatingAFindingMovesTheCursorThere();
    void aChangeOnDiskIsCheckedAgain();
    void anUnreadableFileShowsWhy();
    void languageChoiceIsSaved();
    void geometryIsRemembered();
    void frenchTranslationIsEmbedded();

private:
    QTemporaryDir m_dir;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("berth-tests");
    QCoreApplication::setApplicationName("tst_mainwindow");
    QVERIFY(m_dir.isValid());
    // The window's engine opens the store at $BERTH_ROOT: never the user's own.
    qputenv("BERTH_ROOT", QFile::encodeName(m_dir.filePath("store")));
}

void TestMainWindow::init()
{
    QSettings().clear();
}

void TestMainWindow::sidebarListsTheSevenViewsInOrder()
{
    MainWindow window;
    QCOMPARE(window.windowTitle(), "Berth");
    QCOMPARE(window.sidebar()->count(), int(MainWindow::PageCount));
    QCOMPARE(window.pages()->count(), int(MainWindow::PageCount));
    for (int row = 0; row < window.sidebar()->count(); ++row) {
        QCOMPARE(window.sidebar()->item(row)->text(), s_pageNames.at(row));
        QVERIFY(!window.sidebar()->item(row)->icon().isNull());
    }
    QCOMPARE(window.currentPage(), MainWindow::Dashboard);
}

void TestMainWindow::selectingAnEntryShowsItsView()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    for (int row = MainWindow::PageCount - 1; row >= 0; --row) {
        window.sidebar()->setCurrentRow(row);
        QCOMPARE(window.pages()->currentIndex(), row);
        QVERIFY(window.pages()->currentWidget()->isVisible());
    }
    QCOMPARE(window.pages()->widget(MainWindow::Dockerfiles), window.dockerfilesView());
    QVERIFY(qobject_cast<Berth::Ui::SettingsView *>(window.pages()->widget(MainWindow::Settings)));

    // The View menu's actions lead to the same pages, and the sidebar follows.
    window.showPage(MainWindow::Volumes);
    QCOMPARE(window.sidebar()->currentRow(), int(MainWindow::Volumes));
}

void TestMainWindow::keyboardMovesThroughTheSidebar()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.sidebar()->setFocus();
    for (int page = 1; page < MainWindow::PageCount; ++page) {
        QTest::keyClick(window.sidebar(), Qt::Key_Down);
        QCOMPARE(window.currentPage(), MainWindow::Page(page));
    }
    QTest::keyClick(window.sidebar(), Qt::Key_Home);
    QCOMPARE(window.currentPage(), MainWindow::Dashboard);
}

void TestMainWindow::unbuiltViewsOfferNoAction()
{
    MainWindow window;
    for (MainWindow::Page page :
         {MainWindow::Dashboard, MainWindow::Containers, MainWindow::Builds, MainWindow::Volumes}) {
        QWidget *view = window.pages()->widget(page);
        QVERIFY2(view->findChildren<QAbstractButton *>().isEmpty(), "no button that does nothing");
        auto *description = view->findChild<QLabel *>("description");
        QVERIFY(description);
        QVERIFY2(description->text().contains("not part of this version yet"),
                 qPrintable(description->text()));
    }
}

void TestMainWindow::dockerfilesViewShowsFileAndFindings()
{
    const QString path = m_dir.filePath("Dockerfile");
    QVERIFY(writeFile(path, s_dockerfile));

    MainWindow window;
    QSignalSpy opened(window.dockerfilesView(), &DockerfilesView::fileOpened);
    QVERIFY(window.openDockerfile(path));
    QCOMPARE(opened.count(), 1);
    QCOMPARE(window.currentPage(), MainWindow::Dockerfiles);
    DockerfilesView *view = window.dockerfilesView();
    QCOMPARE(view->filePath(), QFileInfo(path).absoluteFilePath());
    QCOMPARE(view->editor()->toPlainText(), QString::fromUtf8(s_dockerfile));
    QVERIFY(view->editor()->isReadOnly());
    QVERIFY(view->errorText().isEmpty());

    const int rows = expectedRows(s_dockerfile);
    QVERIFY2(rows > 0, "the fixture has problems");
    QCOMPARE(view->findingsModel()->rowCount(), rows);
    QCOMPARE(view->findingsView()->model()->rowCount(), rows);
    QCOMPARE(view->editor()->extraSelections().size(), rows);
}

void TestMainWindow::activatingAFindingMovesTheCursorThere()
{
    const QString path = m_dir.filePath("Cursor.Dockerfile");
    // The é before the unknown instruction's line checks that columns map through UTF-16.
    QVERIFY(writeFile(path, "FROM alpine:3.19\nLABEL x=\"é\" y=\"😀\"\n  RUNN echo hi\n"));
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openDockerfile(path));
    DockerfilesView *view = window.dockerfilesView();
    QTreeView *findings = view->findingsView();
    QVERIFY(findings->model()->rowCount() > 0);

    for (int row = 0; row < findings->model()->rowCount(); ++row) {
        const QModelIndex index = findings->model()->index(row, FindingsModel::MessageColumn);
        const int line = index.data(FindingsModel::LineRole).toInt();
        const int column = index.data(FindingsModel::ColumnRole).toInt();
        findings->scrollTo(index);
        const QPoint centre = findings->visualRect(index).center();
        QTest::mouseClick(findings->viewport(), Qt::LeftButton, {}, centre);
        QTest::mouseDClick(findings->viewport(), Qt::LeftButton, {}, centre);
        const QTextCursor cursor = view->editor()->textCursor();
        QCOMPARE(cursor.blockNumber() + 1, line);
        // Columns count code points; the text before the cursor has that many minus one.
        const QString before = cursor.block().text().left(cursor.positionInBlock());
        QCOMPARE(int(before.toUcs4().size()) + 1, column);
    }
}

void TestMainWindow::aChangeOnDiskIsCheckedAgain()
{
    const QString path = m_dir.filePath("Changing.Dockerfile");
    QVERIFY(writeFile(path, "FROM alpine:3.19\n"));
    MainWindow window;
    QVERIFY(window.openDockerfile(path));
    QVERIFY(writeFile(path, s_dockerfile));
    QTRY_COMPARE(window.dockerfilesView()->editor()->toPlainText(),
                 QString::fromUtf8(s_dockerfile));
    QCOMPARE(window.dockerfilesView()->findingsModel()->rowCount(), expectedRows(s_dockerfile));
}

void TestMainWindow::anUnreadableFileShowsWhy()
{
    MainWindow window;
    DockerfilesView *view = window.dockerfilesView();
    QVERIFY(!window.openDockerfile(m_dir.filePath("missing/Dockerfile")));
    QVERIFY2(view->errorText().contains("Could not open"), qPrintable(view->errorText()));
    QVERIFY2(view->errorText().contains("Details:"), qPrintable(view->errorText()));
    QVERIFY(view->filePath().isEmpty());

    QVERIFY(!window.openDockerfile(m_dir.path()));
    QVERIFY2(view->errorText().contains("folder"), qPrintable(view->errorText()));

    // A good file afterwards clears the message.
    const QString path = m_dir.filePath("Dockerfile");
    QVERIFY(writeFile(path, s_dockerfile));
    QVERIFY(window.openDockerfile(path));
    QVERIFY(view->errorText().isEmpty());
}

void TestMainWindow::languageChoiceIsSaved()
{
    MainWindow window;
    auto *settings =
        qobject_cast<Berth::Ui::SettingsView *>(window.pages()->widget(MainWindow::Settings));
    QComboBox *box = settings->languageBox();
    QCOMPARE(box->count(), 3);
    QCOMPARE(Berth::Ui::savedLanguage(), Berth::Ui::Language::System);
    box->setCurrentIndex(box->findData(int(Berth::Ui::Language::French)));
    QCOMPARE(Berth::Ui::savedLanguage(), Berth::Ui::Language::French);
    QCOMPARE(QSettings().value("language").toString(), "fr");
    box->setCurrentIndex(box->findData(int(Berth::Ui::Language::System)));
    QCOMPARE(Berth::Ui::savedLanguage(), Berth::Ui::Language::System);
    QVERIFY(!QSettings().contains("language"));

    // A new window starts with the saved choice.
    Berth::Ui::saveLanguage(Berth::Ui::Language::English);
    MainWindow second;
    auto *secondSettings =
        qobject_cast<Berth::Ui::SettingsView *>(second.pages()->widget(MainWindow::Settings));
    QCOMPARE(secondSettings->languageBox()->currentData().toInt(),
             int(Berth::Ui::Language::English));
}

void TestMainWindow::geometryIsRemembered()
{
    QRect geometry;
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.resize(700, 500);
        geometry = window.geometry();
        window.close();
    }
    QVERIFY(QSettings().contains("mainWindow/geometry"));
    MainWindow again;
    QCOMPARE(again.size(), geometry.size());
}

void TestMainWindow::frenchTranslationIsEmbedded()
{
    QTranslator translator;
    QVERIFY(translator.load(":/i18n/berth_fr.qm"));
    QCoreApplication::installTranslator(&translator);
    MainWindow window;
    QCoreApplication::removeTranslator(&translator);
    QCOMPARE(window.sidebar()->item(MainWindow::Dashboard)->text(), "Tableau de bord");
    QCOMPARE(window.sidebar()->item(MainWindow::Settings)->text(), "Paramètres");
    for (int row = 0; row < window.sidebar()->count(); ++row)
        QVERIFY(!window.sidebar()->item(row)->text().isEmpty());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
