"""Cache housekeeping (opdgen.build.sweep): a whole build that read every site afresh removes from
.opdgen-cache/ what it did not ask for, and nothing it needs; other builds remove nothing."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from opdgen import spam
from opdgen.build.pipeline import BuildOptions, BuildResult, build
from opdgen.cachedb import CacheDB
from opdgen.cli import build_now
from opdgen.markup import bodies
from opdgen.media import collect
from opdgen.outputs import search
from tests.conftest import NOW, PROJECT, tree_bytes

STALE = "0" * 64  # a key no build of the sample asks for


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OPDGEN_NOW", NOW)
    repo = tmp_path / "repo"
    shutil.copytree(PROJECT / "content", repo / "content")
    shutil.copy(PROJECT / "opdgen.yaml", repo / "opdgen.yaml")
    return repo


def run(repo: Path, out: Path, **options: Any) -> BuildResult:
    result = build(BuildOptions(root=repo, now=build_now(), output=out, jobs=1, **options))
    assert result.ok, result.problems
    return result


def plant(cache: Path) -> list[Path]:
    """Leftovers of earlier trees and releases, in every part of the cache."""
    db = CacheDB(cache / "cache.sqlite")
    for ns in ("body", "spam", "preview-digest", "search", "retired-namespace"):
        db.put_many(ns, {STALE: b"stale"})
    db.close()
    files = [cache / "images/previews" / STALE[:2] / f"{STALE}.jpg", cache / "images" / STALE[:2] / f"{STALE}.bin",
             cache / "images/sources" / STALE[:32], cache / "previews" / STALE[:2] / f"{STALE}.jpg"]
    for f in files:
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(b"stale")
    return files


def entries(cache: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(cache / "cache.sqlite") as db:
        return set(db.execute("SELECT ns, key FROM entry"))


def images(cache: Path) -> set[str]:
    return {str(p.relative_to(cache)) for p in (cache / "images").rglob("*") if p.is_file()}


def work_done(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the next builds make afresh (bodies, previews, photos, indexes, spam scans), noted
    instead of made."""
    made: list[str] = []
    monkeypatch.setattr(bodies._Worker, "render", classmethod(lambda cls, texts: made.extend(texts) or []))
    monkeypatch.setattr(collect, "make_preview", lambda task: made.append("preview") or b"")
    monkeypatch.setattr(collect, "derive", lambda *a: made.append("photo") or None)
    monkeypatch.setattr(search, "_build_one", lambda *a: made.append("pagefind") or [])
    monkeypatch.setattr(spam, "_findings", lambda *a: made.append("spam") or b"[]")
    return made


def test_a_fresh_whole_build_removes_what_it_did_not_ask_for_and_keeps_what_it_needs(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = repo / ".opdgen-cache"
    first = run(repo, tmp_path / "one")
    assert first.swept is not None and (first.swept.entries, first.swept.files) == (0, 0)  # all needed
    needed_entries, needed_images = entries(cache), images(cache)
    leftovers = plant(cache)
    shutil.rmtree(cache / "stamps")  # no kept site: the next build reads every site afresh
    second = run(repo, tmp_path / "two")
    assert second.swept is not None and second.swept.entries == 5 and second.swept.files >= 4
    assert not any(f.exists() for f in leftovers)
    assert entries(cache) == needed_entries and images(cache) == needed_images

    # what is left is all a build needs: nothing is rendered, drawn, scanned or indexed again
    made = work_done(monkeypatch)
    shutil.rmtree(cache / "stamps")
    run(repo, tmp_path / "three")
    assert made == []
    assert tree_bytes(tmp_path / "three") == tree_bytes(tmp_path / "two") == tree_bytes(tmp_path / "one")


def test_builds_that_read_part_of_the_tree_remove_nothing(repo: Path, tmp_path: Path) -> None:
    cache = repo / ".opdgen-cache"
    out = tmp_path / "out"
    run(repo, out)
    leftovers = plant(cache)
    post = sorted((repo / "content/dinkes/berita").glob("*.md"))[0]
    post.write_text(post.read_text("utf-8") + "\nSatu kalimat lagi.\n", "utf-8")
    edit = run(repo, out)  # the other sites are kept ones: this build asked for part of the cache
    assert edit.kept and edit.swept is None
    assert run(repo, tmp_path / "one-site", sites=frozenset({"dinkes"})).swept is None
    assert all(f.exists() for f in leftovers)
    assert (("body", STALE) in entries(cache))


def test_the_summary_says_what_was_removed(repo: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from opdgen.cli import main

    run(repo, tmp_path / "one")
    plant(repo / ".opdgen-cache")
    shutil.rmtree(repo / ".opdgen-cache/stamps")
    said = CliRunner().invoke(main, ["build", "--root", str(repo), "--output", str(tmp_path / "two")])
    assert said.exit_code == 0, said.output
    assert "Cache dirapikan: 5 entri dan 4 berkas lama yang tidak dipakai lagi dihapus" in said.output
    quiet = CliRunner().invoke(main, ["build", "--root", str(repo), "--output", str(tmp_path / "two")])
    assert "Cache" not in quiet.output  # nothing removed: nothing said


def test_a_job_of_one_agency_prunes_its_cache_to_what_it_reads(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A split CI job (`build --site X --no-portal --prune-cache`) keeps a cache of its own."""
    cache = repo / ".opdgen-cache"
    run(repo, tmp_path / "whole")
    every = entries(cache)
    alone = {"sites": frozenset({"dinkes"}), "with_portal": False}
    job = run(repo, tmp_path / "job", prune_cache=True, **alone)
    assert job.swept is not None and job.swept.entries > 0
    kept = entries(cache)
    assert kept < every and any(ns == "search" and key.startswith("dinkes/pagefind:") for ns, key in kept)
    assert not any(key.startswith(("portal/", "disdik/")) for ns, key in kept if ns == "search")

    # what it kept is all the job needs: nothing is rendered, drawn, scanned or indexed again
    made = work_done(monkeypatch)
    again = run(repo, tmp_path / "again", **alone)
    assert made == [] and again.swept is None  # (and without the flag it removes nothing)
    assert tree_bytes(tmp_path / "again") == tree_bytes(tmp_path / "job")
    assert tree_bytes(tmp_path / "job")["dinkes/index.html"] == tree_bytes(tmp_path / "whole")["dinkes/index.html"]
