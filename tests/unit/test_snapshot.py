"""Kept sites (opdgen.build.snapshot): equal to loading them, used only while valid, never code."""

from __future__ import annotations

import io
import json
import os
import pickle
import shutil
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

import pytest

from opdgen.build import snapshot
from opdgen.build.changes import sidecar, sidecar_text
from opdgen.build.pipeline import BuildOptions, build
from opdgen.build.uptodate import Inputs, input_digest, stamp_path
from opdgen.cli import build_now
from opdgen.content.loader import LoadOptions, load_region
from opdgen.content.model import DeferredSite, Kind, Region, unread
from opdgen.media.cache import PreviewFiles
from opdgen.media.collect import CachedPreview
from opdgen.outputs import search_shards
from opdgen.outputs.summary import summarize
from tests.conftest import NOW, PROJECT, tree_bytes

SITES = {"dinkes", "diskominfo", "disdik", "dpupr", "kec-cibeureum"}


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, BuildOptions]:
    """The sample content, built once (its sites are kept)."""
    monkeypatch.setenv("OPDGEN_NOW", NOW)
    repo = tmp_path / "repo"
    shutil.copytree(PROJECT / "content", repo / "content")
    shutil.copy(PROJECT / "opdgen.yaml", repo / "opdgen.yaml")
    options = BuildOptions(root=repo, now=build_now(), output=tmp_path / "out")
    assert build(options).ok
    return repo, options


def where(repo: Path, options: BuildOptions) -> Path:
    assert options.output is not None
    return snapshot.folder(stamp_path(repo / ".opdgen-cache", options.output))


def inputs_of(options: BuildOptions) -> Inputs:
    inputs = input_digest(options)
    assert inputs is not None
    return inputs


def kept(repo: Path, options: BuildOptions, now: datetime | None = None,
         changed: tuple[str, ...] = ()) -> dict[str, object]:
    inputs = inputs_of(options)
    return dict(snapshot.load_sites(where(repo, options), inputs.context, inputs.markdown, now or options.now,
                                    changed, PreviewFiles(repo / ".opdgen-cache/images")))


def test_kept_sites_equal_loading_them(built: tuple[Path, BuildOptions]) -> None:
    repo, options = built
    found = kept(repo, options)
    assert set(found) == SITES
    fresh, problems = load_region(repo, LoadOptions(now=options.now))
    assert fresh is not None and not problems.has_errors
    again, _ = load_region(repo, LoadOptions(now=options.now), kept=found)  # type: ignore[arg-type]
    assert isinstance(again, Region)
    assert again.sites == fresh.sites  # every post, body, image, document and setting
    assert again.next_release == fresh.next_release
    previews = [p.media.social.load for s in again.sites for p in s.posts if p.media.social is not None]
    assert previews and all(isinstance(p, CachedPreview) for p in previews)
    first = previews[0]
    assert isinstance(first, CachedPreview) and first.files.folder == repo / ".opdgen-cache/images/previews"
    assert first()[:2] == b"\xff\xd8"  # the JPEG, from this build's preview cache


def test_a_changed_or_touched_site_is_loaded_again(built: tuple[Path, BuildOptions]) -> None:
    repo, options = built
    post = sorted((repo / "content/dinkes/berita").glob("*.md"))[0]
    assert set(kept(repo, options, changed=(str(post.relative_to(repo)),))) == SITES - {"dinkes"}
    os.utime(post, ns=(1, 1))  # a new identity for one of its files: its key no longer matches
    assert set(kept(repo, options)) == SITES - {"dinkes"}


def test_kept_sites_expire_at_midnight(built: tuple[Path, BuildOptions]) -> None:
    repo, options = built
    header = json.loads((where(repo, options) / "dinkes.pickle").read_bytes().split(b"\n", 1)[0])
    until = datetime.fromisoformat(header["valid_until"])
    assert until.astimezone(options.now.tzinfo) - options.now <= timedelta(days=1)
    assert set(kept(repo, options, now=until - timedelta(seconds=1))) == SITES
    assert kept(repo, options, now=until) == {}
    assert kept(repo, options, now=options.now - timedelta(seconds=1)) == {}  # a clock set back


def test_foreign_or_broken_files_are_ignored(built: tuple[Path, BuildOptions], tmp_path: Path) -> None:
    repo, options = built
    folder = where(repo, options)
    header, _ = (folder / "dinkes.pickle").read_bytes().split(b"\n", 1)
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.system, (f"touch {marker}",))

    (folder / "dinkes.pickle").write_bytes(header + b"\n" + pickle.dumps(Payload()))
    (folder / "disdik.pickle").write_bytes(header.replace(b'"dinkes', b'"x') + b"\n" + b"not a pickle")
    (folder / "dpupr.pickle").write_bytes(b"")
    found = kept(repo, options)
    assert not marker.exists()
    assert set(found) == SITES - {"dinkes", "disdik", "dpupr"}
    assert build(options).ok  # and the build loads those three as usual


def test_a_kept_site_reads_its_news_posts_when_first_asked(built: tuple[Path, BuildOptions]) -> None:
    """Everything but its news posts comes with it, and their summary; a news post is read alone
    when a page asks for it, and all of them when its posts are."""
    repo, options = built
    site = kept(repo, options)["dinkes"]
    fresh, _ = load_region(repo, LoadOptions(now=options.now))
    assert fresh is not None and isinstance(site, DeferredSite) and not site.loaded
    same = next(s for s in fresh.sites if s.slug == "dinkes")
    assert (site.config, site.next_release, site.logo, site.documents, site.halaman_drafts) \
        == (same.config, same.next_release, same.logo, same.documents, same.halaman_drafts)
    assert site.summary == summarize(same) and unread(site) == site.summary
    assert site.summary.kinds == dict(Counter(p.kind.value for p in same.posts))
    for kind in Kind:  # the other kinds come with it; a news kind it has none of needs no reading
        if not kind.is_news or not site.summary.kinds.get(kind.value):
            assert site.of_kind(kind) == same.of_kind(kind)
    news = [p for p in same.posts if p.kind.is_news]
    assert len(news) > 2 and site.news_post(2) == news[2] and site.news_post(0) == news[0]
    assert not site.loaded
    assert site.posts == same.posts and site.loaded and unread(site) is None
    assert site.of_kind(Kind.BERITA) == same.of_kind(Kind.BERITA) and site.news_post(1) == news[1]
    assert site == same and hash(site) == hash(same)


def test_after_an_edit_the_other_sites_news_posts_stay_unread(built: tuple[Path, BuildOptions],
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    """The portal's pages, cards, photos and search shards, the release date and the activity
    report of the agencies whose posts did not change come from their summaries and the posts the
    changed pages show (one portal shard per agency here); the output is a clean build's."""
    repo, options = built
    assert options.output is not None
    monkeypatch.setattr(search_shards, "SHARD_DOCS", 1)
    shutil.rmtree(options.output)
    assert build(options).ok  # (the portal's search shards of one agency each)
    post = sorted((repo / "content/dinkes/berita").glob("*.md"))[0]
    text = post.read_text()
    assert "\ntitle: " in text
    post.write_text(text.replace("\ntitle: ", "\ntitle: Kabar baru - ", 1) + "\nParagraf tambahan.\n")
    result = build(options)
    assert result.ok, [p for p in result.problems]
    assert result.kept == SITES - {"dinkes"} and result.region is not None
    assert not result.portal_kept  # (its card changed: the portal is made again)
    others = [s for s in result.region.sites if s.slug != "dinkes"]
    assert others and all(isinstance(s, DeferredSite) and not s.loaded for s in others)
    photos = [f for f in result.files if str(f.path).startswith("portal/media/")]
    assert photos and any(f.reused and "dinkes" not in str(f.deps) for f in photos)  # (carried over)
    assert (options.output / "portal/laporan/index.html").is_file()  # (report.publish: true)
    assert build(BuildOptions(root=repo, now=options.now, output=tmp_path / "clean",
                              cache_dir=tmp_path / "clean-cache")).ok
    assert tree_bytes(options.output) == tree_bytes(tmp_path / "clean")


def test_a_kept_site_unreadable_when_asked_for_means_a_build_without_kept_sites(
        built: tuple[Path, BuildOptions], tmp_path: Path) -> None:
    repo, options = built
    folder = where(repo, options)
    post = sorted((repo / "content/dinkes/berita").glob("*.md"))[0]  # (its card changes: the portal is made)
    post.write_text(post.read_text().replace("\ntitle: ", "\ntitle: Kabar baru - ", 1) + "\nParagraf tambahan.\n")
    line, rest = (folder / "disdik.pickle").read_bytes().split(b"\n", 1)
    size = json.loads(line)["summary"]
    (folder / "disdik.pickle").write_bytes(line + b"\n" + rest[:size] + b"not a pickle")  # (its posts)
    assert isinstance(kept(repo, options, changed=(str(post.relative_to(repo)),))["disdik"], DeferredSite)
    result = build(options)
    assert result.ok and result.kept == frozenset()  # started again, reading every site
    assert options.output is not None
    assert build(BuildOptions(root=repo, now=options.now, output=tmp_path / "clean",
                              cache_dir=tmp_path / "clean-cache")).ok
    assert tree_bytes(options.output) == tree_bytes(tmp_path / "clean")


def test_only_model_classes_are_made() -> None:
    def unpickle(data: bytes) -> object:
        return snapshot._Unpickler(io.BytesIO(data), PreviewFiles(None)).load()

    def short(text: str) -> bytes:  # SHORT_BINUNICODE
        return b"\x8c" + bytes([len(text)]) + text.encode()

    with pytest.raises(pickle.UnpicklingError):
        unpickle(pickle.dumps(os.system))
    with pytest.raises(pickle.UnpicklingError):  # a function of opdgen is not a value either
        unpickle(pickle.dumps(snapshot.load_sites))
    with pytest.raises(pickle.UnpicklingError):  # nor a module's attribute reached through a dotted name
        unpickle(b"\x80\x04" + short("opdgen.spawner") + short("subprocess.run") + b"\x93.")
    moment = datetime(2026, 1, 1, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert unpickle(pickle.dumps(moment)) == moment
    # the preview cache is named, never pickled: the unpickler binds its own
    buffer = io.BytesIO()
    snapshot._Pickler(buffer, protocol=5).dump([PreviewFiles(Path("/elsewhere"))])
    mine = PreviewFiles(None)
    assert b"elsewhere" not in buffer.getvalue()
    assert snapshot._Unpickler(io.BytesIO(buffer.getvalue()), mine).load() == [mine]
    with pytest.raises(pickle.UnpicklingError):  # the name alone makes nothing
        snapshot._preview_files()


def test_a_scheduled_post_ends_its_site_window(built: tuple[Path, BuildOptions]) -> None:
    repo, options = built
    source = sorted((repo / "content/dinkes/berita").glob("*.md"))[0]
    release = options.now + timedelta(hours=2)
    text = source.read_text()
    lines = [f"date: {release:%Y-%m-%d %H:%M}" if line.startswith("date:") else line for line in text.split("\n")]
    (repo / "content/dinkes/berita/2026-11-28-terjadwal.md").write_text("\n".join(lines))
    assert build(options).ok
    assert set(kept(repo, options, now=release - timedelta(minutes=1))) == SITES
    assert set(kept(repo, options, now=release)) == SITES - {"dinkes"}  # the post is out now


def test_the_sidecar_of_a_build_with_kept_sites_is_the_one_a_full_load_gives(
        built: tuple[Path, BuildOptions], tmp_path: Path) -> None:
    repo, options = built
    post = sorted((repo / "content/disdik/berita").glob("*.md"))[0]
    text = post.read_text()
    assert "\ntags: [" in text
    post.write_text(text.replace("\ntags: [", "\ntags: [tag-baru, ", 1) + "\nParagraf tambahan.\n")  # a new signature
    result = build(options)
    assert result.ok and result.kept == SITES - {"disdik"}
    fresh, _ = load_region(repo, LoadOptions(now=options.now))
    assert fresh is not None
    written = sidecar(stamp_path(repo / ".opdgen-cache", options.output or repo)).read_text("utf-8")
    rows = [line.split("\t") for line in written.split("\n")[1:-1]]
    computed = sidecar_text(inputs_of(options), fresh).split("\n")[1:-1]
    assert [(slug, line) for slug, _, _, line in rows] == [(slug, line) for slug, _, _, line in
                                                          (row.split("\t") for row in computed)]
    assert all(len(lead) == 64 for _, lead, _, _ in rows)  # the portal documents' digests, each known
    # each published news post's portal signature, each known (the search thread's digest of its
    # document made it)
    portal = {rel: value for _, _, shown, _ in rows for rel, value in json.loads(shown).items()}
    news = {str(p.source.path) for s in fresh.sites for p in s.posts
            if p.kind.is_news and not p.is_draft and not p.is_scheduled}
    assert portal.keys() == news and all(len(value) == 64 for value in portal.values())
    clean = BuildOptions(root=repo, now=options.now, output=tmp_path / "out", cache_dir=tmp_path / "cache")
    assert build(clean).ok  # signatures and digests taken, not computed, alike
    assert written == sidecar(stamp_path(tmp_path / "cache", tmp_path / "out")).read_text("utf-8")


def test_a_build_keeps_its_sites_pickled_while_pagefind_ran_as_save_sites_alone_would(
        built: tuple[Path, BuildOptions], tmp_path: Path) -> None:
    """(What they hold is test_kept_sites_equal_loading_them's.)"""
    repo, options = built
    folder = where(repo, options)
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{slug}.pickle" for slug in SITES)  # no .tmp
    inputs = inputs_of(options)
    fresh, _ = load_region(repo, LoadOptions(now=options.now))
    assert fresh is not None
    alone = tmp_path / "alone"
    snapshot.save_sites(alone, inputs.context, inputs.markdown, options.now, fresh.config.timezone, fresh.sites)
    for slug in SITES:  # the same keys and window (where the identities start follows the posts' bytes)
        first, second = ({k: v for k, v in json.loads(f.read_bytes().split(b"\n", 1)[0]).items()
                          if k != "identities"} for f in (alone / f"{slug}.pickle", folder / f"{slug}.pickle"))
        assert first == second


def test_a_build_that_keeps_nothing_leaves_no_prepared_file(
        built: tuple[Path, BuildOptions], monkeypatch: pytest.MonkeyPatch) -> None:
    repo, options = built
    post = sorted((repo / "content/dinkes/berita").glob("*.md"))[0]
    post.write_text(post.read_text("utf-8") + "\nDaftar slot gacor hari ini.\n", "utf-8")  # a spam warning
    prepared: list[dict[str, bool]] = []
    real = snapshot.prepare_sites
    monkeypatch.setattr(snapshot, "prepare_sites", lambda *a: prepared.append(real(*a)) or prepared[-1])
    result = build(options)
    assert result.ok and result.problems.warnings  # built, but a build with warnings keeps no sites
    assert prepared == [{"dinkes": True}]  # the one site loaded again was pickled...
    assert not list(where(repo, options).glob("*.tmp"))  # ...and its temporary removed


def test_a_build_from_kept_sites_takes_their_previews_from_the_loaders_cache(
        built: tuple[Path, BuildOptions], monkeypatch: pytest.MonkeyPatch) -> None:
    """output/ lost, the cache kept: every site is a kept one, and no preview is drawn again."""
    from opdgen.media import collect

    _, options = built
    assert options.output is not None
    before = {p: p.read_bytes() for p in sorted(options.output.rglob("*.jpg"))}
    shutil.rmtree(options.output)
    drawn: list[object] = []
    monkeypatch.setattr(collect, "make_preview", lambda task: drawn.append(task) or b"")
    result = build(options)
    assert result.ok and result.kept == SITES
    assert drawn == []
    assert {p: p.read_bytes() for p in sorted(options.output.rglob("*.jpg"))} == before


def earlier(repo: Path, options: BuildOptions, now: datetime | None = None,
            changed: tuple[str, ...] = ()) -> snapshot.EarlierPosts:
    inputs = inputs_of(options)
    return snapshot.EarlierPosts(where(repo, options), inputs.context, inputs.markdown, now or options.now,
                                 changed, PreviewFiles(repo / ".opdgen-cache/images"))


def test_an_edited_site_reads_only_its_changed_and_unpublished_files(
        built: tuple[Path, BuildOptions], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The other posts of the edited site are taken as the last build made them: not read, rendered
    or given a preview again; the site, and the output, are a clean load's and a clean build's."""
    from opdgen.content import loader
    from opdgen.media import collect

    repo, options = built
    post = sorted((repo / "content/dinkes/berita").glob("*.md"))[0]
    post.write_text(post.read_text("utf-8") + "\nParagraf tambahan.\n", "utf-8")
    every, _ = load_region(repo, LoadOptions(now=options.now, include_drafts=True))
    assert every is not None
    dinkes = next(s for s in every.sites if s.slug == "dinkes")
    unpublished = {repo / p.source.path for p in dinkes.posts if p.is_draft or p.is_scheduled}
    assert unpublished  # (the sample has a draft or a scheduled post here: read again, never kept)
    read: list[Path] = []
    real = loader._SiteLoader._parse_file
    monkeypatch.setattr(loader._SiteLoader, "_parse_file",
                        lambda self, path, site, kind: read.append(path) or real(self, path, site, kind))
    previews: list[str] = []
    real_task = collect.MediaCollector.preview_task
    monkeypatch.setattr(collect.MediaCollector, "preview_task",
                        lambda self, media, title, *a: previews.append(title) or real_task(self, media, title, *a))
    result = build(options)
    assert result.ok and result.kept == SITES - {"dinkes"} and result.region is not None
    assert set(read) == {post} | unpublished
    edited = next(p for s in result.region.sites for p in s.posts if repo / p.source.path == post)
    assert previews == [edited.title]
    read.clear()
    fresh, _ = load_region(repo, LoadOptions(now=options.now))
    assert fresh is not None and len(read) > len(unpublished) + 1  # (a load without them reads all)
    assert [s for s in result.region.sites if s.slug == "dinkes"] == [s for s in fresh.sites if s.slug == "dinkes"]
    assert options.output is not None
    assert build(BuildOptions(root=repo, now=options.now, output=tmp_path / "clean",
                              cache_dir=tmp_path / "clean-cache")).ok
    assert tree_bytes(options.output) == tree_bytes(tmp_path / "clean")


def test_earlier_posts_need_the_same_context_window_and_file(built: tuple[Path, BuildOptions]) -> None:
    repo, options = built
    folder = where(repo, options)
    post = sorted((repo / "content/dinkes/berita").glob("*.md"))[0]
    rel = PurePosixPath(post.relative_to(repo))
    taken = earlier(repo, options)("dinkes")
    assert taken is not None and rel in taken and all(p.site == "dinkes" for p in taken.values())
    assert rel not in (earlier(repo, options, changed=(str(rel),))("dinkes") or {rel: None})
    os.utime(post, ns=(1, 1))  # its identity changed: that post alone is read again
    assert set(taken) - set(earlier(repo, options)("dinkes") or {}) == {rel}
    until = datetime.fromisoformat(json.loads((folder / "dinkes.pickle").read_bytes().split(b"\n", 1)[0])
                                   ["valid_until"])
    assert earlier(repo, options, now=until)("dinkes") is None
    assert earlier(repo, options)("no-such-site") is None
    whole = (folder / "dinkes.pickle").read_bytes()
    (folder / "dinkes.pickle").write_bytes(whole[:-5])  # its files' identities cut short
    assert earlier(repo, options)("dinkes") is None
    (folder / "dinkes.pickle").write_bytes(whole)
    site_yaml = repo / "content/dinkes/site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8") + "\n# diubah\n", "utf-8")  # another context
    assert earlier(repo, options)("dinkes") is None
