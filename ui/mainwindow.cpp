#include "mainwindow.h"

#include "dockerfiles/dockerfilesview.h"
#include "icons.h"
#include "images/imagesview.h"
#include "placeholderview.h"
#include "settings/settingsview.h"

#include "engine/localengine.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStackedWidget>

#include <algorithm>

namespace Berth::Ui {

namespace {

const auto s_geometryKey = QStringLiteral("mainWindow/geometry");

// The first local file among dropped URLs, or an empty string.
QString droppedFile(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl &url : mime->urls()) {
        if (url.isLocalFile())
            return url.toLocalFile();
    }
    return {};
}

} // namespace

MainWindow::MainWindow(QWidget *parent, const QString &storeRoot)
    : QMainWindow(parent)
    , m_sidebar(new QListWidget(this))
    , m_pages(new QStackedWidget(this))
    , m_engine(new LocalEngine(storeRoot, this)) // views hold it through QPointer
{
    setWindowTitle(QStringLiteral("Berth"));
    setAcceptDrops(true);

    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setAccessibleName(tr("Views"));
    m_sidebar->setIconSize(QSize(24, 24));
    m_sidebar->setSpacing(2);
    m_sidebar->setFrameShape(QFrame::NoFrame);
    QPalette palette = m_sidebar->palette();
    palette.setBrush(QPalette::Base, palette.window());
    m_sidebar->setPalette(palette);
    m_sidebar->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_sidebar->setSelectionMode(QAbstractItemView::SingleSelection);
    m_pages->setObjectName(QStringLiteral("pages"));

    createPages();
    createMenus();
    fitSidebarWidth();
    connect(m_sidebar, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    connect(m_pages, &QStackedWidget::currentChanged, this, [this](int index) {
        m_sidebar->setCurrentRow(index);
        m_pageActions.at(index)->setChecked(true);
    });
    connect(m_dockerfiles, &DockerfilesView::fileOpened, this, [this] { showPage(Dockerfiles); });
    m_sidebar->setCurrentRow(Dashboard);
    m_pageActions.at(Dashboard)->setChecked(true);

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_sidebar);
    auto *line = new QFrame(central);
    line->setFrameShape(QFrame::VLine);
    line->setFrameShadow(QFrame::Sunken);
    layout->addWidget(line);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);

    if (!restoreGeometry(QSettings().value(s_geometryKey).toByteArray()))
        resize(1100, 720);
}

void MainWindow::createPages()
{
    addPage(Dashboard, tr("Dashboard"),
            themedIcon({QStringLiteral("user-home"), QStringLiteral("go-home")},
                       QStyle::SP_DirHomeIcon),
            new PlaceholderView(
                tr("Dashboard"),
                tr("An overview of this computer will appear here: running containers, recent "
                   "builds, and the disk space images and volumes take. The container engine is "
                   "not part of this version yet.\n\nFor now, Berth can open a Dockerfile and "
                   "check it: see Dockerfiles."),
                this));
    addPage(Containers, tr("Containers"),
            themedIcon({QStringLiteral("utilities-terminal"), QStringLiteral("system-run")},
                       QStyle::SP_ComputerIcon),
            new PlaceholderView(
                tr("Containers"),
                tr("Containers you run will be listed here with their state, ports, and live CPU "
                   "and memory. The container runtime is not part of this version yet."),
                this));
    m_images = new ImagesView(m_engine, this);
    addPage(Images, tr("Images"),
            themedIcon({QStringLiteral("package-x-generic"), QStringLiteral("media-optical")},
                       QStyle::SP_DriveCDIcon),
            m_images);
    addPage(Builds, tr("Builds"),
            themedIcon({QStringLiteral("run-build"), QStringLiteral("applications-engineering")},
                       QStyle::SP_BrowserReload),
            new PlaceholderView(
                tr("Builds"),
                tr("Image builds will be listed here with each step, its log and how long it "
                   "took, and which steps came from the cache. The image builder is not part of "
                   "this version yet."),
                this));
    m_dockerfiles = new DockerfilesView(this);
    addPage(Dockerfiles, tr("Dockerfiles"),
            themedIcon({QStringLiteral("text-x-generic"), QStringLiteral("document-edit")},
                       QStyle::SP_FileIcon),
            m_dockerfiles);
    addPage(Volumes, tr("Volumes"),
            themedIcon({QStringLiteral("drive-harddisk"), QStringLiteral("folder")},
                       QStyle::SP_DriveHDIcon),
            new PlaceholderView(
                tr("Volumes"),
                tr("Volumes keep your containers' data between runs. They will be listed here with "
                   "their size and the containers that use them. Volumes are not part of this "
                   "version yet."),
                this));
    addPage(Settings, tr("Settings"),
            themedIcon({QStringLiteral("preferences-system"), QStringLiteral("configure")},
                       QStyle::SP_FileDialogDetailedView),
            new SettingsView(this));
}

void MainWindow::addPage(Page page, const QString &name, const QIcon &icon, QWidget *view)
{
    Q_ASSERT(m_pages->count() == page);
    auto *item = new QListWidgetItem(icon, name, m_sidebar);
    item->setSizeHint(QSize(0, 36));
    m_pages->addWidget(view);

    auto *action = new QAction(icon, name, this);
    action->setCheckable(true);
    action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + int(page))));
    connect(action, &QAction::triggered, this, [this, page] { showPage(page); });
    m_pageActions.append(action);
}

void MainWindow::fitSidebarWidth()
{
    int text = 0;
    for (int row = 0; row < m_sidebar->count(); ++row)
        text = std::max(text,
                        m_sidebar->fontMetrics().horizontalAdvance(m_sidebar->item(row)->text()));
    // Icon, the gap after it, and a margin on each side of the item.
    m_sidebar->setFixedWidth(std::max(160, text + m_sidebar->iconSize().width() + 48));
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open =
        file->addAction(themedIcon(QStringLiteral("document-open"), QStyle::SP_DialogOpenButton),
                        tr("&Open Dockerfile…"), m_dockerfiles, &DockerfilesView::chooseFile);
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction *quit = file->addAction(
        themedIcon(QStringLiteral("application-exit"), QStyle::SP_DialogCloseButton), tr("&Quit"),
        this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    auto *group = new QActionGroup(this);
    for (QAction *action : std::as_const(m_pageActions)) {
        group->addAction(action);
        view->addAction(action);
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About Berth"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Berth"),
        tr("<h3>Berth %1</h3><p>A desktop container manager: build images from Dockerfiles and "
           "run containers, with no daemon and no virtual machine.</p><p>This version opens "
           "Dockerfiles and checks them, and keeps images: load, export, tag and remove them. "
           "Containers, builds and volumes come in the next versions.</p>")
            .arg(QApplication::applicationVersion().toHtmlEscaped()));
}

void MainWindow::showPage(Page page)
{
    m_pages->setCurrentIndex(page);
}

MainWindow::Page MainWindow::currentPage() const
{
    return Page(m_pages->currentIndex());
}

bool MainWindow::openDockerfile(const QString &path)
{
    showPage(Dockerfiles);
    return m_dockerfiles->openFile(path);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings().setValue(s_geometryKey, saveGeometry());
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!droppedFile(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString path = droppedFile(event->mimeData());
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    openDockerfile(path);
}

} // namespace Berth::Ui
