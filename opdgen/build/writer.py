"""The only module that touches output/: builds the new tree beside it and swaps it in at once.

DESIGN: a failed build leaves output/ untouched. The new tree is written to a sibling folder
(`output.opdgen-new`), files whose bytes did not change are hard-linked from the old tree (so their
mtime stays and rsync skips them), and the two folders are exchanged with renameat2(RENAME_EXCHANGE)
where the kernel has it: there is no moment without a complete output/.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

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
    """Write the complete new output and swap it in; `keep` names top-level folders to carry over.

    `keep` serves `build --site X`: the other sites' folders are carried over unchanged.
    """
    files = list(files)
    check_unique(files)
    output_dir = output_dir.absolute()
    staging = output_dir.with_name(output_dir.name + ".opdgen-new")
    recover(output_dir)
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    written = unchanged = 0
    for name in sorted(set(keep)):
        old = output_dir / name
        if old.is_dir():
            _link_tree(old, staging / name)
    made: set[Path] = set()
    for f in sorted(files, key=lambda f: f.path):
        target = staging / f.path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        old = output_dir / f.path
        # reused: the page renderer found its inputs unchanged and checked the old file is there
        if f.reused or _same_bytes(old, f.data):
            os.link(old, target)
            unchanged += 1
        else:
            target.write_bytes(f.data)
            written += 1
    _fsync_dir(staging)
    _swap_in(staging, output_dir)
    return WriteStats(written, unchanged)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_size == len(data) \
            and path.read_bytes() == data
    except OSError:
        return False


def _link_tree(src: Path, dst: Path) -> None:
    for folder, _dirs, names in os.walk(src):
        rel = Path(folder).relative_to(src)
        (dst / rel).mkdir(parents=True, exist_ok=True)
        for name in names:
            os.link(Path(folder) / name, dst / rel / name)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap_in(staging: Path, output_dir: Path) -> None:
    if output_dir.exists() and _exchange(staging, output_dir):
        shutil.rmtree(staging)  # now holds the previous output
        return
    old = output_dir.with_name(output_dir.name + ".opdgen-old")
    if old.exists():
        shutil.rmtree(old)
    if output_dir.exists():
        os.rename(output_dir, old)
    os.rename(staging, output_dir)
    if old.exists():
        shutil.rmtree(old)


def recover(output_dir: Path) -> None:
    """After a crash between the two renames of the fallback swap, put the old output back."""
    old = output_dir.with_name(output_dir.name + ".opdgen-old")
    if old.exists() and not output_dir.exists():
        os.rename(old, output_dir)
