"""The portal's search shards: which agencies share a Pagefind bundle, and how many runs share memory."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from datetime import datetime
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from typing import Any

import pytest

from opdgen.content.model import Kind
from opdgen.outputs import search, search_shards
from opdgen.outputs.files import PageReuse
from opdgen.outputs.search_shards import (
    Lanes,
    Stopped,
    agency_bundles,
    agency_shards,
    bundle_name,
    is_bundle,
    plan_shards,
    run_within,
    shards_to_index,
)


def sizes(plan: tuple[tuple[str, ...], ...], counts: dict[str, int]) -> list[int]:
    return [sum(counts[slug] for slug in shard) for shard in plan]


COUNTS = {"bappeda": 300, "dinkes": 500, "disdik": 250, "dishub": 400, "dpupr": 100, "kec-a": 80}


def test_agencies_are_packed_in_slug_order_up_to_the_limit() -> None:
    plan = plan_shards(list(COUNTS.items()), 900)
    assert plan == (("bappeda", "dinkes"), ("disdik", "dishub", "dpupr", "kec-a"))
    assert all(size <= 900 for size in sizes(plan, COUNTS))
    flat = [slug for shard in plan for slug in shard]
    assert flat == sorted(COUNTS)  # every agency once, in slug order


def test_the_input_order_does_not_matter() -> None:
    items = list(COUNTS.items())
    assert plan_shards(items, 700) == plan_shards(list(reversed(items)), 700)
    assert plan_shards(items, 700) == plan_shards(sorted(items, key=lambda kv: kv[1]), 700)


def test_an_agency_over_the_limit_is_a_shard_of_its_own() -> None:
    counts = {"a": 100, "big": 2500, "c": 100, "d": 50}
    assert plan_shards(list(counts.items()), 900) == (("a",), ("big",), ("c", "d"))
    assert plan_shards([("big", 901)], 900) == (("big",),)
    assert plan_shards([("exact", 900), ("next", 1)], 900) == (("exact",), ("next",))


def test_few_documents_make_one_shard_and_nothing_makes_one_empty_shard() -> None:
    assert plan_shards([("dinkes", 12), ("disdik", 9), ("empty", 0)]) == (("dinkes", "disdik", "empty"),)
    assert plan_shards([]) == ((),)
    assert plan_shards([("a", 0), ("b", 0)], 1) == (("a", "b"),)


def test_the_limit_is_the_module_constant_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_shards, "SHARD_DOCS", 3)
    assert plan_shards([("a", 2), ("b", 2), ("c", 1)]) == (("a",), ("b", "c"))


def test_one_more_post_moves_no_boundary_while_its_shard_has_room() -> None:
    counts = {f"opd-{i:02d}": 100 + 37 * i % 250 for i in range(60)}
    before = plan_shards(list(counts.items()), 900)
    for slug in counts:  # one post added to each agency in turn
        grown = {**counts, slug: counts[slug] + 1}
        after = plan_shards(list(grown.items()), 900)
        home = next(n for n, shard in enumerate(before) if slug in shard)
        if sizes(before, grown)[home] <= 900:
            assert after == before, slug  # the same shards: only that shard's key changes
        else:  # it overflowed: the shards before it stay, and its first agencies stay with it
            assert after[:home] == before[:home], slug
            assert set(after[home]) < set(before[home]), slug
        shared = [size for size, shard in zip(sizes(after, grown), after, strict=True) if len(shard) > 1]
        assert all(size <= 900 for size in shared)


def test_bundle_folders() -> None:
    assert [bundle_name(n) for n in range(3)] == ["pagefind", "pagefind-1", "pagefind-2"]
    assert all(is_bundle(bundle_name(n)) for n in range(12))
    assert not any(is_bundle(name) for name in ("pagefind-0", "pagefind-01", "pagefind-", "pagefindx",
                                                "cari", "pagefind-a", "xpagefind"))


def test_runs_share_the_memory_budget_and_results_keep_the_jobs_order() -> None:
    lock = threading.Lock()
    running: list[int] = []
    peak = {"cost": 0, "count": 0}
    costs = [300, 10, 300, 10, 300, 10, 10]

    def work(i: int) -> int:
        with lock:
            running.append(i)
            peak["cost"] = max(peak["cost"], sum(costs[j] for j in running))
            peak["count"] = max(peak["count"], len(running))
        time.sleep(0.02)
        with lock:
            running.remove(i)
        return i * 10

    jobs = list(range(len(costs)))
    assert run_within(jobs, costs, work, workers=2, budget=400) == [i * 10 for i in jobs]
    assert peak["cost"] <= 400  # never two big runs at once
    assert peak["count"] == 2  # but a small one beside a big one


def test_a_run_over_the_budget_still_runs_alone() -> None:
    seen: list[int] = []
    assert run_within([1, 2], [900, 900], lambda i: seen.append(i) or i, workers=2, budget=100) == [1, 2]
    assert sorted(seen) == [1, 2]


def test_an_error_in_a_run_is_raised_and_stops_the_rest() -> None:
    done: list[int] = []

    def work(i: int) -> int:
        if i == 0:
            raise RuntimeError("boom")
        done.append(i)
        return i

    with pytest.raises(RuntimeError, match="boom"):
        run_within(list(range(6)), [50, 1, 1, 1, 1, 1], work, workers=1, budget=100)
    assert done == []  # the costliest (the failing one) ran first; nothing ran after it


def region(counts: dict[str, int]) -> Any:
    """A stand-in for Region: what the shard plan reads (each site's slug and its posts' kinds)."""
    post = SimpleNamespace(kind=Kind.BERITA)
    return SimpleNamespace(sites=[SimpleNamespace(slug=slug, posts=[post] * n) for slug, n in counts.items()])


PREVIOUS = {"portal/pagefind/a.pf": ("k0", "d0"), "portal/pagefind/b.pf": ("k0", "d1"),
            "portal/pagefind-1/a.pf": ("k1", "d2"), "portal/pagefind-2/a.pf": ("k2", "d3")}
FOLDERS = {"portal/pagefind": ["portal/pagefind/a.pf", "portal/pagefind/b.pf"],
           "portal/pagefind-1": ["portal/pagefind-1/a.pf"], "portal/pagefind-2": ["portal/pagefind-2/a.pf"]}


def test_when_only_posts_changed_the_other_shards_are_carried_over(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_shards, "SHARD_DOCS", 2)
    counts = {"agam": 1, "bone": 1, "dinkes": 2, "wajo": 3}  # (agam, bone) (dinkes) (wajo)
    reuse = PageReuse(None, PREVIOUS)
    reuse.trusted = frozenset({"content/wajo/berita/2026-11-11-kabar-1.md"})
    carried, todo = shards_to_index(region(counts), reuse, FOLDERS)
    assert todo == [(2, ("wajo",))]
    assert [(str(f.path), f.key, f.digest, f.reused) for f in carried] == [
        ("portal/pagefind/a.pf", "k0", "d0", True), ("portal/pagefind/b.pf", "k0", "d1", True),
        ("portal/pagefind-1/a.pf", "k1", "d2", True)]


def test_without_that_knowledge_every_shard_is_judged_by_its_key() -> None:
    counts = {"agam": 1, "bone": 1, "dinkes": 2, "wajo": 3}
    every = [(0, ("agam", "bone", "dinkes", "wajo"))]  # SHARD_DOCS: one shard
    assert shards_to_index(region(counts), None, FOLDERS) == ([], every)
    assert shards_to_index(region(counts), PageReuse(None, PREVIOUS), FOLDERS) == ([], every)  # not trusted
    outside = PageReuse(None, PREVIOUS)
    outside.trusted = frozenset({"opdgen.yaml"})  # not a post of an agency: nothing is carried
    assert shards_to_index(region(counts), outside, FOLDERS) == ([], every)


def test_a_shard_missing_from_the_previous_output_is_indexed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_shards, "SHARD_DOCS", 2)
    reuse = PageReuse(None, PREVIOUS)
    reuse.trusted = frozenset({"content/dinkes/berita/x.md"})
    carried, todo = shards_to_index(region({"agam": 1, "bone": 1, "dinkes": 2, "wajo": 3}), reuse,
                                    {k: v for k, v in FOLDERS.items() if k != "portal/pagefind-2"})
    assert todo == [(1, ("dinkes",)), (2, ("wajo",))]
    assert {str(f.path.parent) for f in carried} == {"portal/pagefind"}


def test_scratch_folders_of_killed_builds_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    gone = subprocess.Popen(["true"])  # a process that has ended: its pid names no one
    gone.wait()
    stale = tmp_path / f"opdgen-search-{gone.pid}-x1"
    live = tmp_path / f"opdgen-search-{os.getpid()}-x2"
    other = tmp_path / "opdgen-search-unrelated"
    for folder in (stale, live, other):
        (folder / "pages").mkdir(parents=True)
    search._remove_stale(tmp_path)
    assert not stale.exists() and live.is_dir() and other.is_dir()


def test_lanes_hold_runs_to_one_until_widened() -> None:
    lanes = Lanes(1)
    lock = threading.Lock()
    running: list[int] = []
    peak: list[int] = []
    started = threading.Event()

    def work(i: int) -> int:
        with lock:
            running.append(i)
            peak.append(len(running))
        started.set()
        time.sleep(0.05)
        with lock:
            running.remove(i)
        return i

    def widen_later() -> None:
        started.wait()
        time.sleep(0.2)  # several runs, one at a time
        with lock:
            assert max(peak) == 1
        lanes.widen(2)

    widener = threading.Thread(target=widen_later)
    widener.start()
    assert run_within(list(range(12)), [1] * 12, work, workers=2, budget=100, lanes=lanes) == list(range(12))
    widener.join()
    assert max(peak) == 2  # two at once after widening


def test_a_stop_lets_the_run_going_end_and_starts_no_other() -> None:
    lanes = Lanes(1)
    started = threading.Event()
    ran: list[int] = []

    def work(i: int) -> int:
        ran.append(i)
        started.set()
        time.sleep(0.1)
        return i

    def stop_later() -> None:
        started.wait()
        lanes.stop()

    stopper = threading.Thread(target=stop_later)
    stopper.start()
    with pytest.raises(Stopped):
        run_within(list(range(5)), [1] * 5, work, workers=2, budget=100, lanes=lanes)
    stopper.join()
    assert ran == [0]


def agency(dates: list[str | None], skm: int = 0) -> Any:
    """A site with a post of each date ("2026-10-03", None: undated), and SKM results (no document)."""
    posts = [SimpleNamespace(kind=Kind.HALAMAN if d is None else Kind.BERITA,
                             date=None if d is None else datetime.fromisoformat(d)) for d in dates]
    posts += [SimpleNamespace(kind=Kind.SKM, date=datetime.fromisoformat("2026-01-01")) for _ in range(skm)]
    return SimpleNamespace(slug="wajo", posts=posts)


def test_an_agency_index_is_planned_by_month_undated_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_shards, "AGENCY_SHARD_DOCS", 3)
    site = agency(["2026-11-02", None, "2026-09-30", "2026-10-01", "2026-10-20", "2026-11-01", None], skm=5)
    # "" (2) + 2026-09 (1) fill a shard; 2026-10 (2); 2026-11 (2) would make 4: a shard of its own
    assert agency_shards(site) == (("", "2026-09"), ("2026-10",), ("2026-11",))
    assert agency_bundles(site) == ("pagefind-1", "pagefind-2")
    newer = agency(["2026-11-02", None, "2026-09-30", "2026-10-01", "2026-10-20", "2026-11-01", None,
                    "2026-11-25"])  # a new post of the newest month: the earlier shards stay
    assert agency_shards(newer)[:2] == agency_shards(site)[:2]
    busy = agency([f"2026-11-{d:02d}" for d in range(1, 8)])  # a month over the limit: one shard
    assert agency_shards(busy) == (("2026-11",),) and agency_bundles(busy) == ()
    assert agency_shards(agency([])) == ((),)  # nothing to index: one (empty) index all the same


def test_documents_are_laid_out_as_files_not_folders() -> None:
    P = PurePosixPath
    assert search._laid_out(P("dinkes/berita/vaksin/index.html")) == "dinkes/berita/vaksin.html"
    assert search._laid_out(P("dinkes.pagefind-1/berita/x/index.html")) == "dinkes.pagefind-1/berita/x.html"
    assert search._laid_out(P("portal/dinkes/profil/index.html")) == "portal/dinkes/profil.html"
    assert search._laid_out(P("dinkes/index.html")) == "dinkes/index.html"  # a site's root stays in it
    assert search._laid_out(P("dinkes/404.html")) == "dinkes/404.html"
