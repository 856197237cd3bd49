#pragma once

#include <QLocale>
#include <QString>

class QCoreApplication;

namespace Berth::Ui {

// The user's language choice, stored in QSettings and applied at the next start.
enum class Language { System, English, French };

Language savedLanguage();
void saveLanguage(Language language);

// The locale Berth runs in for that choice.
QLocale localeForLanguage(Language language);

// Loads Qt's own translations (when installed) and Berth's (from :/i18n) for `locale`, and
// makes it the default locale.
void installTranslations(QCoreApplication &app, const QLocale &locale);

} // namespace Berth::Ui
