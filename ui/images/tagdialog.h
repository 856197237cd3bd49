#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Berth::Ui {

// Asks for a new tag for an image. The reference is checked as it is typed, by the engine's
// validateReference (no parsing here), and OK stays disabled until it is valid.
class TagDialog : public QDialog
{
    Q_OBJECT
public:
    // `image` is what the user sees of the image being tagged ("busybox:latest", or an id).
    explicit TagDialog(const QString &image, QWidget *parent = nullptr);

    QLineEdit *referenceEdit() const { return m_edit; }
    QDialogButtonBox *buttons() const { return m_buttons; }
    // The normalised reference ("app" gives "app:latest"); empty while it is not valid.
    QString reference() const { return m_reference; }
    // What is shown under the field: the normalised reference, or why it is not valid.
    QString feedback() const;
    // Why the engine refused the reference, in its technical words; empty when it did not.
    QString feedbackDetails() const;

private:
    void validate();

    QLineEdit *m_edit = nullptr;
    QLabel *m_feedback = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QString m_reference;
};

} // namespace Berth::Ui
