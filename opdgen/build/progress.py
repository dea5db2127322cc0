"""Progress of a long build on a terminal, and how long each stage took.

The stages report through one module-level tracker so no signature has to carry it; it does
nothing until the command line turns it on (`opdgen build` on a terminal, without --quiet). The
bar appears only once a build has run for a second, is redrawn at most ten times a second on one
line of stderr, and is wiped before anything else is printed. `OPDGEN_TIMINGS=1` prints each
stage's wall time when the build ends (for `make bench` and for developers).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

DELAY = 1.0  # seconds before the bar appears: short builds stay quiet
REDRAW = 0.1  # seconds between redraws
WIDTH = 24


class Tracker:
    def __init__(self) -> None:
        self.stream: TextIO | None = None  # set: draw the bar there
        self.words: Callable[[str], str] = lambda code: code
        self.started = time.perf_counter()
        self.timings: list[tuple[str, float]] = []
        self._stage = ""
        self._total = 0
        self._done = 0
        self._drawn = 0.0
        self._shown = False

    def enable(self, stream: TextIO, words: Callable[[str], str]) -> None:
        self.stream, self.words, self.started = stream, words, time.perf_counter()

    @contextmanager
    def stage(self, code: str, total: int = 0) -> Iterator[None]:
        """A named stage (a message code: progress.load, progress.render ...) of `total` steps."""
        self._stage, self._total, self._done = code, total, 0
        began = time.perf_counter()
        self._draw()
        try:
            yield
        finally:
            self.timings.append((code, time.perf_counter() - began))

    def advance(self, steps: int = 1) -> None:
        self._done += steps
        now = time.perf_counter()
        if self.stream is not None and now - self._drawn >= REDRAW:
            self._draw()

    def clear(self) -> None:
        """Wipe the bar (before printing the summary or problems)."""
        if self.stream is not None and self._shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._shown = False

    def report_timings(self, stream: TextIO) -> None:
        if os.environ.get("OPDGEN_TIMINGS"):
            for code, seconds in self.timings:
                stream.write(f"timing {code} {seconds:.3f}\n")

    def _draw(self) -> None:
        if self.stream is None:
            return
        now = time.perf_counter()
        if now - self.started < DELAY:
            return
        self._drawn = now
        label = self.words(self._stage)
        if self._total:
            share = min(1.0, self._done / self._total)
            filled = int(share * WIDTH)
            line = f"[{'#' * filled}{'.' * (WIDTH - filled)}] {share:4.0%} {label} {self._done}/{self._total}"
        else:
            line = f"[{'.' * WIDTH}] {label}"
        self.stream.write("\r\x1b[2K" + line)
        self.stream.flush()
        self._shown = True


TRACKER = Tracker()


stage = TRACKER.stage
advance = TRACKER.advance


def on_terminal(stream: TextIO = sys.stderr) -> bool:
    return stream.isatty() and os.environ.get("TERM") != "dumb"
