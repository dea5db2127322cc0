"""Caches and worker processes change how fast a build is, never what it writes."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from opdgen.build.pipeline import BuildOptions, build
from opdgen.build.uptodate import output_digest, read_stamp, stamp_path
from opdgen.cli import build_now
from opdgen.outputs import search_shards
from opdgen.outputs.files import OutputFile
from tests.conftest import NOW, POST, PROJECT, tree_bytes

B = "content/dinkes/berita/"


def many_posts(n: int) -> dict[str, str | bytes]:
    return {f"{B}2026-11-{1 + i % 27:02d}-berita-{i}.md": POST.replace("Pekan imunisasi", f"Kabar {i}: pekan imunisasi")
            for i in range(n)}


def run(repo: Path, output: Path, **options: object) -> BuildOptions:
    opts = BuildOptions(root=repo, now=build_now(), output=output, **options)  # type: ignore[arg-type]
    result = build(opts)
    assert result.ok, list(result.problems)
    return opts


def test_one_process_and_a_pool_give_the_same_bytes(make_repo: Callable[..., Path], tmp_path: Path) -> None:
    repo = make_repo(many_posts(80))
    run(repo, tmp_path / "one", jobs=1, cache_dir=tmp_path / "cache1")
    run(repo, tmp_path / "pool", jobs=2, cache_dir=tmp_path / "cache2")
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "pool")


def test_second_build_takes_bodies_from_the_cache(make_repo: Callable[..., Path], tmp_path: Path) -> None:
    repo = make_repo(many_posts(30))
    first = build(BuildOptions(root=repo, now=build_now(), output=tmp_path / "a"))
    assert first.region is not None and first.region.body_stats is not None
    assert first.region.body_stats.rendered == 30
    second = build(BuildOptions(root=repo, now=build_now(), output=tmp_path / "b"))
    assert second.region is not None and second.region.body_stats is not None
    assert (second.region.body_stats.rendered, second.region.body_stats.cached) == (0, 30)
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")
    (repo / B / "2026-11-01-berita-0.md").write_text(POST.replace("Pekan imunisasi", "Diubah"))
    third = build(BuildOptions(root=repo, now=build_now(), output=tmp_path / "c"))
    assert third.region is not None and third.region.body_stats is not None
    assert third.region.body_stats.rendered == 1
    assert "Diubah" in (tmp_path / "c/dinkes/berita/berita-0/index.html").read_text()


def test_a_corrupt_cache_is_ignored_and_rebuilt(make_repo: Callable[..., Path], tmp_path: Path) -> None:
    repo = make_repo(many_posts(5))
    run(repo, tmp_path / "clean")
    cache = repo / ".opdgen-cache/cache.sqlite"
    assert cache.is_file()
    cache.write_bytes(b"this is not a database" * 100)
    run(repo, tmp_path / "after")
    assert tree_bytes(tmp_path / "clean") == tree_bytes(tmp_path / "after")


def test_a_tampered_cache_entry_is_not_used(make_repo: Callable[..., Path], tmp_path: Path) -> None:
    import sqlite3

    repo = make_repo(many_posts(3))
    run(repo, tmp_path / "clean")
    db = sqlite3.connect(repo / ".opdgen-cache/cache.sqlite")
    db.execute("UPDATE entry SET value = CAST('<script>alert(1)</script>' AS BLOB) WHERE ns = 'body'")
    db.commit()
    db.close()
    run(repo, tmp_path / "after")
    assert tree_bytes(tmp_path / "clean") == tree_bytes(tmp_path / "after")


TRUSTED = {"body", "title"}  # "other-site" renames a tag too


def _clean_build(repo: Path, tmp: Path, name: str, counts: list[tuple[int, int, int]] | None = None,
                 ) -> dict[str, bytes]:
    """The tree a clean build writes (`counts`: its sites, pages and files are added there)."""
    out = tmp / name
    result = build(BuildOptions(root=repo, now=build_now(), output=out, cache_dir=tmp / f"{name}-cache"))
    if counts is not None:
        counts.append((result.site_count, result.pages, result.file_count))
    return tree_bytes(out)


def test_incremental_builds_equal_clean_builds_across_edits(make_repo: Callable[..., Path], tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """After every kind of change, the build that reuses pages writes what a clean build writes (the
    agencies' indexes in shards of at most 5 documents a month: a post moved to another month moves
    their boundaries)."""
    monkeypatch.setattr(search_shards, "AGENCY_SHARD_DOCS", 5)
    site2 = make_repo().joinpath("content/dinkes/site.yaml").read_text().replace("dinkes.", "disdik.")
    files = {**many_posts(24), "content/disdik/site.yaml": site2,
             "content/disdik/berita/2026-11-02-sekolah.md": POST.replace("imunisasi", "sekolah"),
             "content/dinkes/halaman/profil.md": "---\ntitle: Profil\n---\nTentang kami.\n"}
    repo = make_repo(files)
    out = tmp_path / "incremental"
    berita = repo / B

    def edit(rel: str, old: str, new: str) -> None:
        path = repo / rel
        text = path.read_text()
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new))

    steps: list[tuple[str, Callable[[], None]]] = [
        ("nothing", lambda: None),
        ("body", lambda: edit(B + "2026-11-05-berita-4.md", "Kabar 4: pekan imunisasi", "Isi baru")),
        ("title", lambda: edit(B + "2026-11-06-berita-5.md", "title: Pekan Imunisasi Dimulai", "title: Judul Baru")),
        ("tags", lambda: edit(B + "2026-11-07-berita-6.md", "tags: [imunisasi, puskesmas]", "tags: [imunisasi, baru]")),
        ("date", lambda: edit(B + "2026-11-08-berita-7.md", "2026-11-20 08:30", "2026-11-27 10:00")),
        ("month", lambda: edit(B + "2026-11-04-berita-3.md", "2026-11-20 08:30", "2026-10-02 10:00")),
        ("rename", lambda: (berita / "2026-11-09-berita-8.md").rename(berita / "2026-11-09-nama-baru.md")),
        ("delete", lambda: (berita / "2026-11-10-berita-9.md").unlink()),
        ("add", lambda: (berita / "2026-11-28-terbaru.md").write_text(POST.replace("2026-11-20 08:30", "2026-11-28 07:00"))),
        ("halaman", lambda: edit("content/dinkes/halaman/profil.md", "Tentang kami.", "Tentang kami, diperbarui.")),
        ("site.yaml", lambda: edit("content/dinkes/site.yaml", "#0e7c66", "#234567")),
        ("per_page", lambda: edit("opdgen.yaml", "security:", "per_page: 7\nsecurity:")),
        ("template", lambda: (
            edit("opdgen.yaml", "security:", "theme: uji\nsecurity:"),
            (repo / "themes/uji/templates").mkdir(parents=True),
            (repo / "themes/uji/templates/404.html").write_text('{% extends "default/404.html" %}'),
        )),
        ("template-edit", lambda: (repo / "themes/uji/templates/404.html").write_text(
            '{% extends "default/404.html" %}{% block content %}<p>Hilang.</p>{% endblock %}')),
        ("label", lambda: (repo / "themes/uji/labels.yaml").write_text('read_also: {id: "Lihat juga", en: "See also"}\n')),
        ("other-site", lambda: edit("content/disdik/berita/2026-11-02-sekolah.md", "sekolah", "sekolah dasar")),
        ("language", lambda: edit("opdgen.yaml", "security:", "language: en\nsecurity:")),
    ]
    assert build(BuildOptions(root=repo, now=build_now(), output=out)).ok
    for number, (name, change) in enumerate(steps):
        change()
        result = build(BuildOptions(root=repo, now=build_now(), output=out))
        assert result.ok, (name, list(result.problems))
        assert tree_bytes(out) == _clean_build(repo, tmp_path, f"clean-{number}"), name
        if name == "nothing":
            assert all(f.reused for f in result.files if f.is_page)
        if name == "body":
            assert 0 < sum(1 for f in result.files if f.is_page and not f.reused) < 10
        # only posts changed, in place: pages are kept by their deps (opdgen.build.changes)
        assert (result.trusted is not None) == (name in TRUSTED), name
        # the writer's own account of the new output is what walking it finds
        stamp = read_stamp(stamp_path(repo / ".opdgen-cache", out))
        assert stamp is not None and stamp.outputs == output_digest(out), name


def _sample_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The sample content copied to tmp_path/repo and built once into tmp_path/incremental."""
    monkeypatch.setenv("OPDGEN_NOW", NOW)
    repo = tmp_path / "repo"
    shutil.copytree(PROJECT / "content", repo / "content")
    shutil.copy(PROJECT / "opdgen.yaml", repo / "opdgen.yaml")
    out = tmp_path / "incremental"
    assert build(BuildOptions(root=repo, now=build_now(), output=out)).ok
    return repo, out


@pytest.mark.parametrize("apart", [False, True])
def test_edits_kept_by_deps_equal_clean_builds_on_the_sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            apart: bool) -> None:
    """The sample's agencies and portal (listings, tags, related posts, agency cards, feeds, search):
    after a post's title, summary and text change in place, the build that keeps pages by their deps
    writes what a clean build writes. `apart`: output/ is walked by the helper process (as a big
    output is), and the web roots left whole are counted in the new stamp by the digests it found."""
    from opdgen.build import uptodate

    if apart:
        monkeypatch.setattr(uptodate, "WALK_APART", 0)
    monkeypatch.setattr(search_shards, "AGENCY_SHARD_DOCS", 3)  # each agency's index in a few shards
    repo, out = _sample_built(tmp_path, monkeypatch)
    newest = sorted((repo / "content/dinkes/berita").glob("*.md"))[-1]
    edits = [newest, *sorted((repo / "content/diskominfo/pengumuman").glob("*.md"))[:1],
             *sorted((repo / "content/disdik/berita").glob("*.md"))[:1]]
    for number, path in enumerate(edits):
        text = path.read_text()
        text = re.sub(r"^title: .*$", f"title: Judul baru {number}", text, count=1, flags=re.M)
        text = re.sub(r"^summary: .*$", f"summary: Ringkasan baru {number}", text, count=1, flags=re.M)
        path.write_text(text + f"\nParagraf tambahan {number}.\n")
        result = build(BuildOptions(root=repo, now=build_now(), output=out))
        assert result.ok, list(result.problems)
        assert result.trusted == {str(path.relative_to(repo))}, path
        assert result.carried == {"dinkes", "diskominfo", "disdik", "dpupr", "kec-cibeureum"} - {path.parts[-3]}
        assert result.kept == result.carried  # the other agencies were not even loaded (build.snapshot)
        # nor were their files listed: the writer left their web roots (and pages.json) as they were
        assert set(result.untouched) == result.carried
        assert result.writer is not None and set(result.writer.root_digests) == (result.carried if apart else set())
        assert not {str(f.path).partition("/")[0] for f in result.files} & result.carried
        counts: list[tuple[int, int, int]] = []
        assert tree_bytes(out) == _clean_build(repo, tmp_path, f"clean-{number}", counts), path
        assert counts == [(result.site_count, result.pages, result.file_count)]  # counted all the same
        stamp = read_stamp(stamp_path(repo / ".opdgen-cache", out))
        assert stamp is not None and stamp.outputs == output_digest(out)
        assert sum(files for files, _ in stamp.roots.values()) == result.file_count == len(tree_bytes(out))


def test_an_agency_is_carried_whole_only_for_the_same_release_date(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The serving files of an agency left whole are the last build's: the stamp says which release
    date they were made for, and when the build's own differs (it cannot without the stamp's
    context changing too, unless how the date is found changes), every web root is made again."""
    from datetime import timedelta

    from opdgen.build import pipeline
    from opdgen.outputs.headers import expires

    repo, out = _sample_built(tmp_path, monkeypatch)
    stamp = read_stamp(stamp_path(repo / ".opdgen-cache", out))
    assert stamp is not None and stamp.released
    real = pipeline.release_date
    monkeypatch.setattr(pipeline, "release_date",
                        lambda root, region, commit=None: real(root, region, commit) + timedelta(days=400))
    path = sorted((repo / "content/dinkes/berita").glob("*.md"))[-1]
    path.write_text(path.read_text() + "\nParagraf tambahan.\n")
    result = build(BuildOptions(root=repo, now=build_now(), output=out))
    assert result.ok and result.carried and not result.untouched
    assert tree_bytes(out) == _clean_build(repo, tmp_path, "clean")
    security = (out / "disdik/.well-known/security.txt").read_text()
    later = expires(real(repo, result.region) + timedelta(days=400))
    assert f"Expires: {later:%Y-%m-%dT%H:%M:%SZ}" in security  # the later release's


def test_a_damaged_line_of_signatures_is_read_only_for_its_own_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sidecar holds a line of signatures per site, read only when a post of that site changed:
    damaged, that site's edit is judged by the pages' keys (still equal to a clean build); another
    site's edit neither reads it nor trips on it."""
    from opdgen.build.changes import sidecar

    repo, out = _sample_built(tmp_path, monkeypatch)
    side = sidecar(stamp_path(repo / ".opdgen-cache", out))
    lines = side.read_text("utf-8").split("\n")
    assert [line.split("\t", 1)[0] for line in lines[1:-1]] == sorted(
        p.name for p in (repo / "content").iterdir() if (p / "site.yaml").is_file())
    side.write_text("\n".join(line[:len(line) // 2] if line.startswith("dinkes\t") else line
                              for line in lines), "utf-8")  # (its JSON cut in half)
    for site, trusted in (("disdik", True), ("dinkes", False)):
        path = sorted((repo / f"content/{site}/berita").glob("*.md"))[0]
        path.write_text(path.read_text() + f"\nParagraf tambahan {site}.\n")
        result = build(BuildOptions(root=repo, now=build_now(), output=out))
        assert result.ok and (result.trusted is not None) == trusted, site
        assert tree_bytes(out) == _clean_build(repo, tmp_path, f"clean-{site}"), site


def test_the_portal_makes_agency_cards_only_for_a_page_that_shows_them(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """After an edit of a post that is no agency's latest berita (nor among the portal's newest), the
    portal's home page and directory are kept, and no agency card (its latest post's view) is made;
    after an edit of an agency's latest berita, both pages are made again, each card once."""
    from opdgen.content.loader import LoadOptions, load_region
    from opdgen.content.model import Kind
    from opdgen.render import context

    repo, out = _sample_built(tmp_path, monkeypatch)
    region, _ = load_region(repo, LoadOptions(now=build_now()))
    assert region is not None
    dinkes = next(s for s in region.sites if s.slug == "dinkes").of_kind(Kind.BERITA)
    made: list[str] = []
    real = context.Agency
    monkeypatch.setattr(context, "Agency", lambda **kw: made.append(kw["site"].name) or real(**kw))
    for post, cards in ((dinkes[-1], 0), (dinkes[0], len(region.sites))):  # its oldest, then its latest
        path = repo / post.source.path
        path.write_text(path.read_text() + "\nParagraf tambahan.\n")
        made.clear()
        result = build(BuildOptions(root=repo, now=build_now(), output=out))
        assert result.ok and result.trusted == {str(post.source.path)}
        assert len(made) == cards, post.source.path
        assert tree_bytes(out) == _clean_build(repo, tmp_path, f"clean-{cards}"), post.source.path


def test_each_web_root_indexed_gets_its_serving_files_once_its_bundles_are_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundles the build expects of each web root (search_shards.expected_bundles) are those the
    search thread makes: every agency and the portal are named when their last bundle comes (the
    build then writes their serving files and pages.json while Pagefind goes on), in a clean build
    and after an edit (the edited agency and the portal); the output is a clean build's."""
    from opdgen.build import pipeline

    monkeypatch.setattr(search_shards, "AGENCY_SHARD_DOCS", 3)
    monkeypatch.setattr(search_shards, "SHARD_DOCS", 20)
    named: list[str] = []

    class Recording(pipeline._Delivery):
        def deliver(self, files: list[OutputFile]) -> None:
            super().deliver(files)
            named[:] = sorted(root for root, missing in (self.missing or {}).items() if not missing)

    monkeypatch.setattr(pipeline, "_Delivery", Recording)
    repo, out = _sample_built(tmp_path, monkeypatch)
    assert named == sorted(["dinkes", "diskominfo", "disdik", "dpupr", "kec-cibeureum", "portal"])
    path = sorted((repo / "content/disdik/berita").glob("*.md"))[0]
    path.write_text(re.sub(r"^title: .*$", "title: Judul baru", path.read_text(), count=1, flags=re.M))
    assert build(BuildOptions(root=repo, now=build_now(), output=out)).ok
    assert named == ["disdik", "portal"]
    assert tree_bytes(out) == _clean_build(repo, tmp_path, "clean")


def test_a_portal_listing_page_depends_on_its_posts_and_their_agencies_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As its pages.json records: opdgen.yaml, its template, the posts it lists and the site.yaml of
    each of their agencies (a card names its agency), not every agency's."""
    import json

    _, out = _sample_built(tmp_path, monkeypatch)
    state = json.loads((out / ".opdgen/portal/pages.json").read_text("utf-8"))
    pages = [p for p in state["files"] if p.startswith("portal/berita/") and p.endswith("index.html")]
    shown = []
    for page in pages:
        deps = {state["sources"][n] for n in state["sets"][state["files"][page][2]]}
        posts = {d for d in deps if d.endswith(".md")}
        agencies = {f"content/{post.split('/')[1]}/site.yaml" for post in posts}
        assert posts and deps == posts | agencies | {"opdgen.yaml", "template:portal_list.html"}, page
        shown.append(len(agencies))
    assert len(pages) > 2 and min(shown) < 5  # (the sample's five agencies: not all on every page)


def _mtimes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_the_portal_is_left_whole_after_an_edit_of_what_it_does_not_show(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The portal shows a post's card (title, summary, author, photo), its opening in the portal's
    search index, and its text in the feed of the newest berita. After an edit of anything else of a
    post outside that feed, its web root, pages.json and manifest are the last build's, not written
    again; after any edit of what it shows, it is made again. Each time, the output is a clean
    build's."""
    from opdgen.content.loader import LoadOptions, load_region
    from opdgen.outputs.portal import feed_sources

    repo, out = _sample_built(tmp_path, monkeypatch)
    region, _ = load_region(repo, LoadOptions(now=build_now()))
    assert region is not None
    feed = feed_sources(region)
    psn = "content/dinkes/berita/2026-05-06-psn-serentak-cegah-dbd.md"
    posyandu = "content/dinkes/berita/2026-06-10-posyandu-prima-percepat-penurunan-stunting.md"
    notice = "content/diskominfo/pengumuman/2026-06-19-pemeliharaan-jaringan-intra-pemda.md"
    newest = "content/dinkes/berita/2026-11-25-prevalensi-stunting-turun-hasil-bulan-timbang.md"
    assert not {psn, posyandu} & feed and newest in feed  # (the sample's: the feed's 20 of 40 berita)

    def edit(rel: str, old: str, new: str) -> None:
        path = repo / rel
        text = path.read_text()
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1))

    steps: list[tuple[str, Callable[[], None], bool]] = [
        ("emphasis", lambda: edit(psn, "**Gerakan Pemberantasan Sarang Nyamuk (PSN) 3M Plus serentak**",
                                  "Gerakan Pemberantasan Sarang Nyamuk (PSN) 3M Plus serentak"), True),
        ("appended", lambda: edit(psn, "\n---\n", "\n---\n") or (repo / psn).write_text(
            (repo / psn).read_text() + "\nCatatan redaksi: naskah ini diperbarui.\n"), True),
        ("pengumuman", lambda: edit(notice, "- **Waktu**: 08.00 - 14.00 WIB", "- *Waktu*: 08.00 - 14.00 WIB"), True),
        ("with a photo", lambda: (repo / posyandu).write_text((repo / posyandu).read_text() + "\nCatatan redaksi.\n"),
         True),
        ("opening", lambda: edit(psn, "Dinas Kesehatan Kabupaten Sukamaju menggelar", "Dinkes Sukamaju menggelar"),
         False),
        ("title", lambda: edit(psn, "title: Gerakan PSN 3M Plus", "title: Gerakan PSN"), False),
        ("summary", lambda: edit(psn, "summary: Dinas Kesehatan menggerakkan", "summary: Dinkes menggerakkan"), False),
        ("author", lambda: edit(psn, "author: Tim Promkes Dinkes", "author: Tim Promosi Kesehatan"), False),
        ("photo text", lambda: edit(posyandu, "image_alt: Ilustrasi balai desa", "image_alt: Gambar balai desa"),
         False),
        ("pengumuman opening", lambda: edit(notice, "Diberitahukan kepada", "Disampaikan kepada"), False),
        ("in the feed", lambda: (repo / newest).write_text((repo / newest).read_text() + "\nParagraf baru.\n"),
         False),
    ]
    for number, (name, change, whole) in enumerate(steps):
        before = _mtimes(out / "portal") | {f".opdgen/{k}": v for k, v in _mtimes(out / ".opdgen/portal").items()}
        change()
        result = build(BuildOptions(root=repo, now=build_now(), output=out))
        assert result.ok, (name, list(result.problems))
        assert result.trusted is not None and len(result.trusted) == 1, name
        assert result.portal_kept == whole and ("portal" in result.untouched) == whole, name
        assert not any(str(f.path).startswith("portal/") for f in result.files) or not whole, name
        after = _mtimes(out / "portal") | {f".opdgen/{k}": v for k, v in _mtimes(out / ".opdgen/portal").items()}
        assert (after == before) == whole, name  # (made again: pages.json at least is written anew)
        assert tree_bytes(out) == _clean_build(repo, tmp_path, f"clean-{number}"), name
