#!/usr/bin/env bash
# Installs every Debian package Berth needs to build, test and run. Idempotent: quiet when
# everything is there already. Uses sudo when not run as root.
# --bench adds what only `make bench` needs (crun, catatonit, uidmap besides podman).
set -euo pipefail

packages=(
    # toolchain
    cmake ninja-build g++ make pkg-config
    # clang for the libFuzzer targets
    clang-14 libclang-rt-14-dev
    # Qt 6 and coroutines
    qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    qt6-translations-l10n qcoro-qt6-dev libgl-dev libqt6svg6
    # libraries used by the engine
    nlohmann-json3-dev libssl-dev libsqlite3-dev libisal-dev libzstd-dev libseccomp-dev
    # tools the archive tests compare against
    tar gzip zstd python3
    # interoperability tests: images other tools must read, load and run (podman with runc,
    # which these hybrid cgroups need: crun refuses them)
    skopeo podman runc
    # the offline base image: berthctl image bootstrap makes busybox:latest from it
    busybox-static
    # benchmarks
    libbenchmark-dev
    # running the GUI without a display (tests, screenshots)
    xvfb xauth
)
if [ "${1:-}" = "--bench" ]; then
    # the peers' runtimes and init; uidmap for rootless users
    packages+=(crun catatonit uidmap)
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
# An old or empty package list finds nothing: refresh it once a day at most.
if [ ! -f /var/lib/apt/lists/lock ] || [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -n1)" ]; then
    $sudo apt-get update -q >/dev/null
fi
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
