#pragma once

#include <QLoggingCategory>

// One category per engine module; enable with QT_LOGGING_RULES="berth.*.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcBerth)
Q_DECLARE_LOGGING_CATEGORY(lcDockerfile)
Q_DECLARE_LOGGING_CATEGORY(lcEngine)
Q_DECLARE_LOGGING_CATEGORY(lcUi)
