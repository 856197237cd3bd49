#pragma once

#include <QMainWindow>

class QListWidget;
class QStackedWidget;

namespace Berth::Ui {

class DockerfilesView;

// The main window: the sidebar of views and the view chosen in it.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // The views, in sidebar order.
    enum Page { Dashboard, Containers, Images, Builds, Dockerfiles, Volumes, Settings, PageCount };
    Q_ENUM(Page)

    explicit MainWindow(QWidget *parent = nullptr);

    void showPage(Page page);
    Page currentPage() const;
    // Opens the file in the Dockerfiles view and shows that view.
    bool openDockerfile(const QString &path);

    QListWidget *sidebar() const { return m_sidebar; }
    QStackedWidget *pages() const { return m_pages; }
    DockerfilesView *dockerfilesView() const { return m_dockerfiles; }

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
    QList<QAction *> m_pageActions;
};

} // namespace Berth::Ui
