#include "errorbar.h"

#include "errortext.h"
#include "icons.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace Berth::Ui {

ErrorBar::ErrorBar(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
    , m_details(new QLabel(this))
    , m_detailsButton(new QToolButton(this))
{
    setObjectName(QStringLiteral("errorBar"));
    setStyleSheet(QStringLiteral("#errorBar { background: #fdecea; border-bottom: 1px solid "
                                 "#f5c2bd; } #errorBar QLabel { color: #611a15; }"));
    auto *icon = new QLabel(this);
    icon->setPixmap(
        themedIcon(QStringLiteral("dialog-error"), QStyle::SP_MessageBoxCritical).pixmap(16, 16));
    m_text->setObjectName(QStringLiteral("errorText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setObjectName(QStringLiteral("errorDetails"));
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::PlainText);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->hide();
    m_detailsButton->setObjectName(QStringLiteral("detailsButton"));
    m_detailsButton->setText(tr("Details"));
    m_detailsButton->setCheckable(true);
    m_detailsButton->setAutoRaise(true);
    connect(m_detailsButton, &QToolButton::toggled, this, &ErrorBar::toggleDetails);
    auto *close = new QToolButton(this);
    close->setIcon(themedIcon(QStringLiteral("window-close"), QStyle::SP_TitleBarCloseButton));
    close->setToolTip(tr("Hide this message"));
    close->setAutoRaise(true);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);

    auto *texts = new QVBoxLayout;
    texts->setSpacing(4);
    texts->addWidget(m_text);
    texts->addWidget(m_details);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->addWidget(icon, 0, Qt::AlignTop);
    layout->addLayout(texts, 1);
    layout->addWidget(m_detailsButton, 0, Qt::AlignTop);
    layout->addWidget(close, 0, Qt::AlignTop);
    hide();
}

void ErrorBar::showError(const QString &action, const Error &error)
{
    showMessage(action, ErrorText::headline(error.code()), ErrorText::details(error));
}

void ErrorBar::showMessage(const QString &action, const QString &headline, const QString &details)
{
    m_text->setText(
        QStringLiteral("<b>%1</b> %2").arg(action.toHtmlEscaped(), headline.toHtmlEscaped()));
    m_details->setText(details);
    m_detailsButton->setVisible(!details.isEmpty());
    m_detailsButton->setChecked(false);
    show();
}

QString ErrorBar::text() const
{
    return isHidden() ? QString() : m_text->text();
}

QString ErrorBar::detailsText() const
{
    return isHidden() ? QString() : m_details->text();
}

void ErrorBar::toggleDetails()
{
    m_details->setVisible(m_detailsButton->isChecked());
}

} // namespace Berth::Ui
