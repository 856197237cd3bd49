#pragma once

#include <QWidget>

class QComboBox;

namespace Berth::Ui {

// Preferences. For now the language, stored in QSettings and applied at the next start.
class SettingsView : public QWidget
{
    Q_OBJECT
public:
    explicit SettingsView(QWidget *parent = nullptr);

    QComboBox *languageBox() const { return m_language; }

private:
    QComboBox *m_language = nullptr;
};

} // namespace Berth::Ui
