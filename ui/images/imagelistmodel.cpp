#include "imagelistmodel.h"

#include "icons.h"

#include <QFont>
#include <QLocale>

#include <algorithm>

namespace Berth::Ui {

ImageListModel::ImageListModel(Engine *engine, QObject *parent)
    : QAbstractTableModel(parent)
    , m_engine(engine)
{
    connect(engine, &Engine::imageAdded, this, [this](const ImageSummary &i) { apply(i); });
    connect(engine, &Engine::imageChanged, this, [this](const ImageSummary &i) { apply(i); });
    connect(engine, &Engine::imageRemoved, this, [this](const QString &id) { apply(id); });
}

void ImageListModel::load()
{
    if (!m_loading && !m_loaded)
        runLoad();
}

QCoro::Task<void> ImageListModel::runLoad()
{
    if (!m_engine)
        co_return;
    QPointer<ImageListModel> self(this);
    m_loading = true;
    auto listing = m_engine->images(); // apart from co_await: GCC 12 (see LocalEngine)
    auto images = co_await listing;
    if (!self)
        co_return;
    m_loading = false;
    if (!images) {
        m_loadError = images.error();
        m_eventsWhileLoading.clear();
        emit loadFinished();
        co_return;
    }
    m_loadError.reset();
    std::vector<Row> rows;
    for (const auto &image : *images)
        for (auto &r : rowsOf(image))
            rows.push_back(std::move(r));
    beginResetModel();
    m_rows = std::move(rows);
    m_loaded = true;
    endResetModel();
    // Events that crossed the listing; applying one the list already holds changes nothing.
    for (const auto &event : std::exchange(m_eventsWhileLoading, {}))
        apply(event);
    emit loadFinished();
}

void ImageListModel::apply(const Event &event)
{
    if (!m_loaded) {
        if (m_loading)
            m_eventsWhileLoading.push_back(event);
        return;
    }
    if (const auto *image = std::get_if<ImageSummary>(&event))
        upsert(*image);
    else
        removeImage(std::get<QString>(event));
}

std::vector<ImageListModel::Row> ImageListModel::rowsOf(const ImageSummary &image)
{
    std::vector<Row> rows;
    if (image.tags.isEmpty())
        rows.push_back({image, {}, {}, {}, {}});
    for (const ImageTag &name : image.tags)
        rows.push_back({image, name, {}, {}, {}});
    return rows;
}

void ImageListModel::upsert(const ImageSummary &image)
{
    std::vector<Row> wanted = rowsOf(image);
    // Rows of this image whose tag is gone, bottom up so the rows above keep their numbers.
    for (int r = int(m_rows.size()) - 1; r >= 0; --r) {
        const Row &existing = m_rows[std::size_t(r)];
        if (existing.image.id != image.id)
            continue;
        const auto keep = std::find_if(wanted.begin(), wanted.end(), [&](const Row &w) {
            return w.name.reference == existing.name.reference;
        });
        if (keep != wanted.end())
            continue;
        beginRemoveRows({}, r, r);
        m_rows.erase(m_rows.begin() + r);
        endRemoveRows();
    }
    for (Row &w : wanted) {
        const int r = rowOf(image.id, w.name.reference);
        if (r >= 0) {
            Row &existing = m_rows[std::size_t(r)];
            if (existing.image == image)
                continue;
            existing.image = image;
            // What the image's fields feed; the row's own tag and state are unchanged.
            rowChanged(r, {Qt::DisplayRole, Qt::ToolTipRole, IdRole, DigestRole, TagsRole, SizeRole,
                           CreatedRole, SortRole});
            continue;
        }
        const int at = int(m_rows.size());
        beginInsertRows({}, at, at);
        m_rows.push_back(std::move(w));
        endInsertRows();
    }
}

void ImageListModel::removeImage(const QString &id)
{
    for (int r = int(m_rows.size()) - 1; r >= 0; --r) {
        if (m_rows[std::size_t(r)].image.id != id)
            continue;
        beginRemoveRows({}, r, r);
        m_rows.erase(m_rows.begin() + r);
        endRemoveRows();
    }
}

int ImageListModel::rowOf(const QString &id, const QString &reference) const
{
    for (std::size_t r = 0; r < m_rows.size(); ++r)
        if (m_rows[r].image.id == id && m_rows[r].name.reference == reference)
            return int(r);
    return -1;
}

int ImageListModel::rowOfReference(const QString &reference) const
{
    for (std::size_t r = 0; r < m_rows.size(); ++r)
        if (m_rows[r].name.reference == reference)
            return int(r);
    return -1;
}

template<class F>
void ImageListModel::updateRows(const QString &id, const QString &reference, F change)
{
    for (std::size_t r = 0; r < m_rows.size(); ++r) {
        Row &row = m_rows[r];
        if (row.image.id != id || (!reference.isEmpty() && row.name.reference != reference))
            continue;
        change(row);
        rowChanged(int(r), {Qt::DecorationRole, Qt::ToolTipRole, Qt::FontRole, PendingRole,
                            PendingTextRole, ErrorRole, ErrorDetailsRole});
    }
}

void ImageListModel::rowChanged(int row, const QList<int> &roles)
{
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1), roles);
}

void ImageListModel::setPending(const QString &id, const QString &reference, const QString &text)
{
    updateRows(id, reference, [&](Row &row) {
        row.pending = text;
        if (!text.isEmpty()) {
            row.error.clear();
            row.errorDetails.clear();
        }
    });
}

void ImageListModel::setError(const QString &id, const QString &reference, const QString &headline,
                              const QString &details)
{
    updateRows(id, reference, [&](Row &row) {
        row.pending.clear();
        row.error = headline;
        row.errorDetails = details;
    });
}

int ImageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ImageListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ImageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole: return displayData(r, index.column());
    case Qt::DecorationRole:
        if (index.column() != RepositoryColumn)
            return {};
        if (!r.pending.isEmpty())
            return themedIcon(QStringLiteral("view-refresh"), QStyle::SP_BrowserReload);
        if (!r.error.isEmpty())
            return themedIcon(QStringLiteral("dialog-error"), QStyle::SP_MessageBoxCritical);
        return {};
    case Qt::ToolTipRole:
        if (!r.pending.isEmpty())
            return r.pending;
        if (!r.error.isEmpty())
            return QStringLiteral("<p><b>%1</b></p><p><tt>%2</tt></p>")
                .arg(r.error.toHtmlEscaped(), r.errorDetails.toHtmlEscaped());
        return index.column() == IdColumn ? r.image.id : QVariant();
    case Qt::FontRole: {
        if (r.pending.isEmpty())
            return {};
        QFont font;
        font.setItalic(true);
        return font;
    }
    case Qt::TextAlignmentRole:
        return index.column() == SizeColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                            : QVariant();
    case IdRole: return r.image.id;
    case DigestRole: return r.image.digest;
    case ReferenceRole: return r.name.reference;
    case RepositoryRole: return r.name.repository;
    case TagRole: return r.name.tag;
    case TagsRole: return r.image.references();
    case SizeRole: return r.image.size;
    case CreatedRole: return r.image.created;
    case PendingRole: return !r.pending.isEmpty();
    case PendingTextRole: return r.pending;
    case ErrorRole: return r.error;
    case ErrorDetailsRole: return r.errorDetails;
    case SortRole: return sortData(r, index.column());
    default: return {};
    }
}

QVariant ImageListModel::displayData(const Row &r, int column) const
{
    switch (column) {
    case RepositoryColumn: return r.name.reference.isEmpty() ? tr("(untagged)") : r.name.repository;
    case TagColumn: return r.name.tag;
    case IdColumn: return r.image.shortId();
    case SizeColumn: return QLocale().formattedDataSize(r.image.size);
    case CreatedColumn: return relativeTime(r.image.created, QDateTime::currentDateTimeUtc());
    default: return {};
    }
}

QVariant ImageListModel::sortData(const Row &r, int column) const
{
    switch (column) {
    case RepositoryColumn: return r.name.repository;
    case TagColumn: return r.name.tag;
    case IdColumn: return r.image.id;
    case SizeColumn: return r.image.size;
    case CreatedColumn: return r.image.created.isValid() ? r.image.created.toSecsSinceEpoch() : 0;
    default: return {};
    }
}

QString ImageListModel::relativeTime(const QDateTime &when, const QDateTime &now)
{
    if (!when.isValid())
        return tr("unknown");
    const qint64 seconds = when.secsTo(now);
    // Singular forms are their own strings: English has no translation file to pick plurals.
    if (seconds < 60)
        return tr("just now");
    if (const int minutes = int(seconds / 60); seconds < 3600)
        return minutes == 1 ? tr("1 minute ago") : tr("%n minutes ago", nullptr, minutes);
    if (const int hours = int(seconds / 3600); seconds < 86400)
        return hours == 1 ? tr("1 hour ago") : tr("%n hours ago", nullptr, hours);
    if (const int days = int(seconds / 86400); seconds < 86400 * 60)
        return days == 1 ? tr("1 day ago") : tr("%n days ago", nullptr, days);
    if (const int months = int(seconds / (86400 * 30)); seconds < 86400 * 730)
        return tr("%n months ago", nullptr, months);
    return tr("%n years ago", nullptr, int(seconds / (86400 * 365)));
}

QVariant ImageListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RepositoryColumn: return tr("Repository");
    case TagColumn: return tr("Tag");
    case IdColumn: return tr("Image ID");
    case SizeColumn: return tr("Size");
    case CreatedColumn: return tr("Created");
    default: return {};
    }
}

QHash<int, QByteArray> ImageListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(IdRole, "id");
    names.insert(DigestRole, "digest");
    names.insert(ReferenceRole, "reference");
    names.insert(RepositoryRole, "repository");
    names.insert(TagRole, "tag");
    names.insert(TagsRole, "tags");
    names.insert(SizeRole, "size");
    names.insert(CreatedRole, "created");
    names.insert(PendingRole, "pending");
    names.insert(PendingTextRole, "pendingText");
    names.insert(ErrorRole, "error");
    names.insert(ErrorDetailsRole, "errorDetails");
    names.insert(SortRole, "sortKey");
    return names;
}

} // namespace Berth::Ui
