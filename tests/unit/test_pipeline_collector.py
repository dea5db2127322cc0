"""The build tunes Python's cyclic garbage collector while it runs (opdgen.build.pipeline
._collector_tuned) and leaves it as it found it, even when the build fails."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from opdgen.build import pipeline
from tests.conftest import POST


@pytest.fixture
def collector() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)
    gc.unfreeze()


def test_a_build_leaves_the_collector_as_it_found_it(
        collector: tuple[int, int, int], make_repo: Callable[..., Path], run_cli: Callable[..., Result],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo({"content/dinkes/berita/2026-11-20-imunisasi.md": POST})
    seen: list[tuple[tuple[int, int, int], int]] = []
    real = pipeline.render_site

    def spy(*args: object) -> object:  # while pages render: full scans rarer, the region frozen
        seen.append((gc.get_threshold(), gc.get_freeze_count()))
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "render_site", spy)
    assert run_cli("build", "--root", repo, "--output", tmp_path / "out").exit_code == 0
    (threshold, frozen), = seen
    assert threshold[2] >= 100 and frozen > 0
    assert gc.get_threshold() == collector and gc.get_freeze_count() == 0

    (repo / "content/dinkes/berita/2026-11-20-imunisasi.md").write_text("---\ntitle: [\n---\n", "utf-8")
    assert run_cli("build", "--root", repo, "--output", tmp_path / "out").exit_code == 1
    assert gc.get_threshold() == collector and gc.get_freeze_count() == 0
