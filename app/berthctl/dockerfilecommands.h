#pragma once

#include <QStringList>

namespace Berth::Cli {

// `berthctl dockerfile parse|lint|fmt ...`; `args` starts after "dockerfile". Returns the exit
// status.
int runDockerfileCommand(const QStringList &args);

} // namespace Berth::Cli
