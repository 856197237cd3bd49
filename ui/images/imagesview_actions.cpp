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
              tr("Could not load “%1”.").arg(shownPath(path)), QString());
}

void ImagesView::exportImage(const QString &name, const QString &path, ArchiveFormat format)
{
    if (!m_engine)
        return;
    m_errorBar->hide();
    const int row = m_model->rowOfReference(name);
    const QString id = row >= 0 ? m_model->row(row).image.id : name;
    m_model->setPending(id, row >= 0 ? name : QString(), tr("Exporting…"));
    followJob(m_engine->save({name}, path, format),
              tr("Exporting %1 to “%2”…").arg(name, shownPath(path)),
              tr("Could not export %1.").arg(name), id);
}

// Shows the job below the toolbar with its progress and a Cancel button while it runs; on
// failure, the error bar (and the row, for an export) say why.
void ImagesView::followJob(Job *job, const QString &text, const QString &failure, QString id)
{
    auto *box = new QWidget(m_activity);
    box->setObjectName(QStringLiteral("job"));
    auto *label = new QLabel(text, box);
    auto *progress = new QProgressBar(box);
    progress->setRange(0, 0); // busy until the job reports how far it is
    progress->setMaximumWidth(200);
    progress->setTextVisible(false);
    auto *cancel = new QPushButton(tr("Cancel"), box);
    cancel->setEnabled(job->canCancel());
    cancel->setToolTip(job->canCancel() ? QString()
                                        : tr("This operation cannot be stopped once started."));
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
    connect(job, &Job::finished, this, [this, job, box, failure, id] {
        const auto &outcome = job->outcome();
        if (!id.isEmpty())
            m_model->setPending(id, QString(), QString());
        if (!outcome && outcome.error().code() != ErrorCode::Cancelled) {
            m_errorBar->showError(failure, outcome.error());
            if (!id.isEmpty())
                m_model->setError(id, QString(), failure, ErrorText::details(outcome.error()));
        }
        if (outcome && !outcome->isEmpty()) {
            const int row =
                m_model->rowOf(outcome->constFirst().id, outcome->constFirst().tags.value(0));
            if (row >= 0)
                selectRow(row);
        }
        box->deleteLater();
        job->deleteLater();
        if (m_activityLayout->count() <= 1)
            m_activity->hide();
    });
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
    // Arguments are built before co_await: GCC 12 may destroy temporaries of a co_await
    // expression twice.
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
    m_errorBar->hide();
    m_pruneAction->setEnabled(false);
    auto task = m_engine->prune(all);
    auto report = co_await task;
    if (!self)
        co_return;
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
    auto image = co_await m_engine->bootstrapBusybox();
    if (!self)
        co_return;
    m_bootstrapping = false;
    m_bootstrapButton->setText(label);
    m_bootstrapButton->setEnabled(true);
    if (!image) {
        m_errorBar->showError(tr("Could not create busybox:latest."), image.error());
        co_return;
    }
    if (const int row = m_model->rowOf(image->id, image->tags.value(0)); row >= 0)
        selectRow(row);
}

void ImagesView::chooseArchive()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Load Images"), QDir::homePath(),
        tr("Image archives (*.tar *.tar.gz *.tgz *.tar.zst);;All files (*)"));
    if (!path.isEmpty())
        loadArchive(path);
}

void ImagesView::chooseLayoutFolder()
{
    const QString path = QFileDialog::getExistingDirectory(
        this, tr("Load Images from an OCI Layout Folder"), QDir::homePath());
    if (!path.isEmpty())
        loadArchive(path);
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
    QString filter = docker;
    QString path = QFileDialog::getSaveFileName(this, tr("Export Image"),
                                                QDir::home().filePath(suggested + ".tar"),
                                                docker + QStringLiteral(";;") + oci, &filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".tar");
    exportImage(name, path,
                filter == oci ? ArchiveFormat::OciArchive : ArchiveFormat::DockerArchive);
}

void ImagesView::askTag()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    const QString reference = selectedReference();
    TagDialog dialog(reference.isEmpty() ? id.left(12) : reference, this);
    if (dialog.exec() == QDialog::Accepted && !dialog.reference().isEmpty())
        tagImage(id, reference, dialog.reference());
}

void ImagesView::askRemove()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    const QString reference = selectedReference();
    const int row =
        reference.isEmpty() ? m_model->rowOf(id, QString()) : m_model->rowOfReference(reference);
    const int tags = row >= 0 ? int(m_model->row(row).image.tags.size()) : 0;

    QMessageBox box(QMessageBox::Question, tr("Remove Image"), QString(), QMessageBox::Cancel,
                    this);
    QPushButton *removeTag = nullptr;
    QPushButton *removeAll = nullptr;
    if (tags > 1) {
        box.setText(tr("Remove the tag %1?").arg(reference));
        box.setInformativeText(
            tags == 2 ? tr("The image keeps its other tag. To delete the image itself, remove it "
                           "with all its tags.")
                      : tr("The image keeps its %n other tags. To delete the image itself, "
                           "remove it with all its tags.",
                           nullptr, tags - 1));
        removeTag = box.addButton(tr("Remove Tag"), QMessageBox::AcceptRole);
        removeAll = box.addButton(tr("Remove Image and All Tags"), QMessageBox::DestructiveRole);
    } else {
        box.setText(tr("Remove the image %1?").arg(reference.isEmpty() ? id.left(12) : reference));
        box.setInformativeText(tr("Its data is deleted from this computer once no other image "
                                  "uses it."));
        removeTag = box.addButton(tr("Remove"), QMessageBox::DestructiveRole);
    }
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() == removeTag && removeTag)
        removeImage(id, reference, false);
    else if (box.clickedButton() == removeAll && removeAll)
        removeImage(id, QString(), true);
}

void ImagesView::askPrune()
{
    QMessageBox box(QMessageBox::Question, tr("Prune Images"),
                    tr("Remove untagged images and the data no image uses?"), QMessageBox::Cancel,
                    this);
    auto *all = new QCheckBox(tr("Also remove tagged images (every image in the store)"), &box);
    box.setCheckBox(all);
    QPushButton *prune = box.addButton(tr("Prune"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() == prune)
        runPrune(all->isChecked());
}

} // namespace Berth::Ui
