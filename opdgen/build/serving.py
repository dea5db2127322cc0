"""What each web root needs to be served safely and verified later, added once per build.

Headers files, security.txt, nginx.conf and the SHA-256 manifest of every web root, dated by the
release (the commit, never the clock). It reads git's log (read-only); it writes nothing.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Sequence
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


def serving_outputs(files: Sequence[OutputFile], region: Region, root: Path,
                    released: datetime | None = None, only: Callable[[str], bool] | None = None,
                    ) -> list[OutputFile]:
    """For every web root among `files` (or those of them `only` accepts: the build makes the ones
    whose files are all there while Pagefind finishes the others): _headers, .htaccess,
    security.txt, nginx.conf, manifest. `released`: release_date, when known."""
    bases = {s.slug: s.config.base_url for s in region.sites}
    bases[PORTAL_SLUG] = region.config.portal_base_url
    released = released or release_date(root, region)
    domains = allowed_domains(region)
    out: list[OutputFile] = []
    by_root: dict[str, list[OutputFile]] = {}
    for f in files:
        by_root.setdefault(str(f.path).partition("/")[0], []).append(f)
    for web_root in sorted(set(by_root) - {SERVER_DIR}):
        if web_root not in bases or (only is not None and not only(web_root)):
            continue
        own = by_root[web_root]
        extra = serving_files(web_root, bases[web_root], region.config, released)
        out += [*extra, manifest_file(web_root, bases[web_root], [*own, *extra], domains)]
    return out


def release_date(root: Path, region: Region) -> datetime:
    """SOURCE_DATE_EPOCH when set, else the HEAD commit's date, else the newest content date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    committed = _commit_date(root)
    if committed is not None:
        return committed
    return newest_content_date(region) or _config_mtime(root)


def _commit_date(root: Path) -> datetime | None:
    try:
        done = subprocess.run(
            # safe.directory: CI often checks out as another user; this is a read-only `git log`
            ["git", "-c", f"safe.directory={root.resolve()}", "log", "-1", "--format=%cI", "HEAD"],
            cwd=root, capture_output=True, text=True, timeout=GIT_TIMEOUT, check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"},
        )
    except (OSError, subprocess.SubprocessError):  # no git, or it hung
        return None
    if done.returncode != 0:
        return None
    try:
        return datetime.fromisoformat(done.stdout.strip()).astimezone(UTC)
    except ValueError:
        return None


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
