#include "imagesview.h"

#include "errorbar.h"
#include "heading.h"
#include "icons.h"
#include "images/imagelistmodel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace Berth::Ui {

ImagesView::ImagesView(Engine *engine, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_model(new ImageListModel(engine, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_errorBar(new ErrorBar(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ImageListModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    auto *header = new QHBoxLayout;
    header->addWidget(createHeading(tr("Images"), this));
    header->addStretch();
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summary"));
    header->addWidget(m_summary);

    m_activity = new QWidget(this);
    m_activity->setObjectName(QStringLiteral("activity"));
    m_activityLayout = new QVBoxLayout(m_activity);
    m_activityLayout->setContentsMargins(0, 0, 0, 0);
    m_activity->hide();

    QWidget *toolBar = createToolBar(); // before the list page, which shares its actions
    m_pages = new QStackedWidget(this);
    auto *loading = new QLabel(tr("Reading the image store…"), m_pages);
    loading->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_pages->addWidget(loading);
    m_pages->addWidget(createEmptyPage());
    m_pages->addWidget(createListPage());

    auto *content = new QVBoxLayout;
    content->setContentsMargins(32, 24, 32, 24);
    content->setSpacing(12);
    content->addLayout(header);
    content->addWidget(toolBar);
    content->addWidget(m_activity);
    content->addWidget(m_pages, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_errorBar);
    layout->addLayout(content, 1);

    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved}) {
        connect(m_model, signal, this, &ImagesView::updatePage);
        connect(m_model, signal, this, &ImagesView::updateSummary);
    }
    connect(m_model, &QAbstractItemModel::modelReset, this, &ImagesView::updatePage);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ImagesView::updateSummary);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ImagesView::updateActions);
    connect(m_model, &ImageListModel::loadFinished, this, [this] {
        if (const auto &error = m_model->loadError())
            m_errorBar->showError(tr("Could not read the image store."), *error);
        updatePage();
    });
    m_model->load();
    checkBusybox();
    updatePage();
}

QWidget *ImagesView::createToolBar()
{
    auto *bar = new QWidget(this);
    m_filter = new QLineEdit(bar);
    m_filter->setObjectName(QStringLiteral("filter"));
    m_filter->setPlaceholderText(tr("Filter by repository, tag or ID"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);

    m_loadAction =
        new QAction(themedIcon(QStringLiteral("document-import"), QStyle::SP_DialogOpenButton),
                    tr("Load…"), this);
    m_loadAction->setToolTip(tr("Load images from a docker or OCI archive, or an OCI layout "
                                "folder"));
    auto *loadMenu = new QMenu(this);
    loadMenu->addAction(tr("Archive File (.tar, .tar.gz)…"), this, &ImagesView::chooseArchive);
    loadMenu->addAction(tr("OCI Layout Folder…"), this, &ImagesView::chooseLayoutFolder);
    m_loadAction->setMenu(loadMenu);
    connect(m_loadAction, &QAction::triggered, this, &ImagesView::chooseArchive);
    m_exportAction =
        new QAction(themedIcon(QStringLiteral("document-export"), QStyle::SP_DialogSaveButton),
                    tr("Export…"), this);
    connect(m_exportAction, &QAction::triggered, this, &ImagesView::askExport);
    m_tagAction = new QAction(themedIcon(QStringLiteral("tag"), QStyle::SP_FileDialogInfoView),
                              tr("Tag…"), this);
    connect(m_tagAction, &QAction::triggered, this, &ImagesView::askTag);
    m_removeAction = new QAction(themedIcon(QStringLiteral("edit-delete"), QStyle::SP_TrashIcon),
                                 tr("Remove"), this);
    m_removeAction->setShortcut(QKeySequence::Delete);
    m_removeAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_removeAction, &QAction::triggered, this, &ImagesView::askRemove);
    m_pruneAction =
        new QAction(themedIcon(QStringLiteral("edit-clear"), QStyle::SP_DialogDiscardButton),
                    tr("Prune…"), this);
    m_pruneAction->setToolTip(tr("Remove untagged images and the data no image uses"));
    connect(m_pruneAction, &QAction::triggered, this, &ImagesView::askPrune);

    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter, 1);
    for (QAction *action :
         {m_loadAction, m_exportAction, m_tagAction, m_removeAction, m_pruneAction}) {
        addAction(action);
        auto *button = new QToolButton(bar);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        if (action == m_loadAction)
            button->setPopupMode(QToolButton::MenuButtonPopup);
        layout->addWidget(button);
    }
    return bar;
}

QWidget *ImagesView::createEmptyPage()
{
    auto *page = new QWidget(this);
    auto *text = new QLabel(
        tr("There are no images on this computer yet. Load one from an archive (docker save, "
           "podman save, or an OCI archive), or start with a small busybox image made from this "
           "computer's own busybox: it needs no registry and no network."),
        page);
    text->setWordWrap(true);
    text->setMaximumWidth(560);
    m_bootstrapButton =
        new QPushButton(themedIcon(QStringLiteral("list-add"), QStyle::SP_FileDialogNewFolder),
                        tr("Create busybox:latest from this computer's busybox"), page);
    m_bootstrapButton->setObjectName(QStringLiteral("bootstrapButton"));
    m_bootstrapButton->setEnabled(false);
    connect(m_bootstrapButton, &QPushButton::clicked, this, &ImagesView::createBusybox);
    m_bootstrapExplanation = new QLabel(tr("Looking for busybox…"), page);
    m_bootstrapExplanation->setObjectName(QStringLiteral("bootstrapExplanation"));
    m_bootstrapExplanation->setWordWrap(true);
    m_bootstrapExplanation->setMaximumWidth(560);
    m_bootstrapExplanation->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 12, 0, 0);
    layout->setSpacing(12);
    layout->addWidget(text);
    layout->addWidget(m_bootstrapButton, 0, Qt::AlignLeft);
    layout->addWidget(m_bootstrapExplanation);
    layout->addStretch();
    return page;
}

QWidget *ImagesView::createListPage()
{
    m_view = new QTreeView(this);
    m_view->setObjectName(QStringLiteral("imageList"));
    m_view->setModel(m_proxy);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ImageListModel::CreatedColumn, Qt::DescendingOrder);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (QAction *action : {m_exportAction, m_tagAction, m_removeAction})
        m_view->addAction(action);
    QHeaderView *header = m_view->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(ImageListModel::RepositoryColumn, QHeaderView::Stretch);
    for (int c = ImageListModel::TagColumn; c < ImageListModel::ColumnCount; ++c)
        header->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ImagesView::updateActions);
    return m_view;
}

ImagesView::Page ImagesView::currentPage() const
{
    return Page(m_pages->currentIndex());
}

void ImagesView::updatePage()
{
    Page page = Page::Loading;
    if (m_model->isLoaded())
        page = m_model->rowCount() == 0 ? Page::Empty : Page::List;
    if (page == Page::Empty && currentPage() != Page::Empty)
        checkBusybox(); // it may have been installed since
    m_pages->setCurrentIndex(int(page));
    updateActions();
}

void ImagesView::updateActions()
{
    const bool loaded = m_model->isLoaded();
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    const bool selected = m_view->selectionModel()->hasSelection() && current.isValid();
    const bool pending = selected && current.data(ImageListModel::PendingRole).toBool();
    m_loadAction->setEnabled(loaded);
    m_exportAction->setEnabled(selected && !pending);
    m_tagAction->setEnabled(selected && !pending);
    m_removeAction->setEnabled(selected && !pending);
    m_pruneAction->setEnabled(loaded && !m_pruning && m_model->rowCount() > 0);
    m_filter->setEnabled(loaded && m_model->rowCount() > 0);
}

void ImagesView::updateSummary()
{
    QSet<QString> ids;
    qint64 size = 0;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const auto &row = m_model->row(r);
        if (!ids.contains(row.image.id))
            size += row.image.size;
        ids.insert(row.image.id);
    }
    const QString total = QLocale().formattedDataSize(size);
    if (ids.isEmpty())
        m_summary->clear();
    else if (ids.size() == 1)
        m_summary->setText(tr("1 image, %1").arg(total));
    else
        m_summary->setText(tr("%n images, %1", nullptr, int(ids.size())).arg(total));
}

QString ImagesView::selectedId() const
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    return m_view->selectionModel()->hasSelection() && current.isValid()
               ? current.data(ImageListModel::IdRole).toString()
               : QString();
}

QString ImagesView::selectedReference() const
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    return m_view->selectionModel()->hasSelection() && current.isValid()
               ? current.data(ImageListModel::ReferenceRole).toString()
               : QString();
}

void ImagesView::selectRow(int sourceRow)
{
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(sourceRow, 0));
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
}

QCoro::Task<void> ImagesView::checkBusybox()
{
    if (!m_engine)
        co_return;
    QPointer<ImagesView> self(this);
    auto checking = m_engine->busyboxStatus(); // apart from co_await: GCC 12 (see LocalEngine)
    auto status = co_await checking;
    if (!self || m_bootstrapping)
        co_return;
    const QString path = status ? status->path : QStringLiteral("/bin/busybox");
    const QString install =
        tr("Install the busybox-static package (sudo apt install busybox-static), then come back "
           "here.");
    if (status && status->usable()) {
        m_bootstrapExplanation->setText(
            tr("Berth copies %1 into a new image with a link for each of its commands. Nothing is "
               "downloaded.")
                .arg(path));
    } else if (status && status->exists) {
        m_bootstrapExplanation->setText(tr("%1 is dynamically linked, so it would not start "
                                           "inside an image without its libraries. %2")
                                            .arg(path, install));
    } else {
        m_bootstrapExplanation->setText(tr("%1 was not found. %2").arg(path, install));
    }
    m_bootstrapButton->setEnabled(status && status->usable());
}

} // namespace Berth::Ui
