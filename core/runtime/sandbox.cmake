# The container's first process: namespaces, the root file system and its mounts, user,
# capabilities, seccomp (libseccomp), execve. Runs as root (rootful) for now.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SECCOMP REQUIRED IMPORTED_TARGET libseccomp)
target_sources(berth_runtime PRIVATE
    capabilities.cpp
    capabilities.h
    childfailure.h
    containerspec.h
    mounts.cpp
    mounts.h
    passwd.cpp
    passwd.h
    rootpath.cpp
    rootpath.h
    sandbox.cpp
    sandbox.h
    sandbox_p.h
    sandboxchild.cpp
    seccompprofile.cpp
    seccompprofile.h
)
target_link_libraries(berth_runtime PUBLIC berth_archive PRIVATE PkgConfig::SECCOMP)
