"""Render many Markdown bodies to sanitized HTML: from the cache when it has them, else in worker
processes. The result for a body is the same whichever way it was made (a test checks --jobs 1).

It renders and caches; it reads no content file and knows nothing of posts.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from opdgen import __version__
from opdgen.build import progress
from opdgen.cachedb import CacheDB
from opdgen.markup.markdown import MarkdownRenderer
from opdgen.markup.sanitize import Sanitizer

NAMESPACE = "body"
# Below this many bodies a pool costs more to start than it saves.
POOL_THRESHOLD = 24
CHUNK = 16


@dataclass(frozen=True, slots=True)
class BodySettings:
    """Everything besides the text that decides the HTML of a body."""

    lang: str
    video_hosts: tuple[str, ...]

    def key(self) -> str:
        """Part of every cache key: settings, versions, and the code of the markup stage itself."""
        digest = hashlib.sha256()
        for part in (__version__, metadata.version("markdown"), metadata.version("nh3"),
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
        keys = [self._key(t) for t in texts]
        cached = self.cache.get_many(NAMESPACE, keys) if self.cache else {}
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in cached}.items())
        fresh = dict(zip((k for k, _ in missing), self._render([t for _, t in missing]), strict=True))
        if self.cache is not None and fresh:
            self.cache.put_many(NAMESPACE, {k: v.encode() for k, v in fresh.items()})
        self.stats.rendered += len(fresh)
        self.stats.cached += len(texts) - len(missing)
        return [fresh[k] if k in fresh else cached[k].decode() for k in keys]

    def _render(self, texts: list[str]) -> list[str]:
        if self.jobs == 1 or len(texts) < POOL_THRESHOLD:
            _Worker.start(self.settings)
            return _Worker.render(texts)
        chunks = [texts[i : i + CHUNK] for i in range(0, len(texts), CHUNK)]
        # fork: workers start in milliseconds and inherit the imported modules
        context = multiprocessing.get_context("fork")
        out: list[str] = []
        with progress.stage("progress.markdown", len(texts)), ProcessPoolExecutor(
                self.jobs, mp_context=context, initializer=_Worker.start, initargs=(self.settings,)) as pool:
            for part in pool.map(_Worker.render, chunks):
                out += part
                progress.advance(len(part))
        return out


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
