#pragma once

#include "dockerfile/lint.h"
#include "dockerfile/syntax.h"

#include <QAbstractTableModel>
#include <QIcon>

#include <array>
#include <vector>

namespace Berth::Ui {

// The problems of one Dockerfile: parse diagnostics and lint findings in one list, sorted by
// position. Text in DisplayRole, raw values in the custom roles.
class FindingsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SeverityColumn, LocationColumn, RuleColumn, MessageColumn, ColumnCount };
    enum Role {
        SeverityRole = Qt::UserRole + 1, // int(Dockerfile::Severity): 0 error, 1 warning, 2 info
        LineRole,                        // 1-based
        ColumnRole,                      // 1-based, in code points
        StartOffsetRole,                 // bytes from the start of the file
        EndOffsetRole,
        RuleIdRole,     // "DL3006", or the parser's code such as "unknown-instruction"
        MessageRole,    // technical English from core
        FromParserRole, // true for parse diagnostics, false for lint findings
        FixableRole,    // a mechanical fix exists
        SortRole,       // what each column sorts by
    };
    Q_ENUM(Role)

    struct Entry
    {
        bool fromParser = false;
        Dockerfile::Severity severity = Dockerfile::Severity::Warning;
        QString ruleId;
        QString message;
        Dockerfile::Range range;
        bool fixable = false;
    };

    explicit FindingsModel(QObject *parent = nullptr);

    // Replaces the rows with the document's diagnostics and the findings of its lint.
    void setResults(const std::vector<Dockerfile::Diagnostic> &diagnostics,
                    const std::vector<Dockerfile::Finding> &findings);
    void clear();

    const Entry &entry(int row) const { return m_entries.at(std::size_t(row)); }
    int countOf(Dockerfile::Severity severity) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    static QString severityText(Dockerfile::Severity severity);
    static QIcon severityIcon(Dockerfile::Severity severity);

private:
    QVariant displayData(const Entry &entry, int column) const;
    QVariant sortData(const Entry &entry, int column) const;
    QString toolTip(const Entry &entry) const;
    const QIcon &cachedIcon(Dockerfile::Severity severity) const;

    std::vector<Entry> m_entries;
    mutable std::array<QIcon, 3> m_icons; // by severity, looked up in the theme once
};

} // namespace Berth::Ui
