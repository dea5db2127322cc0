"""A build whose inputs and output did not change does nothing, and only then (opdgen.build.uptodate)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from opdgen.build import pipeline, uptodate
from tests.conftest import POST, tree_bytes

B = "content/dinkes/berita/"
NOTHING = "tidak ada yang berubah sejak build terakhir"
SCHEDULED = POST.replace("date: 2026-11-20 08:30", "date: 2026-11-28 15:00").replace(
    "Pekan Imunisasi Dimulai", "Jadwal Posyandu Desember")


def build(run_cli: Callable[..., Result], repo: Path, *args: str) -> str:
    result = run_cli("build", "--root", repo, *args)
    assert result.exit_code == 0, result.output
    return result.output


def mtimes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def repo(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> Path:
    path = make_repo({B + "2026-11-20-imunisasi.md": POST, B + "2026-11-28-posyandu.md": SCHEDULED})
    assert NOTHING not in build(run_cli, path)
    return path


@pytest.fixture(params=["here", "apart"])
def walks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """output/ walked by the build's process, or ("apart") by the helper whatever its size; the
    digests the helper's walks gave."""
    seen: list[str | None] = []
    if request.param == "apart":
        monkeypatch.setattr(uptodate, "WALK_APART", 0)
        digest = uptodate.OutputWalk.digest

        def spied(self: uptodate.OutputWalk) -> str | None:
            seen.append(digest(self))
            return seen[-1]

        monkeypatch.setattr(uptodate.OutputWalk, "digest", spied)
    return seen


def test_second_build_does_nothing(repo: Path, run_cli: Callable[..., Result], walks: list[str | None]) -> None:
    before, times = tree_bytes(repo / "output"), mtimes(repo / "output")
    out = build(run_cli, repo)
    assert NOTHING in out and "(0 ditulis," in out
    assert all(walks) and (len(walks) > 0) is (uptodate.WALK_APART == 0)  # apart: the helper's walk judged
    assert tree_bytes(repo / "output") == before and mtimes(repo / "output") == times
    assert "output" not in {p.name for p in (repo / "output").rglob("inputs.json")}  # no stamp in output/


def test_an_edit_builds_and_matches_a_clean_build(repo: Path, run_cli: Callable[..., Result],
                                                  tmp_path: Path, walks: list[str | None]) -> None:
    post = repo / B / "2026-11-20-imunisasi.md"
    post.write_text(post.read_text().replace("dimulai di seluruh", "dimulai serentak di seluruh"))
    out = build(run_cli, repo)
    assert all(walks) and (len(walks) > 0) is (uptodate.WALK_APART == 0)
    assert NOTHING not in out and "(0 ditulis," not in out
    assert "serentak" in (repo / "output/dinkes/berita/imunisasi/index.html").read_text()
    assert NOTHING in build(run_cli, repo)
    build(run_cli, repo, "--output", str(tmp_path / "clean"))
    assert tree_bytes(repo / "output") == tree_bytes(tmp_path / "clean")


def test_an_edit_over_an_altered_output_trusts_nothing(repo: Path, run_cli: Callable[..., Result],
                                                       tmp_path: Path, walks: list[str | None],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Apart, the build goes ahead while output/ is walked, as if it were intact (only a post
    changed); the walk then shows a page altered that this post is not on, and the build starts
    again, judging every page: the page is repaired, as a build that walked first repairs it."""
    attempts: list[bool] = []  # whether each attempt knew output/'s verdict
    render_and_write = pipeline._render_and_write

    def spied(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args[7] is not None)
        return render_and_write(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_render_and_write", spied)
    post = repo / B / "2026-11-20-imunisasi.md"
    post.write_text(post.read_text().replace("dimulai di seluruh", "dimulai serentak di seluruh"))
    page = repo / "output/dinkes/pengumuman/index.html"
    page.write_text("<p>judi online</p>")
    assert NOTHING not in build(run_cli, repo)
    assert attempts == ([False, True] if uptodate.WALK_APART == 0 else [True])
    assert b"judi" not in page.read_bytes()
    assert "serentak" in (repo / "output/dinkes/berita/imunisasi/index.html").read_text()
    build(run_cli, repo, "--output", str(tmp_path / "clean"))
    assert tree_bytes(repo / "output") == tree_bytes(tmp_path / "clean")
    attempts.clear()
    post.write_text(post.read_text().replace("serentak", "bersama"))  # and output/ intact: one attempt
    assert NOTHING not in build(run_cli, repo)
    assert attempts == [uptodate.WALK_APART != 0]
    assert "bersama" in (repo / "output/dinkes/berita/imunisasi/index.html").read_text()


def test_going_ahead_leaves_output_as_the_walk_will_find_it(repo: Path, run_cli: Callable[..., Result],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The first edit after a first build (its spare tree empty: every unchanged file of a web root
    it touches is to be linked) goes ahead while output/ is walked; until the walk's verdict is in,
    the build links nothing to output/'s files (a new link changes a file's ctime, which the walk
    reads, and the build would judge its own output altered and start again)."""
    monkeypatch.setattr(uptodate, "WALK_APART", 0)
    attempts: list[bool] = []
    render_and_write, judge = pipeline._render_and_write, pipeline.judge
    found: list[bool] = []

    def spied(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args[7] is not None)
        return render_and_write(*args, **kwargs)

    def judged(options: Any, output: Path, stamp_file: Path, *args: Any) -> Any:
        stamp = uptodate.read_stamp(stamp_file)
        found.append(stamp is not None and uptodate.output_digest(output) == stamp.outputs)
        return judge(options, output, stamp_file, *args)

    monkeypatch.setattr(pipeline, "_render_and_write", spied)
    monkeypatch.setattr(pipeline, "judge", judged)
    spare = repo / "output.opdgen-new"
    assert not any(spare.rglob("*.html"))  # the first build wrote output/ in place
    post = repo / B / "2026-11-20-imunisasi.md"
    post.write_text(post.read_text().replace("dimulai di seluruh", "dimulai serentak di seluruh"))
    assert NOTHING not in build(run_cli, repo)
    assert attempts == [False] and found == [True]  # gone ahead, and confirmed: output/ as it was
    assert "serentak" in (repo / "output/dinkes/berita/imunisasi/index.html").read_text()
    assert NOTHING in build(run_cli, repo)


def test_same_size_rewrite_is_seen(repo: Path, run_cli: Callable[..., Result], walks: list[str | None]) -> None:
    """A rewrite keeping size and mtime still changes the file's ctime: not up to date."""
    post = repo / B / "2026-11-20-imunisasi.md"
    info = post.stat()
    post.write_text(post.read_text().replace("Pekan Imunisasi Dimulai", "Pekan Imunisasi Diundur"))
    os.utime(post, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert NOTHING not in build(run_cli, repo)
    assert "Diundur" in (repo / "output/dinkes/berita/imunisasi/index.html").read_text()


def test_damaged_output_is_repaired(repo: Path, run_cli: Callable[..., Result], walks: list[str | None]) -> None:
    feed = repo / "output/dinkes/feed.xml"
    good = feed.read_bytes()
    feed.unlink()
    assert NOTHING not in build(run_cli, repo)
    assert feed.read_bytes() == good
    page = repo / "output/dinkes/index.html"
    page.write_text("<p>judi online</p>")
    assert NOTHING not in build(run_cli, repo)
    assert b"judi" not in page.read_bytes()
    assert all(walks) and (len(walks) > 0) is (uptodate.WALK_APART == 0)  # (nothing changed in content/)


def test_the_clock_decides_too(repo: Path, run_cli: Callable[..., Result],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The scheduled post (15:00 today) comes out when its time has come, without any file change;
    a new day is a full build (events move to the past list at midnight)."""
    assert not (repo / "output/dinkes/berita/posyandu").exists()
    monkeypatch.setenv("OPDGEN_NOW", "2026-11-28 14:59")
    assert NOTHING in build(run_cli, repo)
    monkeypatch.setenv("OPDGEN_NOW", "2026-11-28 15:00")
    assert NOTHING not in build(run_cli, repo)
    assert (repo / "output/dinkes/berita/posyandu/index.html").is_file()
    monkeypatch.setenv("OPDGEN_NOW", "2026-11-28 23:59")
    assert NOTHING in build(run_cli, repo)
    monkeypatch.setenv("OPDGEN_NOW", "2026-11-29 00:00")
    assert NOTHING not in build(run_cli, repo)
    monkeypatch.setenv("OPDGEN_NOW", "2026-11-28 23:00")  # a clock set back: build again
    assert NOTHING not in build(run_cli, repo)


def test_other_options_build(repo: Path, run_cli: Callable[..., Result]) -> None:
    assert NOTHING not in build(run_cli, repo, "--drafts")
    assert (repo / "output/dinkes/berita/posyandu/index.html").is_file()
    assert NOTHING not in build(run_cli, repo)  # and back
    assert not (repo / "output/dinkes/berita/posyandu").exists()
    assert NOTHING not in build(run_cli, repo, "--site", "dinkes")  # partial builds always run
    assert NOTHING not in build(run_cli, repo)  # a partial build left no stamp behind


def test_added_and_removed_files_count(repo: Path, run_cli: Callable[..., Result]) -> None:
    extra = repo / B / "2026-11-21-baru.md"
    extra.write_text(POST.replace("Pekan Imunisasi Dimulai", "Tulisan Baru"))
    assert NOTHING not in build(run_cli, repo)
    assert (repo / "output/dinkes/berita/baru/index.html").is_file()
    extra.unlink()
    assert NOTHING not in build(run_cli, repo)
    assert not (repo / "output/dinkes/berita/baru").exists()


def test_warnings_are_never_skipped(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    """A build with warnings leaves no stamp: the next build shows them again."""
    spam = POST + "\nDaftar sekarang di situs slot gacor terpercaya, bonus deposit judi online!\n"
    repo = make_repo({B + "2026-11-20-imunisasi.md": spam})
    first = build(run_cli, repo)
    assert "peringatan" in first
    second = build(run_cli, repo)
    assert NOTHING not in second and "peringatan" in second


def test_after_an_edit_the_spam_scan_reads_the_changed_file_alone_and_still_warns(
        repo: Path, run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    """The last clean build warned of nothing: only the files changed since can hold spam."""
    from opdgen.cachedb import CacheDB
    from opdgen.spam import CACHE_NAMESPACE

    asked: list[list[str]] = []
    real = CacheDB.get_many

    def spy(self: CacheDB, ns: str, keys: Any) -> dict[str, bytes]:
        keys = list(keys)
        if ns == CACHE_NAMESPACE:
            asked.append(keys)
        return real(self, ns, keys)

    monkeypatch.setattr(CacheDB, "get_many", spy)
    post = repo / B / "2026-11-20-imunisasi.md"
    clean = post.read_text()
    post.write_text(clean + "\nDaftar sekarang di situs slot gacor terpercaya, bonus deposit judi online!\n")
    out = build(run_cli, repo)
    assert "peringatan" in out and f"{B}2026-11-20-imunisasi.md:" in out
    assert [len(keys) for keys in asked] == [1]  # one file looked up (and scanned), not the region
    post.write_text(clean)
    asked.clear()
    assert "peringatan" not in build(run_cli, repo)
    assert len(asked) == 1 and len(asked[0]) > 1  # the warning build kept no stamp: all files again


def test_a_library_upgrade_builds(repo: Path, run_cli: Callable[..., Result],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The output depends on the libraries (Markdown, the sanitizer, Pillow, Pagefind ...) too."""
    assert NOTHING in build(run_cli, repo)
    real = uptodate._dependency_versions
    monkeypatch.setattr(uptodate, "_dependency_versions", lambda: [*real(), "markdown=99"])
    assert NOTHING not in build(run_cli, repo)
    assert NOTHING in build(run_cli, repo)
