#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace Berth::Archive {

// One member of a tar archive, as the reader gives it and the writer takes it.
struct TarEntry
{
    enum class Type { File, HardLink, Symlink, CharDevice, BlockDevice, Directory, Fifo };

    std::string path;       // as stored: relative, '/'-separated, no trailing '/'
    std::string linkTarget; // symlink target, or the archive path a hardlink points to
    Type type = Type::File;
    std::uint32_t mode = 0644; // permission bits, setuid/setgid/sticky included
    std::int64_t uid = 0;
    std::int64_t gid = 0;
    std::string uname;
    std::string gname;
    std::int64_t size = 0;  // data bytes (regular files only)
    std::int64_t mtime = 0; // seconds since the epoch
    std::uint32_t mtimeNsec = 0;
    std::uint32_t devMajor = 0;
    std::uint32_t devMinor = 0;
    std::map<std::string, std::string> xattrs; // name → value, from SCHILY.xattr.*
};

} // namespace Berth::Archive
