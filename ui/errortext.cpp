#include "errortext.h"

namespace Berth::Ui {

QString ErrorText::headline(ErrorCode code)
{
    switch (code) {
    case ErrorCode::NotFound: return tr("It does not exist, or no longer does.");
    case ErrorCode::Parse: return tr("The file is not in a format Berth can read.");
    case ErrorCode::Io: return tr("Reading or writing a file failed.");
    case ErrorCode::Sys: return tr("The system refused the operation.");
    case ErrorCode::Network: return tr("The network could not be reached.");
    case ErrorCode::Registry: return tr("The registry refused the request.");
    case ErrorCode::Unauthorized: return tr("You are not allowed to do this.");
    case ErrorCode::Cancelled: return tr("The operation was cancelled.");
    case ErrorCode::Unsupported: return tr("Berth does not support this yet.");
    case ErrorCode::Conflict: return tr("This conflicts with what is in the image store.");
    case ErrorCode::Invalid: return tr("The input is not valid.");
    case ErrorCode::Internal: return tr("Berth ran into an internal error.");
    }
    return tr("Something went wrong.");
}

QString ErrorText::details(const Error &error)
{
    return QString::fromStdString(error.toString());
}

} // namespace Berth::Ui
