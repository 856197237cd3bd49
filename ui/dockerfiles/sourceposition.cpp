#include "sourceposition.h"

namespace Berth::Ui {

qsizetype utf16IndexOfColumn(QStringView lineText, int column)
{
    qsizetype index = 0;
    for (int c = 1; c < column && index < lineText.size(); ++c) {
        const bool pair = lineText[index].isHighSurrogate() && index + 1 < lineText.size() &&
                          lineText[index + 1].isLowSurrogate();
        index += pair ? 2 : 1;
    }
    return index;
}

} // namespace Berth::Ui
