"""The on-disk cache of derived images (.opdgen-cache/images/, git-ignored) and the store that uses it.

An entry's key is the sha256 of the source bytes, the format the extension promises, the settings,
Pillow's version and this format's version; the entry is one file, checked on every read (key, length
and sha256 of each part), so a corrupt or foreign entry is a miss and gets rebuilt. A second index maps
a source file's (size, mtime, inode) to its sha256, so an unchanged photo is not even read again.
Social previews are kept apart, as plain JPEG files (PreviewFiles), so the writer can link them into
the output; their digests, which name them, are in CacheDB (opdgen.media.collect).
The cache never decides what is published and failing to write it never fails a build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import PIL

from opdgen import cacheuse
from opdgen.media.images import Derived, Encoded, ImageSettings
from opdgen.media.model import MediaStats

IMAGES = "images"  # derived images and social previews, in the cache folder
CACHE_DIR = Path(".opdgen-cache") / IMAGES
FORMAT = "opdgen-images 1"
_MAGIC = (FORMAT + "\n").encode()


def entry_key(source_sha: str, suffix: str, settings: ImageSettings) -> str:
    """Everything that decides derive()'s result, hashed."""
    parts = (FORMAT, PIL.__version__, suffix.lower(), settings.key(), source_sha)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class ImageCache:
    """Entries under one folder; folder None means no cache (every lookup misses)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _entry(self, key: str) -> Path | None:
        return self.folder / key[:2] / f"{key}.bin" if self.folder else None

    def get(self, key: str) -> Derived | None:
        cacheuse.note(cacheuse.IMAGES, (key,))
        path = self._entry(key)
        try:
            raw = path.read_bytes() if path else b""
        except OSError:
            return None
        return decode_entry(raw, key)

    def put(self, key: str, derived: Derived) -> tuple[str, ...]:
        """Store an entry and give the SHA-256 of each variant (worker processes store previews
        themselves: an entry is written beside and renamed, so concurrent writers are safe)."""
        digests = tuple(hashlib.sha256(v.data).hexdigest() for v in derived.variants)
        cacheuse.note(cacheuse.IMAGES, (key,))
        path = self._entry(key)
        if path is not None:
            _write_atomic(path, encode_entry(derived, key, digests))
        return digests

    def _index(self, path: Path) -> Path | None:
        digest = hashlib.sha256(os.fsencode(path)).hexdigest()[:32]
        cacheuse.note(cacheuse.SOURCES, (digest,))
        return self.folder / "sources" / digest if self.folder else None

    def known_sha(self, path: Path, stamp: str) -> str | None:
        """The sha256 recorded for this file when it had this (size, mtime, inode) stamp."""
        index = self._index(path)
        try:
            recorded, _, sha = index.read_text("ascii").strip().rpartition(" ") if index else ("", "", "")
        except (OSError, UnicodeDecodeError):
            return None
        return sha if recorded == stamp and len(sha) == 64 else None

    def remember_sha(self, path: Path, stamp: str, sha: str) -> None:
        index = self._index(path)
        if index is not None:
            _write_atomic(index, f"{stamp} {sha}\n".encode("ascii"))


def file_stamp(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def encode_entry(derived: Derived, key: str, digests: tuple[str, ...] = ()) -> bytes:
    """The entry's bytes; `digests`, when given, are the variants' SHA-256 (not hashed again)."""
    digests = digests or tuple(hashlib.sha256(v.data).hexdigest() for v in derived.variants)
    header = {
        "key": key, "width": derived.width, "height": derived.height, "animated": derived.animated,
        "variants": [[v.format, v.width, v.height, len(v.data), digest]
                     for v, digest in zip(derived.variants, digests, strict=True)],
    }
    return _MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + b"".join(
        v.data for v in derived.variants)


def decode_entry(raw: bytes, key: str) -> Derived | None:
    """The entry's Derived, or None for anything short of a complete, intact entry of this key."""
    if not raw.startswith(_MAGIC):
        return None
    head, newline, body = raw[len(_MAGIC):].partition(b"\n")
    try:
        header = json.loads(head) if newline else None
        if not isinstance(header, dict) or header.get("key") != key:
            return None
        variants, offset = [], 0
        for fmt, width, height, length, sha in header["variants"]:
            data = body[offset:offset + length]
            offset += length
            if len(data) != length or hashlib.sha256(data).hexdigest() != sha:
                return None
            variants.append(Encoded(width=int(width), height=int(height), format=str(fmt), data=data))
        if offset != len(body) or not variants:
            return None
        return Derived(width=int(header["width"]), height=int(header["height"]),
                       animated=bool(header["animated"]), variants=tuple(variants))
    except (ValueError, TypeError, KeyError):
        return None


def _write_atomic(path: Path, data: bytes) -> None:
    """Write beside, then rename: a reader never sees half an entry. Errors only cost a later miss."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        try:
            tmp.write_bytes(data)
        except FileNotFoundError:  # the first entry of its folder (mkdir every time costs 10,000 calls)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


_KEY = re.compile(r"[0-9a-f]{64}")


class PreviewFiles:
    """Social previews as plain JPEG files (<cache>/previews/<key>.jpg): the writer links one into the
    output instead of writing a copy of its bytes (a cold build publishes 10,000 of them), after
    checking them against the digest the preview is named by. Folder None: no files (each is drawn)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder / "previews" if folder is not None else None
        # previews this build wrote itself (or its workers did), by key: their digest, known to match
        self.made: dict[str, str] = {}

    def path(self, key: str) -> Path | None:
        if self.folder is None or not _KEY.fullmatch(key):  # a key is a SHA-256: never a path
            return None
        cacheuse.note(cacheuse.PREVIEWS, (key,))
        return self.folder / key[:2] / f"{key}.jpg"

    def write(self, key: str, data: bytes) -> str:
        """Keep a preview's bytes (beside, then renamed: a linked copy is never changed); its SHA-256."""
        path = self.path(key)
        digest = hashlib.sha256(data).hexdigest()
        if path is not None:
            _write_atomic(path, data)
            self.made[key] = digest
        return digest

    def read(self, key: str, digest: str | None = None) -> bytes | None:
        """The kept bytes, when they are there and (given a digest) are the ones named by it."""
        path = self.path(key)
        try:
            data = path.read_bytes() if path is not None else None
        except OSError:
            return None
        if data is None or (digest is not None and hashlib.sha256(data).hexdigest() != digest):
            return None
        return data

    def checked(self, key: str, digest: str) -> Path | None:
        """The file, when it holds exactly the bytes of this digest (read and hashed, unless this
        build wrote it: 10,000 previews are about 700 MB to read again)."""
        if self.made.get(key) == digest:
            return self.path(key)
        return self.path(key) if self.read(key, digest) is not None else None


class ImageStore:
    """Derived images for one build: each source derived at most once, and not at all when cached."""

    def __init__(self, cache: ImageCache, derive: Callable[[bytes, str, ImageSettings], Derived]) -> None:
        self.cache = cache
        self._derive = derive  # images.derive: pure, so a pool could run it (issue #4)
        self._processed = 0
        self._reused = 0
        self._previews = 0

    @property
    def stats(self) -> MediaStats:
        return MediaStats(processed=self._processed, reused=self._reused, previews=self._previews)

    def count_previews(self, made: int) -> None:
        """Previews made and cached elsewhere (worker processes)."""
        self._previews += made

    def get(self, sha: str, suffix: str, settings: ImageSettings, read: Callable[[], bytes]) -> Derived:
        """The derived set for source bytes with this sha256; `read` is called only on a miss."""
        key = entry_key(sha, suffix, settings)
        cached = self.cache.get(key)
        if cached is not None:
            self._reused += 1
            return cached
        derived = self._derive(read(), suffix, settings)  # raises ImageError
        self._processed += 1
        self.cache.put(key, derived)
        return derived
