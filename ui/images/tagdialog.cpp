#include "tagdialog.h"

#include "engine/engine.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Berth::Ui {

TagDialog::TagDialog(const QString &image, QWidget *parent)
    : QDialog(parent)
    , m_edit(new QLineEdit(this))
    , m_feedback(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Tag Image"));
    auto *intro = new QLabel(tr("New tag for %1, as <i>repository:tag</i> (for example "
                                "<i>myapp:1.0</i> or <i>registry.example:5000/team/app:dev</i>). "
                                "Without a tag, <i>latest</i> is used.")
                                 .arg(image.toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    m_edit->setObjectName(QStringLiteral("referenceEdit"));
    m_edit->setPlaceholderText(tr("repository:tag"));
    m_feedback->setObjectName(QStringLiteral("feedback"));
    m_feedback->setWordWrap(true);
    m_feedback->setTextFormat(Qt::PlainText);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Tag"));
    connect(m_edit, &QLineEdit::textChanged, this, &TagDialog::validate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_edit);
    layout->addWidget(m_feedback);
    layout->addWidget(m_buttons);
    setMinimumWidth(460);
    validate();
}

QString TagDialog::feedback() const
{
    return m_feedback->text();
}

QString TagDialog::feedbackDetails() const
{
    return m_feedback->toolTip();
}

void TagDialog::validate()
{
    m_reference.clear();
    m_feedback->setToolTip(QString());
    const QString text = m_edit->text();
    if (text.trimmed().isEmpty()) {
        m_feedback->clear();
    } else if (const auto reference = Engine::validateReference(text)) {
        m_reference = *reference;
        m_feedback->setText(tr("Will be tagged %1").arg(m_reference));
    } else {
        // The engine's message is technical English: a hover away, not inline.
        m_feedback->setText(tr("Not a valid reference. Use lowercase letters, digits, and . _ - / "
                               "in the name, then an optional :tag."));
        m_feedback->setToolTip(QString::fromStdString(reference.error().message()));
    }
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_reference.isEmpty());
}

} // namespace Berth::Ui
