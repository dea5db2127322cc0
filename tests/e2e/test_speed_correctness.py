"""Caches and worker processes change how fast a build is, never what it writes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from opdgen.build.pipeline import BuildOptions, build
from opdgen.cli import build_now
from tests.conftest import POST, tree_bytes

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
