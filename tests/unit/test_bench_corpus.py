"""The benchmark corpus: deterministic, valid opdgen content, and the same posts in the Hugo and
Pelican twins. Hugo and Pelican themselves are not run here (`make bench` runs them)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from benchmarks import corpus, peers, tables
from tests.conftest import tree_bytes

POSTS = 30
AGENCIES = 3


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[corpus.Planned]]:
    root = tmp_path_factory.mktemp("bench") / "corpus"
    return root, corpus.generate(root, POSTS, agencies=AGENCIES)


def posts_in(root: Path) -> list[Path]:
    return sorted(p for kind in ("berita", "pengumuman") for p in root.glob(f"content/*/{kind}/*.md"))


def test_same_seed_same_bytes(tmp_path: Path, small: tuple[Path, list[corpus.Planned]]) -> None:
    again = tmp_path / "again"
    corpus.generate(again, POSTS, agencies=AGENCIES)
    assert tree_bytes(again) == tree_bytes(small[0])
    other = tmp_path / "other"
    corpus.generate(other, POSTS, seed=corpus.SEED + 1, agencies=AGENCIES)
    assert tree_bytes(other) != tree_bytes(small[0])


def test_shape_of_the_corpus(small: tuple[Path, list[corpus.Planned]]) -> None:
    root, planned = small
    files = posts_in(root)
    assert len(files) == len(planned) == POSTS
    assert len(list(root.glob("content/*/site.yaml"))) == AGENCIES
    for path in files:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}-[a-z0-9-]+\.md", path.name)
        text = path.read_text(encoding="utf-8")
        body = text.split("---\n", 2)[2]
        assert 250 <= len(body.split()) <= 1000, path
        for mark in ("\n## ", "\n- ", "\n1. ", "\n| --- |", "\n> "):
            assert mark in body, (path, mark)
        assert "![" not in body  # images are off unless asked for
    links = sum("](/berita/" in p.read_text() or "](/pengumuman/" in p.read_text() for p in files)
    assert links >= POSTS - AGENCIES
    tags = Counter((p.agency.slug, t) for p in planned for t in p.tags)
    assert max(tags.values()) >= 3  # tag pages list several posts


def test_links_lead_to_posts_of_the_same_site(small: tuple[Path, list[corpus.Planned]]) -> None:
    root, planned = small
    urls = {(p.agency.slug, p.url) for p in planned}
    for post in planned:
        body = (root / post.rel).read_text(encoding="utf-8")
        for url in re.findall(r"\]\((/(?:berita|pengumuman)/[a-z0-9-]+/)\)", body):
            assert (post.agency.slug, url) in urls


def test_opdgen_check_accepts_it(small: tuple[Path, list[corpus.Planned]],
                                 run_cli: Callable[..., Result]) -> None:
    result = run_cli("check", "--root", small[0])
    assert result.exit_code == 0, result.output
    advice = ": saran: "  # notices (PPID register, standing pages) are advice the corpus need not follow
    shown = "\n".join(line for line in result.output.splitlines() if advice not in line)
    assert not re.search(r"^(content/|opdgen\.yaml)", shown, re.MULTILINE), result.output  # no warnings


def test_images_are_referenced_and_present(tmp_path: Path) -> None:
    root = tmp_path / "img"
    planned = corpus.generate(root, 8, agencies=2, images=True)
    for post in planned:
        body = (root / post.rel).read_text(encoding="utf-8")
        names = re.findall(r"!\[[^\]]+\]\((foto-\d+\.jpg)\)", body)
        assert names
        for name in names:
            assert (root / "content" / post.agency.slug / "media" / name).read_bytes()[:2] == b"\xff\xd8"


def test_peers_hold_the_same_posts(tmp_path: Path, small: tuple[Path, list[corpus.Planned]]) -> None:
    root, planned = small
    assert peers.to_hugo(root, tmp_path / "hugo") == POSTS
    assert peers.to_pelican(root, tmp_path / "pelican") == POSTS
    hugo_posts = [p for p in (tmp_path / "hugo/content").glob("*/*/*.md") if p.name != "_index.md"]
    pelican_posts = list((tmp_path / "pelican/content/articles").glob("*/*.md"))
    assert len(hugo_posts) == len(pelican_posts) == POSTS
    halaman = len(list(root.glob("content/*/halaman/*.md")))
    assert len([p for p in (tmp_path / "hugo/content").glob("*/*.md") if p.name != "_index.md"]) == halaman
    assert len(list((tmp_path / "pelican/content/pages").glob("*.md"))) == halaman
    assert (tmp_path / "hugo/layouts/baseof.html").is_file()
    assert "DEFAULT_PAGINATION = 10" in (tmp_path / "pelican/pelicanconf.py").read_text()
    assert "LOAD_CONTENT_CACHE = True" in (tmp_path / "pelican/cacheconf.py").read_text()
    # the one-edit rebuild changes the same post in every tree
    target = corpus.edit_target(planned)
    entry = next(e for e in peers.read_corpus(root)[1] if f"content/{e.site}/{e.kind}/{e.stem}.md" == target.rel)
    copies = [root / target.rel, peers.hugo_post_path(tmp_path / "hugo", entry),
              peers.pelican_post_path(tmp_path / "pelican", entry)]
    bodies = [entry.body, *[peers.site_links(entry.body, entry.site, m) for m in ("", "")]]
    for path, body in zip(copies, bodies, strict=True):
        assert path.read_text(encoding="utf-8").endswith(body)
        corpus.edit_body(path, 1)
        assert path.read_text(encoding="utf-8").endswith("(revisi ke-1).\n")


def test_report_prints_ratios_cost_per_page_and_targets() -> None:
    def tool(seconds: float, pages: int) -> dict[str, object]:
        run = {"seconds": seconds, "cpu_seconds": seconds, "peak_mib": 100.0, "returncode": 0}
        return {"pages": pages, "files": pages, "load_before": 0.0,
                "cold": run, "nochange": run, "edit": {**run, "seconds": seconds / 10}}

    sizes = [{"posts": n, "tools": {"opdgen": tool(n / 100, n), "hugo": tool(n / 500, n)}} for n in (1000, 10000)]
    results = {"machine": {"nproc": "2", "cpu": "x", "memory": "1 GiB", "python": "3.11", "system": "L",
                           "load": "0"}, "versions": {"opdgen": "0.1"}, "repeat": 1, "images": False,
               "sizes": sizes}
    text = tables.report(results)
    assert re.search(r"^ +hugo +5\.00 ", text, re.MULTILINE)  # opdgen/hugo cold ratio
    assert "+0.0%" in text  # cost per page did not grow
    assert "NOT met cold at most 1.5 x Hugo" in text
