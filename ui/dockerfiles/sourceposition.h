#pragma once

#include <QStringView>

namespace Berth::Ui {

// The UTF-16 index in `lineText` of the 1-based `column`, counted in code points as the
// Dockerfile parser counts them. Clamped to the line.
qsizetype utf16IndexOfColumn(QStringView lineText, int column);

} // namespace Berth::Ui
