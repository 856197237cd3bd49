#pragma once

class QLabel;
class QString;
class QWidget;

namespace Berth::Ui {

// The large bold title at the top of a view.
QLabel *createHeading(const QString &text, QWidget *parent);

} // namespace Berth::Ui
