"""The static search index (Pagefind) of each agency site and of the portal; no writing to output/.

Every index is made from the content, not from rendered pages: one small document per published
post, halaman, agenda event, register document and service (title, kind, date, summary, body, and
the link to its page: `with_search_doc`), so Pagefind parses a fifth of the bytes of whole pages,
the indexes can be built while the pages render (opdgen.build.pipeline runs this in a background
thread), and the portal's index is the same whether or not the agencies' pages were rendered in
this build.

Each agency's posts are indexed once, into its own bundle (<slug>/pagefind/). The portal publishes
a copy of every agency's bundle beside its own (portal/pagefind-<slug>/: the index and fragments,
not the script and WebAssembly, which a merged index takes from the primary one), and its search
page merges them in the browser (Pagefind's `mergeIndex`) into one ranked list of results; the
portal's own bundle (portal/pagefind/) holds a document per agency (agency_documents). So a post is
never indexed twice, and after an edit only its agency's bundle is made again, with its copy.

The documents are laid out once in a private temporary folder for all indexes; Pagefind's bundled
binary indexes each agency there, as many at once as memory allows (opdgen.outputs.search_runs), and
its bundle, read back into memory, becomes OutputFile values. The bundle is deterministic, and an
index whose documents did not change is reused like an unchanged page; when the build knows that
only some posts changed, in place (opdgen.build.changes), the portal's copies of other agencies'
bundles are carried over without even making their documents.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath

from opdgen.config import PORTAL_SLUG
from opdgen.content.loader import CONTENT_DIR
from opdgen.content.model import Kind, Post, Region
from opdgen.markup.bodies import default_jobs
from opdgen.outputs.files import OutputFile, PageReuse
from opdgen.outputs.search_runs import Lanes, memory_cost, run_within
from opdgen.problems import Problem, ProblemError
from opdgen.render.context import PostView, Urls, post_rel, post_view, site_view
from opdgen.spawner import Spawner, SpawnerError

MARK = b"data-pagefind-body"
BUNDLE = "pagefind"  # every web root's own bundle (the URL its search page loads)
_BUNDLE_FOLDER = re.compile(rf"{BUNDLE}(-[a-z0-9][a-z0-9-]*)?")
# Pagefind's own UIs inject inline styles (refused by our CSP) and the playground is for developers.
_UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.",
           "playground/")


@dataclass(frozen=True, slots=True)
class SearchRoot:
    """One index to build: the web root it is published in and the documents it covers."""

    root: str  # "dinkes"; "portal" for the portal's own bundle (its directory of agencies)
    pages: tuple[OutputFile, ...]  # the documents, at their pages' paths (<root>/berita/x/index.html)
    strip: str  # the folder of the documents the index covers ("": none)
    bundle: str = BUNDLE  # its folder in the web root


@dataclass(frozen=True, slots=True)
class _Job:
    """An index to make: its root, its key, whether its own bundle is published in this build (an
    agency left out of `build --site X` is indexed for the portal's copy only), and the folder of the
    portal's copy of it (None: no copy)."""

    sr: SearchRoot
    key: str
    publish: bool = True
    copy: str | None = None


def indexed(post: Post) -> bool:
    """Whether a post gets a search document (SKM results have no page of their own)."""
    return post.kind is not Kind.SKM


def portal_bundle(slug: str) -> str:
    """The folder of the portal's copy of an agency's bundle: `pagefind-<slug>`."""
    return f"{BUNDLE}-{slug}"


def is_bundle(folder: str) -> bool:
    """Whether a folder of a web root holds a search bundle (`pagefind`, `pagefind-dinkes`)."""
    return _BUNDLE_FOLDER.fullmatch(folder) is not None


def merged_bundles(region: Region) -> tuple[str, ...]:
    """The portal's copies of the agencies' bundles, for its search page to merge: one for every
    agency with something to find, in slug order."""
    return tuple(portal_bundle(slug) for slug in _with_documents(region))


def _with_documents(region: Region) -> list[str]:
    return sorted(site.slug for site in region.sites if any(indexed(p) for p in site.posts))


def search_files(region: Region, reuse: PageReuse | None, sites: Iterable[str], with_portal: bool = True,
                 kind_label: Callable[[Kind], str] | None = None, lanes: Lanes | None = None,
                 deliver: Callable[[list[OutputFile]], None] | None = None) -> list[OutputFile]:
    """The Pagefind bundle of each of `sites`, and (with_portal) the portal's own bundle and its
    copies of every agency's.

    Every index is made from the content (never from rendered pages), so this can run while the
    pages are being rendered, and the portal's copies are the same whether or not the agencies'
    pages were rendered in this build (`build --site portal` in a CI job of its own renders none).
    `deliver`: called with the files of each bundle (and its copy) as soon as they are made, from
    this thread or another, instead of returning them all at the end (the build writes them while
    the last bundles are made)."""
    out: list[OutputFile] = []
    emit = deliver or out.extend
    previous = _previous_folders(reuse)
    own = set(sites)
    copies = set(_with_documents(region)) if with_portal else set()
    touched = _touched_agencies(reuse)
    wanted = set(own)
    for slug in sorted(copies - own):  # a copy of an agency this build does not index for itself
        kept = (_carried(previous.get(f"{PORTAL_SLUG}/{portal_bundle(slug)}", []), reuse)
                if touched is not None and slug not in touched else None)
        if kept is None:
            wanted.add(slug)
        else:
            emit(kept)
    documents = region_documents(region, kind_label or (lambda kind: kind.value), wanted)
    by_site: dict[str, list[OutputFile]] = {}
    for doc in documents:
        by_site.setdefault(doc.path.parts[0], []).append(doc)
    language = region.config.language
    jobs = []
    for slug in sorted(wanted):
        sr = SearchRoot(slug, tuple(by_site.get(slug, ())), slug)
        jobs.append(_Job(sr, index_key(sr, language), slug in own,
                         portal_bundle(slug) if slug in copies else None))
    if with_portal:  # the portal's own bundle: its directory of agencies
        primary = SearchRoot(PORTAL_SLUG, tuple(agency_documents(region)), PORTAL_SLUG)
        jobs.append(_Job(primary, index_key(primary, language)))
    todo: list[_Job] = []
    for job in jobs:
        kept = _kept(job, reuse, previous)
        if kept is not None:
            emit(kept)
        else:
            todo.append(job)
    if todo:
        out += _build_all(todo, language, lanes, deliver)
    return out


def region_documents(region: Region, kind_label: Callable[[Kind], str],
                     only: Iterable[str] | None = None) -> list[OutputFile]:
    """A search document for every published post of every agency (or of the agencies `only`; all
    kinds but SKM results, which have no page of their own), at the path of its page."""
    out = []
    wanted = None if only is None else set(only)
    for site in region.sites:
        if wanted is not None and site.slug not in wanted:
            continue
        urls = Urls(site.config.base_url)
        view_site = site_view(site.config, urls, "", None)
        for post in site.posts:
            if indexed(post):
                path = PurePosixPath(site.slug) / post_rel(post) / "index.html"
                view = post_view(post, view_site, urls, kind_label)
                out.append(with_search_doc(view, OutputFile(path, b"", is_page=True)))
    return out


def agency_documents(region: Region) -> list[OutputFile]:
    """The portal's own documents: one per agency (its name, description and contacts), linking to
    its site, so the portal's search finds the agency itself as well as its posts."""
    out = []
    for site in region.sites:
        config = site.config
        link = Urls(config.base_url).abs("")
        details = (config.short_name, config.description, config.address, config.phone, config.email,
                   config.office_hours)
        doc = (
            f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(config.name)}</title></head>'
            f'<body><main data-pagefind-body data-pagefind-meta="link:{escape(link)}">'
            f"<h1>{escape(config.name)}</h1>{''.join(f'<p>{escape(d)}</p>' for d in details if d)}"
            "</main></body></html>"
        )
        path = PurePosixPath(PORTAL_SLUG) / "opd" / site.slug / "index.html"
        out.append(OutputFile(path, b"", is_page=True, search_doc=doc.encode("utf-8")))
    return out


def with_search_doc(view: PostView, page: OutputFile) -> OutputFile:
    """The page with its search document: what the page's marked article says, without its HTML
    around it (the reader's view of title, kind, date, summary and body; the link to the page)."""
    when = f"<p>{view.date:%Y-%m-%d}</p>" if view.date is not None else ""
    doc = (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(view.title)}</title></head>'
        f'<body><main data-pagefind-body data-pagefind-meta="link:{escape(view.abs_url)}">'
        f"<h1>{escape(view.title)}</h1><p>{escape(view.kind_label)}</p>{when}"
        f"<p>{escape(view.summary)}</p>{view.body_html}</main></body></html>"
    )
    return dataclasses.replace(page, search_doc=doc.encode("utf-8"))


def index_key(sr: SearchRoot, language: str, digests: Mapping[PurePosixPath, str] | None = None) -> str:
    """Everything the bundle is made from: Pagefind's version, the language, every document
    (`digests`: the documents' digests when known)."""
    known = digests or {}
    parts = [_pagefind_version(), language, sr.root, sr.strip, sr.bundle]
    parts += sorted(f"{f.path}\0{known.get(f.path) or _doc_digest(f)}" for f in sr.pages)
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _doc_digest(f: OutputFile) -> str:
    if f.search_doc:
        return "doc:" + hashlib.sha256(f.search_doc).hexdigest()
    return f.key or f.sha256()


def _pagefind_version() -> str:
    try:
        return version("pagefind-bin")
    except PackageNotFoundError:  # a pagefind binary on PATH
        return "external"


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


def _previous_folders(reuse: PageReuse | None) -> dict[str, list[str]]:
    """The previous output's search bundle files by folder ("dinkes/pagefind", "portal/pagefind-dinkes"),
    sorted: found in one pass over the previous output (tens of thousands of files at 10,000 posts)."""
    out: dict[str, list[str]] = {}
    for path in sorted(reuse.previous if reuse is not None else ()):
        root, _, rest = path.partition("/")
        folder, inside, _ = rest.partition("/")
        if inside and is_bundle(folder):
            out.setdefault(f"{root}/{folder}", []).append(path)
    return out


def _kept(job: _Job, reuse: PageReuse | None,
          previous: Mapping[str, Sequence[str]]) -> list[OutputFile] | None:
    """The job's files as the previous build made them from the same documents (its key): its own
    bundle when published, and the portal's copy, or a copy of the old bundle's files when the copy
    is missing (the agency's bundle was published without the portal); None: index it again."""
    folder = PurePosixPath(job.sr.root, job.sr.bundle)
    own = _reused_bundle(previous.get(str(folder), []), job.key, reuse)
    if job.publish and own is None:
        return None
    out = list(own or ()) if job.publish else []
    if job.copy is not None:
        copy = _reused_bundle(previous.get(f"{PORTAL_SLUG}/{job.copy}", []), job.key, reuse)
        if copy is None and own is not None and reuse is not None and reuse.output_dir is not None:
            old = reuse.output_dir
            copy = [OutputFile(_copy_path(job, f.path.relative_to(folder)), b"", f.deps, key=f.key,
                               digest=f.digest, load=functools.partial((old / f.path).read_bytes))
                    for f in own if _copied(f.path.relative_to(folder).as_posix())]
        if copy is None:
            return None
        out += copy
    return out


def _reused_bundle(previous: Sequence[str], key: str, reuse: PageReuse | None) -> list[OutputFile] | None:
    """A bundle of the previous build (its files `previous`), when it was made from the same
    documents (`key`) and every file of it is still in the output."""
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


def _carried(previous: Sequence[str], reuse: PageReuse | None) -> list[OutputFile] | None:
    """A bundle of the previous output as it was (its files, with the key they were made from),
    unread: its agency's posts did not change (_touched_agencies)."""
    if reuse is None or not previous:
        return None
    known = [(path, *reuse.previous[path]) for path in previous]
    if len({key for _, key, _ in known}) != 1:
        return None
    return [OutputFile(PurePosixPath(path), b"", frozenset({"search"}), key=key, digest=digest, reused=True)
            for path, key, digest in known]


def _touched_agencies(reuse: PageReuse | None) -> frozenset[str] | None:
    """The agencies of the changed posts when the build trusts what changed (only posts of content/
    changed, in place, none moved, output/ intact: opdgen.build.changes); None when it does not.
    The portal's copy of another agency's bundle is then its last one."""
    if reuse is None or reuse.trusted is None:
        return None
    parts = [PurePosixPath(rel).parts for rel in reuse.trusted]
    if any(len(p) < 3 or p[0] != CONTENT_DIR for p in parts):
        return None
    return frozenset(p[1] for p in parts)


def _copied(rel: str) -> bool:
    """Whether a file of a bundle (path inside it) is part of the portal's copy: its entry, metadata,
    index, fragments and filters; not the script and WebAssembly, which a merged index does not load."""
    return "/" in rel or rel == "pagefind-entry.json" or rel.endswith(".pf_meta")


def _copy_path(job: _Job, rel: PurePosixPath) -> PurePosixPath:
    assert job.copy is not None
    return PurePosixPath(PORTAL_SLUG) / job.copy / rel


def _build_all(todo: Sequence[_Job], language: str, lanes: Lanes | None = None,
               deliver: Callable[[list[OutputFile]], None] | None = None) -> list[OutputFile]:
    """Run the bundled Pagefind binary once per index, one per core at a time (or as `lanes`
    allows), the biggest first, and never several at once whose expected memory exceeds
    search_runs.SEARCH_MEMORY; the bundles' files in the order of `todo`, or each bundle's given
    to `deliver` as soon as it is read back.

    The binary itself indexes a site in tens of milliseconds; its Python service API spends about
    half a second per index on messages, which at sixty agencies was most of a build.
    """
    try:
        from pagefind_bin import get_executable

        binary = str(get_executable())
    except Exception as exc:  # the wheel without its binary: a problem with a fix, not a crash
        raise ProblemError([_failure(f"{type(exc).__name__}: {exc}")]) from None
    needed = sum(len(f.search_doc) for job in todo for f in job.sr.pages)
    scratch = _scratch(needed)
    _remove_stale(Path(scratch or tempfile.gettempdir()))
    with tempfile.TemporaryDirectory(prefix=f"{_PREFIX}{os.getpid()}-", dir=scratch) as tmp, \
            Spawner() as spawner:  # Pagefind is started, and files are written, by a small process
        pages = Path(tmp) / "pages"  # every document once, at its path: <site>/berita/x/index.html
        try:
            counts = _lay_out(todo, pages, spawner)
        except SpawnerError as exc:
            raise ProblemError([_failure(str(exc))]) from None
        costs = [memory_cost(sum(len(f.search_doc) for f in job.sr.pages)) for job in todo]
        parts = run_within(list(zip(todo, counts, strict=True)), costs, lambda item: _handed(
            deliver, _build_one(spawner, binary, item[0], item[1], language, pages, Path(tmp))),
            default_jobs(), lanes=lanes)
        return [f for part in parts for f in part]


def _handed(deliver: Callable[[list[OutputFile]], None] | None, files: list[OutputFile]) -> list[OutputFile]:
    """The files, or none once given to `deliver`."""
    if deliver is None:
        return files
    deliver(files)
    return []


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


def _build_one(spawner: Spawner, binary: str, job: _Job, count: int, language: str,
               pages: Path, tmp: Path) -> list[OutputFile]:
    sr = job.sr
    bundle = tmp / f"bundle-{sr.root}-{sr.bundle}"
    if not count:  # the command line refuses an empty site; the service does not
        asyncio.run(_write_empty(bundle, language))
        return _bundle_files(job, bundle, spawner)
    try:
        run = spawner.run([binary, "--site", str(pages / sr.strip if sr.strip else pages),
                           "--output-path", str(bundle), "--force-language", language], timeout=600)
        if run.returncode != 0:
            raise ProblemError([_failure((run.stderr or run.stdout).strip()[-500:])])
        return _bundle_files(job, bundle, spawner)
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


def _lay_out(todo: Sequence[_Job], pages: Path, spawner: Spawner) -> list[int]:
    """Write the documents of every index to build below pages, each once and all in path order
    (a folder in memory lists its files in the order they were made, and Pagefind's bundle follows
    the order it reads them in: the same documents must always be made in the same order); the
    number of documents of each index. The helper process writes them, from one file of them all."""
    documents = {f.path: f.search_doc for job in todo for f in job.sr.pages if MARK in f.search_doc}
    order = sorted(documents)
    files, offset = [], 0
    for path in order:
        files.append((str(path), offset, len(documents[path])))
        offset += len(documents[path])
    blob = pages.with_name("documents.blob")
    blob.write_bytes(b"".join(documents[path] for path in order))
    spawner.unpack(blob, files, pages)
    blob.unlink()
    return [sum(1 for f in job.sr.pages if f.path in documents) for job in todo]


def _bundle_files(job: _Job, bundle: Path, spawner: Spawner) -> list[OutputFile]:
    """The files Pagefind wrote, read back into memory (the writer publishes them), and the portal's
    copy of them, sharing their bytes: the helper process puts them into one file, in path order."""
    blob = bundle.with_name(bundle.name + ".blob")
    files = spawner.pack(bundle, blob, _UNUSED)
    data = blob.read_bytes()
    blob.unlink()
    sr, tag = job.sr, frozenset({"search"})
    made = [(rel, data[start:start + size]) for rel, start, size in files]
    out = [OutputFile(PurePosixPath(sr.root) / sr.bundle / rel, content, tag, key=job.key)
           for rel, content in made] if job.publish else []
    if job.copy is not None:
        out += [OutputFile(_copy_path(job, PurePosixPath(rel)), content, tag, key=job.key)
                for rel, content in made if _copied(rel)]
    return out
