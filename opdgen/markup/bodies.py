"""Render many Markdown bodies to sanitized HTML: from the cache when it has them, else in worker
processes. The result for a body is the same whichever way it was made (a test checks --jobs 1).

It renders and caches; it reads no content file and knows nothing of posts.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from opdgen import __version__, versions
from opdgen.build import progress
from opdgen.cachedb import CacheDB
from opdgen.markup.markdown import MarkdownRenderer
from opdgen.markup.sanitize import Sanitizer
from opdgen.records import record

NAMESPACE = "body"
# Below this many bodies a pool costs more to start than it saves.
POOL_THRESHOLD = 24
CHUNK = 16


@record
class BodySettings:
    """Everything besides the text that decides the HTML of a body."""

    lang: str
    video_hosts: tuple[str, ...]

    def key(self) -> str:
        """Part of every cache key: settings, versions, and the code of the markup stage itself."""
        digest = hashlib.sha256()
        for part in (__version__, versions.version("markdown") or "", versions.version("nh3") or "",
                     self.lang, ",".join(sorted(self.video_hosts))):
            digest.update(part.encode() + b"\0")
        here = Path(__file__).resolve().parent
        for module in ("markdown", "sanitize", "bodies"):
            digest.update((here / f"{module}.py").read_bytes())
        return digest.hexdigest()


def table_label(lang: str) -> str:
    return "Tabel" if lang == "id" else "Table"


class _Worker:
    """One renderer per process (a new Markdown instance per post costs about 1 ms)."""

    renderer: tuple[MarkdownRenderer, Sanitizer] | None = None

    @classmethod
    def start(cls, settings: BodySettings) -> None:
        cls.renderer = (MarkdownRenderer(settings.lang),
                        Sanitizer(settings.video_hosts, table_label(settings.lang)))

    @classmethod
    def render(cls, texts: Sequence[str]) -> list[str]:
        assert cls.renderer is not None
        markdown, sanitizer = cls.renderer
        return [sanitizer.clean(markdown.render(text)) for text in texts]


@dataclass(slots=True)
class BodyStats:
    rendered: int = 0
    cached: int = 0


class BodyRenderer:
    """Renders bodies for one build; `jobs` worker processes (1: in this process)."""

    def __init__(self, settings: BodySettings, cache: CacheDB | None, jobs: int) -> None:
        self.settings = settings
        self.cache = cache
        self.jobs = max(1, jobs)
        self.stats = BodyStats()
        self._prefix = settings.key()

    def _key(self, text: str) -> str:
        return hashlib.sha256((self._prefix + "\0" + text).encode()).hexdigest()

    def render_all(self, texts: Sequence[str]) -> list[str]:
        """HTML for each text, in order."""
        stream = self.stream()
        try:
            stream.add(texts)
            return stream.finish()
        finally:
            stream.close()

    def stream(self) -> BodyStream:
        """A batch whose texts are handed over as they are read (a site at a time): the worker
        processes render the first while the rest are still being read."""
        return BodyStream(self)


class BodyStream:
    """Bodies added in parts and rendered meanwhile; `finish` gives the HTML of all, in order.

    Cached bodies are looked up as each part comes. The misses are rendered in this process when
    they are few (or jobs is 1); once they are POOL_THRESHOLD, worker processes start (forked
    then, while the parent is still small) and take them CHUNK at a time as they come."""

    def __init__(self, renderer: BodyRenderer) -> None:
        self.renderer = renderer
        self.keys: list[str] = []
        self.known: dict[str, str] = {}  # HTML by key: from the cache, or rendered
        self.waiting: list[tuple[str, str]] = []  # misses not yet handed to a worker
        self.asked: set[str] = set()  # keys looked up or rendered already
        self.misses = 0
        self.pool: ProcessPoolExecutor | None = None
        self.futures: list[tuple[list[str], Future[list[str]]]] = []

    def add(self, texts: Sequence[str]) -> None:
        r = self.renderer
        keys = [r._key(t) for t in texts]
        self.keys += keys
        new = {k: t for k, t in zip(keys, texts, strict=True) if k not in self.asked}
        self.asked.update(new)
        cached = r.cache.get_many(NAMESPACE, new) if r.cache is not None else {}
        self.known.update((k, v.decode()) for k, v in cached.items())
        missing = sorted((k, t) for k, t in new.items() if k not in cached)
        r.stats.cached += len(texts) - len(missing)
        self.misses += len(missing)
        r.stats.rendered += len(missing)
        self.waiting += missing
        if self.pool is None and r.jobs > 1 and self.misses >= POOL_THRESHOLD:
            # fork: workers start in milliseconds and inherit the imported modules
            self.pool = ProcessPoolExecutor(r.jobs, mp_context=multiprocessing.get_context("fork"),
                                            initializer=_Worker.start, initargs=(r.settings,))
        if self.pool is not None:
            while len(self.waiting) >= CHUNK:
                self._hand_over(CHUNK)

    def _hand_over(self, count: int) -> None:
        assert self.pool is not None
        part, self.waiting = self.waiting[:count], self.waiting[count:]
        self.futures.append(([k for k, _ in part], self.pool.submit(_Worker.render, [t for _, t in part])))

    def finish(self) -> list[str]:
        r = self.renderer
        fresh: dict[str, str] = {}
        if self.pool is None:
            if self.waiting:
                _Worker.start(r.settings)
                fresh = dict(zip((k for k, _ in self.waiting), _Worker.render([t for _, t in self.waiting]),
                                 strict=True))
        else:
            while self.waiting:
                self._hand_over(CHUNK)
            with progress.stage("progress.markdown", self.misses):
                for keys, future in self.futures:
                    fresh.update(zip(keys, future.result(), strict=True))
                    progress.advance(len(keys))
        self.waiting, self.futures = [], []
        self.close()
        if r.cache is not None and fresh:
            r.cache.put_many(NAMESPACE, {k: v.encode() for k, v in fresh.items()})
        self.known.update(fresh)
        return [self.known[k] for k in self.keys]

    def close(self) -> None:
        """Stop the workers (at once when the build stopped early)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
