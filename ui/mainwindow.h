#pragma once

#include <QMainWindow>

class QListWidget;
class QStackedWidget;

namespace Berth {
class Engine;
}

namespace Berth::Ui {

class DockerfilesView;
class ImagesView;

// The main window: the sidebar of views and the view chosen in it.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // The views, in sidebar order.
    enum Page { Dashboard, Containers, Images, Builds, Dockerfiles, Volumes, Settings, PageCount };
    Q_ENUM(Page)

    // The window runs one LocalEngine over the store at `storeRoot` (empty: the default root).
    explicit MainWindow(QWidget *parent = nullptr, const QString &storeRoot = QString());

    void showPage(Page page);
    Page currentPage() const;
    // Opens the file in the Dockerfiles view and shows that view.
    bool openDockerfile(const QString &path);

    QListWidget *sidebar() const { return m_sidebar; }
    QStackedWidget *pages() const { return m_pages; }
    DockerfilesView *dockerfilesView() const { return m_dockerfiles; }
    ImagesView *imagesView() const { return m_images; }
    Engine *engine() const { return m_engine; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createPages();
    void addPage(Page page, const QString &name, const QIcon &icon, QWidget *view);
    void fitSidebarWidth();
    void createMenus();
    void showAbout();

    QListWidget *m_sidebar = nullptr;
    QStackedWidget *m_pages = nullptr;
    DockerfilesView *m_dockerfiles = nullptr;
    ImagesView *m_images = nullptr;
    Engine *m_engine = nullptr;
    QList<QAction *> m_pageActions;
};

} // namespace Berth::Ui
