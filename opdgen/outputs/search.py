"""The static search index (Pagefind) of each agency site and of the portal; no writing to output/.

Every index is made from the content, not from rendered pages: one small document per published
post, halaman, agenda event, register document and service (title, kind, date, summary, body, and
the link to its page: `with_search_doc`), so Pagefind parses a fifth of the bytes of whole pages,
the indexes can be built while the pages render (opdgen.build.pipeline runs this in a background
thread), and the portal's index over every agency is the same whether or not the agencies' pages
were rendered in this build. An agency's index holds its posts whole; the portal's holds each
post's title, kind, date, summary and opening (`lead_doc`): the portal finds any agency's news by
what it is about, the agency's own search page by every word, and the portal's index costs a third
of the time to make and a quarter of the bytes to search. The portal's index is split into shards of
agencies (opdgen.outputs.search_shards). The documents are laid out once in a private temporary
folder for all indexes (the portal's below portal/, which no agency's slug can be); Pagefind's
bundled binary indexes each root (or portal shard) there, as many at once as
memory allows, and its bundle, read back into memory, becomes OutputFile values under
<root>/pagefind/ (a shard after the first: <root>/pagefind-<n>/). An agency's index is split into
shards by month the same way (search_shards.agency_shards), so that an edit re-indexes one shard of
the agency's posts, not all of them. The bundle is deterministic, and
an index whose documents did not change is reused like an unchanged page; when the build knows that
only some posts changed, in place (opdgen.build.changes), a shard of other agencies is carried over
without even making its documents. Without the previous output (a CI job restores .opdgen-cache/,
not output/), a bundle is taken from the persistent cache by the same key: Pagefind indexes only the
sites and shards whose documents changed (`BundleStore`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from html import escape, unescape
from pathlib import Path, PurePosixPath

from opdgen import cacheuse, versions
from opdgen.cachedb import CacheDB
from opdgen.config import PORTAL_SLUG
from opdgen.content.model import Kind, Post, Region, Site
from opdgen.markup.bodies import default_jobs
from opdgen.media.html import article_body
from opdgen.outputs.files import OutputFile, PageReuse
from opdgen.outputs.search_shards import (
    BUNDLE,
    Lanes,
    agency_shards,
    bundle_name,
    carried_bundle,
    indexed,
    is_bundle,
    memory_cost,
    portal_shards,
    run_within,
    shard_month,
    shards_to_index,
)
from opdgen.problems import Problem, ProblemError
from opdgen.records import record
from opdgen.render.context import PostView, Urls, post_rel
from opdgen.spawner import Spawner, SpawnerError

MARK = b"data-pagefind-body"
# Pagefind's own UIs inject inline styles (refused by our CSP) and the playground is for developers.
_UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.",
           "playground/")
# a bundle after the first (a shard) is only merged into the first one's (search.js: mergeIndex),
# which loads its entry, metadata, index and fragments, never its code or WebAssembly
_MERGED_UNUSED = ("pagefind.js", "pagefind-worker.js", "wasm.")
# 2: a shard's bundle without Pagefind's code; 3: documents laid out as files, not folders (their
# URLs in the bundle change). In every index key: kept ones change
BUNDLE_FORMAT = 3


@record
class SearchRoot:
    """One index to build: the web root it is published in and the pages it covers."""

    root: str  # "dinkes" or "portal"
    # under their own site folders (a portal shard's: portal/<agency>/; an agency's shard after the
    # first: <agency>.pagefind-<n>/, agency_roots)
    pages: tuple[OutputFile, ...]
    strip: str  # the folder prefix removed to place a page in the index's folder
    bundle: str = BUNDLE  # its folder in the web root: pagefind, or pagefind-<n> for a shard after the first
    agencies: tuple[str, ...] = ()  # a portal shard's agencies (only their folders are indexed)


def search_files(region: Region, reuse: PageReuse | Callable[[], PageReuse | None] | None,
                 sites: Iterable[str], with_portal: bool = True,
                 kind_label: Callable[[Kind], str] | None = None, lanes: Lanes | None = None,
                 deliver: Callable[[list[OutputFile]], None] | None = None,
                 cache: Path | None = None, launching: Callable[[], None] | None = None,
                 touched: frozenset[str] | None = None,
                 delivered: Callable[[], None] | None = None,
                 known_leads: Mapping[str, str] | None = None,
                 made_leads: dict[str, str] | None = None,
                 post_leads: dict[str, str] | None = None) -> list[OutputFile]:
    """The Pagefind bundle of each of `sites`, and the portal's shards over every agency.

    Every index is made from the content (never from rendered pages), so this can run while the
    pages are being rendered, and the portal's index is the same whether or not the agencies'
    pages were rendered in this build (`build --site portal` in a CI job of its own renders none).
    `reuse`: the previous output's files, or a function that gives them (waiting for them: they
    are loaded while Pagefind starts).
    `deliver`: called with the files of each bundle as soon as they are made, from this thread or
    another, instead of returning them all at the end (the build writes them while the last
    bundles are made). `cache`: the persistent cache's file, where bundles are kept by key.
    `launching`: called once the documents are laid out, as Pagefind starts (or when there is
    nothing to index).
    `touched`: the agencies of the changed posts, when the build trusts that only they changed, in
    place (opdgen.build.changes): Pagefind starts on their bundles and shards before the previous
    output is even looked at, and the other shards are carried over meanwhile.
    `delivered`: called once every bundle was given to `deliver`, before the scratch folder is
    removed (and, with `touched`, before the bundles made are kept in the cache): the build goes on
    with its last files meanwhile.
    `known_leads`: with `touched`, the last build's lead_digests (changes.Signatures.leads): a
    portal shard whose touched agencies' portal documents are all as they were then is carried
    over like the others, and its other agencies' documents are not even made. `made_leads`:
    filled with the lead_digests of the agencies whose documents were made; `post_leads`: with
    each of their posts' lead_digest, by source."""
    later: list[tuple[int, tuple[str, ...]]] = []  # shards carried over once `reuse` is known
    leads: dict[PurePosixPath, bytes] = {}
    hashed: dict[PurePosixPath, str] = {}  # (each lead's digest, made once)
    sources: dict[PurePosixPath, str] | None = {} if post_leads is not None else None
    label = kind_label or (lambda kind: kind.value)
    if touched is None:
        reuse = reuse() if callable(reuse) else reuse
        previous = _previous_folders(reuse)
        out, shards = shards_to_index(region, reuse, previous) if with_portal else ([], [])
        wanted = set(sites) | {slug for _, agencies in shards for slug in agencies}
        documents = region_documents(region, label, wanted, leads, set(sites), sources)
    else:
        previous, out, shards = {}, [], []
        wanted = set(sites) | touched
        documents = region_documents(region, label, wanted, leads, set(sites), sources)
        now = lead_digests(leads, wanted, hashed)
        before = known_leads or {}
        for n, agencies in enumerate(portal_shards(region) if with_portal else ()):
            alike = all(before.get(slug) == now[slug] for slug in touched.intersection(agencies))
            (later if alike else shards).append((n, agencies))
        more = {slug for _, agencies in shards for slug in agencies} - wanted
        if more:
            documents += region_documents(region, label, more, leads, set(sites), sources)
            wanted |= more
    if made_leads is not None:
        made_leads.update(lead_digests(leads, wanted, hashed))
    if post_leads is not None and sources is not None:
        post_leads.update((source, hashed.get(path) or _sha256(leads[path]))
                          for path, source in sources.items())
    by_site: dict[str, list[OutputFile]] = {}
    for doc in documents:
        by_site.setdefault(doc.path.parts[0], []).append(doc)
    by_slug = {site.slug: site for site in region.sites}
    roots = [sr for slug in sorted(set(sites)) for sr in agency_roots(by_slug[slug], by_site.get(slug, ()))]
    for n, agencies in shards:  # the portal's documents are laid out below portal/ (no agency's slug)
        pages = tuple(OutputFile(PurePosixPath(PORTAL_SLUG) / doc.path, b"", is_page=True,
                                 search_doc=leads[doc.path])
                      for slug in agencies for doc in by_site.get(slug, ()))
        roots.append(SearchRoot(PORTAL_SLUG, pages, PORTAL_SLUG, bundle_name(n), agencies))
    language = region.config.language
    digests = {doc.path: _doc_digest(doc) for sr in roots for doc in sr.pages}
    todo: list[tuple[SearchRoot, str]] = []
    known = None if callable(reuse) else reuse  # (with `touched`, not looked at before Pagefind starts)
    for sr in roots:
        key = index_key(sr, language, digests)
        cacheuse.note(SEARCH_CACHE, (_cache_key(sr, key),))  # the bundle this tree makes: kept in the cache
        kept = _reused_bundle(sr, key, known, previous.get(f"{sr.root}/{sr.bundle}", []))
        if kept is not None:
            out += kept
        else:
            todo.append((sr, key))
    missed: list[tuple[int, tuple[str, ...]]] = []
    with BundleStore(cache) as store, contextlib.ExitStack() as tidying:
        store.keep_only(todo)
        for sr, key in list(todo):
            if (cached := store.get(sr, key)) is not None:
                out += cached
                todo.remove((sr, key))
        if deliver is not None:
            deliver(out)
            out = []
        carrying = _Carrying(reuse, later, deliver) if callable(reuse) else None
        if todo:
            started = launching if carrying is None else _both(launching, carrying.start)
            # after an edit, the few bundles made are kept in the cache once the build has them all
            out += _build_all(todo, language, lanes, deliver, store, started, tidying,
                              keep_later=touched is not None and deliver is not None)
        elif launching is not None:
            launching()
        if carrying is not None:
            out += carrying.join()
            missed = carrying.missed
        if not missed and delivered is not None:
            delivered()
    if missed:  # not as the previous build left them: indexed after all (a damaged output)
        assert carrying is not None
        again = frozenset(slug for _, agencies in missed for slug in agencies)
        out += search_files(region, carrying.reuse, (), True, kind_label, lanes, deliver, cache,
                            touched=again, delivered=delivered)  # (no known_leads: each indexed)
    return out


def agency_roots(site: Site, documents: Sequence[OutputFile]) -> list[SearchRoot]:
    """The roots of an agency's index shards (search_shards.agency_shards), each with the documents
    of its months. A shard after the first is laid out in a folder of its own, `<agency>.pagefind-<n>`
    (no slug holds a dot), where Pagefind finds it alone, at the same URLs."""
    months = {PurePosixPath(site.slug) / post_rel(post) / "index.html": shard_month(post)
              for post in site.posts if indexed(post)}
    roots = []
    for n, shard in enumerate(agency_shards(site)):
        wanted, bundle = set(shard), bundle_name(n)
        pages = [doc for doc in documents if months.get(doc.path) in wanted]
        folder = f"{site.slug}.{bundle}" if n else site.slug
        if n:
            pages = [dataclasses.replace(doc, path=PurePosixPath(folder, *doc.path.parts[1:]))
                     for doc in pages]
        roots.append(SearchRoot(site.slug, tuple(pages), folder, bundle))
    return roots


def _both(first: Callable[[], None] | None, second: Callable[[], None]) -> Callable[[], None]:
    def call() -> None:
        if first is not None:
            first()
        second()
    return call


class _Carrying:
    """The portal's shards of agencies none of whose posts changed, carried over as the previous
    build made them, in a thread of their own once Pagefind runs on the others (waiting for the
    previous output's files: `reuse`); a shard that cannot be carried is `missed`."""

    def __init__(self, reuse: Callable[[], PageReuse | None],
                 later: Sequence[tuple[int, tuple[str, ...]]],
                 deliver: Callable[[list[OutputFile]], None] | None) -> None:
        self._get, self._later, self._deliver = reuse, later, deliver
        self.reuse: PageReuse | None = None
        self.missed: list[tuple[int, tuple[str, ...]]] = []
        self._out: list[OutputFile] = []
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="opdgen-carry", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self.reuse = self._get()
            previous = _previous_folders(self.reuse, (PORTAL_SLUG,))
            for n, agencies in self._later:
                kept = carried_bundle(previous.get(f"{PORTAL_SLUG}/{bundle_name(n)}", []), self.reuse)
                if kept is None:
                    self.missed.append((n, agencies))
                elif self._deliver is not None:
                    self._deliver(kept)
                else:
                    self._out += kept
        except BaseException as exc:  # raised in the search thread (join)
            self._error = exc

    def join(self) -> list[OutputFile]:
        if self._thread is None:  # nothing was indexed
            self.start()
        assert self._thread is not None
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._out


class BundleStore:
    """Search bundles kept in the persistent cache by index key (namespace "search", key
    "<root>/<bundle>:<index key>"), so a build without the previous output indexes only what
    changed. A value is the bundle's file list (JSON, one line) and its files' bytes, checked like
    every cache entry and read back only when its paths stay inside the bundle and its sizes add up;
    one key per bundle folder is kept, the one the tree in hand makes. Without a cache file it
    keeps nothing."""

    def __init__(self, path: Path | None) -> None:
        self.db = CacheDB(path) if path is not None else None

    def __enter__(self) -> BundleStore:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.db is not None:
            self.db.close()

    def get(self, sr: SearchRoot, key: str) -> list[OutputFile] | None:
        if self.db is None:
            return None
        name = _cache_key(sr, key)
        value = self.db.get_many(SEARCH_CACHE, [name]).get(name)
        return None if value is None else _unpacked(sr, key, value)

    def put(self, sr: SearchRoot, key: str, files: Sequence[OutputFile]) -> None:
        if self.db is not None:
            prefix, at, listed = f"{sr.root}/{sr.bundle}/", 0, []
            for f in files:
                listed.append([str(f.path).removeprefix(prefix), at, len(f.data)])
                at += len(f.data)
            value = b"".join([json.dumps(listed).encode(), b"\n", *(f.data for f in files)])
            self.db.put_many(SEARCH_CACHE, {_cache_key(sr, key): value})

    def keep_only(self, made: Iterable[tuple[SearchRoot, str]]) -> None:
        """Drop the kept bundles of these roots' folders that the tree in hand no longer makes (each
        root with its index key; a folder keeps at most one more: the bundle the output holds)."""
        if self.db is not None:
            self.db.keep_only(SEARCH_CACHE, {_cache_key(sr, ""): _cache_key(sr, key) for sr, key in made})


SEARCH_CACHE = "search"


def _cache_key(sr: SearchRoot, key: str) -> str:
    """The entry's key; with key "", the prefix of every entry of the root's folder (keep_only)."""
    return f"{sr.root}/{sr.bundle}:{key}"


def _unpacked(sr: SearchRoot, key: str, value: bytes) -> list[OutputFile] | None:
    """The bundle's files from a kept value, or None when the value is not one (a foreign entry)."""
    header, newline, data = value.partition(b"\n")
    try:
        files = json.loads(header)
        out = []
        at = 0
        for rel, start, size in files:
            if not isinstance(rel, str) or not isinstance(size, int) or start != at or size < 0:
                return None
            parts = PurePosixPath(rel).parts
            if not parts or rel.startswith("/") or ".." in parts:
                return None
            at += size
            out.append(OutputFile(PurePosixPath(sr.root) / sr.bundle / rel, data[start:at],
                                  frozenset({"search"}), key=key))
    except (ValueError, TypeError):
        return None
    return out if newline and at == len(data) and out else None


def region_documents(region: Region, kind_label: Callable[[Kind], str],
                     only: Iterable[str] | None = None,
                     leads: dict[PurePosixPath, bytes] | None = None,
                     whole: Iterable[str] | None = None,
                     sources: dict[PurePosixPath, str] | None = None) -> list[OutputFile]:
    """A search document for every published post of every agency (or of the agencies `only`; all
    kinds but SKM results, which have no page of their own), at the path of its page. `leads`:
    filled with each one's document for the portal (lead_doc), by the same path. `whole`: the
    agencies whose own index is made (None: all); the others' pages come without their document
    (only their leads are indexed, in the portal's shards). `sources`: filled with each news
    post's source, by the same path."""
    out = []
    wanted = None if only is None else set(only)
    full = None if whole is None else set(whole)
    for site in region.sites:
        if wanted is not None and site.slug not in wanted:
            continue
        urls = Urls(site.config.base_url)
        own = full is None or site.slug in full
        for post in site.posts:
            if indexed(post):
                path = PurePosixPath(site.slug) / post_rel(post) / "index.html"
                view = search_view(post, urls, kind_label)
                page = OutputFile(path, b"", is_page=True)
                out.append(with_search_doc(view, page) if own else page)
                if leads is not None:
                    leads[path] = lead_doc(view)
                if sources is not None and post.kind.is_news:
                    sources[path] = str(post.source.path)
    return out


@record
class SearchView:
    """What a post's search documents say of it: these fields of its PostView (post_view), made
    without the rest (reading time, images, tags): for the documents of 10,000 posts the words
    of every body were counted for nothing, half a second of a cold build and a tenth of one after
    an edit (the shard's documents, which Pagefind waits for)."""

    title: str
    kind_label: str
    date: datetime | None
    summary: str
    abs_url: str
    body_html: str  # with its local images and files as the post's page shows them (article_body)


def search_view(post: Post, urls: Urls, kind_label: Callable[[Kind], str]) -> SearchView:
    """The fields of post_view(post, <its site>, urls, kind_label) that search documents use."""
    return SearchView(title=post.title, kind_label=kind_label(post.kind), date=post.date,
                      summary=post.summary, abs_url=urls.abs(post_rel(post)),
                      body_html=article_body(post.body_html, post.media, urls.path))


def with_search_doc(view: PostView | SearchView, page: OutputFile) -> OutputFile:
    """The page with its search document: what the page's marked article says, without its HTML
    around it (the reader's view of title, kind, date, summary and body; the link to the page)."""
    return dataclasses.replace(page, search_doc=_document(view, view.body_html))


LEAD_WORDS = 150  # of a post's body in the portal's index
_TAG = re.compile(r"<[^>]*>")


def lead_doc(view: PostView | SearchView) -> bytes:
    """A post's document in the portal's index: what with_search_doc holds, but of the body only its
    first LEAD_WORDS words (as plain text). The portal finds a post of any agency by its title,
    summary and opening, where news says what, who and where; the agency's own index has all of it.
    Pagefind's work, and what a phone downloads per search, grow with the words indexed: a shard of
    900 posts is indexed in a third of the time, and its index is a quarter of the size."""
    return _document(view, f"<p>{escape(' '.join(lead_words(view.body_html)))}</p>")


_LEAD_CHARS = 16 * LEAD_WORDS  # a body's opening that holds LEAD_WORDS words in all but odd cases


def lead_words(body_html: str) -> list[str]:
    """The first LEAD_WORDS words of a body's text. Every tag counts as a space, so no word spans
    one, and the words of the body's opening up to a tag are the first words of the whole: the
    opening is enough when it has them all (the rest of a long body is never stripped). The
    opening must end where a tag of the whole begins, with no tag of it running past that point
    (an attribute may hold "<" or ">"): else the whole is stripped."""
    cut = body_html.find("<", _LEAD_CHARS)
    if cut > 0 and _TAG.match(body_html, cut) is not None:
        text = _TAG.sub(" ", body_html[:cut])
        if "<" not in text:  # (a "<" left over: a tag of the whole runs past the opening)
            words = unescape(text).split()
            if len(words) > LEAD_WORDS:
                return words[:LEAD_WORDS]
    return unescape(_TAG.sub(" ", body_html)).split()[:LEAD_WORDS]


def _document(view: PostView | SearchView, body_html: str) -> bytes:
    when = f"<p>{view.date:%Y-%m-%d}</p>" if view.date is not None else ""
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(view.title)}</title></head>'
        f'<body><main data-pagefind-body data-pagefind-meta="link:{escape(view.abs_url)}">'
        f"<h1>{escape(view.title)}</h1><p>{escape(view.kind_label)}</p>{when}"
        f"<p>{escape(view.summary)}</p>{body_html}</main></body></html>"
    ).encode()


def lead_digest(post: Post, urls: Urls, kind_label: Callable[[Kind], str]) -> str:
    """The digest of a post's document in the portal's index, as lead_digests hashes it."""
    return _sha256(lead_doc(search_view(post, urls, kind_label)))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def lead_digests(leads: Mapping[PurePosixPath, bytes], agencies: Iterable[str],
                 hashed: dict[PurePosixPath, str] | None = None) -> dict[str, str]:
    """By agency, a digest of all its documents in the portal's index (lead_doc, by path; `leads`
    holds every one of these agencies'): equal digests, equal documents. `hashed`: each document's
    digest, by path, used and filled."""
    rows: dict[str, list[str]] = {slug: [] for slug in agencies}
    known = {} if hashed is None else hashed
    for path, doc in leads.items():
        found = rows.get(path.parts[0])
        if found is not None:
            digest = known.get(path)
            if digest is None:
                digest = known[path] = _sha256(doc)
            found.append(f"{path}\0{digest}\n")
    return {slug: hashlib.sha256("".join(sorted(lines)).encode("utf-8")).hexdigest()
            for slug, lines in rows.items()}


def index_key(sr: SearchRoot, language: str, digests: Mapping[PurePosixPath, str] | None = None) -> str:
    """Everything the bundle is made from: Pagefind's version, the language, every document
    (`digests`: the documents' digests when known)."""
    known = digests or {}
    parts = [str(BUNDLE_FORMAT), _pagefind_version(), language, sr.root, sr.strip, sr.bundle,
             " ".join(sr.agencies)]
    parts += sorted(f"{f.path}\0{known.get(f.path) or _doc_digest(f)}" for f in sr.pages)
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _doc_digest(f: OutputFile) -> str:
    if f.search_doc:
        return "doc:" + hashlib.sha256(f.search_doc).hexdigest()
    return f.key or f.sha256()


def _pagefind_version() -> str:
    return versions.version("pagefind-bin") or "external"  # (else a pagefind binary on PATH)


def previous_bundles(reuse: PageReuse | None) -> list[OutputFile]:
    """Every search bundle file of the previous output, carried over as it is (with the key it was
    made from, so the next full build knows whether to index again)."""
    if reuse is None:
        return []
    out = []
    for path, (key, _digest) in sorted(reuse.previous.items()):
        p = PurePosixPath(path)
        if len(p.parts) > 2 and is_bundle(p.parts[1]) and (digest := reuse.lookup(p, key)) is not None:
            out.append(OutputFile(p, b"", frozenset({"search"}), key=key, digest=digest, reused=True))
    return out


def _previous_folders(reuse: PageReuse | None, roots: Iterable[str] | None = None) -> dict[str, list[str]]:
    """The previous output's search bundle files by folder ("dinkes/pagefind", "portal/pagefind-2"),
    sorted: found in one pass over the previous output (tens of thousands of files at 10,000 posts),
    or over the web roots named (`roots`: the others' pages.json are not even read)."""
    out: dict[str, list[str]] = {}
    if reuse is None:
        return out
    named = reuse.roots() if roots is None else roots
    for path in sorted(p for root in named for p in reuse.state(root).previous):
        root, _, rest = path.partition("/")
        folder, inside, _ = rest.partition("/")
        if inside and is_bundle(folder):
            out.setdefault(f"{root}/{folder}", []).append(path)
    return out


def _reused_bundle(sr: SearchRoot, key: str, reuse: PageReuse | None,
                   previous: Sequence[str]) -> list[OutputFile] | None:
    """The previous build's bundle for this root (or shard), its files `previous`, when it was made
    from the same pages."""
    if reuse is None or not previous:
        return None
    out = []
    for path in previous:
        digest = reuse.lookup(PurePosixPath(path), key)
        if digest is None:
            return None
        out.append(OutputFile(PurePosixPath(path), b"", frozenset({"search"}), key=key, digest=digest,
                              reused=True))
    return out


def _build_all(todo: Sequence[tuple[SearchRoot, str]], language: str, lanes: Lanes | None = None,
               deliver: Callable[[list[OutputFile]], None] | None = None,
               store: BundleStore | None = None, launching: Callable[[], None] | None = None,
               tidying: contextlib.ExitStack | None = None, keep_later: bool = False,
               ) -> list[OutputFile]:
    """Run the bundled Pagefind binary once per index, one per core at a time (or as `lanes`
    allows), the biggest first, and never several at once whose expected memory exceeds
    search_shards.SEARCH_MEMORY; the bundles' files in the order of `todo`, or each bundle's
    given to `deliver` as soon as it is read back (and kept in `store`).
    `tidying`: where the removal of the scratch folder and the end of the helper process are left
    for the caller (by then every bundle is handed over); with `keep_later`, keeping the bundles
    in `store` too (a few bundles, held in memory meanwhile: not for a whole region's).

    The binary itself indexes a site in tens of milliseconds; its Python service API spends about
    half a second per index on messages, which at sixty agencies was most of a build.
    """
    try:
        from pagefind_bin import get_executable

        binary = str(get_executable())
    except Exception as exc:  # the wheel without its binary: a problem with a fix, not a crash
        raise ProblemError([_failure(f"{type(exc).__name__}: {exc}")]) from None
    needed = sum(len(f.search_doc) for sr, _ in todo for f in sr.pages)
    scratch = _scratch(needed)
    _remove_stale(Path(scratch or tempfile.gettempdir()))
    with contextlib.ExitStack() as own:
        stack = tidying if tidying is not None else own
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix=f"{_PREFIX}{os.getpid()}-", dir=scratch))
        spawner = stack.enter_context(Spawner())  # starts Pagefind and writes files: a small process
        keeping = tidying if keep_later and tidying is not None else None
        pages = Path(tmp) / "pages"  # every document once, at its path: <site>/berita/x/index.html
        try:
            counts = _lay_out(todo, pages, spawner)
        except SpawnerError as exc:
            raise ProblemError([_failure(str(exc))]) from None
        jobs = [(sr, key, count) for (sr, key), count in zip(todo, counts, strict=True)]
        costs = [memory_cost(sum(len(f.search_doc) for f in sr.pages)) for sr, _ in todo]
        if launching is not None:
            launching()
        parts = run_within(jobs, costs, lambda job: _handed(deliver, _build_one(
            spawner, binary, job[0], job[1], job[2], language, pages, Path(tmp)), store, job[0], job[1],
            keeping), default_jobs(), lanes=lanes)
        return [f for part in parts for f in part]


def _handed(deliver: Callable[[list[OutputFile]], None] | None, files: list[OutputFile],
            store: BundleStore | None = None, sr: SearchRoot | None = None,
            key: str = "", later: contextlib.ExitStack | None = None) -> list[OutputFile]:
    """The files, or none once given to `deliver` (and then kept in `store`: the build writes them
    meanwhile; `later`: when the stack is left)."""
    if deliver is not None:
        deliver(files)
    if store is not None and sr is not None:
        if later is not None:
            later.callback(store.put, sr, key, files)
        else:
            store.put(sr, key, files)
    return [] if deliver is not None else files


_PREFIX = "opdgen-search-"
_STALE = re.compile(rf"{_PREFIX}(\d+)-")


def _remove_stale(folder: Path) -> None:
    """Remove the scratch folders of builds that were killed while indexing (a folder in memory
    would hold its documents until the machine restarts): ours, named for a process that is gone."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        match = _STALE.match(entry.name)
        if match is None or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            if entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
            os.kill(int(match.group(1)), 0)  # raises when no such process
        except ProcessLookupError:
            shutil.rmtree(entry.path, ignore_errors=True)
        except (OSError, OverflowError):
            continue  # alive under another user, or unreadable: not ours to judge


def _scratch(needed: int) -> str | None:
    """A folder in memory (/dev/shm) for the documents and bundles when it has room for them three
    times over: Pagefind reads and writes tens of thousands of small files there, which a disk does
    several times slower. Else the system's temporary folder (containers often give /dev/shm 64 MB)."""
    shm = "/dev/shm"
    try:
        info = os.statvfs(shm)
    except OSError:
        return None
    free = info.f_bavail * info.f_frsize
    return shm if os.access(shm, os.W_OK) and free > 3 * needed + (64 << 20) else None


def _build_one(spawner: Spawner, binary: str, sr: SearchRoot, key: str, count: int, language: str,
               pages: Path, tmp: Path) -> list[OutputFile]:
    bundle = tmp / f"bundle-{sr.root}-{sr.bundle}"
    if not count:  # the command line refuses an empty site; the service does not
        import asyncio  # (only for a site with nothing to index: 11 ms of every build's start)

        asyncio.run(_write_empty(bundle, language))
        return _bundle_files(sr, key, bundle, spawner)
    only = ["--glob", "{" + ",".join(sr.agencies) + "}/**/*.html"] if sr.agencies else []
    try:
        run = spawner.run([binary, "--site", str(pages / sr.strip if sr.strip else pages), *only,
                           "--output-path", str(bundle), "--force-language", language], timeout=600)
        if run.returncode != 0:
            raise ProblemError([_failure((run.stderr or run.stdout).strip()[-500:])])
        return _bundle_files(sr, key, bundle, spawner)
    except SpawnerError as exc:
        raise ProblemError([_failure(str(exc))]) from None


async def _write_empty(bundle: Path, language: str) -> None:
    """The bundle of a site with nothing to index yet, so its search page still loads."""
    from pagefind.index import IndexConfig
    from pagefind.service import PagefindService

    async with PagefindService() as service:
        index = await service.create_index(IndexConfig(force_language=language))
        await index.write_files(str(bundle))
        await index.delete_index()


def _failure(detail: str) -> Problem:
    return Problem(PurePosixPath("opdgen.yaml"), None, "search.index_failed", {"detail": detail})


def _lay_out(todo: Sequence[tuple[SearchRoot, str]], pages: Path, spawner: Spawner) -> list[int]:
    """Write the documents of every index to build below pages, each once and all in path order
    (a folder in memory lists its files in the order they were made, and Pagefind's bundle follows
    the order it reads them in: the same documents must always be made in the same order); the
    number of documents of each index. The helper process writes them, from one file of them all."""
    documents = {f.path: f.search_doc for sr, _ in todo for f in sr.pages if MARK in f.search_doc}
    order = sorted(documents)
    files, offset = [], 0
    for path in order:
        files.append((_laid_out(path), offset, len(documents[path])))
        offset += len(documents[path])
    blob = pages.with_name("documents.blob")
    blob.write_bytes(b"".join(documents[path] for path in order))
    spawner.unpack(blob, files, pages)
    blob.unlink()
    return [sum(1 for f in sr.pages if f.path in documents) for sr, _ in todo]


def _laid_out(path: PurePosixPath) -> str:
    """Where a document is written for Pagefind: `<site>/berita/x/index.html` as
    `<site>/berita/x.html` (no slug holds a dot), a file without a folder of its own, which halves
    what is made and removed (the results link to each document's `link`, not to its file)."""
    parts = path.parts
    if len(parts) > 2 and parts[-1] == "index.html":
        return "/".join(parts[:-2]) + f"/{parts[-2]}.html"
    return str(path)


def _bundle_files(sr: SearchRoot, key: str, bundle: Path, spawner: Spawner) -> list[OutputFile]:
    """The files Pagefind wrote, read back into memory (the writer publishes them): the helper
    process puts them into one file, in path order."""
    blob = bundle.with_name(bundle.name + ".blob")
    files = spawner.pack(bundle, blob, _UNUSED if sr.bundle == BUNDLE else (*_UNUSED, *_MERGED_UNUSED),
                         remove=True)  # (removed meanwhile, not all at the end)
    data = blob.read_bytes()
    blob.unlink()
    return [OutputFile(PurePosixPath(sr.root) / sr.bundle / rel, data[start:start + size],
                       frozenset({"search"}), key=key) for rel, start, size in files]
