#pragma once

#include "engine/engine.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QPointer>

#include <optional>
#include <variant>
#include <vector>

namespace Berth::Ui {

// The images of an engine, one row per tag as `docker images` shows them (an untagged image has
// one row). Loaded once, then kept current from the engine's events as diffs. Text in
// DisplayRole, raw values in the custom roles, and per row a pending state and the last error.
class ImageListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { RepositoryColumn, TagColumn, IdColumn, SizeColumn, CreatedColumn, ColumnCount };
    enum Role {
        IdRole = Qt::UserRole + 1, // the full id (64 hex)
        DigestRole,                // manifest digest
        ReferenceRole,             // "busybox:latest"; empty for an untagged image
        RepositoryRole,
        TagRole,
        TagsRole,        // every tag of the image (QStringList)
        SizeRole,        // bytes (qint64)
        CreatedRole,     // QDateTime
        PendingRole,     // bool: an action on this row is in flight
        PendingTextRole, // what it is doing ("Removing…")
        ErrorRole,       // the last error's translated headline, empty when none
        ErrorDetailsRole,
        SortRole, // what each column sorts by
    };
    Q_ENUM(Role)

    struct Row
    {
        ImageSummary image;
        ImageTag name;   // this row's tag; all empty for the untagged row
        QString pending; // empty when nothing is in flight
        QString error;   // headline
        QString errorDetails;
    };

    explicit ImageListModel(Engine *engine, QObject *parent = nullptr);

    // Lists the images (a reset) unless that was done; later changes arrive as diffs.
    void load();
    bool isLoaded() const { return m_loaded; }
    // The error of the last load, when it failed.
    const std::optional<Error> &loadError() const { return m_loadError; }

    const Row &row(int row) const { return m_rows.at(std::size_t(row)); }
    // The row of (id, reference), or -1.
    int rowOf(const QString &id, const QString &reference) const;
    // The row showing `reference` ("busybox:latest"), or -1.
    int rowOfReference(const QString &reference) const;

    // Pending and error state of the rows of image `id`: only the `reference` row, or every row
    // of the image when `reference` is empty.
    void setPending(const QString &id, const QString &reference, const QString &text);
    void setError(const QString &id, const QString &reference, const QString &headline,
                  const QString &details);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // "3 hours ago", relative to `now`.
    static QString relativeTime(const QDateTime &when, const QDateTime &now);

signals:
    // The first load ended (isLoaded()), or failed (loadError()).
    void loadFinished();

private:
    using Event = std::variant<ImageSummary, QString>; // an update, or the id of a removal

    QCoro::Task<void> runLoad();
    void upsert(const ImageSummary &image);
    void removeImage(const QString &id);
    void apply(const Event &event);
    static std::vector<Row> rowsOf(const ImageSummary &image);
    template<class F> void updateRows(const QString &id, const QString &reference, F change);
    void rowChanged(int row, const QList<int> &roles);
    QVariant displayData(const Row &row, int column) const;
    QVariant sortData(const Row &row, int column) const;

    QPointer<Engine> m_engine;
    std::vector<Row> m_rows;
    bool m_loaded = false;
    bool m_loading = false;
    std::optional<Error> m_loadError;
    std::vector<Event> m_eventsWhileLoading;
};

} // namespace Berth::Ui
