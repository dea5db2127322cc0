"""What each web root needs to be served safely and verified later, added once per build.

Headers files, security.txt, nginx.conf and the SHA-256 manifest of every web root, dated by the
release (the commit, never the clock). It reads git's log (read-only); it writes nothing.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from opdgen.config import PORTAL_SLUG
from opdgen.content.model import Region
from opdgen.outputs.files import OutputFile
from opdgen.outputs.headers import serving_files
from opdgen.outputs.manifest import SERVER_DIR, manifest_file
from opdgen.outputs.summary import summary_of
from opdgen.spam import allowed_domains

GIT_TIMEOUT = 10  # seconds: a hung git must not hang the build


def by_web_root(files: Iterable[OutputFile], into: dict[str, list[OutputFile]] | None = None,
                ) -> dict[str, list[OutputFile]]:
    """The files by their top folder in output/ (a web root, or .opdgen), added to `into`."""
    by_root = {} if into is None else into
    for f in files:
        top = str(f.path).partition("/")[0]
        listed = by_root.get(top)
        if listed is None:
            listed = by_root[top] = []
        listed.append(f)
    return by_root


def root_serving_outputs(by_root: Mapping[str, Sequence[OutputFile]], region: Region, root: Path,
                         released: datetime | None = None, only: Callable[[str], bool] | None = None,
                         ) -> list[OutputFile]:
    """For every web root among the files grouped by by_web_root (or those of them `only` accepts:
    the build makes the ones whose files are all there while Pagefind finishes the others): _headers,
    .htaccess, security.txt, nginx.conf, manifest. `released`: release_date, when known."""
    bases = {s.slug: s.config.base_url for s in region.sites}
    bases[PORTAL_SLUG] = region.config.portal_base_url
    released = released or release_date(root, region)
    domains = allowed_domains(region)
    out: list[OutputFile] = []
    for web_root in sorted(set(by_root) - {SERVER_DIR}):
        if web_root not in bases or (only is not None and not only(web_root)):
            continue
        own = by_root[web_root]
        extra = serving_files(web_root, bases[web_root], region.config, released)
        out += [*extra, manifest_file(web_root, bases[web_root], [*own, *extra], domains)]
    return out


def release_date(root: Path, region: Region, commit: CommitDate | None = None) -> datetime:
    """SOURCE_DATE_EPOCH when set, else the HEAD commit's date, else the newest content date.
    `commit`: git's answer, asked for earlier (CommitDate), else asked now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    committed = (commit or CommitDate(root)).result()
    if committed is not None:
        return committed
    return newest_content_date(region) or _config_mtime(root)


class CommitDate:
    """The HEAD commit's date from `git log`, asked for when made and read by `result`: the build
    starts it before it loads its theme and the previous pages, so git runs meanwhile on the other
    core (it took 10-30 ms of an edit when the build waited for it). None: no git, not a repository,
    git failed or hung (GIT_TIMEOUT from the start). `close` ends a git the build never asked."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.answer: datetime | None = None
        self.process: subprocess.Popen[str] | None = None
        self.started = time.monotonic()
        if os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
            return  # (release_date does not ask git)
        try:
            self.process = subprocess.Popen(
                # safe.directory: CI often checks out as another user; this is a read-only `git log`
                ["git", "-c", f"safe.directory={root.resolve()}", "log", "-1", "--format=%cI", "HEAD"],
                cwd=root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                text=True, env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"},
            )
        except (OSError, subprocess.SubprocessError):  # no git
            self.process = None

    def result(self) -> datetime | None:
        process, self.process = self.process, None
        if process is None:
            return self.answer
        try:
            out, _ = process.communicate(timeout=max(0.0, GIT_TIMEOUT - (time.monotonic() - self.started)))
        except subprocess.TimeoutExpired:  # it hung
            process.kill()
            process.communicate()
            return None
        if process.returncode == 0:
            with contextlib.suppress(ValueError):  # (not a date: the fallbacks decide)
                self.answer = datetime.fromisoformat(out.strip()).astimezone(UTC)
        return self.answer

    def close(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.communicate()


def newest_content_date(region: Region) -> datetime | None:
    """The latest `date` or `updated` of any published post in the region."""
    dates = [d for site in region.sites if (d := summary_of(site).newest) is not None]
    return max(dates, default=None)


def _config_mtime(root: Path) -> datetime:
    """Last resort (no git, no dated content): opdgen.yaml's modification time, stable per checkout."""
    try:
        return datetime.fromtimestamp(int((root / "opdgen.yaml").stat().st_mtime), UTC)
    except OSError:
        return datetime(2000, 1, 1, tzinfo=UTC)
