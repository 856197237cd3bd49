#pragma once

#include <QWidget>

namespace Berth::Ui {

// A view whose engine part is not built yet: its title and a paragraph saying what it will
// hold. It offers no action, so nothing pretends to work.
class PlaceholderView : public QWidget
{
    Q_OBJECT
public:
    PlaceholderView(const QString &title, const QString &description, QWidget *parent = nullptr);
};

} // namespace Berth::Ui
