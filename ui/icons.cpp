#include "icons.h"

#include <QApplication>
#include <QImageReader>

namespace Berth::Ui {

QIcon applicationIcon()
{
    // The SVG needs the Qt SVG plugin (package qt6-svg), which is optional.
    if (QImageReader::supportedImageFormats().contains("svg"))
        return QIcon(QStringLiteral(":/berth.svg"));
    QIcon icon;
    for (int size : {32, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/berth-%1.png").arg(size), QSize(size, size));
    return icon;
}

QIcon themedIcon(const QStringList &names, QStyle::StandardPixmap fallback)
{
    for (const QString &name : names) {
        if (QIcon::hasThemeIcon(name))
            return QIcon::fromTheme(name);
    }
    return QApplication::style()->standardIcon(fallback);
}

} // namespace Berth::Ui
