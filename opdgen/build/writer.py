"""The only module that touches output/: builds each changed web root beside it and swaps it in.

DESIGN: a failed build leaves output/ untouched. Every file is made before anything in output/
changes. Each web root that differs (a top-level folder: an agency, the portal, .opdgen) is made in
a sibling folder (`output.opdgen-new/<root>`, the spare: that root before its last swap, brought
up to date by touching only what differs), files whose bytes did not change are hard links to the
current output's (so their mtime stays and rsync skips them), and the two folders are exchanged
with renameat2(RENAME_EXCHANGE) where the kernel has it: there is no moment without a complete web
root. A web root with nothing changed is left as it is.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import dataclasses
import functools
import hashlib
import os
import shutil
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from pathlib import Path, PurePosixPath
from typing import Any

from opdgen.build import progress
from opdgen.build.walk import Identity, Walked, files_digest
from opdgen.outputs.files import OutputFile
from opdgen.outputs.manifest import SERVER_DIR
from opdgen.records import record

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class OutputConflict(Exception):
    def __init__(self, path: PurePosixPath) -> None:
        super().__init__(str(path))
        self.path = path


@record
class WriteStats:
    written: int
    unchanged: int
    pages_written: int = 0
    pages_unchanged: int = 0
    written_paths: tuple[str, ...] = ()  # output-relative paths whose bytes are new (serve reloads those)


@functools.cache
def _renameat2() -> Any:
    """libc's renameat2, once per process (finding libc runs ldconfig); None where there is none."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return None
    return getattr(ctypes.CDLL(libc_name, use_errno=True), "renameat2", None)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False when the platform cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def check_unique(files: Iterable[OutputFile]) -> None:
    """Refuse two files at one path (Pelican's lesson): raise OutputConflict."""
    seen: set[PurePosixPath] = set()
    for f in files:
        if f.path in seen:
            raise OutputConflict(f.path)
        seen.add(f.path)


def write_output(files: Iterable[OutputFile], output_dir: Path, keep: Iterable[str] = ()) -> WriteStats:
    """Bring the spare tree up to the new output and swap it in (Writer, all files at once)."""
    files = list(files)
    check_unique(files)
    writer = Writer(output_dir, keep)
    for f in sorted(files, key=lambda f: str(f.path)):
        writer.put(f)
    return writer.finish()


class Writer:
    """Streams a build's files into the spare tree as they are made, then swaps them in, web root by
    web root (each top-level folder of output/: an agency, the portal, .opdgen).

    The spare (`output.opdgen-new`) holds, for each web root, that root as it was before its last
    swap. A web root whose files all equal the current output's, with none added or gone, is left
    as it is: its spare is not touched at all (after one edit, fifty-nine agencies of sixty). Any
    other web root is brought up to date in the spare by touching only what differs: a file that
    equals the current output's is a hard link to it (same inode, same mtime), a new or changed file
    is written afresh (never into a linked inode), what is no longer wanted is removed; then the two
    folders are exchanged. Whatever state a killed or failed build left the spare in, the next build
    converges, and the current output is never touched until the swaps, each of which leaves a
    complete web root. A file's bytes leave memory once `put` has written them: `put` returns the
    file without them. `keep` names top-level folders to carry over unchanged (`build --site X`
    keeps the other sites).
    """

    def __init__(self, output_dir: Path, keep: Iterable[str] = (),
                 known: Mapping[str, Identity] | None = None,
                 recorded: Callable[[str], str | None] | None = None, hold_links: bool = False) -> None:
        self.output_dir = output_dir.absolute()
        # the current output's files as the up-to-date check found them (opdgen.build.uptodate), so
        # an unchanged file needs no lstat; and the new output's, for the next check (identities)
        self.known = known
        # the digest of the current output's file at a path, as the build that made it recorded it
        # (PageReuse.recorded), when output/ is as that build left it: a made file is compared with
        # it instead of with the file's bytes (None: they are read)
        self.recorded = recorded
        # a new link to a file of the current output changes the file's ctime, which the up-to-date
        # check's walk reads: while a walk of output/ may still be running (a build that goes ahead
        # before its verdict), the spare's links to current files wait for release_links
        self.held: list[str] | None = [] if hold_links else None
        self.identities: dict[str, Identity | str | None] = {}  # None: lstat it after the swap
        # the web roots left as they are, unseen: their digests as the walk of output/ found them
        self.root_digests: dict[str, str] = {}
        self.staging = self.output_dir.with_name(self.output_dir.name + ".opdgen-new")
        recover(self.output_dir)
        self.keep = set(keep)
        # with no current output (deleted; nothing can be reading the spare's files through it), a
        # changed file is written into the spare's own file where no other tree shares it (_place)
        self.in_place = not os.path.lexists(self.output_dir)
        if self.staging.is_symlink() or (self.staging.exists() and not self.staging.is_dir()):
            self.staging.unlink()  # a spare that is not a real folder is replaced
        self.staging.mkdir(parents=True, exist_ok=True)
        self.folders: set[str] = {""}  # the spare's folders, by relative path ("" is the spare itself)
        self.existing: dict[str, int] = {}  # the spare's files (of the web roots listed so far)
        self.listed: set[str] = set()  # web roots whose spare is being brought up to date
        self.waiting: dict[str, list[str]] = {}  # files equal to the current output's, by web root
        self.done: set[str] = set()
        self.written = self.unchanged = self.pages = self.pages_written = 0
        self.written_paths: list[str] = []

    def put(self, f: OutputFile) -> OutputFile:
        """Place one file in the spare tree; the same file, its bytes dropped (its digest kept)."""
        rel = str(f.path)
        if rel in self.done:
            raise OutputConflict(f.path)
        self.done.add(rel)
        self.pages += f.is_page
        if f.reused:  # the page renderer found its inputs unchanged and checked the old file is there
            self._unchanged(rel)
            return f
        linked = f.source is not None and not f.data
        data = b"" if linked else f.content()  # one lazy file in memory at a time
        digest = f.digest
        if self.in_place:  # no current output: nothing to compare with, and no stat call to learn it
            same = False
        elif self.recorded is not None:
            digest = digest or hashlib.sha256(data).hexdigest()
            same = self.recorded(rel) == digest and self._exists(rel)
        else:
            current = self.output_dir / rel
            same = _same_digest(current, digest) if linked else _same_bytes(current, data)
        if same:
            self._unchanged(rel)
        else:
            self.written += 1
            self.pages_written += f.is_page
            self.written_paths.append(rel)
            self._touch(rel.partition("/")[0])
            # a cached preview is linked in, unless the spare's own file can take its bytes (in_place:
            # removing a file costs more than rewriting it)
            in_place = self.in_place and self.existing.get(rel, -1) > 0
            source = f.source() if linked and f.source is not None and not in_place else None
            if source is None or not self._link_source(rel, source):
                self._place(rel, f.content() if linked else data)
            self.identities[rel] = None
        if not f.data and not f.search_doc:
            return f
        digest = digest or hashlib.sha256(data).hexdigest()
        return dataclasses.replace(f, data=b"", search_doc=b"", digest=digest)

    def put_all(self, files: Iterable[OutputFile]) -> list[OutputFile]:
        out = []
        for f in files:
            progress.advance()
            out.append(self.put(f))
        return out

    def _unchanged(self, rel: str) -> None:
        """A file equal to the current output's: linked into the spare if its web root is swapped."""
        self.unchanged += 1
        root = rel.partition("/")[0]
        if root in self.listed:
            self._link(rel)
        else:
            self.waiting.setdefault(root, []).append(rel)

    def _touch(self, root: str) -> None:
        """The web root will be swapped: list its spare, and link in the unchanged files seen so far."""
        if root in self.listed:
            return
        self.listed.add(root)
        _list_spare(self.staging, root, self.existing, self.folders)
        for rel in self.waiting.pop(root, ()):
            self._link(rel)

    def _place(self, rel: str, data: bytes) -> None:
        """Write a new or changed file into the spare: as a new file, or (in_place) into the spare's
        own file at rel when no other tree shares its inode: no new inode and no new folder, where a
        file system that just deleted the whole output is slow to hand out inodes (ext4 without a
        journal skips recently freed ones one by one)."""
        target = f"{self.staging}/{rel}"
        inode = self.existing.get(rel)
        if self.in_place and inode is not None and inode > 0 and _overwrite(target, data):
            return
        folder = rel.rpartition("/")[0]
        if inode is None and self._free(rel) and _create(target, data):
            return
        path = Path(target)
        _clear(path, inode is not None)
        path.write_bytes(data)
        self._made_folders(folder)

    def _link_source(self, rel: str, source: Path) -> bool:
        """Link the file `source` (a cached preview) in at rel; False when it cannot or should not be."""
        target = self.staging / rel
        if self._free(rel) and _link_from(source, target):
            return True
        _clear(target, rel in self.existing)
        self._made_folders(rel.rpartition("/")[0])
        return _link_from(source, target)

    def _free(self, rel: str) -> bool:
        """Nothing stands at rel in the spare (its web root is listed, so no stat is needed) and its
        folder exists; False: the caller makes room the long way (_clear), as it does when a new
        file cannot be made there after all."""
        return rel not in self.existing and self._folder(rel.rpartition("/")[0])

    def _folder(self, folder: str) -> bool:
        """Make sure the spare has this folder, making the missing ones from the nearest one known
        (its web root is listed, so a path not among its folders or files is free); False when a
        file stands in the way or a folder cannot be made: the caller makes room the long way."""
        missing = []
        while folder not in self.folders:
            if folder in self.existing:
                return False
            missing.append(folder)
            folder = folder.rpartition("/")[0]
        for made in reversed(missing):
            try:
                os.mkdir(f"{self.staging}/{made}")
            except OSError:
                return False
            self.folders.add(made)
        return True

    def _made_folders(self, folder: str) -> None:
        while folder not in self.folders:
            self.folders.add(folder)
            folder = folder.rpartition("/")[0]

    def release_links(self) -> None:
        """Make the links held so far, and any later one at once (hold_links)."""
        held, self.held = self.held, None
        for rel in held or ():
            self._link(rel)

    def _link(self, rel: str) -> None:
        """The spare's file at rel becomes the current output's (a hard link to it)."""
        if self.held is not None:
            self.held.append(rel)
            return
        info = self._current(rel)
        if self.existing.get(rel) == info.st_ino:
            self.identities[rel] = info
            return  # the spare already links the current file
        target = self.staging / rel
        self.identities[rel] = None  # a new link changes the file's ctime
        if self._free(rel):
            with contextlib.suppress(FileExistsError):
                os.link(self.output_dir / rel, target)
                return
        _clear(target, rel in self.existing)
        self._made_folders(rel.rpartition("/")[0])
        os.link(self.output_dir / rel, target)

    def _exists(self, rel: str) -> bool:
        """Whether the current output has a regular file at rel (a build that goes ahead before
        output/'s walk is in, on the assumption that it is intact, still finds it there to link)."""
        if self.known is not None:
            return rel in self.known
        try:
            return stat.S_ISREG(os.lstat(f"{self.output_dir}/{rel}").st_mode)
        except OSError:
            return False

    def _current(self, rel: str) -> Identity:
        known = self.known.get(rel) if self.known is not None else None
        return known or os.lstat(f"{self.output_dir}/{rel}")

    def _current_row(self, rel: str) -> Identity | str:
        """_current, or the row a walk apart wrote for the file (walk.files_digest takes either)."""
        found = self.known.row(rel) if isinstance(self.known, Walked) else None
        return found if found is not None else self._current(rel)

    def output_digest(self) -> str:
        """After finish: uptodate.output_digest of the new output, from what this writer saw and
        made, without walking it again."""
        return files_digest({rel: info for rel, info in self.identities.items() if info is not None},
                            self.root_digests)

    def finish(self) -> WriteStats:
        """Swap in every web root that differs from the current output's, remove the ones no longer
        wanted, and leave the others (and the kept folders) as they are."""
        self.release_links()
        current = self._current_roots()
        whole = set()  # kept web roots nothing was put in: left as they are, file by file unseen
        for name in sorted(self.keep):  # kept folders: their files as the current output has them
            root, _, below = name.partition("/")
            if not below and root not in self.listed and root not in self.waiting and root in current:
                whole.add(root)
                if isinstance(self.known, Walked):  # its digest as the walk found it, its files unread
                    self.root_digests[root] = self.known.root_digest(root)
                    self.unchanged += self.known.count(root)
                    continue
                for rel in current[root]:  # (a walk's row stands for the identity itself)
                    self.identities[rel] = self._current_row(rel)
                self.unchanged += len(current[root])
                continue
            for rel in sorted(current.get(root, ())):
                if (rel == name or rel.startswith(f"{name}/")) and rel not in self.done:
                    self.done.add(rel)
                    self._unchanged(rel)
        new_roots = {rel.partition("/")[0] for rel in self.done} | whole
        for root in sorted(self.waiting):  # nothing written there: the same files as now?
            if set(self.waiting[root]) == current.get(root):
                for rel in self.waiting[root]:  # (a walk's row stands for the identity itself)
                    self.identities[rel] = self._current_row(rel)
            else:
                self._touch(root)
        self.waiting.clear()
        for rel in sorted({r for r in self.existing if r.partition("/")[0] in self.listed} - self.done,
                          reverse=True):
            if os.path.isdir(self.staging / rel) and not os.path.islink(self.staging / rel):
                continue  # a file that stood where this build wanted a folder: it is that folder now
            _remove(self.staging / rel)
            _prune_empty_parents(self.staging, self.staging / rel)
        spare = str(self.staging)
        for rel, info in self.identities.items():
            if info is None:  # (a string, not a Path: 50,000 of them after a cold build)
                self.identities[rel] = os.lstat(f"{spare}/{rel}")
        for name in sorted(os.listdir(self.staging)):  # spares of web roots no build makes any more
            if name not in new_roots:
                _remove(self.staging / name)
        _fsync_dir(self.staging)
        if os.path.islink(self.output_dir):
            os.unlink(self.output_dir)  # output/ is a real folder (the up-to-date check refuses links)
        self.output_dir.mkdir(exist_ok=True)
        # the server files (.opdgen: manifests, nginx.conf, pages.json) last: they describe the rest
        for root in sorted(self.listed, key=lambda r: (r == SERVER_DIR, r)):
            _swap_root(self.staging, self.output_dir, root)
        for root in sorted(set(current) - new_roots):  # no longer built: out of output/
            os.rename(self.output_dir / root, self.staging / root)
            _remove(self.staging / root)
        _fsync_dir(self.output_dir)
        return WriteStats(self.written, self.unchanged, self.pages_written, self.pages - self.pages_written,
                          tuple(sorted(self.written_paths)))

    def _current_roots(self) -> Mapping[str, AbstractSet[str]]:
        """The current output's files by web root (a file directly in output/ is a root of its own;
        anything that is not a regular file or folder counts as a file that no build makes); from a
        walk apart, each root's files are read only when asked for."""
        if isinstance(self.known, Walked):
            known = self.known
            return {root: _RootFiles(known, root) for root in known.roots()}
        if self.known is not None:
            files: Iterable[str] = self.known
        else:
            found: dict[str, int] = {}
            if os.path.isdir(self.output_dir) and not os.path.islink(self.output_dir):
                _list(str(self.output_dir), "", found, set())
            files = found
        roots: dict[str, set[str]] = {}
        for rel in files:
            roots.setdefault(rel.partition("/")[0], set()).add(rel)
        return roots


class _RootFiles(AbstractSet[str]):
    """One web root's files as a walk apart found them, split from its rows on first use."""

    def __init__(self, walked: Walked, root: str) -> None:
        self._walked, self._root = walked, root

    def __contains__(self, rel: object) -> bool:
        return rel in self._walked.root_files(self._root)

    def __iter__(self) -> Iterator[str]:
        return iter(self._walked.root_files(self._root))

    def __len__(self) -> int:
        return self._walked.count(self._root)


def _list_spare(staging: Path, root: str, found: dict[str, int], folders: set[str]) -> None:
    """The files of one web root's spare (see _list), and its folders; anything else standing at
    the root's place (a file, a link) is removed."""
    place = staging / root
    if place.is_symlink() or (place.exists() and not place.is_dir()):
        place.unlink()
    if place.is_dir():
        folders.add(root)
        _list(str(place), f"{root}/", found, folders)


def _list(folder: str, rel: str, found: dict[str, int], folders: set[str]) -> None:
    """Files below folder by relative path: the inode of each regular file, -1 for anything else
    that is not a folder (a link is never followed). The directory entries say both, so no file is
    stat'ed (where they do not, as on some overlay file systems, an inode that differs from the
    file's only costs a fresh link)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.add(rel + entry.name)
                _list(entry.path, f"{rel}{entry.name}/", found, folders)
            else:
                found[rel + entry.name] = entry.inode() if entry.is_file(follow_symlinks=False) else -1


def _overwrite(path: str, data: bytes) -> bool:
    """Write data into the regular file at path when it is the file's only name (nlink 1: no other
    tree sees it, and a link is never followed); False, untouched, otherwise."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            return False
        _write_all(fd, data)
        os.ftruncate(fd, len(data))  # after writing: the file's blocks are rewritten, not freed
        return True
    finally:
        os.close(fd)


def _create(path: str, data: bytes) -> bool:
    """Write data as a new file at path, whose folder exists; False when something is there."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    except (FileExistsError, FileNotFoundError, NotADirectoryError):
        return False  # the caller makes room (and folders) first
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)
    return True


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _clear(target: Path, exists: bool) -> None:
    """Make room for a new file at target (its folder exists afterwards)."""
    if exists or target.is_symlink() or target.exists():
        _remove(target)
    parent = target.parent
    if parent.is_dir() and not parent.is_symlink():
        return
    for up in [*reversed(parent.parents), parent]:  # a file may stand where a folder is wanted
        if up.is_symlink() or (up.exists() and not up.is_dir()):
            up.unlink()
    parent.mkdir(parents=True, exist_ok=True)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _prune_empty_parents(staging: Path, path: Path) -> None:
    for parent in path.parents:
        if parent == staging or not parent.is_relative_to(staging):
            return
        try:
            parent.rmdir()
        except OSError:
            return


def _link_from(source: Path | None, target: Path) -> bool:
    """Link a file that holds the wanted bytes (a cached preview); False when it cannot be (another
    file system, no such file) or should not be: the caller writes the bytes instead. Only a file no
    other output links yet is linked: a new link changes the file's ctime, which would make another
    output (serve's, a second --output) look altered to the up-to-date check."""
    if source is None:
        return False
    try:
        if os.stat(source).st_nlink != 1:
            return False
        os.link(source, target)
    except OSError:
        return False
    return True


def _same_digest(path: Path, digest: str) -> bool:
    try:
        return path.is_file() and not path.is_symlink() \
            and hashlib.sha256(path.read_bytes()).hexdigest() == digest
    except OSError:
        return False


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_size == len(data) \
            and path.read_bytes() == data
    except OSError:
        return False


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap_root(staging: Path, output_dir: Path, root: str) -> None:
    """Put the spare's web root in place of the current one; the current one becomes its spare.
    Where the kernel cannot exchange two paths at once, three renames through output.opdgen-old
    (recover puts a root back after a crash between them)."""
    spare, live = staging / root, output_dir / root
    if not os.path.lexists(live):
        os.rename(spare, live)
        return
    if _exchange(spare, live):
        return
    old = _old_folder(output_dir)
    old.mkdir(exist_ok=True)
    _remove(old / root)
    os.rename(live, old / root)
    os.rename(spare, live)
    os.rename(old / root, spare)
    with contextlib.suppress(OSError):  # not empty (a crash before left it): recover's at the next build
        old.rmdir()


def _old_folder(output_dir: Path) -> Path:
    return output_dir.with_name(output_dir.name + ".opdgen-old")


def recover(output_dir: Path) -> None:
    """After a crash between the renames of a fallback swap, put the old web roots back (an
    output.opdgen-old left by an earlier version of opdgen holds a whole output)."""
    old = _old_folder(output_dir)
    if not old.exists():
        return
    if not output_dir.exists():
        os.rename(old, output_dir)
        return
    for name in sorted(os.listdir(old)):
        if not os.path.lexists(output_dir / name):
            os.rename(old / name, output_dir / name)
    shutil.rmtree(old)
