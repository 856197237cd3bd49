#pragma once

#include "base/error.h"

#include <QCoreApplication>
#include <QString>

namespace Berth::Ui {

// The words the GUI shows for an engine error: a translated headline chosen from its code, and
// the technical English message (with its context chain) for "Details".
class ErrorText
{
    Q_DECLARE_TR_FUNCTIONS(Berth::Ui::ErrorText)
public:
    static QString headline(ErrorCode code);
    static QString details(const Error &error);
};

} // namespace Berth::Ui
