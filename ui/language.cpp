#include "language.h"

#include "base/logging.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QSettings>
#include <QTranslator>

namespace Berth::Ui {

namespace {

const auto s_languageKey = QStringLiteral("language");

// Installs the translator for `name` found in `directory`; false when there is none.
bool installTranslator(QCoreApplication &app, const QLocale &locale, const QString &name,
                       const QString &directory)
{
    auto *translator = new QTranslator(&app);
    if (!translator->load(locale, name, QStringLiteral("_"), directory)) {
        delete translator;
        return false;
    }
    QCoreApplication::installTranslator(translator);
    return true;
}

// Berth's strings are English: stop at the first English entry of the user's language list, so
// that "en:fr" does not load French.
bool installBerthTranslator(QCoreApplication &app, const QLocale &locale)
{
    for (QString language : locale.uiLanguages()) {
        if (language == QLatin1String("en") || language.startsWith(QLatin1String("en-")))
            return false;
        auto *translator = new QTranslator(&app);
        // "berth_fr_CA" falls back to "berth_fr".
        if (translator->load(QStringLiteral("berth_") + language.replace(u'-', u'_'),
                             QStringLiteral(":/i18n"))) {
            QCoreApplication::installTranslator(translator);
            return true;
        }
        delete translator;
    }
    return false;
}

} // namespace

Language savedLanguage()
{
    const QString value = QSettings().value(s_languageKey).toString();
    if (value == QLatin1String("en"))
        return Language::English;
    if (value == QLatin1String("fr"))
        return Language::French;
    return Language::System;
}

void saveLanguage(Language language)
{
    QSettings settings;
    switch (language) {
    case Language::System: settings.remove(s_languageKey); return;
    case Language::English: settings.setValue(s_languageKey, QStringLiteral("en")); return;
    case Language::French: settings.setValue(s_languageKey, QStringLiteral("fr")); return;
    }
}

QLocale localeForLanguage(Language language)
{
    switch (language) {
    case Language::English: return QLocale(QLocale::English, QLocale::UnitedStates);
    case Language::French: return QLocale(QLocale::French, QLocale::France);
    case Language::System: break;
    }
    return QLocale::system();
}

void installTranslations(QCoreApplication &app, const QLocale &locale)
{
    QLocale::setDefault(locale);
    const QString qtDirectory = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
    if (!installTranslator(app, locale, QStringLiteral("qtbase"), qtDirectory))
        qCDebug(lcUi) << "no Qt translation for" << locale.uiLanguages() << "in" << qtDirectory;
    if (!installBerthTranslator(app, locale))
        qCDebug(lcUi) << "no Berth translation for" << locale.uiLanguages();
}

} // namespace Berth::Ui
