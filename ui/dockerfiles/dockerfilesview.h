#pragma once

#include "dockerfile/syntax.h"

#include <QWidget>

class QFileSystemWatcher;
class QLabel;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QStackedWidget;
class QTimer;
class QTreeView;

namespace Berth::Ui {

class FindingsModel;

// Shows one Dockerfile, read only for now, with its parse diagnostics and lint findings. The
// file is checked again whenever it changes on disk.
class DockerfilesView : public QWidget
{
    Q_OBJECT
public:
    explicit DockerfilesView(QWidget *parent = nullptr);

    // Reads, parses and lints the file; on failure shows why and keeps what was shown.
    bool openFile(const QString &path);
    // Asks the user for a file and opens it.
    void chooseFile();

    QString filePath() const { return m_path; }
    FindingsModel *findingsModel() const { return m_model; }
    QPlainTextEdit *editor() const { return m_editor; }
    QTreeView *findingsView() const { return m_findingsView; }
    // The error shown above the file, empty when there is none.
    QString errorText() const;

signals:
    void fileOpened(const QString &path);

private:
    QWidget *createEmptyPage();
    QWidget *createFilePage();
    QWidget *createErrorBar();
    void showError(const QString &headline, const QString &details);
    void hideError();
    void showSource(const QByteArray &bytes, const QString &fileName);
    void showFinding(const QModelIndex &index);
    void updateSummary();
    void updateUnderlines();
    int documentPosition(const Dockerfile::Position &position) const;
    void reloadFromDisk();

    QString m_path;
    FindingsModel *m_model = nullptr;
    QSortFilterProxyModel *m_sortedModel = nullptr;
    QStackedWidget *m_pages = nullptr;
    QWidget *m_errorBar = nullptr;
    QLabel *m_errorLabel = nullptr;
    QLabel *m_fileNameLabel = nullptr;
    QLabel *m_summaryLabel = nullptr;
    QPlainTextEdit *m_editor = nullptr;
    QTreeView *m_findingsView = nullptr;
    QFileSystemWatcher *m_watcher = nullptr;
    QTimer *m_reloadTimer = nullptr;
};

} // namespace Berth::Ui
