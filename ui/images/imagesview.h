#pragma once

#include "engine/engine.h"

#include <QPointer>
#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QToolButton;
class QTreeView;
class QVBoxLayout;

namespace Berth {
class Job;
}

namespace Berth::Ui {

class ErrorBar;
class ImageListModel;

// The Images view: the images in the store, sortable and filterable, with load (import),
// export, tag, remove and prune. Each action shows that it is in flight in the row it concerns
// (or below the toolbar for loads), and its error in place. An empty store offers to make
// busybox:latest from this computer's busybox.
class ImagesView : public QWidget
{
    Q_OBJECT
public:
    explicit ImagesView(Engine *engine, QWidget *parent = nullptr);

    enum class Page { Loading, Empty, List };
    Page currentPage() const;

    ImageListModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTreeView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    QPushButton *bootstrapButton() const { return m_bootstrapButton; }
    QLabel *bootstrapExplanation() const { return m_bootstrapExplanation; }
    ErrorBar *errorBar() const { return m_errorBar; }
    // The widgets of the loads and exports in flight.
    QWidget *activityArea() const { return m_activity; }

    // The actions, without asking: the toolbar's buttons ask first, then call these.
    void loadArchive(const QString &path);
    void exportImage(const QString &name, const QString &path, ArchiveFormat format);
    void tagImage(const QString &id, const QString &reference, const QString &target);
    // Removes the row's tag, or the image (by id, with `force` when several tags) when
    // `reference` is empty.
    void removeImage(const QString &id, const QString &reference, bool force);
    void prune(bool all);
    void createBusybox();

    // The id and reference of the selected row; empty when nothing is selected.
    QString selectedId() const;
    QString selectedReference() const;
    void selectRow(int sourceRow);

private:
    QWidget *createToolBar();
    QWidget *createEmptyPage();
    QWidget *createListPage();
    void updatePage();
    void updateActions();
    void updateSummary();
    QCoro::Task<void> checkBusybox();
    QCoro::Task<void> runTag(QString id, QString reference, QString target);
    QCoro::Task<void> runRemove(QString id, QString reference, bool force);
    QCoro::Task<void> runPrune(bool all);
    QCoro::Task<void> runBootstrap();
    // `id` and `reference` name the row the job concerns; an empty id means none (a load).
    void followJob(Job *job, const QString &text, const QString &failure, const QString &id,
                   const QString &reference);
    void jobFinished(Job *job, const QString &failure, const QString &id, const QString &reference);
    QWidget *createJobBox(Job *job, const QString &text);

    void chooseArchive();
    void chooseLayoutFolder();
    void askExport();
    void askTag();
    void askRemove();
    // Asks about removing this row, as the model shows it when asked and again when answered.
    void confirmRemove(const QString &id, const QString &reference);
    void askPrune();

    QPointer<Engine> m_engine;
    ImageListModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    ErrorBar *m_errorBar = nullptr;
    QLabel *m_summary = nullptr;
    QLineEdit *m_filter = nullptr;
    QStackedWidget *m_pages = nullptr;
    QTreeView *m_view = nullptr;
    QWidget *m_activity = nullptr;
    QVBoxLayout *m_activityLayout = nullptr;
    QPushButton *m_bootstrapButton = nullptr;
    QLabel *m_bootstrapExplanation = nullptr;
    QAction *m_loadAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_tagAction = nullptr;
    QAction *m_removeAction = nullptr;
    QAction *m_pruneAction = nullptr;
    bool m_bootstrapping = false;
    bool m_pruning = false;
};

} // namespace Berth::Ui
