"""The build as a list of steps: load everything, render each site and the portal, then write.

DESIGN: everything is read and rendered before anything is written; `check` is build without write.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from opdgen import cacheuse, launch
from opdgen.build import progress, snapshot
from opdgen.build.changes import (
    Changes,
    remove_sidecar,
    sidecar_text,
    since_last_build,
    trusted_sources,
    write_sidecar,
)
from opdgen.build.serving import (
    CommitDate,
    by_web_root,
    release_date,
    root_serving_outputs,
)
from opdgen.build.sweep import Swept, sweep
from opdgen.build.uptodate import (
    Inputs,
    OutputWalk,
    Stamp,
    Verdict,
    input_digest,
    judge,
    read_stamp,
    remove_stamp,
    stamp_path,
    write_stamp,
)
from opdgen.build.walk import Identity
from opdgen.build.writer import OutputConflict, Writer, WriteStats, check_unique
from opdgen.cachedb import CacheDB
from opdgen.config import PORTAL_SLUG
from opdgen.content.loader import CACHE_DIR, CONTENT_DIR, LoadOptions, load_region
from opdgen.content.model import Region, Site
from opdgen.fsguard import Repo
from opdgen.markup.bodies import default_jobs
from opdgen.media.cache import IMAGES, PreviewFiles
from opdgen.outputs.files import OutputFile, PageReuse, StateFile, state_root
from opdgen.outputs.manifest import SERVER_DIR
from opdgen.outputs.portal import portal_unchanged, render_portal
from opdgen.outputs.search import previous_bundles, search_files
from opdgen.outputs.search_shards import Lanes, expected_bundles, touched_agencies
from opdgen.outputs.site import render_site
from opdgen.problems import ProblemError, Problems
from opdgen.public.freshness import check_register
from opdgen.public.standing import check_standing
from opdgen.records import record
from opdgen.render.context import Urls
from opdgen.render.themes import load_theme, make_environment
from opdgen.spam import RegionScan


@record
class BuildOptions:
    root: Path
    now: datetime
    output: Path | None = None  # default: <root>/output
    sites: frozenset[str] = frozenset()  # empty: every site
    include_drafts: bool = False
    with_portal: bool = True  # False (check --site): load and check only the named sites
    preview_url: str | None = None  # serve: portal at this URL, each site at <preview_url><slug>/
    strict: bool = False  # --strict: warnings (suspected spam) fail the run like errors
    jobs: int = 0  # worker processes; 0: every core
    cache_dir: Path | None = None  # default: <root>/.opdgen-cache
    reuse_pages: bool = False  # build: pages whose inputs did not change are linked, not rendered
    verify_reuse: bool = True  # hash a page before reusing it (output/ may have been altered)
    search: bool = True  # False (serve's first pass): keep the previous search bundles as they are
    changes: Changes | None = None  # only these Markdown files changed since the last clean build
    kept_sites: Mapping[str, Site] | None = None  # sites an earlier build loaded, valid now (snapshot)
    earlier_posts: snapshot.EarlierPosts | None = None  # of the other sites, the posts still valid
    inputs: Inputs | None = None  # a whole build's inputs (uptodate.input_digest), for its sidecar
    snapshots: Path | None = None  # where a whole build keeps the sites it loaded (build.snapshot)
    # --prune-cache: a build of some sites (a split CI job with a cache of its own) also removes
    # from the cache what it did not ask for, as a whole build that read everything afresh does
    prune_cache: bool = False


@dataclass(slots=True)
class BuildResult:
    problems: Problems
    region: Region | None = None
    files: list[OutputFile] = field(default_factory=list)
    stats: WriteStats | None = None
    seconds: float = 0.0
    up_to_date: Stamp | None = None  # output/ was already this build: nothing was read or written
    removed_pages: tuple[str, ...] = ()  # pages of the previous output this build no longer has
    trusted: frozenset[str] | None = None  # pages were kept by their deps: only these posts changed
    carried: frozenset[str] = frozenset()  # sites whose last output was reused whole (none changed)
    portal_kept: bool = False  # so was the portal's: it shows nothing that changed (portal_unchanged)
    # of those, the web roots the writer left as they are, unseen (serving files and all unchanged):
    # their files are not in `files`, only counted here (files, pages; from the last build's stamp)
    untouched: dict[str, tuple[int, int]] = field(default_factory=dict)
    kept: frozenset[str] = frozenset()  # sites taken as an earlier build loaded them (build.snapshot)
    sidecar: str | None = None  # changes.sidecar_text, made while the search indexes were built
    prepared: dict[str, bool] | None = None  # snapshot.prepare_sites, done while they were built
    swept: Swept | None = None  # what this build removed from the cache (build.sweep)
    writer: Writer | None = None  # the spare tree the files went into as they were made (build only)
    released: datetime | None = None  # the release date of its serving files (serving.release_date)

    @property
    def ok(self) -> bool:
        return not self.problems.has_errors

    @property
    def pages(self) -> int:
        if self.up_to_date is not None:
            return self.up_to_date.pages
        return sum(1 for f in self.files if f.is_page) + sum(pages for _, pages in self.untouched.values())

    @property
    def site_count(self) -> int:
        if self.up_to_date is not None:
            return self.up_to_date.sites
        roots = {str(f.path).partition("/")[0] for f in self.files} | set(self.untouched)  # (str(path) is
        return sum(1 for root in roots if not root.startswith("."))  # kept by the path)

    @property
    def file_count(self) -> int:
        if self.up_to_date is not None:
            return self.up_to_date.files
        return len(self.files) + sum(files for files, _ in self.untouched.values())

    def root_counts(self) -> dict[str, tuple[int, int]]:
        """Files and pages by web root (uptodate.Stamp.roots)."""
        counts = dict(self.untouched)
        for f in self.files:
            root = state_root(str(f.path))
            files, pages = counts.get(root, (0, 0))
            counts[root] = (files + 1, pages + f.is_page)
        return counts

    @property
    def pages_written(self) -> int:
        return self.stats.pages_written if self.stats is not None else 0


def render_all(options: BuildOptions, write_to: Path | None = None,
               known: Mapping[str, Identity] | None = None, assumed: bool = False,
               idle: Callable[[], object] | None = None) -> BuildResult:
    """Load and render; problems are collected in the result. Nothing is written, unless write_to
    names the output folder: then each file goes into its spare tree as soon as it is made (its
    bytes leave memory), and `build` swaps the tree in when the whole build went well. `assumed`:
    output/ is taken as intact while a walk of it still runs (the writer holds its links to it).
    `idle`: called once when the build would wait for the search thread's next bundle."""
    with _collector_tuned():
        return _render_all(options, write_to, known, assumed, idle)


def _render_all(options: BuildOptions, write_to: Path | None = None,
                known: Mapping[str, Identity] | None = None, assumed: bool = False,
                idle: Callable[[], object] | None = None) -> BuildResult:
    started = time.perf_counter()
    only = frozenset() if options.with_portal else options.sites
    with progress.stage("progress.load"):
        region, problems = load_region(
            options.root,
            LoadOptions(now=options.now, include_drafts=options.include_drafts, only_sites=only,
                        jobs=options.jobs, cache_dir=options.cache_dir,
                        remember=options.preview_url is not None,  # serve: parse only what changed
                        earlier=options.earlier_posts),
            options.kept_sites,
        )
    gc.freeze()  # the region lives until the build ends: no more scans of it (_collector_tuned)
    if region is not None and options.preview_url:
        region = with_preview_urls(region, options.preview_url)
    result = BuildResult(problems=problems, region=region)
    for wanted in sorted(options.sites - {s.slug for s in region.sites} - {PORTAL_SLUG} if region else ()):
        problems.add(CONTENT_DIR, None, "site.unknown", site=wanted)
    if region is None:
        return _done(result, started)
    with contextlib.ExitStack() as stack:
        commit = CommitDate(options.root)  # git runs while the theme and the previous pages load
        stack.callback(commit.close)
        repo = Repo(options.root)
        theme = load_theme(repo, region.config.theme, problems) if not problems.has_errors else None
        env = make_environment(repo, theme, region.config.language) if theme is not None else None
        files: list[OutputFile] = []
        reusing = options.reuse_pages and env is not None
        # trust the deps when only posts changed, in place (opdgen.build.changes)
        trusted = result.trusted = trusted_sources(options.changes, region) if reusing else None
        built = [s.slug for s in region.sites if not options.sites or s.slug in options.sites]
        # a site none of whose posts changed, when only posts changed in place, is its last output again
        carried = {slug for slug in built if trusted is not None
                   and not any(rel.startswith(f"{CONTENT_DIR}/{slug}/") for rel in trusted)}
        # the portal's web root is the last build's too when it shows nothing of the changed posts but
        # what is as it was (only their text changed, and none is in its feed)
        label: Callable[[str], str] = env.globals["label"] if env is not None else str  # type: ignore[assignment]
        portal_kept = options.with_portal and reusing and write_to is not None \
            and options.changes is not None and PORTAL_SLUG in options.changes.counts \
            and portal_unchanged(region, options.changes, trusted, lambda kind: label(kind.value))
        with_portal = options.with_portal and not portal_kept  # (its shards are not indexed either)
        cores = options.jobs or default_jobs()
        # the spam tripwire (warnings; errors with --strict): its processes start before the search thread
        cache_file = (options.cache_dir or options.root / CACHE_DIR) / "cache.sqlite"
        cache = CacheDB(cache_file)
        stack.callback(cache.close)
        indexing = env is not None and options.search  # the search thread will run beside the scan
        spam = RegionScan(repo, region, options.sites, cache, max(1, cores - indexing), apart=indexing,
                          changed=options.changes.sources if options.changes is not None else None)
        stack.callback(spam.close)
        # the search indexes are made from the content: Pagefind starts now, while the spam scan and
        # the pages go on, on the cores this thread leaves it (one of two), then on all of them; it is
        # stopped if the build ends early
        lanes = Lanes(max(1, cores - 1))
        search = None
        # each bundle's files as it is made; a web root's name once all its bundles were (None: no more)
        bundles: queue.SimpleQueue[list[OutputFile] | str | None] = queue.SimpleQueue()
        leads: dict[str, str] = {}  # the search thread's digests of portal documents, for the sidecar
        post_leads: dict[str, str] = {}  # and of each news post's, by source
        launched = threading.Event()  # set once the search thread has made its documents
        previous_pages: Future[PageReuse | None] = Future()  # loaded below
        if indexing:
            touched = touched_agencies(trusted)
            known_leads = options.changes.signatures.leads if options.changes is not None else None

            indexed = [s for s in built if s not in carried]
            delivery = _Delivery(bundles, lambda: expected_bundles(region, indexed, with_portal))

            def index() -> None:  # each bundle is handed over as soon as it is made
                try:
                    left = search_files(region, previous_pages.result, indexed,
                                        with_portal, lambda kind: label(kind.value), lanes,
                                        delivery.deliver, cache_file, launched.set, touched,
                                        lambda: bundles.put(None),  # (then it tidies up)
                                        known_leads, leads, post_leads)
                    assert not left  # (every bundle was handed over)
                finally:
                    launched.set()
                    bundles.put(None)  # (a second None, when it was delivered, is never read)

            background = stack.enter_context(ThreadPoolExecutor(1))
            stack.callback(lanes.stop)  # first on the way out: the thread ends after the run it is in
            stack.callback(_resolve, previous_pages)  # before the thread is waited for: nobody waits forever
            search = background.submit(index)
            # this thread goes on while the search thread makes its documents (after an edit, this
            # thread's pages are what the build waits for, not Pagefind's run on one shard: letting
            # the search thread lay them out alone first cost the edit 0.05 s)
        output = options.output or options.root / "output"
        # the web roots rendered (the carried ones' pages.json are read only if they are not kept whole)
        rendered = {slug for slug in built if slug not in carried} \
            | ({PORTAL_SLUG} if with_portal else set()) if carried or portal_kept else None
        with _lasting():  # (the collector's scans were a quarter of the time)
            reuse = (PageReuse.load(output, verify=options.verify_reuse, files=known, roots=rendered,
                                    assumed=assumed) if reusing else None)
        if reuse is not None:
            reuse.trusted = trusted
        previous_pages.set_result(reuse)
        spam.finish(problems)
        check_register(region, problems, options.sites)  # PPID: broken file links, freshness notices
        check_standing(region, problems, options.sites)  # notices: missing halaman
        if theme is None or env is None or problems.has_errors:
            return _done(result, started)
        result.carried = frozenset(carried)
        result.portal_kept = portal_kept
        others: list[str] = []
        if options.sites:  # carry the other sites over unchanged, with their nginx.conf and manifest
            others = [s.slug for s in region.sites if s.slug not in options.sites]
            others += [slug for slug, _ in region.elsewhere]  # (--no-portal: not even read)
            if not options.with_portal:
                others.append(PORTAL_SLUG)
        released = release_date(options.root, region, commit)
        result.released = released
        if carried and write_to is not None and options.changes is not None \
                and options.changes.released == released.isoformat():
            # a carried agency is left whole by the writer: its files, manifest and pages.json are
            # the last build's, and so are its serving files, made from the same configuration (the
            # stamp's context) for the same release date (security.txt's)
            counts = options.changes.counts
            whole = carried | ({PORTAL_SLUG} if portal_kept else set())
            result.untouched = {slug: counts[slug] for slug in sorted(whole) if slug in counts}
            others += result.untouched
        keep = [*others, *(f"{SERVER_DIR}/{slug}" for slug in others)]

        def put(made: Iterable[OutputFile]) -> list[OutputFile]:
            return result.writer.put_all(made) if result.writer is not None else list(made)

        try:
            if write_to is not None:
                # output/ is as the last build left it (known intact, or confirmed before the swap):
                # a made file is compared with what that build recorded, not read back
                recorded = reuse.recorded if reuse is not None and not options.verify_reuse \
                    and options.preview_url is None else None
                result.writer = Writer(write_to, keep, known, recorded, hold_links=assumed)
            with progress.stage("progress.render", len(region.sites) + options.with_portal):
                for site in region.sites:
                    if site.slug in result.untouched:
                        pass
                    elif site.slug in carried:
                        assert reuse is not None
                        files += put(reuse.carry(site.slug))
                    elif site.slug in built:
                        files += put(render_site(site, region, env, theme, reuse))
                    progress.advance()
                if portal_kept:
                    if PORTAL_SLUG not in result.untouched:
                        assert reuse is not None
                        files += put(reuse.carry(PORTAL_SLUG))
                    progress.advance()
                elif options.with_portal:
                    files += put(render_portal(region, env, theme, reuse))
                    if region.config.report.publish:  # (imported only then: 7 ms of every build's start)
                        from opdgen.report.publish import published_report

                        files += put(published_report(options.root, region, theme))
                    progress.advance()
            lanes.widen(cores)
            if options.inputs is not None:  # while Pagefind finishes
                if search is not None:
                    launched.wait()  # (its documents made: `leads` is filled)
                result.sidecar = sidecar_text(options.inputs, region, options.changes,
                                              options.kept_sites or (), leads, post_leads)
                if options.snapshots is not None:  # the sites this build loaded, kept if it succeeds
                    loaded = [s for s in region.sites if s.slug not in (options.kept_sites or {})]
                    result.prepared = snapshot.prepare_sites(
                        options.snapshots, options.inputs.context, options.inputs.markdown, region.now,
                        region.config.timezone, loaded)
            # while Pagefind finishes: the serving files of the web roots that are all there (the
            # agencies carried over: none of their bundles is being made), every file's entry so far
            # in the page keys for the next build
            ready = carried | ({PORTAL_SLUG} if portal_kept else set()) if search is not None else set()
            by_root = by_web_root(files)
            files += (made := put(root_serving_outputs(by_root, region, options.root, released,
                                                       ready.__contains__)))
            by_web_root(made, by_root)
            state = StateFile(reuse)
            state.add(files)
            with progress.stage("progress.search"):  # written while the last bundles are made
                while search is not None:
                    if idle is not None and bundles.empty():
                        idle()  # (the build's own wait: the walk's verdict, judged meanwhile)
                        idle = None
                    if (item := bundles.get()) is None:
                        break
                    if isinstance(item, str):  # all of this web root's bundles are made: its serving
                        # files, manifest and pages.json now, while Pagefind goes on with the others
                        state.add(made := put(root_serving_outputs(by_root, region, options.root, released,
                                                                   item.__eq__)))
                        files += made
                        files += put([state.file(item)])
                        ready.add(item)
                        continue
                    state.add(made := put(item))
                    files += made
                    by_web_root(made, by_root)
                if search is None:
                    state.add(made := put(previous_bundles(reuse)))
                    files += made
                    by_web_root(made, by_root)
            # headers, security.txt, manifests of the others, while the search thread tidies up
            state.add(made := put(root_serving_outputs(by_root, region, options.root, released,
                                                       lambda web_root: web_root not in ready)))
            files += made
            files += put(state.files())
            if search is not None:
                search.result()  # (raises what failed after the last bundle: keeping it, tidying)
            if result.writer is None:  # (the writer refuses a second file at a path as it comes)
                check_unique(files)
        except ProblemError as exc:
            problems.extend(exc.problems)
        except OutputConflict as exc:
            problems.add(PurePosixPath(CONTENT_DIR), None, "build.output_conflict", detail=str(exc.path))
    if not problems.has_errors:
        _check_menus(region, files, problems, options.sites, result.carried)
    if options.strict:
        problems.promote_warnings()
    if not problems.has_errors:
        result.files = files
        if reuse is not None:
            kept = {str(f.path) for f in files}
            result.removed_pages = tuple(sorted(
                p for root in reuse.roots() if root not in result.untouched
                for p in reuse.state(root).previous if p not in kept))
    return _done(result, started)


_TUNED = [0]  # how many _collector_tuned blocks are open (only the outermost tunes and restores)
_TUNING = threading.Lock()


@contextlib.contextmanager
def _collector_tuned() -> Iterator[None]:
    """While a build loads, renders and writes: the cyclic garbage collector's full scans made ten
    times rarer, and what is frozen meanwhile (gc.freeze: the loaded region, which lives until the
    build ends) left out of them. Loading makes hundreds of thousands of long-lived objects, and
    rendering many short-lived reference cycles (Jinja's macros imported with context): every full
    scan walked the whole region again, 14 scans and 2.2 s of a cold build at 10,000 posts. The young
    generations' scans, as frequent as before, still collect nearly all the cycles. Nested blocks
    (render_all inside a build) leave it to the outermost: a full scan of the unfrozen region while
    the build writes its output took 0.15 s of an edit."""
    with _TUNING:
        _TUNED[0] += 1
        outermost = _TUNED[0] == 1
        if outermost:
            threshold = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(threshold[0], threshold[1], max(threshold[2], 100))
    try:
        yield
    finally:
        with _TUNING:
            _TUNED[0] -= 1
            if outermost:
                gc.set_threshold(*threshold)
                gc.unfreeze()


def with_preview_urls(region: Region, preview_url: str) -> Region:
    """The region with the portal at preview_url and each site below it, for `serve`."""
    config = dataclasses.replace(region.config, portal_base_url=preview_url)
    sites = tuple(
        dataclasses.replace(s, config=dataclasses.replace(s.config, base_url=f"{preview_url}{s.slug}/"))
        for s in region.sites
    )
    return dataclasses.replace(region, config=config, sites=sites)


def build(options: BuildOptions) -> BuildResult:
    """Render everything, then write it to output/ in one swap; on any problem write nothing.

    A whole build whose inputs and output are as the last clean build left them does nothing
    (opdgen.build.uptodate)."""
    started = time.perf_counter()
    output = options.output or options.root / "output"
    stamp_file = stamp_path(options.cache_dir or options.root / CACHE_DIR, output)
    whole = not options.sites and options.preview_url is None
    cache_dir = options.cache_dir or options.root / CACHE_DIR
    kept_in = snapshot.folder(stamp_file)
    kept: dict[str, Site] | None = None
    last = read_stamp(stamp_file)
    # a big output is walked by a helper process (uptodate.OutputWalk), started first: it walks
    # while this process makes the inputs' digest (and, when they changed, goes on as if output/
    # were intact: only posts changed, the pages are made into the spare tree meanwhile, and the
    # walk decides before anything is swapped in; if output/ was altered, that work is dropped and
    # the build starts again without trusting it); with nothing changed, the build waits for it
    begun = launch.take(output)  # (started by the command, before opdgen was imported)
    early = OutputWalk(output, begun) if whole and last is not None and OutputWalk.wanted(last) else None
    if early is None and begun is not None:
        begun.abandon()
    inputs = input_digest(options) if whole else None  # before reading: an edit during the build counts
    changed = inputs is not None and last is not None and last.inputs != inputs.digest
    with early if early is not None else contextlib.nullcontext() as walking:
        if walking is not None and changed and inputs is not None and last is not None:
            assumed = since_last_build(Verdict(None, True, last), inputs, stamp_file, options.now)
            kept = _kept_sites(kept_in, inputs, options.now, assumed, cache_dir)
            if assumed is not None:
                judged: list[Verdict] = []

                def confirm() -> Verdict | None:  # the walk's verdict, when it bears the assumption out
                    if not judged:  # (once: while the build waits for Pagefind's last bundles, or after)
                        judged.append(judge(options, output, stamp_file, inputs, walking))
                    verdict = judged[0]
                    return verdict if verdict.intact and verdict.previous == last else None

                try:
                    done = _render_and_write(options, output, stamp_file, cache_dir, inputs, kept, assumed,
                                             None, started, confirm)
                except snapshot.KeptSiteLost:  # a kept site could not be read after all: read them all
                    done = _render_and_write(options, output, stamp_file, cache_dir, inputs, {}, assumed,
                                             None, started, confirm)
                if done is not None:
                    return done
        verdict = judge(options, output, stamp_file, inputs, walking)
    if verdict.fresh is not None:
        return _done(BuildResult(problems=Problems(), up_to_date=verdict.fresh), started)
    changes = since_last_build(verdict, inputs, stamp_file, options.now)
    if kept is None:  # (those loaded above stand whatever the changes: each is keyed by its files)
        kept = _kept_sites(kept_in, inputs, options.now, changes, cache_dir)
    try:
        done = _render_and_write(options, output, stamp_file, cache_dir, inputs, kept, changes, verdict,
                                 started)
    except snapshot.KeptSiteLost:  # a kept site could not be read after all: read every site
        done = _render_and_write(options, output, stamp_file, cache_dir, inputs, {}, changes, verdict,
                                 started)
    assert done is not None
    return done


def _render_and_write(options: BuildOptions, output: Path, stamp_file: Path, cache_dir: Path,
                      inputs: Inputs | None, kept: dict[str, Site], changes: Changes | None,
                      verdict: Verdict | None, started: float,
                      confirm: Callable[[], Verdict | None] | None = None) -> BuildResult | None:
    """The build proper, once the changes since the last clean build are known; `verdict`: the
    up-to-date check's, or None when the build goes ahead on the assumption that output/ is intact,
    with `confirm` to call before anything in output/ changes: None from it (output/ was altered)
    drops what was made (the writer's spare tree converges at the next build) and returns None."""
    kept_in = snapshot.folder(stamp_file)
    if verdict is not None:  # (an assumed build removes them once confirmed, below)
        remove_stamp(stamp_file)
        remove_sidecar(stamp_file)
    # output/ changed since the last clean build (or nobody knows): reuse a page only after checking its
    # bytes; serve's output is its own private folder
    verify = verdict is not None and not verdict.intact and options.preview_url is None
    # a whole build that reads every site afresh asks the cache for all it needs, from loading to
    # writing; once it has succeeded, the rest goes (build.sweep). Only then: with kept sites, or
    # only some files changed, a build reads part of the cache.
    afresh = (inputs is not None or options.prune_cache) and not kept and changes is None
    # the other sites' posts an earlier build made from the same files: only their changed ones are
    # read again (not for a build that reads afresh: the cache it does not ask for is swept)
    earlier = snapshot.EarlierPosts(kept_in, inputs.context, inputs.markdown, options.now,
                                    changes.sources if changes is not None else (),
                                    PreviewFiles(cache_dir / IMAGES)) if inputs is not None and kept else None
    with _collector_tuned(), cacheuse.tracking() if afresh else contextlib.nullcontext() as usage:
        try:
            result = render_all(dataclasses.replace(options, reuse_pages=True, verify_reuse=verify,
                                                    changes=changes, kept_sites=kept, inputs=inputs,
                                                    earlier_posts=earlier,
                                                    snapshots=kept_in if inputs is not None else None),
                                write_to=output, known=verdict.files if verdict is not None else None,
                                assumed=confirm is not None, idle=confirm)
        except OSError as exc:  # the spare tree could not be written: output/ itself is untouched
            result = BuildResult(problems=Problems())
            result.problems.add(PurePosixPath(output.name), None, "build.write_failed",
                                detail=f"{output} ({exc.strerror or exc})")
            return _done(result, started)
        result.kept = frozenset(kept) & ({s.slug for s in result.region.sites} if result.region else set())
        saved = False
        try:
            if confirm is not None:
                confirmed = confirm()
                if confirmed is None:
                    return None
                remove_stamp(stamp_file)
                remove_sidecar(stamp_file)
                if result.writer is not None:  # the current output's files, as the walk found them
                    result.writer.known = confirmed.files
                    result.writer.release_links()  # (the walk is over: linking its files is safe now)
            if not result.ok or result.writer is None:
                return _done(result, started)
            with progress.stage("progress.write"):
                result.stats = result.writer.finish()
            if inputs is not None and result.region is not None and not result.problems.warnings:
                write_stamp(stamp_file, output, inputs, result.region, result.site_count, result.pages,
                            result.file_count, result.writer.output_digest(), result.root_counts(),
                            result.released)
                write_sidecar(stamp_file, inputs, result.region, result.sidecar)
                region = result.region
                snapshot.save_sites(kept_in, inputs.context, inputs.markdown, region.now,
                                    region.config.timezone, [s for s in region.sites if s.slug not in kept],
                                    kept=kept, prepared=result.prepared)
                saved = True
            if usage is not None and not result.problems.warnings:
                # the rest of the cache is what no build of this tree (or this job) asks for
                with progress.stage("progress.sweep"):
                    result.swept = sweep(cache_dir, cache_dir / IMAGES, usage)
        except OSError as exc:
            result.problems.add(PurePosixPath(output.name), None, "build.write_failed",
                                detail=f"{output} ({exc.strerror or exc})")
        finally:
            if not saved:
                snapshot.discard_prepared(kept_in, result.prepared)
        return _done(result, started)


class _Delivery:
    """Hands the search thread's bundles to the build (`out`), and after the last bundle of a web
    root (`expected`: the folders of its bundles), that root's name: the build then makes its serving
    files, manifest and pages.json while Pagefind goes on with the others (after one edit: the
    portal's, whose shards were carried over, while the edited agency's shard is indexed)."""

    def __init__(self, out: queue.SimpleQueue[list[OutputFile] | str | None],
                 expected: Callable[[], Mapping[str, frozenset[str]]]) -> None:
        self.out = out
        self.expected = expected  # (asked in the search thread, which reads the sites' posts anyway)
        self.missing: dict[str, set[str]] | None = None
        self.lock = threading.Lock()  # (bundles come from several threads: a root's name after them)

    def deliver(self, files: list[OutputFile]) -> None:
        with self.lock:
            if self.missing is None:
                self.missing = {root: set(folders) for root, folders in self.expected().items() if folders}
            self.out.put(files)
            done = []
            for f in files:
                top, _, rest = str(f.path).partition("/")
                missing = self.missing.get(top)
                if missing:
                    missing.discard(rest.partition("/")[0])
                    if not missing:
                        done.append(top)
            for root in done:
                self.out.put(root)


def _resolve(future: Future[PageReuse | None]) -> None:
    if not future.done():
        future.set_result(None)


def _kept_sites(kept_in: Path, inputs: Inputs | None, now: datetime, changes: Changes | None,
                cache_dir: Path) -> dict[str, Site]:
    """Sites loaded by earlier builds whose files did not change since (none without inputs)."""
    if inputs is None:
        return {}
    with _lasting():  # (its scans of them while unpickling took a tenth of the time)
        return snapshot.load_sites(kept_in, inputs.context, inputs.markdown, now,
                                   changes.sources if changes is not None else (),
                                   PreviewFiles(cache_dir / IMAGES))


@contextlib.contextmanager
def _lasting() -> Iterator[None]:
    """While the build makes objects that live until it ends (the kept sites, the previous pages'
    entries: hundreds of thousands at 10,000 posts): the cyclic collector paused, and what was made
    left out of its scans afterwards (gc.freeze, as _collector_tuned does with the loaded region)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
        gc.freeze()


def _check_menus(region: Region, files: list[OutputFile], problems: Problems, only: frozenset[str],
                 carried: frozenset[str] = frozenset()) -> None:
    """Every menu item that points inside a site must lead to a page that exists. A site carried
    over (only other sites' posts changed, in place) has the menu and pages the last clean build
    checked, and that build warned of nothing (else it would not be trusted now): it is skipped."""
    checked = [site for site in region.sites if site.config.menu is not None
               and (not only or site.slug in only) and site.slug not in carried]
    roots = {site.slug for site in checked}
    paths = {rel for f in files if (rel := str(f.path)).partition("/")[0] in roots}
    for site in checked:
        assert site.config.menu is not None
        urls = Urls(site.config.base_url)
        for entry in site.config.menu:
            if not entry.url.startswith("/"):
                continue
            target = entry.url.split("#", 1)[0].split("?", 1)[0].lstrip("/")
            candidates = {str(PurePosixPath(site.slug) / target),
                          str(PurePosixPath(site.slug) / target / "index.html")}
            if not target:
                candidates = {f"{site.slug}/index.html"}
            if not candidates & paths:
                problems.add(site.config.source, entry.line, "menu.broken_link",
                             label=entry.label, url=urls.path(target))


def _done(result: BuildResult, started: float) -> BuildResult:
    result.seconds = time.perf_counter() - started
    return result

