"""Read the git history of content/<site>/ folders: commit dates and author emails; nothing else.

It runs `git log` read-only and never fails: without git, outside a repository, or when git
refuses the folder, the History says it is not available and the report falls back to content dates.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from opdgen.records import record

RECORD = "\x1e"  # starts each commit in the log output
FIELD = "\x1f"  # separates a commit's date from its author email
TIMEOUT_SECONDS = 120
# Variables a git hook or a wrapper may set; they would point git at another repository.
_GIT_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
            "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES")


@record
class Commit:
    date: datetime  # committer date (when the change entered the repository), aware
    email: str  # author email, lower case (after .mailmap)
    sites: frozenset[str]  # slugs of the content/<site>/ folders the commit touched


@record
class History:
    available: bool  # False: no git, not a repository, or git failed; figures from content only
    shallow: bool = False  # a shallow clone sees only recent commits: contributors are undercounted
    commits: tuple[Commit, ...] = ()  # newest first

    def of_site(self, slug: str) -> tuple[Commit, ...]:
        return tuple(c for c in self.commits if slug in c.sites)


NO_HISTORY = History(available=False)


def read_history(root: Path, content_dir: str = "content") -> History:
    """Every non-merge commit that touched content/<site>/, with the sites it touched."""
    log = _git(root, "-c", "core.quotepath=off", "log", "--no-merges", "--relative",
               f"--format={RECORD}%cI{FIELD}%aE", "--name-only", "--", f"{content_dir}/")
    if log is None:
        return NO_HISTORY
    shallow = _git(root, "rev-parse", "--is-shallow-repository")
    commits = tuple(parse_log(log, content_dir))
    return History(available=True, shallow=(shallow or "").strip() == "true", commits=commits)


def parse_log(log: str, content_dir: str = "content") -> Iterable[Commit]:
    """Commits from `git log --format=<RECORD>%cI<FIELD>%aE --name-only` output."""
    for entry in log.split(RECORD):
        lines = entry.strip("\n").split("\n")
        if not lines or FIELD not in lines[0]:
            continue
        stamp, email = lines[0].split(FIELD, 1)
        try:
            date = datetime.fromisoformat(stamp.strip())
        except ValueError:
            continue
        sites = frozenset(
            parts[1] for parts in (line.split("/") for line in lines[1:])
            if len(parts) > 2 and parts[0] == content_dir
        )
        if sites and date.tzinfo is not None:
            yield Commit(date=date, email=email.strip().lower(), sites=sites)


def _git(root: Path, *args: str) -> str | None:
    """stdout of a git command run in root, or None when git is missing or fails."""
    env = {k: v for k, v in os.environ.items() if k not in _GIT_ENV}
    env["GIT_OPTIONAL_LOCKS"] = "0"  # a report must not take the index lock of a busy repository
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, encoding="utf-8",
            errors="replace", timeout=TIMEOUT_SECONDS, env=env, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None
