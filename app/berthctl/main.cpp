#include "dockerfilecommands.h"
#include "imagecommands.h"

#include "store/bootstrap.h"

#include <QCoreApplication>
#include <QStringList>

#include <cstdio>

namespace {

const char s_help[] = R"(berthctl: the Berth container engine from a terminal.

Usage: berthctl COMMAND [ARGS...]

Commands:
  dockerfile parse FILE [--json]      show a Dockerfile's syntax tree
  dockerfile lint FILE [--format F]   check a Dockerfile (text or json)
  dockerfile fmt FILE [-w] [--check]  format a Dockerfile
  dockerfile rules                    list the lint rules
  import FILE|- NAME[:TAG]            make a one-layer image from a root file system tar
  image bootstrap [NAME]              make busybox:latest from Debian's busybox-static
  image prune [-a]                    remove untagged (-a: all) images and unused data
  system df                           show the disk space the store uses
  system check [--repair] [--quick]   check the store (and repair what can be repaired)
  images [--json]                     list images
  inspect IMAGE...                    show an image's details as JSON
  history IMAGE                       show how an image was made
  tag SOURCE TARGET                   add a tag to an image
  rmi [-f] IMAGE...                   untag and remove images
  save -o FILE [--format F] IMAGE...  write images to a docker-archive or oci-archive tar
  load -i FILE                        load images from a docker or OCI archive or layout
  version                             print the version
  help                                show this help

The store lives in $BERTH_ROOT, else /var/lib/berth as root, else ~/.local/share/berth.
Containers, builds and registries come with later versions (see the README).
)";

// berthctl image bootstrap [--busybox PATH] [NAME]
int bootstrapCommand(const QStringList &args)
{
    Berth::Store::BootstrapOptions options;
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--busybox") && i + 1 < args.size())
            options.busybox = args[++i].toStdString();
        else if (!args[i].startsWith(QLatin1Char('-')))
            options.reference = args[i].toStdString();
        else {
            std::fputs("Usage: berthctl image bootstrap [--busybox PATH] [NAME[:TAG]]\n", stderr);
            return 2;
        }
    }
    auto store = Berth::Store::ImageStore::open(Berth::Store::ImageStore::defaultRoot());
    auto image = store ? Berth::Store::bootstrapBusybox(*store, options)
                       : Berth::Result<Berth::Store::ImageInfo>(Berth::fail(store.error()));
    if (!image) {
        std::fprintf(stderr, "berthctl: %s\n", image.error().toString().c_str());
        return 1;
    }
    std::printf("%s\n", image->record.config.toString().c_str());
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("berthctl"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BERTH_VERSION));
    const QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty()) {
        std::fputs(s_help, stderr);
        return 2;
    }
    const QString &command = args[0];
    if (command == QLatin1String("--help") || command == QLatin1String("-h") ||
        command == QLatin1String("help")) {
        std::fputs(s_help, stdout);
        return 0;
    }
    if (command == QLatin1String("version") || command == QLatin1String("--version")) {
        std::printf("berthctl %s (Qt %s)\n", BERTH_VERSION, qVersion());
        return 0;
    }
    if (command == QLatin1String("dockerfile"))
        return Berth::Cli::runDockerfileCommand(args.mid(1));
    if (command == QLatin1String("image") && args.value(1) == QLatin1String("bootstrap"))
        return bootstrapCommand(args.mid(2));
    if ((command == QLatin1String("image") && args.value(1) == QLatin1String("prune")) ||
        (command == QLatin1String("system") &&
         (args.value(1) == QLatin1String("df") || args.value(1) == QLatin1String("check"))))
        return Berth::Cli::runImageCommand(command + QLatin1Char(' ') + args[1], args.mid(2));
    if (const int status = Berth::Cli::runImageCommand(command, args.mid(1)); status >= 0)
        return status;
    std::fprintf(stderr, "berthctl: unknown command \"%s\" (try berthctl --help)\n",
                 qPrintable(command));
    return 2;
}
