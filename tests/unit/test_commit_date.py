"""serving.CommitDate: `git log` started early and read when the release date is needed; a git that
hangs or fails gives no date (the fallbacks decide), and one never read is ended."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from opdgen.build import serving


def fake_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> Path:
    """A `git` first on PATH that runs `body` (a shell script)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "git"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return folder


def test_the_commit_date_is_read_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_git(tmp_path, monkeypatch, "echo 2026-03-01T10:00:00+07:00")
    commit = serving.CommitDate(tmp_path)
    assert commit.result() == datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
    assert commit.result() == datetime(2026, 3, 1, 3, 0, tzinfo=UTC)  # (asked again: the same answer)


@pytest.mark.parametrize("body", ["exit 128", "echo not-a-date"])
def test_a_failing_git_gives_no_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    fake_git(tmp_path, monkeypatch, body)
    assert serving.CommitDate(tmp_path).result() is None


def test_a_hung_git_is_ended_after_the_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_git(tmp_path, monkeypatch, "exec sleep 30")
    monkeypatch.setattr(serving, "GIT_TIMEOUT", 0.3)
    commit = serving.CommitDate(tmp_path)
    process = commit.process
    started = time.monotonic()
    assert commit.result() is None
    assert time.monotonic() - started < 5 and process is not None and process.returncode is not None


def test_a_git_never_asked_is_ended_and_none_runs_with_source_date_epoch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_git(tmp_path, monkeypatch, "exec sleep 30")
    commit = serving.CommitDate(tmp_path)
    process = commit.process
    assert process is not None and process.poll() is None
    commit.close()
    assert process.returncode is not None  # (killed, and waited for: no process left behind)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert serving.CommitDate(tmp_path).process is None
