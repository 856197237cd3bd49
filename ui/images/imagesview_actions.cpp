// The actions of ImagesView: what each does, its pending state, and its error in place.
#include "imagesview.h"

#include "errorbar.h"
#include "errortext.h"
#include "images/imagelistmodel.h"
#include "images/tagdialog.h"

#include "engine/job.h"

#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace Berth::Ui {

namespace {

QString shownPath(const QString &path)
{
    return QDir::toNativeSeparators(QFileInfo(path).absoluteFilePath());
}

} // namespace

void ImagesView::loadArchive(const QString &path)
{
    if (!m_engine)
        return;
    m_errorBar->hide();
    followJob(m_engine->load(path), tr("Loading “%1”…").arg(shownPath(path)),
              tr("Could not load “%1”.").arg(shownPath(path)), QString(), QString());
}

void ImagesView::exportImage(const QString &name, const QString &path, ArchiveFormat format)
{
    if (!m_engine)
        return;
    m_errorBar->hide();
    // A reference concerns its row; an id, the image.
    const int row = m_model->rowOfReference(name);
    const QString id = row >= 0 ? m_model->row(row).image.id : name;
    const QString reference = row >= 0 ? name : QString();
    m_model->setPending(id, reference, tr("Exporting…"));
    followJob(m_engine->save({name}, path, format),
              tr("Exporting %1 to “%2”…").arg(name, shownPath(path)),
              tr("Could not export %1.").arg(name), id, reference);
}

// Shows the job below the toolbar with its progress and a Cancel button while it runs; on
// failure, the error bar (and the row, for an export) say why.
void ImagesView::followJob(Job *job, const QString &text, const QString &failure, const QString &id,
                           const QString &reference)
{
    if (!job) {
        jobFinished(nullptr, failure, id, reference);
        return;
    }
    // Whoever follows it, the job goes once finished.
    connect(job, &Job::finished, job, &QObject::deleteLater);
    if (job->isFinished()) {
        jobFinished(job, failure, id, reference);
        job->deleteLater();
        return;
    }
    QWidget *box = createJobBox(job, text);
    connect(job, &Job::finished, this, [this, job, box, failure, id, reference] {
        m_activityLayout->removeWidget(box);
        box->deleteLater();
        if (m_activityLayout->count() == 0)
            m_activity->hide();
        jobFinished(job, failure, id, reference);
    });
}

QWidget *ImagesView::createJobBox(Job *job, const QString &text)
{
    auto *box = new QWidget(m_activity);
    box->setObjectName(QStringLiteral("job"));
    auto *label = new QLabel(text, box);
    auto *progress = new QProgressBar(box);
    progress->setRange(0, 0); // busy until the job reports how far it is
    progress->setMaximumWidth(200);
    progress->setTextVisible(false);
    auto *cancel = new QPushButton(tr("Cancel"), box);
    cancel->setObjectName(QStringLiteral("cancelJob"));
    cancel->setEnabled(job->canCancel());
    auto *layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(progress);
    layout->addWidget(label, 1);
    layout->addWidget(cancel);
    m_activityLayout->addWidget(box);
    m_activity->show();

    connect(cancel, &QPushButton::clicked, job, [job, cancel] {
        job->cancel();
        cancel->setEnabled(false);
    });
    connect(job, &Job::stateChanged, cancel,
            [job, cancel] { cancel->setEnabled(job->canCancel()); });
    connect(job, &Job::progressChanged, progress, [progress](int percent) {
        progress->setRange(0, percent < 0 ? 0 : 100);
        if (percent >= 0)
            progress->setValue(percent);
    });
    return box;
}

// `job` is null when the engine started none.
void ImagesView::jobFinished(Job *job, const QString &failure, const QString &id,
                             const QString &reference)
{
    const Result<QList<ImageSummary>> outcome =
        job ? job->outcome() : fail(ErrorCode::Internal, "the engine started no job");
    if (!id.isEmpty())
        m_model->setPending(id, reference, QString());
    if (!outcome && outcome.error().code() != ErrorCode::Cancelled) {
        m_errorBar->showError(failure, outcome.error());
        if (!id.isEmpty())
            m_model->setError(id, reference, failure, ErrorText::details(outcome.error()));
    }
    if (outcome && !outcome->isEmpty()) {
        const ImageSummary &first = outcome->constFirst();
        const int row = m_model->rowOf(
            first.id, first.tags.isEmpty() ? QString() : first.tags.constFirst().reference);
        if (row >= 0)
            selectRow(row);
    }
}

void ImagesView::tagImage(const QString &id, const QString &reference, const QString &target)
{
    runTag(id, reference, target);
}

QCoro::Task<void> ImagesView::runTag(QString id, QString reference, QString target)
{
    if (!m_engine)
        co_return;
    QPointer<ImagesView> self(this);
    m_errorBar->hide();
    m_model->setPending(id, reference, tr("Tagging…"));
    // Apart from co_await: GCC 12 may destroy a co_await operand's temporaries twice.
    auto task = m_engine->tag(reference.isEmpty() ? id : reference, target);
    auto tagged = co_await task;
    if (!self)
        co_return;
    m_model->setPending(id, reference, QString());
    if (!tagged) {
        const QString action = tr("Could not tag %1 as %2.")
                                   .arg(reference.isEmpty() ? id.left(12) : reference, target);
        m_errorBar->showError(action, tagged.error());
        m_model->setError(id, reference, action, ErrorText::details(tagged.error()));
        co_return;
    }
    if (const auto shown = Engine::validateReference(target))
        if (const int row = m_model->rowOfReference(*shown); row >= 0)
            selectRow(row);
}

void ImagesView::removeImage(const QString &id, const QString &reference, bool force)
{
    runRemove(id, reference, force);
}

QCoro::Task<void> ImagesView::runRemove(QString id, QString reference, bool force)
{
    if (!m_engine)
        co_return;
    QPointer<ImagesView> self(this);
    m_errorBar->hide();
    m_model->setPending(id, reference, tr("Removing…"));
    auto task = m_engine->remove(reference.isEmpty() ? id : reference, force);
    auto removed = co_await task;
    if (!self)
        co_return;
    // The row may be gone already (its removal came as an event); what is left is no longer
    // pending.
    m_model->setPending(id, reference, QString());
    if (!removed) {
        const QString action =
            tr("Could not remove %1.").arg(reference.isEmpty() ? id.left(12) : reference);
        m_errorBar->showError(action, removed.error());
        m_model->setError(id, reference, action, ErrorText::details(removed.error()));
    }
}

void ImagesView::prune(bool all)
{
    runPrune(all);
}

QCoro::Task<void> ImagesView::runPrune(bool all)
{
    if (!m_engine)
        co_return;
    QPointer<ImagesView> self(this);
    if (m_pruning)
        co_return;
    m_errorBar->hide();
    m_pruning = true;
    updateActions();
    auto task = m_engine->prune(all);
    auto report = co_await task;
    if (!self)
        co_return;
    m_pruning = false;
    updateActions();
    if (!report)
        m_errorBar->showError(tr("Could not prune the image store."), report.error());
}

void ImagesView::createBusybox()
{
    runBootstrap();
}

QCoro::Task<void> ImagesView::runBootstrap()
{
    if (!m_engine || m_bootstrapping)
        co_return;
    QPointer<ImagesView> self(this);
    m_bootstrapping = true;
    m_errorBar->hide();
    const QString label = m_bootstrapButton->text();
    m_bootstrapButton->setEnabled(false);
    m_bootstrapButton->setText(tr("Creating busybox:latest…"));
    auto task = m_engine->bootstrapBusybox(); // apart from co_await: GCC 12
    auto image = co_await task;
    if (!self)
        co_return;
    m_bootstrapping = false;
    m_bootstrapButton->setText(label);
    m_bootstrapButton->setEnabled(true);
    if (!image) {
        m_errorBar->showError(tr("Could not create busybox:latest."), image.error());
        co_return;
    }
    const QString reference =
        image->tags.isEmpty() ? QString() : image->tags.constFirst().reference;
    if (const int row = m_model->rowOf(image->id, reference); row >= 0)
        selectRow(row);
}

// Dialogs are opened with open(), never exec(): no nested event loop. Each deletes itself once
// answered.
void ImagesView::chooseArchive()
{
    auto *dialog =
        new QFileDialog(this, tr("Load Images"), QDir::homePath(),
                        tr("Image archives (*.tar *.tar.gz *.tgz *.tar.zst);;All files (*)"));
    dialog->setObjectName(QStringLiteral("loadDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this, &ImagesView::loadArchive);
    dialog->open();
}

void ImagesView::chooseLayoutFolder()
{
    auto *dialog =
        new QFileDialog(this, tr("Load Images from an OCI Layout Folder"), QDir::homePath());
    dialog->setObjectName(QStringLiteral("loadDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    connect(dialog, &QFileDialog::fileSelected, this, &ImagesView::loadArchive);
    dialog->open();
}

void ImagesView::askExport()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    const QString reference = selectedReference();
    const QString name = reference.isEmpty() ? id : reference;
    const QString docker = tr("Docker archive, as docker save writes it (*.tar)");
    const QString oci = tr("OCI archive (*.tar)");
    QString suggested = (reference.isEmpty() ? id.left(12) : reference);
    suggested.replace(u'/', u'_').replace(u':', u'_');
    auto *dialog =
        new QFileDialog(this, tr("Export Image"), QDir::home().filePath(suggested + ".tar"));
    dialog->setObjectName(QStringLiteral("exportDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilters({docker, oci});
    dialog->setDefaultSuffix(QStringLiteral("tar"));
    // The image may be gone by the time a file is chosen: the engine then says so.
    connect(dialog, &QFileDialog::fileSelected, this,
            [this, dialog, name, oci](const QString &path) {
                exportImage(name, path,
                            dialog->selectedNameFilter() == oci ? ArchiveFormat::OciArchive
                                                                : ArchiveFormat::DockerArchive);
            });
    dialog->open();
}

void ImagesView::askTag()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    const QString reference = selectedReference();
    auto *dialog = new TagDialog(reference.isEmpty() ? id.left(12) : reference, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, id, reference] {
        if (!dialog->reference().isEmpty())
            tagImage(id, reference, dialog->reference());
    });
    dialog->open();
}

void ImagesView::askRemove()
{
    const QString id = selectedId();
    if (!id.isEmpty())
        confirmRemove(id, selectedReference());
}

void ImagesView::confirmRemove(const QString &id, const QString &reference)
{
    const int row =
        reference.isEmpty() ? m_model->rowOf(id, QString()) : m_model->rowOfReference(reference);
    if (row < 0)
        return; // gone meanwhile: nothing left to remove
    const int tags = int(m_model->row(row).image.tags.size());

    auto *box = new QMessageBox(QMessageBox::Question, tr("Remove Image"), QString(),
                                QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("removeQuestion"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *removeTag = nullptr;
    QPushButton *removeAll = nullptr;
    if (tags > 1) {
        box->setText(tr("Remove the tag %1?").arg(reference));
        box->setInformativeText(
            tags == 2 ? tr("The image keeps its other tag. To delete the image itself, remove it "
                           "with all its tags.")
                      : tr("The image keeps its %n other tags. To delete the image itself, "
                           "remove it with all its tags.",
                           nullptr, tags - 1));
        removeTag = box->addButton(tr("Remove Tag"), QMessageBox::AcceptRole);
        removeAll = box->addButton(tr("Remove Image and All Tags"), QMessageBox::DestructiveRole);
    } else {
        box->setText(tr("Remove the image %1?").arg(reference.isEmpty() ? id.left(12) : reference));
        box->setInformativeText(tr("Its data is deleted from this computer once no other image "
                                   "uses it."));
        removeTag = box->addButton(tr("Remove"), QMessageBox::DestructiveRole);
    }
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::finished, this, [=, this] {
        QAbstractButton *clicked = box->clickedButton();
        if (!clicked || (clicked != removeTag && clicked != removeAll))
            return;
        // The question described the image as it was; if its tags changed, ask again.
        const int now = reference.isEmpty() ? m_model->rowOf(id, QString())
                                            : m_model->rowOfReference(reference);
        if (now < 0)
            return;
        if (int(m_model->row(now).image.tags.size()) != tags)
            confirmRemove(id, reference);
        else if (clicked == removeTag)
            removeImage(id, reference, false);
        else
            removeImage(id, QString(), true);
    });
    box->open();
}

void ImagesView::askPrune()
{
    auto *box = new QMessageBox(QMessageBox::Question, tr("Prune Images"),
                                tr("Remove untagged images and the data no image uses?"),
                                QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("pruneQuestion"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    auto *all = new QCheckBox(tr("Also remove tagged images (every image in the store)"), box);
    box->setCheckBox(all);
    QPushButton *prune = box->addButton(tr("Prune"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::finished, this, [this, box, all, prune] {
        if (box->clickedButton() == prune)
            runPrune(all->isChecked());
    });
    box->open();
}

} // namespace Berth::Ui
