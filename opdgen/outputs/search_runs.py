"""How many Pagefind runs go at once: as many as the cores, within a memory budget.

Pagefind's memory grows with what one run indexes (about 2.4 GiB for 10,000 documents in one run),
so every web root gets an index of its own (an agency's documents), and the portal merges copies of
them in the browser (opdgen.outputs.search). The runs going at once must fit in SEARCH_MEMORY; one
run always may, so an agency too big for the budget is indexed alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

# Pagefind's peak memory, measured on the benchmark corpus (make bench): about 20 MiB plus 36 times
# the bytes of the documents it indexes (800 documents, 5 MB: 200 MiB in 1.3 s). An agency of the
# benchmark's 10,000-post region holds about 170 documents (60 MiB), so two run at once well within
# the budget; only an agency of thousands of posts runs alone.
_BASE_COST = 20 << 20
_COST_PER_BYTE = 36
SEARCH_MEMORY = 320 << 20

T = TypeVar("T")
R = TypeVar("R")


class Stopped(RuntimeError):
    """run_within was stopped (Lanes.stop) before every job ran."""


def memory_cost(document_bytes: int) -> int:
    """Pagefind's expected peak memory (bytes) for indexing documents of this many bytes."""
    return _BASE_COST + _COST_PER_BYTE * document_bytes


class Lanes:
    """How many jobs of run_within may go at once, changed while they run: the build lets Pagefind
    take one core while its main thread renders pages on the other, and every core afterwards
    (three busy processes on two cores only slow each other)."""

    def __init__(self, width: int) -> None:
        self.width = max(1, width)
        self.stopped = False  # no more jobs are started (the build ended early); run_within raises Stopped
        self._watchers: list[threading.Condition] = []
        self._lock = threading.Lock()

    def widen(self, width: int) -> None:
        with self._lock:
            self.width = max(self.width, width)
        self._wake()

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
        self._wake()

    def _wake(self) -> None:
        with self._lock:
            watchers = list(self._watchers)
        for ready in watchers:
            with ready:
                ready.notify_all()

    def watch(self, ready: threading.Condition) -> None:
        with self._lock:
            self._watchers.append(ready)


def run_within(jobs: Sequence[T], costs: Sequence[int], work: Callable[[T], R], workers: int,
               budget: int | None = None, lanes: Lanes | None = None) -> list[R]:
    """work(job) for every job, `workers` at a time (or fewer, while `lanes` says so), the costliest
    first, and never two or more at once whose costs add up to more than `budget` (SEARCH_MEMORY):
    while a big job runs alone, the other workers take the smaller ones that fit beside it, or wait.
    Results in the jobs' order."""
    limit = SEARCH_MEMORY if budget is None else budget
    pending = sorted(range(len(jobs)), key=lambda i: (-costs[i], i))
    results: dict[int, R] = {}
    state = {"used": 0, "running": 0, "failed": 0}
    ready = threading.Condition()
    if lanes is not None:
        lanes.watch(ready)

    def take() -> int | None:
        with ready:
            while pending and not state["failed"] and not (lanes is not None and lanes.stopped):
                fits = [i for i in pending if not state["running"] or state["used"] + costs[i] <= limit]
                if lanes is not None and state["running"] >= lanes.width:
                    fits = []
                if fits:
                    pending.remove(fits[0])
                    state["used"] += costs[fits[0]]
                    state["running"] += 1
                    return fits[0]
                ready.wait()
            return None

    def worker() -> None:
        while (i := take()) is not None:
            try:
                results[i] = work(jobs[i])
            except BaseException:
                state["failed"] = 1  # the others stop taking jobs; the error is raised below
                raise
            finally:
                with ready:
                    state["used"] -= costs[i]
                    state["running"] -= 1
                    ready.notify_all()

    with ThreadPoolExecutor(max(1, workers)) as pool:
        for future in [pool.submit(worker) for _ in range(max(1, min(workers, len(jobs))))]:
            future.result()
    if len(results) < len(jobs):
        raise Stopped(len(jobs) - len(results))
    return [results[i] for i in range(len(jobs))]
