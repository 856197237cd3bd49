#pragma once

#include "store/imagestore.h"

#include <string>

namespace Berth::Store {

struct BootstrapOptions
{
    std::string busybox = "/bin/busybox"; // Debian's busybox-static
    std::string reference = "busybox:latest";
};

// Makes a small base image from a statically linked busybox, so a new user can build and run
// something without a registry: /bin/busybox, a symlink for each applet, /etc/passwd and
// /etc/group, and CMD ["sh"]. A dynamically linked busybox is refused (it would not start
// inside an image without its libraries).
Result<ImageInfo> bootstrapBusybox(ImageStore &store, const BootstrapOptions &options = {});

// Whether `busybox` can make an image: NotFound when it is missing, Invalid when it is not a
// statically linked executable. Symlinks are followed.
Result<void> checkBusybox(const std::string &busybox);

// The applets a busybox binary provides, as relative paths ("bin/ls", "usr/bin/wc").
Result<std::vector<std::string>> busyboxApplets(const std::string &busybox);

} // namespace Berth::Store
