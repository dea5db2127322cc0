"""Loaded sites kept between builds: a build after a few posts changed loads only their sites again.

Loading 10,000 posts (reading, front matter, bodies from the cache, media, previews) takes seconds;
a loaded site, kept as a pickle, comes back in milliseconds. After a clean whole build, every site
it loaded afresh is kept in the cache folder beside the stamp (`<stamp>.sites/<slug>.pickle`). A
later whole build takes a kept site instead of loading it when both of these hold:

- the kept site's key matches: everything a build reads but the Markdown files (the stamp's
  `context`: opdgen.yaml, every other file of content/ and themes/, opdgen's code and libraries, the
  options, git's refs), and the identity (size, times, inode) of each of the site's Markdown files,
  and none of them is among the files the build knows changed;
- the clock is still within the kept site's window: from the build that kept it to the next
  midnight in the region's zone or the site's next scheduled post, whichever comes first, so every
  post is as published, scheduled or dated as when it was kept.

So after one post is edited only its agency is read again, and after output/ is deleted (with the
cache kept) no agency is.

A kept site is never trusted blindly: its header must say so before anything is unpickled, and the
unpickler makes only the content model's own classes (records and enums of opdgen, dates,
paths), never a function, so a file planted in the cache cannot run code. Anything unreadable, foreign
or stale is ignored and the site is loaded as usual.

A kept site is read in two steps (content.model.DeferredSite): when the build starts, everything
but its news posts, with a summary of those (outputs.summary: what the portal, the search plan and
the checks need of every site); its news posts, the bulk of it, only when something asks for them.
After one edit, the portal reads the posts of the few agencies whose news shares a page with the
edited post, and the search thread those that share its index shard. A kept file that cannot be
read by then (removed, damaged) raises KeptSiteLost, and the build starts again without kept sites
(opdgen.build.pipeline).
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import decimal
import enum
import gc
import hashlib
import io
import itertools
import json
import os
import pathlib
import pickle
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from opdgen.build.uptodate import boundary
from opdgen.config import SiteConfig
from opdgen.content.model import DeferredSite, Post, Site, SiteSummary
from opdgen.media.cache import PreviewFiles
from opdgen.media.model import MediaImage
from opdgen.outputs.summary import summarize

# 3: Site.halaman_drafts; 4: the site and its summary, then its news posts (DeferredSite); 5: then the
# identities of its Markdown files, and the key of its context in the header (EarlierPosts)
FORMAT = 5
_STDLIB: dict[tuple[str, str], Any] = {
    ("datetime", "datetime"): datetime,
    ("datetime", "date"): date,
    ("datetime", "timedelta"): timedelta,
    ("datetime", "timezone"): timezone,
    ("zoneinfo", "ZoneInfo"): ZoneInfo,
    ("pathlib", "PurePosixPath"): pathlib.PurePosixPath,
    ("pathlib", "PosixPath"): pathlib.PosixPath,
    ("decimal", "Decimal"): decimal.Decimal,
}


def folder(stamp_file: Path) -> Path:
    return stamp_file.with_name(stamp_file.stem + ".sites")


def site_files(markdown: Mapping[str, str], sites: Iterable[str]) -> dict[str, dict[str, str]]:
    """The identities of each site's Markdown files, by repository path, in path order."""
    rows: dict[str, dict[str, str]] = {site: {} for site in sites}
    for rel in sorted(markdown):
        parts = rel.split("/", 2)
        if len(parts) == 3 and parts[1] in rows:
            rows[parts[1]][rel] = markdown[rel]
    return rows


def site_keys(context: str, markdown: Mapping[str, str], sites: Iterable[str]) -> dict[str, str]:
    """Each site's key: the build's context and the identities of the site's Markdown files."""
    keys = {}
    for site, files in site_files(markdown, sites).items():
        lines = "".join(f"{rel}\0{ident}\n" for rel, ident in files.items())
        keys[site] = hashlib.sha256(f"{FORMAT}\0{context}\0{site}\n{lines}".encode()).hexdigest()
    return keys


def context_key(context: str, site: str) -> str:
    """What a kept site's posts were made from but their own files (EarlierPosts)."""
    return hashlib.sha256(f"{FORMAT}\0{context}\0{site}\n".encode()).hexdigest()


class KeptSiteLost(Exception):
    """A kept site's posts could not be read when they were first asked for."""


def load_sites(where: Path, context: str, markdown: Mapping[str, str], now: datetime,
               changed: Iterable[str], previews: PreviewFiles) -> dict[str, Site]:
    """The kept sites that may stand for loading them now (see the module's text), by slug: each a
    DeferredSite, whose posts are read when first asked for."""
    try:
        names = sorted(p.name for p in os.scandir(where) if p.name.endswith(".pickle"))
    except OSError:
        return {}
    touched = {rel.split("/", 2)[1] for rel in changed if rel.count("/") >= 2}
    candidates = [name.removesuffix(".pickle") for name in names]
    keys = site_keys(context, markdown, [c for c in candidates if c not in touched])
    found: dict[str, Site] = {}
    for slug, key in keys.items():
        read = _read(where / f"{slug}.pickle", key, now, previews)
        if read is not None and read[0].slug == slug:
            found[slug] = read[0]
    return found


def prepare_sites(where: Path, context: str, markdown: Mapping[str, str], now: datetime, zone: tzinfo,
                  sites: Iterable[Site]) -> dict[str, bool]:
    """Pickle each of `sites` into its kept file's temporary (`<slug>.pickle.tmp`), which
    save_sites puts in place once the build has succeeded (the build does this while Pagefind
    finishes: it costs nothing then); by slug, whether the site could be pickled."""
    sites = list(sites)
    keys = site_keys(context, markdown, [s.slug for s in sites])
    own_files = site_files(markdown, [s.slug for s in sites])
    done: dict[str, bool] = {}
    try:
        where.mkdir(parents=True, exist_ok=True)
        for site in sites:
            buffer = io.BytesIO()
            summary = summarize(site)
            try:
                offsets = [0]  # each news post pickled alone, so that a page can read one (_KeptNews)
                for post in (p for p in site.posts if p.kind.is_news):
                    _Pickler(buffer, protocol=5).dump(post)
                    offsets.append(buffer.tell())
                news = buffer.getvalue()
                buffer = io.BytesIO()
                _Pickler(buffer, protocol=5).dump((site.config, site.next_release, site.logo, site.documents,
                                                   site.halaman_drafts, summary, tuple(offsets)))
                size = buffer.tell()
                buffer.write(news)
            except (pickle.PicklingError, TypeError, AttributeError):
                done[site.slug] = False  # something in it is not a plain value: load it next time
                continue
            header = {"format": FORMAT, "key": keys[site.slug], "context": context_key(context, site.slug),
                      "made_at": now.isoformat(),
                      "valid_until": boundary(now, zone, site.next_release).isoformat(),
                      "summary": size, "identities": buffer.tell()}
            with open(_temporary(where, site.slug), "wb") as out:
                out.write(json.dumps(header, sort_keys=True).encode() + b"\n")
                out.write(buffer.getbuffer())
                out.write(json.dumps(own_files[site.slug], sort_keys=True).encode())
            done[site.slug] = True
    except OSError:
        pass  # a site missing from `done` is pickled again by save_sites
    return done


def save_sites(where: Path, context: str, markdown: Mapping[str, str], now: datetime, zone: tzinfo,
               sites: Iterable[Site], kept: Iterable[str] = (), prepared: Mapping[str, bool] | None = None,
               ) -> None:
    """Keep each of `sites` (loaded afresh by a clean build) for the next builds; drop the kept
    files of sites that are gone. `kept`: sites this build took from their files (left as they are).
    `prepared`: what prepare_sites did for some of `sites`, with the same arguments."""
    sites = list(sites)
    done = dict(prepared or {})
    wanted = {s.slug for s in sites} | set(kept)
    try:
        for slug, pickled in done.items():
            if pickled and slug in wanted:
                with contextlib.suppress(OSError):  # its temporary gone: loaded next time
                    os.replace(_temporary(where, slug), where / f"{slug}.pickle")
        for entry in os.scandir(where) if where.is_dir() else ():
            if entry.name.removesuffix(".pickle") not in wanted or entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
        rest = [s for s in sites if s.slug not in done]
        for slug, pickled in prepare_sites(where, context, markdown, now, zone, rest).items():
            if pickled:
                os.replace(_temporary(where, slug), where / f"{slug}.pickle")
    except OSError:
        pass  # without kept sites the next build loads them


def discard_prepared(where: Path, prepared: Mapping[str, bool] | None) -> None:
    """Remove what prepare_sites wrote for a build that keeps nothing (it failed, or warned)."""
    for slug, pickled in (prepared or {}).items():
        if pickled:
            with contextlib.suppress(OSError):
                os.unlink(_temporary(where, slug))


def _temporary(where: Path, slug: str) -> Path:
    return where / f"{slug}.pickle.tmp"


def _read(path: Path, key: str, now: datetime, previews: PreviewFiles, field: str = "key",
          ) -> tuple[DeferredSite, dict[str, Any]] | None:
    """The kept site at path as a DeferredSite (its summary read now) and its header, when the
    header's `field` is `key` and the clock is within its window; else None."""
    try:
        with open(path, "rb") as f:
            line = f.readline()
            header = json.loads(line)
            if header.get("format") != FORMAT or header.get(field) != key:
                return None
            if not datetime.fromisoformat(header["made_at"]) <= now \
                    < datetime.fromisoformat(header["valid_until"]):
                return None
            size = header["summary"]
            first = _Unpickler(io.BytesIO(f.read(size)), previews).load()
    except Exception:  # a damaged or foreign file, whatever the error: the site is loaded instead
        return None
    if not isinstance(first, tuple) or len(first) != 7:
        return None
    config, next_release, logo, documents, drafts, summary, offsets = first
    if not isinstance(config, SiteConfig) or not isinstance(summary, SiteSummary) \
            or not (next_release is None or isinstance(next_release, datetime)) \
            or not (logo is None or isinstance(logo, MediaImage)) or not isinstance(documents, tuple) \
            or not isinstance(drafts, frozenset) or not isinstance(offsets, tuple) \
            or len(offsets) != summary.news_count + 1:
        return None
    return DeferredSite(config, next_release, logo, documents, drafts, summary,
                        _KeptNews(path, line, len(line) + size, offsets, previews)), header


class EarlierPosts:
    """The posts of a kept site whose Markdown files did not change, for the loader to take instead
    of reading and rendering them again (content.loader.LoadOptions.earlier): after one post is
    edited, its site is loaded again, but only that post is parsed, rendered and given a preview.

    A post is taken when the kept file was made from the same context (every input but the Markdown
    files: opdgen.yaml, media, themes, opdgen's code and options, git's refs), the clock is within
    its window (as for a kept site: every post is as published, scheduled or dated as it was then),
    and its own file has the identity it had then and is not among the files the build knows
    changed. A post depends on nothing else: what a load checks across posts (duplicate slugs) is
    checked again over them all, and the build that kept the file warned of nothing. Drafts and
    scheduled posts are not kept: their files are always read again. Anything unreadable: None, and
    the site is read as usual."""

    def __init__(self, where: Path, context: str, markdown: Mapping[str, str], now: datetime,
                 changed: Iterable[str], previews: PreviewFiles) -> None:
        self.where, self.context, self.markdown, self.now = where, context, markdown, now
        self.changed = frozenset(changed)
        self.previews = previews

    def __call__(self, slug: str) -> dict[pathlib.PurePosixPath, Post] | None:
        """By repository path, the posts of site `slug` that may stand for loading their files."""
        path = self.where / f"{slug}.pickle"
        read = _read(path, context_key(self.context, slug), self.now, self.previews, "context")
        if read is None:
            return None
        site, header = read
        try:
            posts = site.posts  # (read with the collector paused, then frozen: _KeptNews)
            with open(path, "rb") as f:
                f.seek(len(f.readline()) + int(header["identities"]))
                identities = json.loads(f.read())
        except Exception:  # (KeptSiteLost, or a damaged end)
            return None
        if site.slug != slug or not isinstance(identities, dict):
            return None
        out = {}
        for post in posts:
            rel = str(post.source.path)
            current = self.markdown.get(rel)
            if current is not None and identities.get(rel) == current and rel not in self.changed:
                out[post.source.path] = post
        return out


_READING = threading.Lock()  # one kept site read at a time (the search thread asks for some too)


class _KeptNews:
    """The news posts of a kept site, after its header line (`line`) and first part (to `start`),
    each pickled alone (at `offsets` from start): read all at once, or one by one. KeptSiteLost
    when the file is no longer the one whose first part was read, or cannot be read."""

    def __init__(self, path: Path, line: bytes, start: int, offsets: tuple[int, ...],
                 previews: PreviewFiles) -> None:
        self.path, self.line, self.start, self.offsets, self.previews = path, line, start, offsets, previews

    def all(self) -> tuple[Post, ...]:
        return self._read(0, len(self.offsets) - 1)

    def one(self, index: int) -> Post:
        return self._read(index, index + 1)[0]

    def _read(self, first: int, end: int) -> tuple[Post, ...]:
        if not 0 <= first <= end < len(self.offsets):
            raise IndexError(first)
        with _READING:
            paused = gc.isenabled()
            gc.disable()  # (thousands of lasting objects: no scans while they are made)
            try:
                with open(self.path, "rb") as f:
                    if f.readline() != self.line:
                        raise KeptSiteLost(str(self.path))
                    f.seek(self.start + self.offsets[first])
                    data = f.read(self.offsets[end] - self.offsets[first])
                base = self.offsets[first]
                posts = tuple(_Unpickler(io.BytesIO(data[a - base:b - base]), self.previews).load()
                              for a, b in itertools.pairwise(self.offsets[first:end + 1]))
            except KeptSiteLost:
                raise
            except Exception as exc:  # whatever a damaged file gives
                raise KeptSiteLost(f"{self.path}: {type(exc).__name__}") from None
            finally:
                if paused:
                    gc.enable()
            gc.freeze()  # (kept until the build ends: out of the collector's scans, as the region is)
        if not all(isinstance(p, Post) and p.kind.is_news for p in posts):
            raise KeptSiteLost(str(self.path))
        return posts


def _model_class(module: str, name: str) -> type | None:
    """A class of opdgen's own values: a dataclass or an enum defined in an opdgen module already
    imported, named plainly (no dotted path into attributes)."""
    if not module.startswith("opdgen.") or "." in name:
        return None
    found = getattr(sys.modules.get(module), name, None)
    if not isinstance(found, type) or found.__module__ != module:
        return None
    return found if dataclasses.is_dataclass(found) or issubclass(found, enum.Enum) else None


def _getattr(owner: object, name: str) -> object:
    """The one use of getattr a kept site needs: how a time zone is pickled (ZoneInfo._unpickle)."""
    if owner is ZoneInfo and name == "_unpickle":
        return ZoneInfo._unpickle  # type: ignore[attr-defined]
    raise pickle.UnpicklingError(f"{owner!r}.{name} is not part of a kept site")


def _preview_files() -> PreviewFiles:
    """Where a kept site names the preview cache; only the unpickler's own stand-in is ever called
    (_Unpickler.find_class): the cache is this build's own, never a folder named in the file."""
    raise pickle.UnpicklingError("the preview cache is bound by the unpickler")


# a table, not persistent_id: a method of ours called for every object pickled took 40% of the time
# of keeping 10,000 posts
_DISPATCH: dict[type, Callable[[Any], Any]] = {**copyreg.dispatch_table,
                                               PreviewFiles: lambda _: (_preview_files, ())}


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, protocol: int) -> None:
        super().__init__(file, protocol)
        self.dispatch_table = _DISPATCH


class _Unpickler(pickle.Unpickler):
    def __init__(self, data: io.BytesIO, previews: PreviewFiles) -> None:
        super().__init__(data)
        self.previews = previews

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("builtins", "getattr"):
            return _getattr
        if (module, name) == (__name__, _preview_files.__name__):
            return lambda: self.previews
        if (module, name) in _STDLIB:
            return _STDLIB[(module, name)]
        found = _model_class(module, name)
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a kept site")
        return found
