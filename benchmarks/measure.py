"""Run one build command and measure it: wall seconds, CPU seconds and peak memory of its process tree.

Wall time is time.perf_counter() around the child's whole life. CPU seconds and the largest single
process come from os.wait4's rusage, which covers the child and every descendant it waited for
(worker processes included). Worker processes run side by side, so the tree's memory is also
sampled: a thread sums the resident set of every process in the child's process group every 50 ms.
Peak memory is the larger of the two.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.05
PAGE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Measured:
    seconds: float  # wall clock
    cpu_seconds: float  # user + system of the whole tree
    peak_mib: float  # max(sampled tree RSS, largest single process RSS)
    tree_mib: float  # sampled sum over the process group
    single_mib: float  # ru_maxrss: the largest single process
    returncode: int


def group_rss(pgid: int) -> int:
    """Bytes resident in all processes of one process group (0 when it has gone)."""
    total = 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            if int(fields[2]) != pgid:  # state, ppid, pgrp
                continue
            with open(f"/proc/{name}/statm", "rb") as f:
                total += int(f.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue  # the process ended between listing and reading
    return total


class _Sampler(threading.Thread):
    def __init__(self, pgid: int) -> None:
        super().__init__(daemon=True)
        self.pgid = pgid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, group_rss(self.pgid))
            self.done.wait(SAMPLE_SECONDS)


def run(command: Sequence[str | Path], cwd: Path, env: Mapping[str, str], log: Path) -> Measured:
    """Run command to completion with its output in log; never raises for a failing build."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(
            [str(c) for c in command], cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL,
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,  # its own process group
        )
        sampler = _Sampler(child.pid)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait again
        sampler.done.set()
        sampler.join()
    single = usage.ru_maxrss * 1024  # Linux reports KiB
    return Measured(
        seconds=seconds, cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_mib=max(sampler.peak, single) / MIB, tree_mib=sampler.peak / MIB, single_mib=single / MIB,
        returncode=child.returncode,
    )
