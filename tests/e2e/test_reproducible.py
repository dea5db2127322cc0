"""Output depends only on the commit, and a build killed half-way leaves output/ as it was."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import NOW, POST, PROJECT, tree_bytes


def build_in_process(root: Path, output: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opdgen", "build", "--root", str(root), "--output", str(output)],
        env={**os.environ, **env}, capture_output=True, text=True, timeout=300, check=False,
    )


def test_same_commit_same_bytes_across_processes(tmp_path: Path) -> None:
    """Two separate processes with different hash seeds (set and dict order) give the same bytes."""
    a = build_in_process(PROJECT, tmp_path / "a", {"PYTHONHASHSEED": "1", "OPDGEN_NOW": NOW})
    b = build_in_process(PROJECT, tmp_path / "b", {"PYTHONHASHSEED": "4242", "OPDGEN_NOW": NOW})
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")


def test_source_date_epoch_is_the_build_time(make_repo: Callable[..., Path], run_cli: Callable[..., Result],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    later = POST.replace("2026-11-20 08:30", "2026-12-01 07:00")
    repo = make_repo({"content/dinkes/berita/2026-12-01-nanti.md": later})
    monkeypatch.delenv("OPDGEN_NOW")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01 00:00 UTC = 07:00 WIB
    first = run_cli("build", "--root", repo)
    assert first.exit_code == 0, first.output
    assert (repo / "output/dinkes/berita/nanti/index.html").is_file()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083199")
    second = run_cli("build", "--root", repo)
    assert second.exit_code == 0, second.output
    assert not (repo / "output/dinkes/berita/nanti").exists()


def test_sigkill_during_write_leaves_previous_output(make_repo: Callable[..., Path]) -> None:
    posts = {f"content/dinkes/berita/2026-11-{1 + i % 27:02d}-berita-{i}.md": POST for i in range(1500)}
    repo = make_repo(posts)
    output = repo / "output"
    first = build_in_process(repo, output, {"OPDGEN_NOW": NOW})
    assert first.returncode == 0, first.stderr
    before = tree_bytes(output)
    for path in (repo / "content/dinkes/berita").glob("*.md"):
        path.write_text(POST.replace("Pekan imunisasi dimulai", "Versi kedua"))
    staging = repo / "output.opdgen-new"
    killed_while_writing = False
    for _attempt in range(5):
        shutil.rmtree(staging, ignore_errors=True)  # the spare reappears only when writing starts
        proc = subprocess.Popen(
            [sys.executable, "-m", "opdgen", "build", "--root", str(repo)],
            env={**os.environ, "OPDGEN_NOW": NOW}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if staging.is_dir() and any(staging.iterdir()):
                proc.send_signal(signal.SIGKILL)
                killed_while_writing = True
                break
            time.sleep(0.001)
        proc.wait()
        if killed_while_writing:
            break
    assert killed_while_writing, "the build finished before it could be killed while writing"
    assert tree_bytes(output) == before
    again = build_in_process(repo, output, {"OPDGEN_NOW": NOW})
    assert again.returncode == 0, again.stderr
    assert staging.is_dir()  # the previous output, kept as the next build's spare
    assert "Versi kedua" in next((output / "dinkes/berita").glob("*/index.html")).read_text()
