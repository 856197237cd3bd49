#!/usr/bin/env python3
"""Loads and saves two generated images with Berth, skopeo and podman, side by side.

Run by `make bench`. The images: 20,000 files of 10 KiB (200 MB) and one file of 200 MiB, each
packed once as a docker-archive (`berthctl import` then `berthctl save`), so every tool reads
the very same bytes. Each tool runs several times in the same run, in rotating order; the table
gives medians and peer/Berth ratios (above 1: Berth is faster).

What is compared, and why it is the fair pairing:
  load  berthctl load -i X      verifies, stores the layer blob, unpacks it once into layers/
        podman load -i X        the same work: stores the blob, applies it to overlay storage
        skopeo copy --dest-oci-accept-uncompressed-layers docker-archive:X oci:DIR
                                blob-level only: stores the layers as they come, as Berth does
                                (without the flag skopeo would gzip 200 MB, work neither Berth
                                nor podman do), but unpacks nothing: a floor for Berth's load
  save  berthctl save -o Y      a docker-archive from the store
        podman save -o Y        the same, from its overlay storage
        skopeo copy oci:STORE docker-archive:Y
                                reads Berth's own store (an OCI layout) as its source, so skopeo
                                copies the very blobs Berth copies
Times are wall-clock for the command; "+sync" adds the `sync` right after it, which writes back
what the tool left dirty in the page cache. Berth fsyncs what it stores before it returns, the
peers mostly do not: the +sync column compares the same durable end state.
"""

import argparse
import io
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import time

MANY_FILES = 20_000
SMALL_FILE = 10 * 1024  # 20,000 x 10 KiB = 204.8 MB
FILES_PER_DIR = 100
SINGLE_FILE = 200 * 1024 * 1024
MTIME = 1_700_000_000
# The input and the store that made it, the save stores, then per load run a Berth store (blob
# and unpacked layer), podman's and skopeo's (about 1 GB together), kept until the last run.
def needed_bytes(runs):
    return (4 + runs) * 1024**3

PODMAN_CONF = """[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "none"
tmp_dir = "{dir}/tmp"
image_copy_tmp_dir = "{dir}/tmp"
"""

STORAGE_CONF = """[storage]
driver = "overlay"
graphroot = "{dir}/graph"
runroot = "{dir}/run"
"""


def log(message):
    print(f"imagebench: {message}", file=sys.stderr, flush=True)


def run(argv, env=None, cwd=None):
    done = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr.strip()}")
    return done.stdout


# ---- test data: deterministic root file systems, packed as docker-archives by Berth itself ----

class RandomStream:
    """`size` deterministic pseudo-random bytes (incompressible), produced as they are read."""

    def __init__(self, seed, size):
        self.rng = random.Random(seed)
        self.left = size

    def read(self, n=-1):
        n = self.left if n is None or n < 0 else min(n, self.left)
        self.left -= n
        return self.rng.randbytes(n)


def tar_info(name, size=0, directory=False):
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE if directory else tarfile.REGTYPE
    info.mode = 0o755 if directory else 0o644
    info.size = size
    info.mtime = MTIME
    info.uname = info.gname = "root"
    return info


def write_many_files_rootfs(path):
    """20,000 files of 10 KiB in 200 directories; about half compressible, like real files."""
    rng = random.Random(20_000)
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for d in ("srv", "srv/bench"):
            tar.addfile(tar_info(d, directory=True))
        for i in range(MANY_FILES):
            if i % FILES_PER_DIR == 0:
                tar.addfile(tar_info(f"srv/bench/d{i // FILES_PER_DIR:03d}", directory=True))
            data = rng.randbytes(SMALL_FILE // 2).hex().encode()
            name = f"srv/bench/d{i // FILES_PER_DIR:03d}/f{i:05d}.dat"
            tar.addfile(tar_info(name, len(data)), io.BytesIO(data))


def write_single_file_rootfs(path):
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(tar_info("srv", directory=True))
        tar.addfile(tar_info("srv/blob.bin", SINGLE_FILE),
                    RandomStream(200, SINGLE_FILE))


def make_archive(berthctl, scratch, name, reference, write_rootfs):
    """A docker-archive of a one-layer image: berthctl import, then berthctl save."""
    rootfs = scratch.path(f"{name}-rootfs.tar")
    store = scratch.path(f"{name}-make-store")
    archive = scratch.path(f"{name}.tar")
    write_rootfs(rootfs)
    env = dict(os.environ, BERTH_ROOT=store)
    run([berthctl, "import", rootfs, reference], env=env)
    run([berthctl, "save", "-o", archive, reference], env=env)
    os.remove(rootfs)
    return archive


class Scratch:
    """What one image's measurements make, removed together once they are all done.

    Nothing is deleted between runs: ext4 skips inodes freed in the last minutes when it
    allocates new ones, so removing 20,000 files right before a run slows that run's file
    creation three times or more on this machine, whichever tool runs.
    """

    def __init__(self, work):
        self.work = work
        self.paths = []
        self.podmans = []

    def path(self, name):
        self.paths.append(os.path.join(self.work, name))
        return self.paths[-1]

    def podman(self, name):
        self.podmans.append(Podman(self.work, name))
        return self.podmans[-1]

    def cleanup(self):
        for podman in self.podmans:
            podman.cleanup()
        # Removing files waits on the disk here (about 1,000 a second): all trees at once.
        removals = [subprocess.Popen(["rm", "-rf", "--one-file-system", path])
                    for path in self.paths if os.path.lexists(path)]
        for removal in removals:
            removal.wait()


# ---- the tools ----

class Podman:
    """Podman with a private storage and configuration per instance, removed by cleanup()."""

    def __init__(self, work, name):
        self.dir = os.path.join(work, name)
        os.makedirs(os.path.join(self.dir, "tmp"))
        with open(os.path.join(self.dir, "containers.conf"), "w") as f:
            f.write(PODMAN_CONF.format(dir=self.dir))
        with open(os.path.join(self.dir, "storage.conf"), "w") as f:
            f.write(STORAGE_CONF.format(dir=self.dir))
        self.env = dict(os.environ,
                        CONTAINERS_CONF=os.path.join(self.dir, "containers.conf"),
                        CONTAINERS_STORAGE_CONF=os.path.join(self.dir, "storage.conf"),
                        TMPDIR=os.path.join(self.dir, "tmp"))

    def cleanup(self):
        subprocess.run(["podman", "system", "reset", "--force"], env=self.env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        unmount_under(self.dir)
        shutil.rmtree(self.dir, ignore_errors=True)


def unmount_under(path):
    """Unmounts whatever is still mounted below `path` (podman's overlay and shm), deepest first."""
    prefix = os.path.realpath(path) + "/"
    with open("/proc/self/mounts") as f:
        points = [line.split()[1].encode().decode("unicode_escape") for line in f]
    for point in sorted((p for p in points if p.startswith(prefix)), key=len, reverse=True):
        subprocess.run(["umount", "-l", point], stderr=subprocess.DEVNULL)


def berth_env(store):
    return dict(os.environ, BERTH_ROOT=store)


def oci_reference(store, reference):
    """The name skopeo gives an image of Berth's store: its index.json ref.name annotation."""
    with open(os.path.join(store, "index.json")) as f:
        for m in json.load(f).get("manifests", []):
            name = m.get("annotations", {}).get("org.opencontainers.image.ref.name")
            if name == reference or name == reference.split(":")[-1]:
                return name
    return None


# ---- the measurements ----

def timed(argv, env):
    """Seconds for the command, and for the command plus the sync that makes it durable."""
    run(["sync"])
    start = time.perf_counter()
    run(argv, env=env)
    ran = time.perf_counter()
    run(["sync"])
    synced = time.perf_counter()
    return ran - start, synced - start


def bench_load(berthctl, archive, runs, results, case, scratch):
    tools = ["berth", "podman", "skopeo"]
    for i in range(runs):
        for tool in tools[i % 3:] + tools[:i % 3]:  # rotating order: no tool always goes first
            if tool == "berth":
                t = timed([berthctl, "load", "-i", archive],
                          berth_env(scratch.path(f"load-berth-{i}")))
            elif tool == "podman":
                t = timed(["podman", "load", "-q", "-i", archive],
                          scratch.podman(f"load-podman-{i}").env)
            else:
                tmp = scratch.path(f"load-skopeo-tmp-{i}")
                os.makedirs(tmp)
                t = timed(["skopeo", "--insecure-policy", "copy", "-q",
                           "--dest-oci-accept-uncompressed-layers", f"docker-archive:{archive}",
                           f"oci:{scratch.path(f'load-skopeo-{i}')}:bench"],
                          dict(os.environ, TMPDIR=tmp))
            results.setdefault((case, "load", tool), []).append(t)
            log(f"{case}: load {tool} run {i + 1}: {t[0]:.2f} s ({t[1]:.2f} s with sync)")


def bench_save(berthctl, archive, reference, runs, results, case, scratch):
    store = scratch.path("save-berth-store")
    run([berthctl, "load", "-i", archive], berth_env(store))
    ref = oci_reference(store, reference)
    if ref is None:
        raise RuntimeError(f"{store}/index.json names no {reference}")
    podman = scratch.podman("save-podman")
    run(["podman", "load", "-q", "-i", archive], podman.env)
    tmp = scratch.path("save-skopeo-tmp")
    os.makedirs(tmp)
    out = scratch.path("saved.tar")
    commands = {
        "berth": ([berthctl, "save", "-o", out, reference], berth_env(store)),
        "podman": (["podman", "save", "-q", "-o", out, reference], podman.env),
        "skopeo": (["skopeo", "--insecure-policy", "copy", "-q", f"oci:{store}:{ref}",
                    f"docker-archive:{out}:{reference}"], dict(os.environ, TMPDIR=tmp)),
    }
    tools = list(commands)
    for i in range(runs):
        for tool in tools[i % 3:] + tools[:i % 3]:
            argv, env = commands[tool]
            t = timed(argv, env)
            os.remove(out)
            results.setdefault((case, "save", tool), []).append(t)
            log(f"{case}: save {tool} run {i + 1}: {t[0]:.2f} s ({t[1]:.2f} s with sync)")


def print_table(results, runs):
    print()
    print(f"Image load and save, medians of {runs} runs (ratio = peer time / Berth time; "
          "above 1: Berth is faster)")
    print()
    header = ("| image | operation | Berth | podman | skopeo | podman/Berth | skopeo/Berth |")
    print(header)
    print("|---|---|---|---|---|---|---|")
    for case in ("20,000 files, 200 MB", "one file, 200 MiB"):
        for op in ("load", "save"):
            for column, label in ((0, ""), (1, " +sync")):
                med = {tool: statistics.median(t[column] for t in results[(case, op, tool)])
                       for tool in ("berth", "podman", "skopeo")}
                print(f"| {case} | {op}{label} | {med['berth']:.2f} s | {med['podman']:.2f} s | "
                      f"{med['skopeo']:.2f} s | {med['podman'] / med['berth']:.2f} | "
                      f"{med['skopeo'] / med['berth']:.2f} |")
    print()


def filesystem_type(path):
    """The type of the file system holding `path`, from the longest matching mount point."""
    path = os.path.realpath(path)
    best, kind = "", ""
    with open("/proc/self/mounts") as f:
        for line in f:
            fields = line.split()
            point = fields[1].encode().decode("unicode_escape")
            inside = path == point or path.startswith(point.rstrip("/") + "/")
            if inside and len(point) > len(best):
                best, kind = point, fields[2]
    return kind


def check_tools(berthctl):
    for tool in (berthctl, "podman", "skopeo", "runc"):
        if shutil.which(tool) is None:
            sys.exit(f"imagebench: {tool} not found (make bench installs it: "
                     "packaging/install-deps.sh --bench)")
    if os.geteuid() != 0:
        sys.exit("imagebench: podman's private overlay storage needs root here; run as root")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--berthctl", required=True, help="a Release build of berthctl")
    parser.add_argument("--work", required=True,
                        help="scratch directory on a real disk (not tmpfs); removed at the end")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "5")))
    args = parser.parse_args()
    berthctl = os.path.abspath(args.berthctl)
    work = os.path.abspath(args.work)
    check_tools(berthctl)
    if os.path.exists(work):
        sys.exit(f"imagebench: {work} exists (left by an interrupted run?); remove it first")
    parent = os.path.dirname(work)
    os.makedirs(parent, exist_ok=True)
    if filesystem_type(parent) == "tmpfs":
        sys.exit(f"imagebench: {parent} is on tmpfs; the benchmark measures a real disk: "
                 "point BENCH_WORK elsewhere")
    free = shutil.disk_usage(parent).free
    if free < needed_bytes(args.runs):
        sys.exit(f"imagebench: {parent} has {free / 1e9:.1f} GB free, the benchmark needs "
                 f"{needed_bytes(args.runs) / 1e9:.1f} GB; free some space, lower BENCH_RUNS "
                 "or point BENCH_WORK to another disk")
    os.makedirs(work)

    def interrupted(signum, frame):
        raise KeyboardInterrupt  # so that the cleanup below runs on SIGTERM too

    signal.signal(signal.SIGTERM, interrupted)
    results = {}
    try:
        cases = (("20,000 files, 200 MB", "many", "localhost/bench-many:latest",
                  write_many_files_rootfs),
                 ("one file, 200 MiB", "single", "localhost/bench-single:latest",
                  write_single_file_rootfs))
        for case, name, reference, write_rootfs in cases:
            scratch = Scratch(work)
            try:
                log(f"{case}: generating the archive")
                archive = make_archive(berthctl, scratch, name, reference, write_rootfs)
                bench_load(berthctl, archive, args.runs, results, case, scratch)
                bench_save(berthctl, archive, reference, args.runs, results, case, scratch)
            finally:
                log(f"{case}: removing what it made")
                scratch.cleanup()
    finally:
        unmount_under(work)
        shutil.rmtree(work, ignore_errors=True)
    print_table(results, args.runs)


if __name__ == "__main__":
    main()
