"""`opdgen deploy`: upload a site's build as a new release, switch `current` to it atomically, verify it.

A deploy never changes the live release: it uploads into `releases/.partial-<id>/` (rsync, unchanged
files hard-linked from the live release), renames that to `releases/<id>/`, and only then renames a
fresh symlink over `current`. It reads output/ and never writes there.
"""

from __future__ import annotations

import hashlib
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from opdgen.deploy.target import (
    MANIFEST_SUFFIX,
    PARTIAL,
    RSYNC_FLAGS,
    DeployError,
    LocalSide,
    Side,
    State,
    run,
)
from opdgen.outputs.manifest import Manifest, ManifestError, parse_manifest
from opdgen.problems import Problems
from opdgen.records import record
from opdgen.verify import verify_folder
from opdgen.verify.findings import Outcome

__all__ = ["DeployError", "DeployResult", "commit_time", "deploy_site", "release_id", "rollback_site"]


@record
class DeployResult:
    site: str
    target: str
    release: str  # the release live after this run
    previous: str | None  # the release live before it
    status: str  # "deployed", "unchanged" or "rolled_back"
    outcome: Outcome  # the live copy compared with the release's manifest
    removed: tuple[str, ...] = ()  # old releases deleted (keep)


def commit_time(root: Path) -> datetime | None:
    """The commit time of HEAD in root's git repository, or None outside git."""
    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True,
                             check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    value = out.stdout.decode().strip()
    return datetime.fromtimestamp(int(value), UTC) if out.returncode == 0 and value.isdigit() else None


def release_id(manifest_bytes: bytes, stamp: datetime) -> str:
    """`<UTC time of the commit>-<12 hex of the manifest's sha256>`: the same build gets the same id."""
    digest = hashlib.sha256(manifest_bytes).hexdigest()[:12]
    return f"{stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}-{digest}"


def _base(name: str) -> str:
    """The build's id of a release folder name (without a -rNN re-upload suffix)."""
    return name[:29]


def _free_name(rid: str, state: State) -> str:
    """rid, or rid-r01, -r02 ... when the target already holds a release of this build."""
    name, n = rid, 0
    while name in state.releases:
        n += 1
        name = f"{rid}-r{n:02d}"
    return name


def _link_sources(state: State) -> list[str]:
    """Releases rsync may hard-link unchanged files from: the live one first, then the newest (rsync
    takes at most 20), so a file that did not change costs no upload and no disk space."""
    others = [r for r in reversed(state.releases) if r != state.current]
    return ([state.current] if state.current else []) + others[:19 if state.current else 20]


def check_live(side: Side, manifest: Manifest) -> Outcome:
    """Compare what `current` serves with the manifest: hashed in place, or over ssh with sha256sum."""
    if isinstance(side, LocalSide):
        return verify_folder(manifest, side.live_folder())
    files, links = side.live_listing()
    problems = Problems()
    matched = 0
    for rel, expected in sorted(manifest.files.items()):
        found = files.get(rel)
        if found is None:
            problems.add(rel, None, "verify.missing")
        elif found == expected:
            matched += 1
        else:
            problems.add(rel, None, "verify.changed", expected=expected[:12], found=found[:12])
    for rel in sorted(set(files) - set(manifest.files)) + links:
        problems.add(rel, None, "verify.unexpected")
    return Outcome(manifest.site, side.label, len(manifest.files), matched, tuple(problems))


def _parse(manifest_bytes: bytes) -> Manifest:
    try:
        return parse_manifest(manifest_bytes)
    except ManifestError as exc:
        raise DeployError(f"manifest: {exc}") from None


def deploy_site(site_dir: Path, manifest_bytes: bytes, side: Side, rid: str, keep: int) -> DeployResult:
    """Upload site_dir as release rid, switch to it, verify it, then delete releases beyond keep."""
    manifest = _parse(manifest_bytes)
    state = side.state()
    if state.current is not None and _base(state.current) == rid:
        outcome = check_live(side, manifest)
        if outcome.ok:
            return DeployResult(manifest.site, side.label, state.current, state.current, "unchanged", outcome)
    name = _free_name(rid, state)
    link = [f"--link-dest=../{r}" for r in _link_sources(state)]
    run([*side.rsync(), *RSYNC_FLAGS, *link, f"{site_dir}/", side.dest(PARTIAL + name)])
    side.put_bytes(f"{name}{MANIFEST_SUFFIX}", manifest_bytes)
    side.promote(PARTIAL + name, name)
    side.switch(name)
    outcome = check_live(side, manifest)
    removed = _prune(side, keep)
    return DeployResult(manifest.site, side.label, name, state.current, "deployed", outcome, removed)


def _prune(side: Side, keep: int) -> tuple[str, ...]:
    """Delete all but the newest `keep` releases; the live one is never deleted."""
    state = side.state()
    old = [r for r in state.releases[:-keep] if r != state.current] if keep > 0 else []
    side.remove(old)
    return tuple(old)


def rollback_site(side: Side) -> DeployResult:
    """Switch `current` to the release before the live one, and verify it against its own manifest."""
    state = side.state()
    if state.current is None or state.current not in state.releases:
        raise DeployError("no-current")
    index = state.releases.index(state.current)
    if index == 0:
        raise DeployError("no-older")
    older = state.releases[index - 1]
    manifest = _parse(side.get_bytes(f"{older}{MANIFEST_SUFFIX}"))
    side.switch(older)
    outcome = check_live(side, manifest)
    return DeployResult(manifest.site, side.label, older, state.current, "rolled_back", outcome)
