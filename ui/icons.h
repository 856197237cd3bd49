#pragma once

#include <QIcon>
#include <QStringList>
#include <QStyle>

namespace Berth::Ui {

// The Berth icon: the SVG when Qt can draw it, else the PNG renderings of it.
QIcon applicationIcon();

// The first of `names` the desktop's icon theme has, or the style's own icon.
QIcon themedIcon(const QStringList &names, QStyle::StandardPixmap fallback);
inline QIcon themedIcon(const QString &name, QStyle::StandardPixmap fallback)
{
    return themedIcon(QStringList{name}, fallback);
}

} // namespace Berth::Ui
