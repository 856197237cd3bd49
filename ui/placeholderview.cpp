#include "placeholderview.h"

#include "heading.h"

#include <QLabel>
#include <QVBoxLayout>

namespace Berth::Ui {

PlaceholderView::PlaceholderView(const QString &title, const QString &description, QWidget *parent)
    : QWidget(parent)
{
    auto *text = new QLabel(description, this);
    text->setObjectName(QStringLiteral("description"));
    text->setWordWrap(true);
    text->setMaximumWidth(560);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(32, 32, 32, 32);
    layout->setSpacing(12);
    layout->addWidget(createHeading(title, this));
    layout->addWidget(text);
    layout->addStretch();
}

} // namespace Berth::Ui
