#pragma once

#include "base/error.h"

#include <QFrame>

class QLabel;
class QToolButton;

namespace Berth::Ui {

// A message above a view's content: what failed (translated), why in plain words (from the
// error's code), and the technical message behind a "Details" toggle.
class ErrorBar : public QFrame
{
    Q_OBJECT
public:
    explicit ErrorBar(QWidget *parent = nullptr);

    // `action` says what failed: "Could not load “x.tar”."
    void showError(const QString &action, const Error &error);
    void showMessage(const QString &action, const QString &headline, const QString &details);

    // The action and headline shown, and the details; empty when hidden.
    QString text() const;
    QString detailsText() const;

private:
    void toggleDetails();

    QLabel *m_text = nullptr;
    QLabel *m_details = nullptr;
    QToolButton *m_detailsButton = nullptr;
};

} // namespace Berth::Ui
