"""Reading `git log` for content/<site>/: dates, authors, sites; no git or no repository is no history."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from opdgen.report.gitlog import FIELD, RECORD, parse_log, read_history
from tests.conftest import requires

LOG = (
    f"{RECORD}2026-11-20T10:00:00+07:00{FIELD}Budi@Dinkes.go.id\n\ncontent/dinkes/berita/a.md\n"
    "content/disdik/site.yaml\nopdgen.yaml\n"
    f"{RECORD}2026-11-19T10:00:00+08:00{FIELD}rina@disdik.go.id\n\ncontent/x.md\n"  # no site folder
    f"{RECORD}bukan-tanggal{FIELD}a@b\n\ncontent/dinkes/a.md\n"
)


def test_parse_log() -> None:
    (commit,) = parse_log(LOG)
    assert commit.date == datetime(2026, 11, 20, 10, tzinfo=timezone(timedelta(hours=7)))
    assert commit.email == "budi@dinkes.go.id" and commit.sites == frozenset({"dinkes", "disdik"})


def _git(root: Path, *args: str, when: str = "2026-11-01T09:00:00+07:00", who: str = "a") -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME=who,
               GIT_AUTHOR_EMAIL=f"{who}@x.go.id", GIT_COMMITTER_NAME=who, GIT_COMMITTER_EMAIL=f"{who}@x.go.id",
               GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True)


def test_read_history_of_a_repository(tmp_path: Path) -> None:
    requires("git", "git")
    root = tmp_path / "region"
    (root / "content/dinkes").mkdir(parents=True)
    _git(root, "init", "-q", "-b", "main")
    (root / "content/dinkes/site.yaml").write_text("name: x\n")
    (root / "README.md").write_text("x\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "satu", who="budi")
    (root / "README.md").write_text("y\n")
    _git(root, "commit", "-q", "-am", "bukan konten", who="it", when="2026-11-02T09:00:00+07:00")
    history = read_history(root)
    assert history.available and not history.shallow
    (commit,) = history.commits
    assert commit.email == "budi@x.go.id" and commit.sites == frozenset({"dinkes"})
    assert history.of_site("dinkes") == (commit,) and history.of_site("disdik") == ()
    # from a sub-folder of a bigger repository, paths are the region's own
    outer = tmp_path / "outer"
    outer.mkdir()
    _git(outer, "init", "-q", "-b", "main")
    (outer / "kab/content/disdik").mkdir(parents=True)
    (outer / "kab/content/disdik/site.yaml").write_text("name: y\n")
    _git(outer, "add", "-A")
    _git(outer, "commit", "-q", "-m", "dua", who="rina")
    assert read_history(outer / "kab").commits[0].sites == frozenset({"disdik"})


def test_no_repository_or_no_git_is_no_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not read_history(tmp_path).available
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert not read_history(Path.cwd()).available
