"""How many Pagefind runs go at once (opdgen.outputs.search_runs), the search bundles' folders, and
what the portal copies of an agency's bundle (opdgen.outputs.search)."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from opdgen.content.model import Kind
from opdgen.outputs import search
from opdgen.outputs.search import is_bundle, merged_bundles, portal_bundle
from opdgen.outputs.search_runs import Lanes, Stopped, run_within


def test_bundle_folders() -> None:
    assert portal_bundle("kec-cibeureum") == "pagefind-kec-cibeureum"
    assert all(is_bundle(name) for name in ("pagefind", "pagefind-dinkes", "pagefind-kec-a", "pagefind-2"))
    assert not any(is_bundle(name) for name in ("pagefind-", "pagefindx", "cari", "pagefind-Dinkes",
                                                "xpagefind", "pagefind--a", "pagefind-a/b"))


def test_the_portal_copies_what_a_merged_index_loads() -> None:
    copied = [rel for rel in ("pagefind-entry.json", "pagefind.id_72c4efa37f.pf_meta", "index/id_1.pf_index",
                              "fragment/id_2.pf_fragment", "filter/id_3.pf_filter", "pagefind.js",
                              "pagefind-worker.js", "wasm.id.pagefind", "wasm.unknown.pagefind")
              if search._copied(rel)]
    assert copied == ["pagefind-entry.json", "pagefind.id_72c4efa37f.pf_meta", "index/id_1.pf_index",
                      "fragment/id_2.pf_fragment", "filter/id_3.pf_filter"]


def region(counts: dict[str, list[Kind]]) -> Any:
    """A stand-in for Region: each site's slug and its posts' kinds."""
    return SimpleNamespace(sites=[SimpleNamespace(slug=slug, posts=[SimpleNamespace(kind=k) for k in kinds])
                                  for slug, kinds in counts.items()])


def test_the_portal_merges_every_agency_with_something_to_find_in_slug_order() -> None:
    sites = {"wajo": [Kind.BERITA], "agam": [Kind.HALAMAN, Kind.BERITA], "empty": [],
             "survei": [Kind.SKM]}  # SKM results have no page and no search document
    assert merged_bundles(region(sites)) == ("pagefind-agam", "pagefind-wajo")


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
