#!/usr/bin/env python3
"""Writes the seed archives of fuzz_tar into tests/data/archive/ (valid/ and malicious/).

    python3 fuzz/make_tar_seeds.py [output-dir]

Archives are written entry by entry (TarInfo.tobuf) with only the two end blocks, so they stay
small, and with fixed times and owners, so the output is the same on every run (zstd's may
change with the zstd version). fuzz_tar extracts into <work>/jail/<input>/ next to an empty
<work>/canary/ and checks /tmp/berth-fuzz-tar-canary is never created: the malicious seeds aim
at those; an odd-sized input is extracted with WhiteoutMode::Apply, an even one with Overlay.
Each root starts with a small "lower" tree (lower-file, lower/file, lower/sub/ and
lower/escape -> ../../../canary) for whiteouts to act on.
"""

import gzip
import os
import subprocess
import sys
import tarfile

MTIME = 1700000000
ABS_CANARY = "/tmp/berth-fuzz-tar-canary"


def entry(name, kind=tarfile.REGTYPE, data=b"", link="", mode=0o644, fmt=tarfile.PAX_FORMAT,
          pax=None, uid=0, gid=0, devmajor=0, devminor=0):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    info.linkname = link
    info.mode = mode
    info.mtime = MTIME
    info.uid, info.gid = uid, gid
    info.uname = info.gname = ""
    info.devmajor, info.devminor = devmajor, devminor
    if pax:
        info.pax_headers = pax
    out = info.tobuf(fmt, "utf-8", "surrogateescape")
    return out + data + b"\0" * (-len(data) % 512)


def file(name, data=b"", **kw):
    return entry(name, tarfile.REGTYPE, data, **kw)


def directory(name, mode=0o755, **kw):
    return entry(name, tarfile.DIRTYPE, mode=mode, **kw)


def symlink(name, target, mode=0o777, **kw):
    return entry(name, tarfile.SYMTYPE, link=target, mode=mode, **kw)


def hardlink(name, target, **kw):
    return entry(name, tarfile.LNKTYPE, link=target, **kw)


def tar(*entries):
    return b"".join(entries) + b"\0" * 1024


def zstd(data):
    return subprocess.run(["zstd", "-q", "-19", "-c"], input=data, check=True,
                          stdout=subprocess.PIPE).stdout


def seeds():
    tool = b"#!/bin/sh\n" + b"echo berth\n" * 100  # more than one block
    basic = tar(directory("etc"), file("etc/hostname", b"berth\n"),
                file("bin/tool", tool, mode=0o4755), file("empty"), directory("ro", mode=0o555),
                file("ro/inside", b"kept", mode=0o444))
    links = tar(file("etc/passwd", b"root:x:0:0::/root:/bin/sh\n"),
                symlink("bin/rel", "../etc/passwd"), symlink("bin/abs", "/etc/passwd"),
                hardlink("etc/passwd-link", "etc/passwd"), symlink("dangling", "nowhere"),
                symlink("dir-link", "etc"), file("dir-link/through", b"via a symlink"))
    longName = "p" * 150 + "/" + "q" * 150
    pax = tar(directory("p" * 150), file(longName, b"long"),
              symlink("long-link", "t" * 300),
              file("xattrs", b"x", pax={"SCHILY.xattr.user.note": "kept", "mtime": "1700000000.5",
                                         "uid": "1000", "gid": "1000", "uname": "u"}),
              hardlink("long-hardlink", longName))
    gnu = tar(file("g" * 120 + "/name", b"gnu", fmt=tarfile.GNU_FORMAT),
              symlink("gnu-link", "l" * 200, fmt=tarfile.GNU_FORMAT),
              file("big-uid", b"", uid=3_000_000, fmt=tarfile.GNU_FORMAT))  # base-256
    ustar = tar(file("u" * 120 + "/" + "v" * 90, b"prefix field", fmt=tarfile.USTAR_FORMAT))
    whiteouts = tar(directory("a"), file("a/b", b"b"), file("a/.wh.c"), directory("d"),
                    file("d/.wh..wh..opq"), file("d/new", b"new"), file(".wh.a"))
    nodes = tar(entry("null", tarfile.CHRTYPE, devmajor=1, devminor=3),
                entry("loop0", tarfile.BLKTYPE, devmajor=7, devminor=0),
                entry("fifo", tarfile.FIFOTYPE))
    replace = tar(file("x", b"first"), directory("x"), file("x/y", b"second"), file("x", b"third"),
                  directory("keep"), directory("keep", mode=0o700))
    gz_two_members = gzip.compress(basic[:-1024], mtime=0) + gzip.compress(
        tar(file("second-member", b"2")), mtime=0)

    yield "valid/basic.tar", basic
    yield "valid/links.tar", links
    yield "valid/pax-long-names.tar", pax
    yield "valid/gnu-long-names.tar", gnu
    yield "valid/ustar-prefix.tar", ustar
    yield "valid/whiteouts.tar", whiteouts
    yield "valid/devices-fifo.tar", nodes
    yield "valid/replacements.tar", replace
    yield "valid/basic.tar.gz", gzip.compress(basic, mtime=0)
    yield "valid/two-members.tar.gz", gz_two_members
    yield "valid/links.tar.zst", zstd(links)
    yield "valid/pax-long-names.tar.zst", zstd(pax)
    yield "valid/whiteouts.tar.zst", zstd(whiteouts)

    # One attack per archive, so that each is reached (extraction stops at the first error).
    s = "../../canary"  # the canary, seen from the root
    attacks = {
        "dotdot": [file("../canary/pwned", b"pwned")],
        "dotdot-deep": [file("a/../../../canary/pwned", b"pwned")],
        "dotdot-pax": [file("x", b"pwned", pax={"path": s + "/pwned"})],
        "symlink-escape": [symlink("up", s), file("up/pwned", b"pwned")],
        "symlink-chain": [symlink("a", "b"), symlink("b", "c"),
                          symlink("c", "../" * 30 + "canary"), file("a/pwned", b"pwned")],
        "symlink-root": [symlink("root", "/"), file("root" + ABS_CANARY, b"pwned")],
        "symlink-absolute": [symlink("t", os.path.dirname(ABS_CANARY)),
                             directory("t/" + os.path.basename(ABS_CANARY)),
                             file(ABS_CANARY + "/pwned", b"pwned")],
        "hardlink-dotdot": [hardlink("h", s)],
        "hardlink-symlink": [symlink("s", s), hardlink("h", "s/x")],
        "hardlink-absolute": [hardlink("h", "/etc/passwd")],
        "whiteout-symlink": [symlink("s", s), file("s/.wh.x")],
        "opaque-symlink": [symlink("s", s), file("s/.wh..wh..opq")],
        "whiteout-dotdot": [file("d/.wh..")],
        "whiteout-dots": [file(".wh...")],
        "lower-escape": [file("lower/escape/pwned", b"pwned")],
        "lower-hardlink": [hardlink("h", "lower/escape/x")],
        "replace-symlink-file": [symlink("l", s), file("l", b"pwned")],
        "replace-symlink-dir": [symlink("d", s), directory("d"), file("d/pwned", b"x")],
        "replace-lower-symlink": [directory("lower/escape"), file("lower/escape/pwned", b"x")],
    }
    for name, entries in attacks.items():
        yield f"malicious/{name}.tar", tar(*entries)
    # Whiteouts of the lower tree, in both modes (an odd size selects WhiteoutMode::Apply).
    lower = tar(file("lower/.wh.file"), file("lower/sub/.wh..wh..opq"), file("lower/.wh.escape"),
                file(".wh.lower-file"), file("lower/.wh..wh..opq"), file("lower/new", b"new"))
    yield "valid/lower-whiteouts.tar", lower
    yield "valid/lower-whiteouts-apply.tar", lower + b"\0"
    yield "valid/whiteouts-apply.tar", whiteouts + b"\0"
    # 8 MiB of zeros in a few KiB: above fuzz_tar's 4 MiB limit.
    yield "malicious/bomb.tar.gz", gzip.compress(tar(file("zeros", b"\0" * (8 << 20))), mtime=0)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "tests", "data",
                                                             "archive")
    for name, data in seeds():
        path = os.path.join(out, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
