"""Where releases live: a local (or mounted) folder, or a folder on a host reached by rsync over SSH.

A side knows the layout `releases/<id>/`, `releases/<id>.manifest.json` and the `current` symlink,
and offers the few operations a deploy needs. It never decides what to deploy (deploy/__init__.py does).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from opdgen.records import record

RELEASES = "releases"
CURRENT = "current"
MANIFEST_SUFFIX = ".manifest.json"  # releases/<id>.manifest.json: what the release must hold
PARTIAL = ".partial-"  # releases/.partial-<id>/: an upload in progress, never live
ID_RE = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{12}(?:-r\d{2,})?$")  # -rNN: a re-upload of the same build
REMOTE_RE = re.compile(r"^(?P<host>(?:[A-Za-z0-9._-]+@)?(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])):(?P<path>.+)$")
# rsync: recursive, symlinks as links, permissions normalised so identical files can be hard-linked,
# and compared by checksum because builds are reproducible but their mtimes are not.
RSYNC_FLAGS = ("-rlpc", "--delete", "--chmod=D755,F644")


class DeployError(RuntimeError):
    """A step failed; the live `current` is untouched unless the message says otherwise."""


@record
class State:
    releases: tuple[str, ...]  # release ids present, in the order they were deployed
    current: str | None  # the release `current` points at


def is_remote(spec: str) -> bool:
    """`user@host:/path` or `host:/path` (rsync's own syntax); anything else is a folder."""
    return not spec.startswith(("/", ".", "~")) and REMOTE_RE.match(spec) is not None


def run(argv: Sequence[str], *, stdin: bytes | None = None) -> bytes:
    """Run a command; DeployError with its stderr when it fails."""
    try:
        done = subprocess.run(list(argv), input=stdin, capture_output=True, check=False, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DeployError(f"{argv[0]}: {exc}") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise DeployError(f"{argv[0]} exit {done.returncode}: {' / '.join(detail)}")
    return done.stdout


def _parse_state(names: Sequence[str], current: str | None, stamps: Mapping[str, float]) -> State:
    """Releases in deploy order: by the time their manifest was uploaded (a nightly rebuild of one
    commit gets a later release with the same commit time), then by name."""
    releases = tuple(sorted((n for n in names if ID_RE.match(n)), key=lambda n: (stamps.get(n, 0.0), n)))
    rid = current.rsplit("/", 1)[-1] if current else None
    return State(releases, rid if rid and ID_RE.match(rid) else None)


class LocalSide:
    """A folder on this machine (or a mounted share)."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.label = str(base)

    def state(self) -> State:
        releases = self.base / RELEASES
        releases.mkdir(parents=True, exist_ok=True)
        link = self.base / CURRENT
        current = os.readlink(link) if link.is_symlink() else None
        stamps = {p.name.removesuffix(MANIFEST_SUFFIX): p.stat().st_mtime
                  for p in releases.glob("*" + MANIFEST_SUFFIX)}
        return _parse_state([p.name for p in releases.iterdir() if p.is_dir()], current, stamps)

    def dest(self, name: str) -> str:
        return str(self.base / RELEASES / name) + "/"

    def rsync(self) -> tuple[str, ...]:
        return ("rsync",)

    def put_bytes(self, name: str, data: bytes) -> None:
        path = self.base / RELEASES / name
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)

    def get_bytes(self, name: str) -> bytes:
        try:
            return (self.base / RELEASES / name).read_bytes()
        except OSError as exc:
            raise DeployError(f"{name}: {exc.strerror}") from None

    def promote(self, partial: str, rid: str) -> None:
        """releases/<partial> becomes releases/<rid>, a name no release had (never the live one)."""
        folder = self.base / RELEASES
        (folder / partial).rename(folder / rid)

    def switch(self, rid: str) -> None:
        # DESIGN: the only moment the site changes is this rename(2) of a symlink over `current`
        tmp = self.base / (CURRENT + ".tmp")
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        tmp.symlink_to(f"{RELEASES}/{rid}")
        try:
            os.replace(tmp, self.base / CURRENT)
        except OSError as exc:
            raise DeployError(f"{self.base / CURRENT}: {exc.strerror}") from None

    def remove(self, rids: Sequence[str]) -> None:
        for rid in rids:
            shutil.rmtree(self.base / RELEASES / rid, ignore_errors=True)
            (self.base / RELEASES / f"{rid}{MANIFEST_SUFFIX}").unlink(missing_ok=True)

    def live_folder(self) -> Path:
        return self.base / CURRENT


class SshSide:
    """A folder on another host: shell commands over ssh, files over rsync -e ssh."""

    def __init__(self, host: str, base: str, rsh: Sequence[str]) -> None:
        self.host, self.base, self.rsh = host, base.rstrip("/") or "/", tuple(rsh)
        self.label = f"{host}:{self.base}"

    def shell(self, script: str, *, stdin: bytes | None = None) -> bytes:
        return run([*self.rsh, self.host, script], stdin=stdin)

    def _q(self, *parts: str) -> str:
        return shlex.quote("/".join([self.base, *parts]))

    def state(self) -> State:
        out = self.shell(f"mkdir -p {self._q(RELEASES)} && cd {self._q(RELEASES)} && ls -1a && echo /// && "
                         f"find . -maxdepth 1 -name '*{MANIFEST_SUFFIX}' -printf '%T@ %f\\n' && echo /// && "
                         f"(readlink {self._q(CURRENT)} || true)").decode("utf-8", "replace")
        names, _, rest = out.partition("///")
        times, _, current = rest.partition("///")
        stamps = {name.removesuffix(MANIFEST_SUFFIX): float(stamp)
                  for stamp, _, name in (line.partition(" ") for line in times.split("\n") if line.strip())}
        return _parse_state(names.split(), current.strip() or None, stamps)

    def dest(self, name: str) -> str:
        return f"{self.host}:{self.base}/{RELEASES}/{name}/"

    def rsync(self) -> tuple[str, ...]:
        return ("rsync", "-e", shlex.join(self.rsh))

    def put_bytes(self, name: str, data: bytes) -> None:
        path = self._q(RELEASES, name)
        self.shell(f"cat > {path}.tmp && mv -f {path}.tmp {path}", stdin=data)

    def get_bytes(self, name: str) -> bytes:
        return self.shell(f"cat {self._q(RELEASES, name)}")

    def promote(self, partial: str, rid: str) -> None:
        self.shell(f"mv -T {self._q(RELEASES, partial)} {self._q(RELEASES, rid)}")

    def switch(self, rid: str) -> None:
        # DESIGN: one rename(2) on the server switches the site (mv -T renames the link itself)
        link = shlex.quote(f"{RELEASES}/{rid}")
        self.shell(f"cd {shlex.quote(self.base)} && ln -sfn {link} {CURRENT}.tmp && "
                   f"mv -Tf {CURRENT}.tmp {CURRENT}")

    def remove(self, rids: Sequence[str]) -> None:
        if rids:
            paths = " ".join(f"{self._q(RELEASES, r)} {self._q(RELEASES, f'{r}{MANIFEST_SUFFIX}')}"
                             for r in rids)
            self.shell(f"rm -rf -- {paths}")

    def live_listing(self) -> tuple[dict[str, str], list[str]]:
        """sha256 of every regular file below `current`, and the symlinks there (never followed)."""
        root = self._q(CURRENT) + "/"
        out = self.shell(f"cd {root} && find . -type f -exec sha256sum -z {{}} + && printf '\\0///\\0' && "
                         f"find . -type l -print0")
        files_part, _, links_part = out.partition(b"\0///\0")
        files: dict[str, str] = {}
        for line in files_part.split(b"\0"):
            if line:
                digest, _, name = line.decode("utf-8", "replace").partition("  ")
                files[name.removeprefix("./")] = digest
        links = [n.decode("utf-8", "replace").removeprefix("./") for n in links_part.split(b"\0") if n]
        return files, sorted(links)


Side = LocalSide | SshSide


def open_side(spec: str, rsh: str) -> Side:
    """The side a --to value names; rsh is the ssh command (e.g. "ssh -p 2222 -i key")."""
    match = REMOTE_RE.match(spec) if is_remote(spec) else None
    if match:
        return SshSide(match["host"], match["path"], shlex.split(rsh) or ["ssh"])
    return LocalSide(Path(spec).expanduser())
