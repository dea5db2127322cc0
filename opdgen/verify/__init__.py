"""`opdgen verify`: compare a deployed web root (a folder, or an http(s) URL) with the build's manifest.

It reports changed, missing and unexpected files, pages served differently to Googlebot (cloaking),
and gambling spam in whatever differs, as Problems with paths inside the web root. It only reads:
files below the folder, or GET requests to the target's own host; it never changes anything.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from opdgen.config import SLUG_RE
from opdgen.messages import format_problem, text
from opdgen.outputs.manifest import Manifest, ManifestError, parse_manifest
from opdgen.problems import Problems
from opdgen.verify.findings import KINDS, MAX_SCAN, Outcome, scan_into
from opdgen.verify.remote import Fetch, Remote, fetch


def verify(manifest: Manifest, target: str, *, sample: int = 10, fetcher: Fetch = fetch) -> Outcome:
    """Verify a folder or an http(s) URL against the manifest."""
    if target.startswith(("http://", "https://")):
        base = target if target.endswith("/") else target + "/"
        return Remote(manifest, base, fetcher, sample).run()
    return verify_folder(manifest, Path(target))


def _sha256(path: Path) -> str:
    """The file's SHA-256, or "-" when it cannot be read (which is a difference too)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return "-"
    return digest.hexdigest()


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_SCAN)
    except OSError:
        return b""


def _walk(folder: Path) -> tuple[dict[str, Path], list[str]]:
    """Regular files below folder by relative path, and symlinks (never followed)."""
    files: dict[str, Path] = {}
    links: list[str] = []
    for current, dirs, names in os.walk(folder):
        here = Path(current)
        for name in sorted([*dirs, *names]):
            path = here / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                links.append(rel)
            elif name in names and path.is_file():
                files[rel] = path
    return files, links


def verify_folder(manifest: Manifest, folder: Path) -> Outcome:
    """Hash every file below the folder and compare; list what is missing or should not be there."""
    problems = Problems()
    if not folder.is_dir():
        problems.add(".", None, "verify.unreachable", target=str(folder), detail="not a folder")
        return Outcome(manifest.site, str(folder), len(manifest.files), 0, tuple(problems))
    found, links = _walk(folder)
    matched = 0
    for rel, expected in sorted(manifest.files.items()):
        path = found.get(rel)
        if path is None:
            problems.add(rel, None, "verify.missing")
            continue
        actual = _sha256(path)
        if actual == expected:
            matched += 1
            continue
        problems.add(rel, None, "verify.changed", expected=expected[:12], found=actual[:12])
        scan_into(problems, rel, _head(path), manifest.link_domains)
    for rel in sorted(set(found) - set(manifest.files)):
        problems.add(rel, None, "verify.unexpected")
        scan_into(problems, rel, _head(found[rel]), manifest.link_domains)
    for rel in links:
        problems.add(rel, None, "verify.unexpected")
    return Outcome(manifest.site, str(folder), len(manifest.files), matched, tuple(problems))


def read_manifest(path: Path, site: str) -> Manifest:
    """The manifest of `site` written by the last build; ManifestError when it is unusable."""
    if not SLUG_RE.match(site):
        raise ManifestError(f"--site {site!r}")
    try:
        manifest = parse_manifest(path.read_bytes())
    except OSError as exc:
        raise ManifestError(exc.strerror or str(exc)) from None
    if manifest.site != site:
        raise ManifestError(f"site {manifest.site!r}, not {site!r}")
    return manifest


def report_text(outcome: Outcome, lang: str) -> str:
    """The report for people (and cron mail): one line per finding, then a summary line."""
    lines = [text(p.code, lang, **p.params) if p.code == "verify.unreachable" else format_problem(p, lang)
             for p in outcome.problems]
    counts = {kind: outcome.count(kind) for kind in KINDS}
    if outcome.ok:
        lines.append(text("cli.verify.ok", lang, files=outcome.files, target=outcome.target,
                          site=outcome.site))
    else:
        lines.append(text("cli.verify.failed", lang, target=outcome.target, matched=outcome.matched,
                          files=outcome.files, **counts))
    return "\n".join(lines)


def report_json(outcome: Outcome, lang: str) -> str:
    """The report for machines: counts and every finding with its words, sorted."""
    doc = {
        "site": outcome.site,
        "target": outcome.target,
        "ok": outcome.ok,
        "files": outcome.files,
        "matched": outcome.matched,
        "counts": {kind: outcome.count(kind) for kind in KINDS},
        "findings": [
            {"code": p.code, "path": str(p.path), "line": p.line, "params": dict(p.params),
             "message": format_problem(p, lang)}
            for p in outcome.problems
        ],
    }
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)
