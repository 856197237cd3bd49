#include "settingsview.h"

#include "heading.h"
#include "language.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace Berth::Ui {

SettingsView::SettingsView(QWidget *parent)
    : QWidget(parent)
    , m_language(new QComboBox(this))
{
    m_language->setObjectName(QStringLiteral("languageBox"));
    const QString system = QLocale::system().nativeLanguageName();
    m_language->addItem(tr("System default (%1)").arg(system), int(Language::System));
    // Each language is named in itself, so that anyone can find their own.
    m_language->addItem(QStringLiteral("English"), int(Language::English));
    m_language->addItem(QStringLiteral("Français"), int(Language::French));
    m_language->setCurrentIndex(m_language->findData(int(savedLanguage())));
    connect(m_language, &QComboBox::currentIndexChanged, this,
            [this](int index) { saveLanguage(Language(m_language->itemData(index).toInt())); });

    auto *note = new QLabel(tr("Berth uses the new language the next time it starts."), this);
    note->setWordWrap(true);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    form->addRow(tr("&Language:"), m_language);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(32, 32, 32, 32);
    layout->setSpacing(12);
    layout->addWidget(createHeading(tr("Settings"), this));
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addStretch();
}

} // namespace Berth::Ui
