from __future__ import annotations

import threading
from pathlib import PurePosixPath

import pytest

from opdgen.serve.watch import Debouncer, is_relevant


@pytest.mark.parametrize(
    ("path", "relevant"),
    [
        ("content/dinkes/berita/a.md", True),
        ("opdgen.yaml", True),
        ("themes/default/templates/base.html", True),
        ("content/dinkes/berita/.a.md.swp", False),
        ("content/dinkes/berita/a.md~", False),
        ("content/dinkes/berita/4913", False),
        ("output/dinkes/index.html", False),
        (".git/index", False),
    ],
)
def test_relevant_paths(path: str, relevant: bool) -> None:
    assert is_relevant(PurePosixPath(path)) is relevant


def test_a_burst_of_saves_gives_one_rebuild() -> None:
    calls: list[int] = []
    done = threading.Event()

    def action() -> None:
        calls.append(1)
        done.set()

    debouncer = Debouncer(0.05, action)
    for _ in range(5):
        debouncer.trigger()
    assert done.wait(2)
    threading.Event().wait(0.1)
    assert calls == [1]
