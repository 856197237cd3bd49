#include "findingsmodel.h"

#include "icons.h"

#include <algorithm>

namespace Berth::Ui {

using Dockerfile::Severity;

namespace {

QString fromStd(const std::string &text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

bool before(const FindingsModel::Entry &a, const FindingsModel::Entry &b)
{
    if (a.range.start.offset != b.range.start.offset)
        return a.range.start.offset < b.range.start.offset;
    // At one place, the parser's word comes first: it explains what the linter then sees.
    return a.fromParser && !b.fromParser;
}

} // namespace

FindingsModel::FindingsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void FindingsModel::setResults(const std::vector<Dockerfile::Diagnostic> &diagnostics,
                               const std::vector<Dockerfile::Finding> &findings)
{
    std::vector<Entry> entries;
    entries.reserve(diagnostics.size() + findings.size());
    for (const auto &diagnostic : diagnostics)
        entries.push_back({true, diagnostic.severity, fromStd(diagnostic.code),
                           fromStd(diagnostic.message), diagnostic.range, false});
    for (const auto &finding : findings)
        entries.push_back({false, finding.severity, fromStd(finding.ruleId),
                           fromStd(finding.message), finding.range, finding.fix.has_value()});
    std::stable_sort(entries.begin(), entries.end(), before);

    // Lint results are recomputed whole; a reset is the honest diff for a new result set.
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
}

void FindingsModel::clear()
{
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

int FindingsModel::countOf(Severity severity) const
{
    return int(std::count_if(m_entries.begin(), m_entries.end(),
                             [severity](const Entry &e) { return e.severity == severity; }));
}

int FindingsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int FindingsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FindingsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = m_entries[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole: return displayData(e, index.column());
    case Qt::DecorationRole:
        return index.column() == SeverityColumn ? QVariant(cachedIcon(e.severity)) : QVariant();
    case Qt::ToolTipRole: return toolTip(e);
    case SeverityRole: return int(e.severity);
    case LineRole: return e.range.start.line;
    case ColumnRole: return e.range.start.column;
    case StartOffsetRole: return qulonglong(e.range.start.offset);
    case EndOffsetRole: return qulonglong(e.range.end.offset);
    case RuleIdRole: return e.ruleId;
    case MessageRole: return e.message;
    case FromParserRole: return e.fromParser;
    case FixableRole: return e.fixable;
    case SortRole: return sortData(e, index.column());
    default: return {};
    }
}

QVariant FindingsModel::displayData(const Entry &e, int column) const
{
    switch (column) {
    case SeverityColumn: return severityText(e.severity);
    case LocationColumn:
        return QStringLiteral("%1:%2").arg(e.range.start.line).arg(e.range.start.column);
    case RuleColumn: return e.ruleId;
    case MessageColumn: return e.message;
    default: return {};
    }
}

QVariant FindingsModel::sortData(const Entry &e, int column) const
{
    switch (column) {
    case SeverityColumn: return int(e.severity);
    case LocationColumn: return qulonglong(e.range.start.offset);
    case RuleColumn: return e.ruleId;
    case MessageColumn: return e.message;
    default: return {};
    }
}

QString FindingsModel::toolTip(const Entry &e) const
{
    if (e.fromParser)
        return tr("<p><b>%1</b></p><p>Found by the parser while reading the file, before any "
                  "lint rule runs.</p>")
            .arg(e.message.toHtmlEscaped());
    const Dockerfile::RuleInfo *rule = Dockerfile::findLintRule(e.ruleId.toStdString());
    if (!rule)
        return e.message.toHtmlEscaped();
    QString tip = QStringLiteral("<p><b>%1 — %2</b></p><p>%3</p><p>%4</p>")
                      .arg(e.ruleId.toHtmlEscaped(), fromStd(rule->title).toHtmlEscaped(),
                           e.message.toHtmlEscaped(), fromStd(rule->explanation).toHtmlEscaped());
    if (e.fixable)
        tip += tr("<p>A one-click fix for this comes with the editor.</p>");
    return tip;
}

QVariant FindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn: return tr("Severity");
    case LocationColumn: return tr("Line:Column");
    case RuleColumn: return tr("Rule");
    case MessageColumn: return tr("Message");
    default: return {};
    }
}

QHash<int, QByteArray> FindingsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SeverityRole, "severity");
    names.insert(LineRole, "line");
    names.insert(ColumnRole, "column");
    names.insert(StartOffsetRole, "startOffset");
    names.insert(EndOffsetRole, "endOffset");
    names.insert(RuleIdRole, "ruleId");
    names.insert(MessageRole, "message");
    names.insert(FromParserRole, "fromParser");
    names.insert(FixableRole, "fixable");
    names.insert(SortRole, "sortKey");
    return names;
}

QString FindingsModel::severityText(Severity severity)
{
    switch (severity) {
    case Severity::Error: return tr("Error");
    case Severity::Warning: return tr("Warning");
    case Severity::Info: return tr("Note");
    }
    return {};
}

const QIcon &FindingsModel::cachedIcon(Severity severity) const
{
    QIcon &icon = m_icons.at(std::size_t(severity));
    if (icon.isNull())
        icon = severityIcon(severity);
    return icon;
}

QIcon FindingsModel::severityIcon(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return themedIcon(QStringLiteral("dialog-error"), QStyle::SP_MessageBoxCritical);
    case Severity::Warning:
        return themedIcon(QStringLiteral("dialog-warning"), QStyle::SP_MessageBoxWarning);
    case Severity::Info:
        return themedIcon(QStringLiteral("dialog-information"), QStyle::SP_MessageBoxInformation);
    }
    return {};
}

} // namespace Berth::Ui
