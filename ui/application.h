#pragma once

#include <optional>
#include <string>

class QApplication;

namespace Berth::Ui {

// Handles the arguments that need no display (--version, --help): the exit status when the
// process should stop there, nothing when it should go on.
std::optional<int> handleArgumentsWithoutDisplay(int argc, char **argv, const char *version);

// Why no window can open (no display server and no platform chosen), or nothing when one can.
std::optional<std::string> missingDisplayReason();

// Names (for QSettings), version, icon, and translations for the chosen language.
void setUpApplication(QApplication &app, const char *version);

} // namespace Berth::Ui
