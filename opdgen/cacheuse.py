"""The keys of the persistent cache one build asked for, by kind (opdgen.build.sweep)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

# names of what the cache's users note (CacheDB notes its namespaces by their own names)
IMAGES = "image-files"  # derived image entries (media.cache.ImageCache): <images>/<kk>/<key>.bin
SOURCES = "image-sources"  # the source index (ImageCache.known_sha): <images>/sources/<digest>
PREVIEWS = "preview-files"  # social previews (media.cache.PreviewFiles): <images>/previews/<kk>/<key>.jpg
PREVIEW_DIGESTS = "preview-digest"  # media.collect's database namespace of the same keys


@dataclass
class Usage:
    keys: dict[str, set[str]] = field(default_factory=dict)

    def note(self, kind: str, keys: Iterable[str]) -> None:
        self.keys.setdefault(kind, set()).update(keys)  # under the interpreter lock: threads may note

    def of(self, *kinds: str) -> set[str]:
        return set().union(*(self.keys.get(k, ()) for k in kinds))


_current: Usage | None = None


@contextmanager
def tracking() -> Iterator[Usage]:
    """Note what the cache's users ask for until the block ends."""
    global _current
    previous, _current = _current, Usage()
    try:
        yield _current
    finally:
        _current = previous


def note(kind: str, keys: Iterable[str]) -> None:
    if _current is not None:
        _current.note(kind, keys)
