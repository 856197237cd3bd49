#pragma once

#include <QStringList>

namespace Berth::Cli {

// `berthctl import|images|tag|rmi|inspect|history ...`; `args` starts after the command name.
// Returns the exit status, or -1 when `command` is not an image command.
int runImageCommand(const QString &command, const QStringList &args);

} // namespace Berth::Cli
