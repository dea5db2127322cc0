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
import json
import os
import stat
from collections import Counter
from collections.abc import Iterator, KeysView, Mapping
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


def files_digest(files: Mapping[str, Identity | str], roots: Mapping[str, str] | None = None) -> str:
    """The digest of the identities of the files of an output folder (see output_files): made of
    each web root's digest (a top-level folder, or a file of output/ itself), so that a build which
    leaves most web roots as they are takes their digests from the walk instead of their files'
    rows. An identity may be given as the row a walk apart wrote for it (Walked.row); `roots`: the
    digests of further web roots (Walked.root_digest), none of whose files are in `files`."""
    return combined({**{root: hashlib.sha256(rows).hexdigest() for root, rows in _sections(files).items()},
                     **(roots or {})})


def combined(roots: Mapping[str, str]) -> str:
    """The digest of an output folder from its web roots' (no name holds a NUL, a digest is 64 hex
    digits: the text is read one way only)."""
    text = "".join(f"{root}\0{digest}\n" for root, digest in sorted(roots.items()))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _sections(files: Mapping[str, Identity | str]) -> dict[str, bytes]:
    """Each web root's rows, sorted, as its digest is made of them."""
    # (a name that is not UTF-8, planted in output/, is its own bytes again: os.fsdecode's escapes)
    by_root: dict[str, list[str]] = {}
    for rel, info in files.items():
        by_root.setdefault(rel.partition("/")[0], []).append(
            f"{info}\n" if isinstance(info, str) else row(f"./{rel}", info))
    return {root: "".join(sorted(rows)).encode("utf-8", "surrogateescape") for root, rows in by_root.items()}


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
    """Walk `output` and write what it holds into the new file `blob`: a line of JSON (each web
    root's name, digest, number of files and bytes of rows), then the rows of every web root in
    that order; the digest of its files ("" when it is missing or holds a link, and the file
    empty)."""
    files = output_files(output)
    sections = {} if files is None else _sections(files)
    counts = Counter(rel.partition("/")[0] for rel in files or ())
    digests = {root: hashlib.sha256(rows).hexdigest() for root, rows in sorted(sections.items())}
    with open(blob, "xb") as out:
        if files is not None:
            head = [[root, digest, counts[root], len(sections[root])] for root, digest in digests.items()]
            out.write(json.dumps(head).encode() + b"\n")
            for root in digests:
                out.write(sections[root])
    return "" if files is None else combined(digests)


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
    Known only when asked for, and each web root's rows split into files only when one of its files
    is asked for (a build after an edit asks for a few web roots of sixty: reading all 48,000 rows
    took a tenth of a second)."""

    def __init__(self, sections: Mapping[str, bytes], digests: Mapping[str, str],
                 counts: Mapping[str, int]) -> None:
        self._sections = sections
        self._digests = digests
        self._counts = counts
        self._rows: dict[str, dict[str, str]] = {}

    def _of(self, root: str) -> dict[str, str]:
        rows = self._rows.get(root)
        if rows is None:
            data = self._sections.get(root, b"")
            lines = data.decode("utf-8", "surrogateescape").split("\n")[:-1]
            rows = self._rows[root] = {line[2:line.index("\0")]: line for line in lines}
        return rows

    def __getitem__(self, rel: str) -> Known:
        _, size, mtime, ctime, ino, mode = self._of(rel.partition("/")[0])[rel].split("\0")
        return Known(int(size), int(mtime), int(ctime), int(ino), int(mode))

    def __iter__(self) -> Iterator[str]:
        for root in self.roots():
            yield from self._of(root)

    def __len__(self) -> int:
        return sum(self._counts.values())

    def __contains__(self, rel: object) -> bool:
        return isinstance(rel, str) and rel in self._of(rel.partition("/")[0])

    def row(self, rel: str) -> str | None:
        """The file's row without its line break (files_digest takes it for the identity)."""
        return self._of(rel.partition("/")[0]).get(rel)

    def roots(self) -> list[str]:
        """The web roots found (top-level names of the folder)."""
        return sorted(self._sections)

    def root_files(self, root: str) -> KeysView[str]:
        return self._of(root).keys()

    def root_digest(self, root: str) -> str:
        """The digest of one web root's files (files_digest takes it for all of them)."""
        return self._digests[root]

    def count(self, root: str) -> int:
        return self._counts.get(root, 0)


def read_walk(blob: str, digest: str) -> Walked:
    """What walk_into wrote, when it gave this digest (not ""); ValueError when the file is not what
    it wrote then, or a row cannot be read (a path with a line break in it: every row has five
    NULs, and a name can hold none). Every web root's rows are checked against their digest here,
    and split into files when asked for."""
    with open(blob, "rb") as f:
        head = f.readline()
        data = f.read()
    try:
        roots = json.loads(head)
        digests = {str(root): str(root_digest) for root, root_digest, _, _ in roots}
        counts = {str(root): int(count) for root, _, count, _ in roots}
        sizes = [int(size) for _, _, _, size in roots]
    except (ValueError, TypeError):
        raise ValueError(f"{blob}: not the walk's rows") from None
    if combined(digests) != digest or sum(sizes) != len(data):
        raise ValueError(f"{blob}: not the walk's rows")
    sections, at = {}, 0
    for (root, root_digest), size in zip(digests.items(), sizes, strict=True):
        rows = sections[root] = data[at:at + size]
        at += size
        if hashlib.sha256(rows).hexdigest() != root_digest:
            raise ValueError(f"{blob}: not the walk's rows")
        if rows.count(b"\0") != 5 * rows.count(b"\n") or rows.count(b"\n") != counts[root]:
            raise ValueError(f"{blob}: a row that is not one file's")
    return Walked(sections, digests, counts)
