#include "dockerfilesview.h"

#include "dockerfiles/findingsmodel.h"
#include "dockerfiles/sourceposition.h"
#include "heading.h"
#include "icons.h"

#include "dockerfile/lint.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTextBlock>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace Berth::Ui {

namespace {

// A Dockerfile is a few kilobytes; anything this large is not one.
constexpr qint64 s_maxFileSize = 16 * 1024 * 1024;

QColor underlineColor(Dockerfile::Severity severity)
{
    switch (severity) {
    case Dockerfile::Severity::Error: return QColor(0xd3, 0x2f, 0x2f);
    case Dockerfile::Severity::Warning: return QColor(0xe6, 0x9a, 0x00);
    case Dockerfile::Severity::Info: return QColor(0x2a, 0x7a, 0xe2);
    }
    return {};
}

} // namespace

DockerfilesView::DockerfilesView(QWidget *parent)
    : QWidget(parent)
    , m_model(new FindingsModel(this))
    , m_sortedModel(new QSortFilterProxyModel(this))
    , m_watcher(new QFileSystemWatcher(this))
    , m_reloadTimer(new QTimer(this))
{
    m_sortedModel->setSourceModel(m_model);
    m_sortedModel->setSortRole(FindingsModel::SortRole);

    m_pages = new QStackedWidget(this);
    m_pages->addWidget(createEmptyPage());
    m_pages->addWidget(createFilePage());

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(createErrorBar());
    layout->addWidget(m_pages);

    // Editors save in several writes (or by renaming a new file over the old one): wait for
    // the burst to end before reading.
    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(200);
    connect(m_reloadTimer, &QTimer::timeout, this, &DockerfilesView::reloadFromDisk);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, m_reloadTimer,
            qOverload<>(&QTimer::start));
}

QWidget *DockerfilesView::createEmptyPage()
{
    auto *page = new QWidget(this);
    auto *text = new QLabel(
        tr("Open a Dockerfile to read it and see what Berth finds in it: mistakes that would stop "
           "a build, and habits that make images larger, slower to build or less safe.\n\n"
           "You can also drop a Dockerfile on this window, or start Berth with one: "
           "berth path/to/Dockerfile.\n\n"
           "Editing, building and running from here come in later versions."),
        page);
    text->setWordWrap(true);
    text->setMaximumWidth(560);
    auto *open =
        new QPushButton(themedIcon(QStringLiteral("document-open"), QStyle::SP_DialogOpenButton),
                        tr("Open Dockerfile…"), page);
    open->setObjectName(QStringLiteral("openButton"));
    connect(open, &QPushButton::clicked, this, &DockerfilesView::chooseFile);

    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(32, 32, 32, 32);
    layout->setSpacing(12);
    layout->addWidget(createHeading(tr("Dockerfiles"), page));
    layout->addWidget(text);
    layout->addWidget(open, 0, Qt::AlignLeft);
    layout->addStretch();
    return page;
}

QWidget *DockerfilesView::createFilePage()
{
    auto *page = new QWidget(this);

    m_fileNameLabel = new QLabel(page);
    QFont bold = m_fileNameLabel->font();
    bold.setBold(true);
    m_fileNameLabel->setFont(bold);
    m_fileNameLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *note = new QLabel(tr("Read only for now. Berth checks the file again whenever it "
                               "changes on disk."),
                            page);
    note->setEnabled(false);
    auto *open =
        new QPushButton(themedIcon(QStringLiteral("document-open"), QStyle::SP_DialogOpenButton),
                        tr("Open…"), page);
    connect(open, &QPushButton::clicked, this, &DockerfilesView::chooseFile);

    auto *header = new QHBoxLayout;
    header->addWidget(m_fileNameLabel);
    header->addWidget(note, 1);
    header->addWidget(open);

    m_editor = new QPlainTextEdit(page);
    m_editor->setReadOnly(true);
    m_editor->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setAcceptDrops(false);

    m_summaryLabel = new QLabel(page);
    m_findingsView = new QTreeView(page);
    m_findingsView->setModel(m_sortedModel);
    m_findingsView->setRootIsDecorated(false);
    m_findingsView->setUniformRowHeights(true);
    m_findingsView->setAlternatingRowColors(true);
    m_findingsView->setSortingEnabled(true);
    m_findingsView->sortByColumn(FindingsModel::LocationColumn, Qt::AscendingOrder);
    m_findingsView->header()->setStretchLastSection(true);
    m_findingsView->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_findingsView->header()->setSectionResizeMode(FindingsModel::MessageColumn,
                                                   QHeaderView::Stretch);
    connect(m_findingsView, &QTreeView::activated, this, &DockerfilesView::showFinding);

    auto *findings = new QWidget(page);
    auto *findingsLayout = new QVBoxLayout(findings);
    findingsLayout->setContentsMargins(0, 0, 0, 0);
    findingsLayout->addWidget(m_summaryLabel);
    findingsLayout->addWidget(m_findingsView);

    auto *splitter = new QSplitter(Qt::Vertical, page);
    splitter->addWidget(m_editor);
    splitter->addWidget(findings);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(12, 12, 12, 12);
    layout->addLayout(header);
    layout->addWidget(splitter);
    return page;
}

QWidget *DockerfilesView::createErrorBar()
{
    m_errorBar = new QFrame(this);
    m_errorBar->setObjectName(QStringLiteral("errorBar"));
    m_errorBar->setStyleSheet(
        QStringLiteral("#errorBar { background: #fdecea; border-bottom: 1px solid #f5c2bd; } "
                       "#errorBar QLabel { color: #611a15; }"));
    auto *icon = new QLabel(m_errorBar);
    icon->setPixmap(FindingsModel::severityIcon(Dockerfile::Severity::Error).pixmap(16, 16));
    m_errorLabel = new QLabel(m_errorBar);
    m_errorLabel->setObjectName(QStringLiteral("errorLabel"));
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setTextFormat(Qt::RichText);
    m_errorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *close = new QToolButton(m_errorBar);
    close->setIcon(themedIcon(QStringLiteral("window-close"), QStyle::SP_TitleBarCloseButton));
    close->setToolTip(tr("Hide this message"));
    close->setAutoRaise(true);
    connect(close, &QToolButton::clicked, this, &DockerfilesView::hideError);

    auto *layout = new QHBoxLayout(m_errorBar);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->addWidget(icon, 0, Qt::AlignTop);
    layout->addWidget(m_errorLabel, 1);
    layout->addWidget(close, 0, Qt::AlignTop);
    m_errorBar->hide();
    return m_errorBar;
}

bool DockerfilesView::openFile(const QString &path)
{
    const QFileInfo info(path);
    const QString shownPath = QDir::toNativeSeparators(info.absoluteFilePath());
    const QString headline = tr("Could not open “%1”.").arg(shownPath);
    if (info.isDir()) {
        showError(headline, tr("It is a folder. Choose the Dockerfile inside it."));
        return false;
    }
    QFile file(info.absoluteFilePath());
    if (!file.open(QIODevice::ReadOnly)) {
        showError(headline, file.errorString());
        return false;
    }
    if (file.size() > s_maxFileSize) {
        showError(headline, tr("The file is %1, too large to be a Dockerfile.")
                                .arg(QLocale().formattedDataSize(file.size())));
        return false;
    }
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        showError(headline, file.errorString());
        return false;
    }

    hideError();
    if (!m_path.isEmpty() && m_path != info.absoluteFilePath())
        m_watcher->removePath(m_path);
    m_path = info.absoluteFilePath();
    m_watcher->addPath(m_path);
    m_fileNameLabel->setText(info.fileName());
    m_fileNameLabel->setToolTip(shownPath);
    showSource(bytes, info.fileName());
    m_pages->setCurrentIndex(1);
    emit fileOpened(m_path);
    return true;
}

void DockerfilesView::chooseFile()
{
    const QString start = m_path.isEmpty() ? QDir::homePath() : QFileInfo(m_path).absolutePath();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Dockerfile"), start,
        tr("Dockerfiles (Dockerfile Containerfile Dockerfile.* *.Dockerfile *.dockerfile);;"
           "All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

QString DockerfilesView::errorText() const
{
    return m_errorBar->isHidden() ? QString() : m_errorLabel->text();
}

void DockerfilesView::showError(const QString &headline, const QString &details)
{
    m_errorLabel->setText(
        QStringLiteral("<b>%1</b><br>%2")
            .arg(headline.toHtmlEscaped(), tr("Details: %1").arg(details).toHtmlEscaped()));
    m_errorBar->show();
}

void DockerfilesView::hideError()
{
    m_errorBar->hide();
}

void DockerfilesView::showSource(const QByteArray &bytes, const QString &fileName)
{
    Dockerfile::ParseOptions options;
    options.fileName = fileName.toStdString();
    const Dockerfile::Document document =
        Dockerfile::parse(std::string(bytes.constData(), std::size_t(bytes.size())), options);
    const std::vector<Dockerfile::Finding> findings = Dockerfile::lint(document);

    QString text = QString::fromUtf8(bytes);
    // Columns on the first line count from after the byte order mark.
    if (text.startsWith(QChar(0xfeff)))
        text.remove(0, 1);
    const int scroll = m_editor->verticalScrollBar()->value();
    m_editor->setPlainText(text);
    m_editor->verticalScrollBar()->setValue(scroll);
    m_model->setResults(Dockerfile::uncoveredDiagnostics(document, findings), findings);
    updateSummary();
    updateUnderlines();
}

void DockerfilesView::reloadFromDisk()
{
    if (m_path.isEmpty())
        return;
    if (!QFileInfo::exists(m_path)) {
        showError(tr("“%1” was removed or renamed.").arg(QDir::toNativeSeparators(m_path)),
                  tr("What is shown is its last content. Open the file again where it is now."));
        return;
    }
    openFile(m_path);
}

void DockerfilesView::showFinding(const QModelIndex &index)
{
    const QModelIndex source = m_sortedModel->mapToSource(index);
    if (!source.isValid())
        return;
    const Dockerfile::Range &range = m_model->entry(source.row()).range;
    QTextCursor cursor(m_editor->document());
    cursor.setPosition(documentPosition(range.start));
    m_editor->setTextCursor(cursor);
    m_editor->centerCursor();
    m_editor->setFocus(Qt::OtherFocusReason);
}

int DockerfilesView::documentPosition(const Dockerfile::Position &position) const
{
    const QTextDocument *document = m_editor->document();
    const QTextBlock block = document->findBlockByNumber(position.line - 1);
    if (!block.isValid())
        return document->characterCount() - 1;
    return block.position() + int(utf16IndexOfColumn(block.text(), position.column));
}

void DockerfilesView::updateSummary()
{
    using Dockerfile::Severity;
    const int errors = m_model->countOf(Severity::Error);
    const int warnings = m_model->countOf(Severity::Warning);
    const int notes = m_model->countOf(Severity::Info);
    if (errors + warnings + notes == 0) {
        m_summaryLabel->setText(tr("No problems found."));
        return;
    }
    m_summaryLabel->setText(tr("Errors: %1, warnings: %2, notes: %3. Double-click a row to show "
                               "it in the file.")
                                .arg(errors)
                                .arg(warnings)
                                .arg(notes));
}

void DockerfilesView::updateUnderlines()
{
    QList<QTextEdit::ExtraSelection> selections;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const FindingsModel::Entry &entry = m_model->entry(row);
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(m_editor->document());
        const int start = documentPosition(entry.range.start);
        int end = documentPosition(entry.range.end);
        if (end <= start) // an empty range still gets one character marked
            end = std::min(start + 1, m_editor->document()->characterCount() - 1);
        selection.cursor.setPosition(start);
        selection.cursor.setPosition(end, QTextCursor::KeepAnchor);
        selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        selection.format.setUnderlineColor(underlineColor(entry.severity));
        selections.append(selection);
    }
    m_editor->setExtraSelections(selections);
}

} // namespace Berth::Ui
