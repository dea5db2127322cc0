"""The walk of a folder's files with their identities, and the digest of what it found.

Standard library only, and importing nothing of opdgen: the spawner's helper process (a bare
interpreter, `python -I -S`) loads this file by its path and walks output/ while the build's own
process loads the kept sites (opdgen.build.pipeline). The walk is some 48,000 lstat calls at 10,000
posts, most of its 0.4 s in the kernel; in a thread of the build's busy process it would wait for
the interpreter lock after every call and end no sooner (measured: 0.9 s beside the unpickling, 0.4
s alone), in the helper it costs the build nothing but reading the result back.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
from collections.abc import Mapping


class Linked(Exception):
    """A symbolic link below the folder: its target's changes would not show."""


def stats(folder: str, rel: str, found: dict[str, os.stat_result], code: bool = False) -> None:
    """Every file below folder by relative path, with its identity (os.scandir: a third of the time
    of os.walk and lstat); `code`: leave Python's caches out. Linked when a link is found."""
    with os.scandir(folder) as entries:
        for entry in entries:
            # a folder or link is known from the listing (no stat: a third of the entries of output/)
            if entry.is_symlink():
                raise Linked(entry.path)
            if entry.is_dir(follow_symlinks=False):
                if not (code and entry.name == "__pycache__"):
                    stats(entry.path, f"{rel}{entry.name}/", found, code)
                continue
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISLNK(info.st_mode):  # replaced by a link since it was listed
                raise Linked(entry.path)
            if not (code and entry.name.endswith(".pyc")):
                found[rel + entry.name] = info


def row(rel: str, info: os.stat_result) -> str:
    """One file's line in a digest of identities."""
    return f"{rel}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0{info.st_ino}\0{info.st_mode}\n"


def files_digest(files: Mapping[str, os.stat_result]) -> str:
    """The digest of the identities of the files of an output folder (see output_files)."""
    rows = sorted(row(f"./{rel}", info) for rel, info in files.items())
    return hashlib.sha256("".join(rows).encode()).hexdigest()


def output_files(output: str) -> dict[str, os.stat_result] | None:
    """Every file in the folder by relative path, with its identity; None when it is missing or
    holds a symbolic link."""
    found: dict[str, os.stat_result] = {}
    try:
        stats(output, "", found)
    except (Linked, OSError):
        return None
    return found


def walk_into(output: str, blob: str) -> str:
    """Walk `output` and write what it holds into the new file `blob` (marshal: None, or a list of
    rows: path, then the identity as `identity` gives it); the digest of its files ("" for None)."""
    files = output_files(output)
    rows = None if files is None else [(rel, *identity(info)) for rel, info in files.items()]
    with open(blob, "xb") as out:
        out.write(marshal.dumps(rows))
    return "" if files is None else files_digest(files)


def identity(info: os.stat_result) -> tuple[int | float, ...]:
    """What os.stat_result(...) needs to stand for `info` in every use the build makes of it (mode,
    inode, device, links, owner, group, size, the times in seconds and in nanoseconds)."""
    return (info.st_mode, info.st_ino, info.st_dev, info.st_nlink, info.st_uid, info.st_gid,
            info.st_size, int(info.st_atime), int(info.st_mtime), int(info.st_ctime),
            info.st_atime, info.st_mtime, info.st_ctime, info.st_atime_ns, info.st_mtime_ns,
            info.st_ctime_ns)


def read_walk(blob: str) -> dict[str, os.stat_result] | None:
    """What walk_into wrote (the blob is the build's own file, written by its own helper)."""
    with open(blob, "rb") as f:
        rows = marshal.loads(f.read())  # (marshal.load reads a file a few bytes at a time)
    if rows is None:
        return None
    return {r[0]: os.stat_result(r[1:]) for r in rows}
