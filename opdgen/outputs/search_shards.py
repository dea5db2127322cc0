"""The portal's search index in shards of agencies, and how many Pagefind runs may share memory.

Pagefind's memory grows with what one run indexes (about 2.4 GiB for the portal's 10,000 documents
in one run), and one run over every agency would be redone whole after any edit. So the portal's
index is split into shards: the agencies, in slug order, are packed into consecutive shards of at
most SHARD_DOCS documents each (an agency bigger than that is a shard of its own). Shard 0 is
published at `portal/pagefind/`, the others at `portal/pagefind-<n>/` beside it; the portal's search
page merges them in the browser (Pagefind's `mergeIndex`) into one ranked list of results.

The plan is a pure function of the number of documents of each agency (no state kept between
builds, so an incremental build gives the bytes of a clean one). Its boundaries only move when a
shard crosses the limit: a post added to an agency whose shard still has room changes no shard but
that one; when the shard overflows, its last agency moves to the next shard (and so on only while
the next is full too); shards before it never change. A region with fewer than SHARD_DOCS
documents, like the sample content, has one shard.

An agency's own index (its posts whole: Pagefind's time grows with every word it indexes, about
1.4 ms per post) is split the same way, by time: its documents, grouped by the month of their date
(undated ones, such as halaman, first), are packed in month order into shards of at most
AGENCY_SHARD_DOCS documents (`agency_shards`), published at `<agency>/pagefind/`, then
`<agency>/pagefind-<n>/`. A new post lands in the newest month, so only the last shard changes;
an edit re-indexes the shard of its post's month, not the agency's years of news. The search page
merges them like the portal's: a merged bundle loads only its entry, metadata and index chunks (the
primary bundle's code and WebAssembly do the searching), so a shard costs a phone two small files
more when the page opens.

After an edit, a shard whose documents did not change is reused by its key (outputs.search); when
the build knows that only some posts changed, in place (opdgen.build.changes: the same files, none
moved, output/ intact), the plan is the previous build's and a shard of other agencies is carried
over without making its documents at all (`shards_to_index`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import PurePosixPath
from typing import TypeVar

from opdgen.config import BUNDLE_FOLDER_RE, PORTAL_SLUG
from opdgen.content.loader import CONTENT_DIR
from opdgen.content.model import Kind, Post, Region, Site, unread
from opdgen.outputs.files import OutputFile, PageReuse

BUNDLE = "pagefind"  # a web root's search bundle (an agency's; the portal's shard 0)
SHARD_DOCS = 900  # the most documents in one portal shard (tests lower it)
# the most documents in one shard of an agency's index, unless one month has more (tests lower it):
# Pagefind indexes 120 whole posts in about 0.17 s
AGENCY_SHARD_DOCS = 120

# Pagefind's peak memory, measured on the benchmark corpus (make bench): about 20 MiB plus 36 times
# the bytes of the documents it indexes (a shard of 800 documents, 5 MB: 200 MiB in 1.3 s). The runs
# going at once must fit in SEARCH_MEMORY (one run always may): one shard beside an agency's index,
# never two shards, so Pagefind adds at most about 300 MiB to the build (with no loss of time: the
# agencies' indexes keep the second core busy).
_BASE_COST = 20 << 20
_COST_PER_BYTE = 36
SEARCH_MEMORY = 320 << 20

T = TypeVar("T")
R = TypeVar("R")


def indexed(post: Post) -> bool:
    """Whether a post gets a search document (SKM results have no page of their own)."""
    return post.kind is not Kind.SKM


def plan_shards(counts: Sequence[tuple[str, int]], limit: int | None = None) -> tuple[tuple[str, ...], ...]:
    """The agencies of each portal shard, in slug order: each shard takes the next agencies while
    they fit in `limit` documents (SHARD_DOCS); an agency over the limit is a shard of its own.
    There is always at least one shard (empty when there are no agencies). The same for the months
    of an agency's own index (agency_shards), which sort as they come."""
    most = SHARD_DOCS if limit is None else limit
    shards: list[tuple[str, ...]] = []
    current: list[str] = []
    total = 0
    for slug, count in sorted(counts):
        if current and total + count > most:
            shards.append(tuple(current))
            current, total = [], 0
        current.append(slug)
        total += count
    shards.append(tuple(current))
    return tuple(shards)


def portal_shards(region: Region) -> tuple[tuple[str, ...], ...]:
    """The portal's shards for this region's documents (as outputs.search indexes them; a site whose
    posts are not read yet is counted by its summary)."""
    return plan_shards([(site.slug, _indexed_count(site)) for site in region.sites])


def _indexed_count(site: Site) -> int:
    summary = unread(site)
    return summary.indexed if summary is not None else sum(1 for p in site.posts if indexed(p))


def shard_month(post: Post) -> str:
    """The unit of an agency's shard plan a post belongs to: the month of its date ("" undated)."""
    return f"{post.date:%Y-%m}" if post.date is not None else ""


def agency_shards(site: Site) -> tuple[tuple[str, ...], ...]:
    """The months of each shard of an agency's own index (`shard_month`), oldest first: plan_shards
    over the number of documents of each month, at most AGENCY_SHARD_DOCS documents a shard."""
    counts: dict[str, int] = {}
    for post in site.posts:
        if indexed(post):
            month = shard_month(post)
            counts[month] = counts.get(month, 0) + 1
    return plan_shards(list(counts.items()), AGENCY_SHARD_DOCS)


def agency_bundles(site: Site) -> tuple[str, ...]:
    """An agency's bundles after the first, for its search page to merge (`pagefind-1`, ...)."""
    return tuple(bundle_name(n) for n in range(1, len(agency_shards(site))))


def shards_to_index(region: Region, reuse: PageReuse | None, previous: Mapping[str, Sequence[str]]
                    ) -> tuple[list[OutputFile], list[tuple[int, tuple[str, ...]]]]:
    """The portal's shards to index (number, agencies), and the files of those carried over as the
    previous build made them (none of their agencies' posts changed, opdgen.build.changes)."""
    touched = _touched_agencies(reuse)
    carried: list[OutputFile] = []
    shards: list[tuple[int, tuple[str, ...]]] = []
    for n, agencies in enumerate(portal_shards(region)):
        kept = (carried_bundle(previous.get(f"{PORTAL_SLUG}/{bundle_name(n)}", []), reuse)
                if touched is not None and touched.isdisjoint(agencies) else None)
        if kept is not None:
            carried += kept
        else:
            shards.append((n, agencies))
    return carried, shards


def _touched_agencies(reuse: PageReuse | None) -> frozenset[str] | None:
    """touched_agencies of what the build trusts changed (None when it does not trust it)."""
    return touched_agencies(reuse.trusted if reuse is not None else None)


def touched_agencies(trusted: frozenset[str] | None) -> frozenset[str] | None:
    """The agencies of the changed posts when the build trusts what changed (only posts of content/
    changed, in place, none moved, output/ intact: opdgen.build.changes); None when it does not.
    The shard plan is then the previous build's, and a shard of other agencies is its last bundle."""
    if trusted is None:
        return None
    parts = [PurePosixPath(rel).parts for rel in trusted]
    if any(len(p) < 3 or p[0] != CONTENT_DIR for p in parts):
        return None
    return frozenset(p[1] for p in parts)


def carried_bundle(previous: Sequence[str], reuse: PageReuse | None) -> list[OutputFile] | None:
    """A bundle of the previous output as it was (its files, with the key they were made from)."""
    if reuse is None or not previous:
        return None
    known = [(path, *reuse.previous[path]) for path in previous]
    if len({key for _, key, _ in known}) != 1:
        return None
    return [OutputFile(PurePosixPath(path), b"", frozenset({"search"}), key=key, digest=digest, reused=True)
            for path, key, digest in known]


def expected_bundles(region: Region, agencies: Iterable[str], with_portal: bool) -> dict[str, frozenset[str]]:
    """By web root, the folders of the bundles outputs.search makes for it: each of `agencies`'
    shards, and the portal's (opdgen.build.pipeline writes a web root's serving files and pages.json
    once they are all made, while Pagefind goes on with the others)."""
    by_slug = {site.slug: site for site in region.sites}
    out = {slug: frozenset(bundle_name(n) for n in range(len(agency_shards(by_slug[slug]))))
           for slug in agencies}
    if with_portal:
        out[PORTAL_SLUG] = frozenset(bundle_name(n) for n in range(len(portal_shards(region))))
    return out


def bundle_name(shard: int) -> str:
    """`pagefind` for shard 0 (the URL every web root's search page loads), `pagefind-<n>` after."""
    return BUNDLE if shard == 0 else f"{BUNDLE}-{shard}"


def is_bundle(folder: str) -> bool:
    """Whether a folder of a web root holds a search bundle (`pagefind`, `pagefind-3`)."""
    return BUNDLE_FOLDER_RE.fullmatch(folder) is not None


def merged_bundles(region: Region) -> tuple[str, ...]:
    """The portal's bundles after the first, for its search page to merge (`pagefind-1`, ...)."""
    return tuple(bundle_name(n) for n in range(1, len(portal_shards(region))))


class Stopped(RuntimeError):
    """run_within was stopped (Lanes.stop) before every job ran."""


def memory_cost(document_bytes: int) -> int:
    """Pagefind's expected peak memory (bytes) for indexing documents of this many bytes."""
    return _BASE_COST + _COST_PER_BYTE * document_bytes


class Lanes:
    """How many jobs of run_within may go at once, changed while they run: the build lets Pagefind
    take one core while its main thread renders pages on the other, and every core afterwards
    (three busy processes on two cores only slow each other, and the portal's shards, which memory
    lets run only one at a time, then end late)."""

    def __init__(self, width: int) -> None:
        self.width = max(1, width)
        self.stopped = False  # no more jobs are started (the build ended early); run_within raises Stopped
        self._watchers: list[threading.Condition] = []
        self._lock = threading.Lock()

    def widen(self, width: int) -> None:
        with self._lock:
            self.width = max(self.width, width)
        self._wake()

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
        self._wake()

    def _wake(self) -> None:
        with self._lock:
            watchers = list(self._watchers)
        for ready in watchers:
            with ready:
                ready.notify_all()

    def watch(self, ready: threading.Condition) -> None:
        with self._lock:
            self._watchers.append(ready)


def run_within(jobs: Sequence[T], costs: Sequence[int], work: Callable[[T], R], workers: int,
               budget: int | None = None, lanes: Lanes | None = None) -> list[R]:
    """work(job) for every job, `workers` at a time (or fewer, while `lanes` says so), the costliest
    first, and never two or more at once whose costs add up to more than `budget` (SEARCH_MEMORY):
    while a big job runs alone, the other workers take the smaller ones that fit beside it, or wait.
    Results in the jobs' order."""
    limit = SEARCH_MEMORY if budget is None else budget
    pending = sorted(range(len(jobs)), key=lambda i: (-costs[i], i))
    results: dict[int, R] = {}
    state = {"used": 0, "running": 0, "failed": 0}
    ready = threading.Condition()
    if lanes is not None:
        lanes.watch(ready)

    def take() -> int | None:
        with ready:
            while pending and not state["failed"] and not (lanes is not None and lanes.stopped):
                fits = [i for i in pending if not state["running"] or state["used"] + costs[i] <= limit]
                if lanes is not None and state["running"] >= lanes.width:
                    fits = []
                if fits:
                    pending.remove(fits[0])
                    state["used"] += costs[fits[0]]
                    state["running"] += 1
                    return fits[0]
                ready.wait()
            return None

    def worker() -> None:
        while (i := take()) is not None:
            try:
                results[i] = work(jobs[i])
            except BaseException:
                state["failed"] = 1  # the others stop taking jobs; the error is raised below
                raise
            finally:
                with ready:
                    state["used"] -= costs[i]
                    state["running"] -= 1
                    ready.notify_all()

    with ThreadPoolExecutor(max(1, workers)) as pool:
        for future in [pool.submit(worker) for _ in range(max(1, min(workers, len(jobs))))]:
            future.result()
    if len(results) < len(jobs):
        raise Stopped(len(jobs) - len(results))
    return [results[i] for i in range(len(jobs))]
