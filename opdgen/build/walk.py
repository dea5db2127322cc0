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
import os
import stat
from collections.abc import Iterator, Mapping
from typing import NamedTuple, Protocol


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


def row(rel: str, info: Identity) -> str:
    """One file's line in a digest of identities."""
    return f"{rel}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0{info.st_ino}\0{info.st_mode}\n"


def files_digest(files: Mapping[str, Identity | str]) -> str:
    """The digest of the identities of the files of an output folder (see output_files); an
    identity may be given as the row a walk apart wrote for it (Walked.row)."""
    return hashlib.sha256(_rows(files)).hexdigest()


def _rows(files: Mapping[str, Identity | str]) -> bytes:
    # (a name that is not UTF-8, planted in output/, is its own bytes again: os.fsdecode's escapes)
    return "".join(sorted(f"{info}\n" if isinstance(info, str) else row(f"./{rel}", info)
                          for rel, info in files.items())).encode("utf-8", "surrogateescape")


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
    """Walk `output` and write what it holds into the new file `blob` (the rows its digest is made
    of; nothing when the digest is ""); the digest of its files ("" when it is missing or holds a
    link)."""
    files = output_files(output)
    rows = b"" if files is None else _rows(files)
    with open(blob, "xb") as out:
        out.write(rows)
    return "" if files is None else hashlib.sha256(rows).hexdigest()


class Identity(Protocol):
    """What the build reads of a file's identity: an os.stat_result, or a Known from a walk apart."""

    @property
    def st_size(self) -> int: ...
    @property
    def st_mtime_ns(self) -> int: ...
    @property
    def st_ctime_ns(self) -> int: ...
    @property
    def st_ino(self) -> int: ...
    @property
    def st_mode(self) -> int: ...


class Known(NamedTuple):
    """A file's identity as a walk apart wrote it."""

    st_size: int
    st_mtime_ns: int
    st_ctime_ns: int
    st_ino: int
    st_mode: int


class Walked(Mapping[str, Known]):
    """What a walk apart found, by relative path: each file's row as the walk wrote it, read into a
    Known only when asked for (a build after an edit asks for a few thousand of 48,000; reading
    them all took a tenth of a second)."""

    def __init__(self, rows: dict[str, str]) -> None:
        self._rows = rows

    def __getitem__(self, rel: str) -> Known:
        _, size, mtime, ctime, ino, mode = self._rows[rel].split("\0")
        return Known(int(size), int(mtime), int(ctime), int(ino), int(mode))

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, rel: object) -> bool:
        return rel in self._rows

    def row(self, rel: str) -> str | None:
        """The file's row without its line break (files_digest takes it for the identity)."""
        return self._rows.get(rel)


def read_walk(blob: str, digest: str) -> Walked:
    """What walk_into wrote, when it gave this digest (not ""); ValueError when the file is not what
    it wrote then, or a row cannot be read (a path with a line break in it: every row has five
    NULs, and a name can hold none)."""
    with open(blob, "rb") as f:
        rows = f.read()
    if hashlib.sha256(rows).hexdigest() != digest:
        raise ValueError(f"{blob}: not the walk's rows")
    lines = rows.decode("utf-8", "surrogateescape").split("\n")[:-1]
    if rows.count(b"\0") != 5 * len(lines):
        raise ValueError(f"{blob}: a row that is not one file's")
    return Walked({line[2:line.index("\0")]: line for line in lines})
