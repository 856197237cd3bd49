#include "imagecommands.h"

#include "archive/stream.h"
#include "store/imagearchive.h"
#include "store/imagestore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace Berth::Cli {

namespace {

using Store::ImageInfo;
using Store::ImageStore;

int failWith(const Error &error)
{
    std::fprintf(stderr, "berthctl: %s\n", error.toString().c_str());
    return 1;
}

int usage(const char *text)
{
    std::fprintf(stderr, "Usage: berthctl %s\n", text);
    return 2;
}

Result<ImageStore> openStore()
{
    return ImageStore::open(ImageStore::defaultRoot());
}

std::string humanSize(std::int64_t bytes)
{
    const char *units[] = {"B", "kB", "MB", "GB", "TB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1000 && u < 4) {
        v /= 1000;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f%s" : "%.3g%s", v, units[u]);
    return buf;
}

std::string ago(std::int64_t seconds)
{
    if (seconds <= 0)
        return "N/A";
    const std::int64_t d = QDateTime::currentSecsSinceEpoch() - seconds;
    if (d < 60)
        return "Less than a minute ago";
    if (d < 3600)
        return std::to_string(d / 60) + " minutes ago";
    if (d < 86400)
        return std::to_string(d / 3600) + " hours ago";
    return std::to_string(d / 86400) + " days ago";
}

int importCommand(const QStringList &args)
{
    if (args.size() != 2)
        return usage("import FILE|- NAME[:TAG]   (a root file system tar, plain, gzip or zstd)");
    auto reference = Image::Reference::parse(args[1].toStdString());
    if (!reference)
        return failWith(reference.error());
    const bool stdinInput = args[0] == QLatin1String("-");
    const int fd = stdinInput ? 0 : ::open(args[0].toLocal8Bit().constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return failWith(Error::fromErrno("open \"" + args[0].toStdString() + "\"", errno));
    auto store = openStore();
    if (!store)
        return failWith(store.error());
    Archive::FdReader reader(fd);
    auto image = store->importRootfs(reader, *reference);
    if (!stdinInput)
        ::close(fd);
    if (!image)
        return failWith(image.error());
    std::printf("%s\n", image->record.config.toString().c_str());
    return 0;
}

QJsonObject imageJson(const ImageInfo &image)
{
    QJsonArray tags;
    for (const auto &t : image.tags)
        tags.append(QString::fromStdString(t));
    return {{"Id", QString::fromStdString(image.record.config.toString())},
            {"Digest", QString::fromStdString(image.record.manifest.toString())},
            {"RepoTags", tags},
            {"Created",
             QDateTime::fromSecsSinceEpoch(image.record.created, Qt::UTC).toString(Qt::ISODate)},
            {"Size", qint64(image.record.size)}};
}

int imagesCommand(const QStringList &args)
{
    const bool json = args.contains(QLatin1String("--json"));
    if (args.size() > (json ? 1 : 0))
        return usage("images [--json]");
    auto store = openStore();
    if (!store)
        return failWith(store.error());
    auto images = store->images();
    if (!images)
        return failWith(images.error());
    if (json) {
        QJsonArray out;
        for (const auto &image : *images)
            out.append(imageJson(image));
        std::printf("%s", QJsonDocument(out).toJson().constData());
        return 0;
    }
    std::printf("%-40s %-16s %-14s %-24s %s\n", "REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
    for (const auto &image : *images) {
        std::vector<std::pair<std::string, std::string>> rows;
        for (const auto &t : image.tags)
            if (auto ref = Image::Reference::parse(t))
                rows.emplace_back(ref->familiarName(), ref->tag());
        if (rows.empty())
            rows.emplace_back("<none>", "<none>");
        for (const auto &[repo, tag] : rows)
            std::printf("%-40s %-16s %-14s %-24s %s\n", repo.c_str(), tag.c_str(),
                        image.id().substr(0, 12).c_str(), ago(image.record.created).c_str(),
                        humanSize(image.record.size).c_str());
    }
    return 0;
}

int tagCommand(const QStringList &args)
{
    if (args.size() != 2)
        return usage("tag SOURCE TARGET[:TAG]");
    auto target = Image::Reference::parse(args[1].toStdString());
    if (!target)
        return failWith(target.error());
    auto store = openStore();
    if (!store)
        return failWith(store.error());
    if (auto ok = store->tag(args[0].toStdString(), *target); !ok)
        return failWith(ok.error());
    return 0;
}

int rmiCommand(const QStringList &args)
{
    const bool force =
        args.contains(QLatin1String("-f")) || args.contains(QLatin1String("--force"));
    QStringList names = args;
    names.removeAll(QStringLiteral("-f"));
    names.removeAll(QStringLiteral("--force"));
    if (names.isEmpty())
        return usage("rmi [-f] IMAGE...");
    auto store = openStore();
    if (!store)
        return failWith(store.error());
    int status = 0;
    for (const auto &name : names) {
        auto lines = store->remove(name.toStdString(), force);
        if (!lines) {
            status = failWith(lines.error());
            continue;
        }
        for (const auto &line : *lines)
            std::printf("%s\n", line.c_str());
    }
    return status;
}

QJsonArray stringArray(const std::vector<std::string> &v)
{
    QJsonArray out;
    for (const auto &s : v)
        out.append(QString::fromStdString(s));
    return out;
}

int inspectCommand(const QStringList &args)
{
    if (args.isEmpty())
        return usage("inspect IMAGE...");
    auto store = openStore();
    if (!store)
        return failWith(store.error());
    QJsonArray out;
    for (const auto &name : args) {
        auto image = store->find(name.toStdString());
        if (!image)
            return failWith(image.error());
        auto config = store->config(*image);
        if (!config)
            return failWith(config.error());
        QJsonObject o = imageJson(*image);
        o["Architecture"] = QString::fromStdString(config->architecture);
        o["Os"] = QString::fromStdString(config->os);
        o["Env"] = stringArray(config->config.env);
        o["Cmd"] = config->config.cmd ? QJsonValue(stringArray(*config->config.cmd)) : QJsonValue();
        o["Entrypoint"] = config->config.entrypoint
                              ? QJsonValue(stringArray(*config->config.entrypoint))
                              : QJsonValue();
        o["WorkingDir"] = QString::fromStdString(config->config.workingDir);
        std::vector<std::string> layers;
        for (const auto &d : config->rootfs.diffIds)
            layers.push_back(d.toString());
        o["RootFS"] = QJsonObject{{"Type", "layers"}, {"Layers", stringArray(layers)}};
        out.append(o);
    }
    std::printf("%s", QJsonDocument(out).toJson().constData());
    return 0;
}

int historyCommand(const QStringList &args)
{
    if (args.size() != 1)
        return usage("history IMAGE");
    auto store = openStore();
    if (!store)
        return failWith(store.error());
    auto image = store->find(args[0].toStdString());
    if (!image)
        return failWith(image.error());
    auto config = store->config(*image);
    if (!config)
        return failWith(config.error());
    std::printf("%-22s %-60s %s\n", "CREATED", "CREATED BY", "EMPTY LAYER");
    for (auto it = config->history.rbegin(); it != config->history.rend(); ++it)
        std::printf("%-22s %-60s %s\n", it->created.c_str(), it->createdBy.substr(0, 60).c_str(),
                    it->emptyLayer ? "yes" : "no");
    return 0;
}

int saveCommand(const QStringList &args)
{
    QString output;
    QString format = QStringLiteral("docker-archive");
    std::vector<std::string> names;
    for (int i = 0; i < args.size(); ++i) {
        if ((args[i] == QLatin1String("-o") || args[i] == QLatin1String("--output")) &&
            i + 1 < args.size())
            output = args[++i];
        else if (args[i] == QLatin1String("--format") && i + 1 < args.size())
            format = args[++i];
        else
            names.push_back(args[i].toStdString());
    }
    const auto archiveFormat = Store::parseArchiveFormat(format.toStdString());
    if (output.isEmpty() || names.empty() || !archiveFormat)
        return usage("save -o FILE [--format docker-archive|oci-archive] IMAGE...");
    auto store = openStore();
    if (!store)
        return failWith(store.error());
    const QByteArray path = output.toLocal8Bit();
    const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return failWith(Error::fromErrno("open \"" + path.toStdString() + "\"", errno));
    Archive::FdWriter writer(fd);
    auto saved = Store::saveImages(*store, names, writer, *archiveFormat);
    const bool closed = ::close(fd) == 0;
    if (!saved || !closed) {
        ::unlink(path.constData()); // no half-written archive
        return failWith(saved ? Error::fromErrno("close \"" + path.toStdString() + "\"", errno)
                              : saved.error());
    }
    return 0;
}

int loadCommand(const QStringList &args)
{
    if (args.size() != 2 || (args[0] != QLatin1String("-i") && args[0] != QLatin1String("--input")))
        return usage("load -i FILE   (docker or OCI archive, or an OCI layout directory)");
    auto store = openStore();
    if (!store)
        return failWith(store.error());
    auto images = Store::loadImages(*store, args[1].toStdString());
    if (!images)
        return failWith(images.error());
    for (const auto &image : *images) {
        if (image.tags.empty())
            std::printf("Loaded image ID: %s\n", image.record.config.toString().c_str());
        for (const auto &t : image.tags) {
            const auto ref = Image::Reference::parse(t);
            std::printf("Loaded image: %s\n", ref ? ref->familiar().c_str() : t.c_str());
        }
    }
    return 0;
}

int pruneCommand(const QStringList &args)
{
    const bool all = args.contains(QLatin1String("-a")) || args.contains(QLatin1String("--all"));
    if (args.size() > (all ? 1 : 0))
        return usage("image prune [-a]");
    auto store = openStore();
    if (!store)
        return failWith(store.error());
    auto report = store->prune(all);
    if (!report)
        return failWith(report.error());
    for (const auto &line : report->deleted)
        std::printf("%s\n", line.c_str());
    std::printf("Total reclaimed space: %s\n", humanSize(report->reclaimed).c_str());
    return 0;
}

int dfCommand(const QStringList &args)
{
    if (!args.isEmpty())
        return usage("system df");
    auto store = openStore();
    if (!store)
        return failWith(store.error());
    auto usage = store->diskUsage();
    if (!usage)
        return failWith(usage.error());
    std::printf("%-18s %-8s %-10s %-14s %s\n", "TYPE", "TOTAL", "UNTAGGED", "SIZE", "RECLAIMABLE");
    std::printf("%-18s %-8d %-10d %-14s %s\n", "Images", usage->images, usage->dangling,
                humanSize(usage->blobs).c_str(), humanSize(usage->reclaimable).c_str());
    std::printf("%-18s %-8s %-10s %-14s %s\n", "Unpacked layers", "-", "-",
                humanSize(usage->layers).c_str(), "-");
    return 0;
}

// "1 problem", "2 problems".
std::string counted(std::size_t n, const char *noun)
{
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

void printCheckReport(const Store::CheckReport &report)
{
    std::printf("Checked %d images, %d blobs, %d unpacked layers.\n", report.images, report.blobs,
                report.layers);
    for (const auto &p : report.problems) {
        const std::string where = p.image.empty() ? std::string() : " (" + p.image + ")";
        std::printf("%s%s: %s\n    %s: %s\n", p.object.c_str(), where.c_str(), p.message.c_str(),
                    "repair", p.repair.c_str());
    }
    if (!report.unused.empty())
        std::printf("%s %zu unused blobs and layers (%s)%s\n",
                    report.repaired ? "Removed" : "Found", report.unused.size(),
                    humanSize(report.unreferenced).c_str(),
                    report.repaired ? "" : ": image prune or --repair removes them");
    if (report.consistent())
        std::printf("The store is consistent.\n");
    else if (report.repaired)
        std::printf("Repaired %s.\n", counted(report.problems.size(), "problem").c_str());
    else
        std::printf("Found %s: run \"berthctl system check --repair\" to fix %s.\n",
                    counted(report.problems.size(), "problem").c_str(),
                    report.problems.size() == 1 ? "it" : "them");
}

QJsonObject checkReportJson(const Store::CheckReport &report)
{
    QJsonArray problems;
    for (const auto &p : report.problems)
        problems.append(QJsonObject{{"object", QString::fromStdString(p.object)},
                                    {"image", QString::fromStdString(p.image)},
                                    {"message", QString::fromStdString(p.message)},
                                    {"repair", QString::fromStdString(p.repair)}});
    QJsonArray unused;
    for (const auto &u : report.unused)
        unused.append(QString::fromStdString(u));
    return {{"images", report.images},
            {"blobs", report.blobs},
            {"layers", report.layers},
            {"consistent", report.consistent()},
            {"repaired", report.repaired},
            {"problems", problems},
            {"unused", unused},
            {"unusedBytes", double(report.unreferenced)}};
}

// Exit status 0 when the store is consistent or was repaired, 1 when problems remain.
int checkCommand(const QStringList &args)
{
    Store::CheckOptions options;
    bool json = false;
    for (const auto &arg : args) {
        if (arg == QLatin1String("--repair"))
            options.repair = true;
        else if (arg == QLatin1String("--quick"))
            options.quick = true;
        else if (arg == QLatin1String("--json"))
            json = true;
        else
            return usage("system check [--repair] [--quick] [--json]");
    }
    auto store = openStore();
    if (!store)
        return failWith(store.error());
    auto report = store->check(options);
    if (!report)
        return failWith(report.error());
    if (json)
        std::printf("%s", QJsonDocument(checkReportJson(*report)).toJson().constData());
    else
        printCheckReport(*report);
    return report->consistent() || report->repaired ? 0 : 1;
}

} // namespace

int runImageCommand(const QString &command, const QStringList &args)
{
    if (command == QLatin1String("import"))
        return importCommand(args);
    if (command == QLatin1String("images"))
        return imagesCommand(args);
    if (command == QLatin1String("tag"))
        return tagCommand(args);
    if (command == QLatin1String("rmi"))
        return rmiCommand(args);
    if (command == QLatin1String("inspect"))
        return inspectCommand(args);
    if (command == QLatin1String("history"))
        return historyCommand(args);
    if (command == QLatin1String("image prune"))
        return pruneCommand(args);
    if (command == QLatin1String("system df"))
        return dfCommand(args);
    if (command == QLatin1String("system check"))
        return checkCommand(args);
    if (command == QLatin1String("save"))
        return saveCommand(args);
    if (command == QLatin1String("load"))
        return loadCommand(args);
    return -1;
}

} // namespace Berth::Cli
