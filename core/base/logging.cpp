#include "base/logging.h"

Q_LOGGING_CATEGORY(lcBerth, "berth", QtWarningMsg)
Q_LOGGING_CATEGORY(lcDockerfile, "berth.dockerfile", QtWarningMsg)
Q_LOGGING_CATEGORY(lcEngine, "berth.engine", QtWarningMsg)
Q_LOGGING_CATEGORY(lcUi, "berth.ui", QtWarningMsg)
