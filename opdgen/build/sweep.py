"""Housekeeping of the persistent cache: what one build used of it, and the rest removed.

Every entry of .opdgen-cache/ is keyed by everything it was made from, so an edited post, a new
opdgen release or a changed setting leaves entries that no build will ask for again: without
housekeeping the cache grows with every release (each makes every Markdown body and social
preview anew) and with every edit, and CI saves and restores all of it on every run.

A whole build that read every site afresh (no kept site: every build of a CI job, the first build
of a day) asks the cache for every entry it needs: the cache's users note the keys they look up
or store (opdgen.cacheuse) while such a build is tracking them. Once it has succeeded, `sweep`
removes what was not noted: database entries of every namespace (Markdown bodies, spam findings,
preview digests, search bundles), derived images, their source index, social previews, and the
folder of an earlier layout (previews/). Other builds (one site, a preview, a build with kept
sites) know only part of what is needed and remove nothing. A wrong removal can only cost time: an
entry missing is made again.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from opdgen.cachedb import CacheDB
from opdgen.cacheuse import IMAGES, PREVIEW_DIGESTS, PREVIEWS, SOURCES, Usage


@dataclass
class Swept:
    entries: int = 0  # database entries removed
    files: int = 0  # files removed
    bytes: int = 0  # their size, and the database's pages given back


def sweep(cache_dir: Path, images: Path, usage: Usage) -> Swept:
    """Remove from the cache folder what `usage` does not name (see the module's text)."""
    swept = Swept()
    database = cache_dir / "cache.sqlite"
    if database.is_file():
        db = CacheDB(database)
        swept.entries, swept.bytes = db.keep_used(usage.keys)
        db.close()
    previews = usage.of(PREVIEWS, PREVIEW_DIGESTS)
    _files(images / "previews", lambda name: name.removesuffix(".jpg") in previews, swept, nested=True)
    sources = usage.of(SOURCES)
    _files(images / "sources", lambda name: name in sources, swept)
    entries = usage.of(IMAGES)
    for entry in _listing(images):
        if entry.is_dir(follow_symlinks=False) and len(entry.name) == 2:
            _files(Path(entry.path), lambda name: name.removesuffix(".bin") in entries, swept)
    old = cache_dir / "previews"  # where kept sites looked for previews before they shared the loader's
    if old.is_dir() and not old.is_symlink():
        swept.files += sum(1 for _ in old.rglob("*.jpg"))
        shutil.rmtree(old, ignore_errors=True)
    return swept


def _files(folder: Path, keep: Callable[[str], bool], swept: Swept, nested: bool = False) -> None:
    """Remove the plain files of `folder` (and of its folders, when nested) whose name `keep` refuses
    (not those whose name starts with a dot: a writer's temporary)."""
    for entry in _listing(folder):
        if nested and entry.is_dir(follow_symlinks=False):
            _files(Path(entry.path), keep, swept)
        elif entry.is_file(follow_symlinks=False) and not entry.name.startswith(".") and not keep(entry.name):
            with suppress(OSError):
                size = entry.stat(follow_symlinks=False).st_size
                os.unlink(entry.path)
                swept.files += 1
                swept.bytes += size


def _listing(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError:
        return []
