#include "heading.h"

#include <QLabel>

namespace Berth::Ui {

QLabel *createHeading(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setObjectName(QStringLiteral("heading"));
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 1.5);
    font.setBold(true);
    label->setFont(font);
    label->setAccessibleName(text);
    return label;
}

} // namespace Berth::Ui
