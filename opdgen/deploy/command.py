"""The `opdgen deploy` command's work: pick the sites and their targets, deploy or roll back each, report.

Words come from messages/; the caller hands in how to print. Exit codes as DESIGN says: 0 every site is
live and verified, 1 a deploy failed or a live copy differs, 2 usage (raised by the CLI).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from opdgen.config import CONFIG_FILE, SLUG_RE, load_region_config
from opdgen.deploy import DeployError, DeployResult, commit_time, deploy_site, release_id, rollback_site
from opdgen.deploy.target import open_side
from opdgen.fsguard import Repo
from opdgen.messages import text
from opdgen.outputs.manifest import MANIFEST, SERVER_DIR
from opdgen.problems import Problem, Problems
from opdgen.records import record
from opdgen.verify import report_text

Echo = Callable[[str], None]
DEFAULT_KEEP = 5


@record(kw_only=True)
class DeployRequest:
    root: Path
    output: Path  # the build's output folder (output/<site>/ and output/.opdgen/<site>/manifest.json)
    sites: tuple[str, ...]  # empty: every site the build wrote, portal included
    to: str  # folder or user@host:/path; "{site}" is replaced, and with several sites /<site> is added
    rollback: bool
    keep: int
    rsh: str
    now: datetime  # the release time outside git


def deploy_keep(root: Path, lang: str, report: Callable[[Iterable[Problem], str], None]) -> int | None:
    """deploy.keep from opdgen.yaml (the default without one); None when it has errors (reported)."""
    if not (root / CONFIG_FILE).is_file():
        return DEFAULT_KEEP
    problems = Problems()
    region = load_region_config(Repo(root), problems)
    report(problems, lang)
    return region.deploy_keep if region else None


def built_sites(output: Path) -> tuple[str, ...]:
    """Every web root the last build wrote a manifest for, sorted."""
    folder = output / SERVER_DIR
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.parent.name for p in folder.glob(f"*/{MANIFEST}") if SLUG_RE.match(p.parent.name)))


def target_for(to: str, site: str, many: bool) -> str:
    """Where one site goes: `{site}` filled in, else TARGET/<site> when deploying several sites."""
    if "{site}" in to:
        return to.replace("{site}", site)
    return f"{to.rstrip('/')}/{site}" if many else to


def run_deploy(request: DeployRequest, lang: str, echo: Echo, echo_err: Echo) -> int:
    """Deploy (or roll back) each site in turn; one failing site does not stop the others."""
    sites = request.sites or built_sites(request.output)
    if not sites:
        echo_err(text("cli.deploy.no_sites", lang, output=request.output))
        return 1
    stamp = commit_time(request.root) or request.now
    failed = 0
    for site in sites:
        target = target_for(request.to, site, len(sites) > 1)
        try:
            result = _one(request, site, target, stamp)
        except (DeployError, OSError) as exc:  # OSError: the local target folder refused us
            failed += 1
            echo_err(_error_text(DeployError(str(exc)), site, target, lang))
            continue
        if not result.outcome.ok:
            failed += 1
            echo_err(report_text(result.outcome, lang))
            echo_err(text("cli.deploy.verify_failed", lang, site=site, release=result.release, target=target))
            continue
        echo(_done_text(result, lang, request.keep))
    return 1 if failed else 0


def _one(request: DeployRequest, site: str, target: str, stamp: datetime) -> DeployResult:
    side = open_side(target, request.rsh)
    if request.rollback:
        return rollback_site(side)
    manifest_path = request.output / SERVER_DIR / site / MANIFEST
    site_dir = request.output / site
    try:
        manifest_bytes = manifest_path.read_bytes()
    except OSError:
        raise DeployError(f"no-build:{manifest_path}") from None
    if not site_dir.is_dir():
        raise DeployError(f"no-build:{site_dir}")
    return deploy_site(site_dir, manifest_bytes, side, release_id(manifest_bytes, stamp), request.keep)


def _error_text(exc: DeployError, site: str, target: str, lang: str) -> str:
    detail = str(exc)
    if detail in ("no-current", "no-older"):
        return text(f"cli.deploy.{detail.replace('-', '_')}", lang, site=site, target=target)
    if detail.startswith("no-build:"):
        return text("cli.deploy.no_build", lang, site=site, path=detail.removeprefix("no-build:"))
    return text("cli.deploy.failed", lang, site=site, target=target, detail=detail)


def _done_text(result: DeployResult, lang: str, keep: int) -> str:
    common = {"site": result.site, "release": result.release, "target": result.target,
              "files": result.outcome.files}
    if result.status == "unchanged":
        return text("cli.deploy.unchanged", lang, **common)
    if result.status == "rolled_back":
        return text("cli.deploy.rolled_back", lang, previous=result.previous, **common)
    return text("cli.deploy.done", lang, removed=len(result.removed), keep=keep, **common)
