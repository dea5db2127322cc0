"""Turn file-system events into "rebuild needed" decisions; pure apart from the watchdog glue."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from opdgen.config import PORTAL_SLUG

# Editors write swap and backup files next to the real one; they never change the site.
_IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", "~", ".kate-swp", ".part")
WATCHED = ("content", "themes", "opdgen.yaml")


def is_relevant(rel: PurePosixPath, sites: frozenset[str] = frozenset()) -> bool:
    """Does a change at this repository-relative path affect the build (of these sites and the portal)?"""
    if not rel.parts or rel.parts[0] not in WATCHED:
        return False
    if sites and rel.parts[0] == "content" and len(rel.parts) > 2:
        return rel.parts[1] in sites | {PORTAL_SLUG} and is_relevant(rel)
    name = rel.name
    # vim probes a folder with a file named 4913 before saving
    return not (name.startswith((".#", "#")) or name.endswith(_IGNORED_SUFFIXES) or name == "4913")


class Debouncer:
    """Calls `action` once, `delay` seconds after the last of a burst of triggers."""

    def __init__(self, delay: float, action: Callable[[], None]) -> None:
        self.delay = delay
        self.action = action
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()  # guards _timer

    def trigger(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.delay, self.action)
            self._timer.daemon = True
            self._timer.start()

    def cancel(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()


class _Handler(FileSystemEventHandler):
    def __init__(self, root: Path, debouncer: Debouncer, sites: frozenset[str]) -> None:
        self.root = root
        self.sites = sites
        self.debouncer = debouncer

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if not raw:
                continue
            path = Path(raw if isinstance(raw, str) else raw.decode())
            try:
                rel = PurePosixPath(path.relative_to(self.root).as_posix())
            except ValueError:
                continue
            if is_relevant(rel, self.sites):
                self.debouncer.trigger()
                return


def watched_folders(root: Path, sites: frozenset[str]) -> list[tuple[Path, bool]]:
    """(folder, recursive) pairs: the root itself only for opdgen.yaml (never .git, .venv or output/),
    themes/ and content/ (with `sites`: content/ itself and the named sites' folders)."""
    folders = [(root, False)]
    if (root / "themes").is_dir():
        folders.append((root / "themes", True))
    if not sites:
        return [*folders, (root / "content", True)] if (root / "content").is_dir() else folders
    named = [(root / "content" / s, True) for s in sorted(sites) if (root / "content" / s).is_dir()]
    return [*folders, (root / "content", False), *named] if (root / "content").is_dir() else folders


def watch(root: Path, on_change: Callable[[], None], delay: float = 0.15,
          sites: frozenset[str] = frozenset()) -> Callable[[], None]:
    """Watch the repository (with `sites`: only their content, the portal's and the shared files);
    returns a function that stops watching."""
    debouncer = Debouncer(delay, on_change)
    observer = Observer()
    handler = _Handler(root.resolve(), debouncer, sites)
    for folder, recursive in watched_folders(root.resolve(), sites):
        observer.schedule(handler, str(folder), recursive=recursive)
    observer.start()

    def stop() -> None:
        debouncer.cancel()
        observer.stop()
        observer.join(timeout=5)

    return stop
