"""The only module that touches output/: builds the new tree beside it and swaps it in at once.

DESIGN: a failed build leaves output/ untouched. The new tree is made in a sibling folder
(`output.opdgen-new`, the spare: the output before last, brought up to date by touching only what
differs), files whose bytes did not change are hard links to the current output's (so their mtime
stays and rsync skips them), and the two folders are exchanged with renameat2(RENAME_EXCHANGE)
where the kernel has it: there is no moment without a complete output/.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import hashlib
import os
import shutil
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from opdgen.build import progress
from opdgen.build.uptodate import files_digest
from opdgen.outputs.files import OutputFile

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class OutputConflict(Exception):
    def __init__(self, path: PurePosixPath) -> None:
        super().__init__(str(path))
        self.path = path


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    unchanged: int
    pages_written: int = 0
    pages_unchanged: int = 0
    written_paths: tuple[str, ...] = ()  # output-relative paths whose bytes are new (serve reloads those)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False when the platform cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
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
    """Streams a build's files into the spare tree as they are made, then swaps it in.

    The spare (`output.opdgen-new`) is the output before last, kept by the previous swap. Only what
    differs is touched: a file that equals the current output's is a hard link to it (same inode,
    same mtime), a new or changed file is written afresh (never into a linked inode), and `finish`
    removes what is no longer wanted and swaps. Whatever state a killed or failed build left the
    spare in, the next build converges, and the current output is never touched until the swap.
    A file's bytes leave memory once `put` has written them: `put` returns the file without them.
    `keep` names top-level folders to carry over unchanged (`build --site X` keeps the other sites).
    """

    def __init__(self, output_dir: Path, keep: Iterable[str] = (),
                 known: Mapping[str, os.stat_result] | None = None) -> None:
        self.output_dir = output_dir.absolute()
        # the current output's files as the up-to-date check found them (opdgen.build.uptodate), so
        # an unchanged file needs no lstat; and the new output's, for the next check (identities)
        self.known = known or {}
        self.identities: dict[str, os.stat_result | None] = {}  # None: lstat it after the swap
        self.staging = self.output_dir.with_name(self.output_dir.name + ".opdgen-new")
        recover(self.output_dir)
        self.keep = sorted(set(keep))
        # with no current output (deleted; nothing can be reading the spare's files through it), a
        # changed file is written into the spare's own file where no other tree shares it (_place)
        self.in_place = not os.path.lexists(self.output_dir)
        self.folders: set[str] = {""}  # the spare's folders, by relative path ("" is the spare itself)
        self.existing = _spare_files(self.staging, self.folders)
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
            self._link(rel)
            return f
        linked = f.source is not None and not f.data
        data = b"" if linked else f.content()  # one lazy file in memory at a time
        current = self.output_dir / rel
        same = _same_digest(current, f.digest) if linked else _same_bytes(current, data)
        if same:
            self._link(rel)
        else:
            self.written += 1
            self.pages_written += f.is_page
            self.written_paths.append(rel)
            # a cached preview is linked in, unless the spare's own file can take its bytes (in_place:
            # removing a file costs more than rewriting it)
            in_place = self.in_place and self.existing.get(rel, -1) > 0
            source = f.source() if linked and f.source is not None and not in_place else None
            if source is None or not self._link_source(rel, source):
                self._place(rel, f.content() if linked else data)
            self.identities[rel] = None
        if not f.data and not f.search_doc:
            return f
        digest = f.digest or hashlib.sha256(data).hexdigest()
        return dataclasses.replace(f, data=b"", search_doc=b"", digest=digest)

    def put_all(self, files: Iterable[OutputFile]) -> list[OutputFile]:
        out = []
        for f in files:
            progress.advance()
            out.append(self.put(f))
        return out

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
        if inode is None and folder in self.folders and _create(target, data):
            return
        path = Path(target)
        _clear(path, inode is not None)
        path.write_bytes(data)
        self._made_folders(folder)

    def _link_source(self, rel: str, source: Path) -> bool:
        """Link the file `source` (a cached preview) in at rel; False when it cannot or should not be."""
        target = self.staging / rel
        _clear(target, rel in self.existing)
        self._made_folders(rel.rpartition("/")[0])
        return _link_from(source, target)

    def _made_folders(self, folder: str) -> None:
        while folder not in self.folders:
            self.folders.add(folder)
            folder = folder.rpartition("/")[0]

    def _link(self, rel: str) -> None:
        """The spare's file at rel becomes the current output's (a hard link to it)."""
        self.unchanged += 1
        info = self.known.get(rel) or os.lstat(f"{self.output_dir}/{rel}")
        if self.existing.get(rel) == info.st_ino:
            self.identities[rel] = info
            return  # the spare already links the current file
        target = self.staging / rel
        _clear(target, rel in self.existing)
        self._made_folders(rel.rpartition("/")[0])
        os.link(self.output_dir / rel, target)
        self.identities[rel] = None  # a new link changes the file's ctime

    def output_digest(self) -> str:
        """After finish: uptodate.output_digest of the new output, from what this writer saw and
        made, without walking it again."""
        return files_digest({rel: info for rel, info in self.identities.items() if info is not None})

    def finish(self) -> WriteStats:
        """Carry the kept folders over, remove what is no longer wanted, and swap the trees."""
        for name in self.keep:
            for rel in _files_below(self.output_dir, name):
                if rel not in self.done:
                    self.done.add(rel)
                    self._link(rel)
        for rel in sorted(set(self.existing) - self.done, reverse=True):
            _remove(self.staging / rel)
            _prune_empty_parents(self.staging, self.staging / rel)
        for rel, info in self.identities.items():
            if info is None:
                self.identities[rel] = os.lstat(self.staging / rel)
        _fsync_dir(self.staging)
        _swap_in(self.staging, self.output_dir)
        return WriteStats(self.written, self.unchanged, self.pages_written, self.pages - self.pages_written,
                          tuple(sorted(self.written_paths)))


def _files_below(root: Path, name: str) -> list[str]:
    out = []
    for folder, _dirs, names in os.walk(root / name):
        rel = Path(folder).relative_to(root).as_posix()
        out += [f"{rel}/{n}" for n in names]
    return out


def _spare_files(staging: Path, folders: set[str]) -> dict[str, int]:
    """Every file of the spare tree with its inode (and its folders into `folders`); a spare that is
    not a real folder is replaced."""
    if staging.is_symlink() or (staging.exists() and not staging.is_dir()):
        staging.unlink()
    staging.mkdir(parents=True, exist_ok=True)
    found: dict[str, int] = {}
    _list(str(staging), "", found, folders)
    return found


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


def _swap_in(staging: Path, output_dir: Path) -> None:
    """Exchange the two trees; the previous output stays behind as the next build's spare."""
    if output_dir.exists() and _exchange(staging, output_dir):
        return
    old = output_dir.with_name(output_dir.name + ".opdgen-old")
    if old.exists():
        shutil.rmtree(old)
    if output_dir.exists():
        os.rename(output_dir, old)
    os.rename(staging, output_dir)
    if old.exists():
        os.rename(old, staging)


def recover(output_dir: Path) -> None:
    """After a crash between the renames of the fallback swap, put the old output back."""
    old = output_dir.with_name(output_dir.name + ".opdgen-old")
    if old.exists() and not output_dir.exists():
        os.rename(old, output_dir)
    elif old.exists():
        shutil.rmtree(old)
