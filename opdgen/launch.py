"""The `opdgen` command's first step, before the rest of opdgen is imported (a fifth of a second).

For `opdgen build` over every site whose last build left a big output, output/'s walk (which a
build needs whether its inputs changed or not: opdgen.build.uptodate.OutputWalk) starts here, in the
spawner's helper process, so that it runs on the other core while this one imports opdgen; the build
takes it over (`take`), or ends it when it does not want it. Standard library and opdgen.spawner
only: importing anything more here would delay the walk by as much.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import secrets
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opdgen.spawner import Spawner

CACHE_DIR = ".opdgen-cache"  # below the repository: git-ignored; CI may restore it between runs
WALK_APART = 2000  # an output of more files than this is walked by the helper process (OutputWalk)

# the options of `opdgen build` that take a value, and those that do not: any other (--site,
# --no-portal, --help, a typo) and the walk is left to the build, which knows what it means
_VALUED = frozenset({"--root", "--output", "--lang", "--jobs", "-j"})
_FLAGS = frozenset({"--quiet", "-q", "--strict", "--drafts", "--prune-cache"})


def stamp_path(cache_dir: Path, output: Path) -> Path:
    """Where the stamp of one output folder lives (opdgen.build.uptodate reads and writes it)."""
    name = hashlib.sha256(str(output.absolute()).encode()).hexdigest()[:32]
    return cache_dir / "stamps" / f"{name}.json"


def walk_blob() -> Path:
    """A new file name for a walk's rows, in the system's temporary folder."""
    return Path(tempfile.gettempdir()) / f"opdgen-walk-{os.getpid()}-{secrets.token_hex(8)}"


class Begun:
    """A walk of output/ started by `entry`: its helper, the answer to come and the file of rows."""

    def __init__(self, output: Path, spawner: Spawner, answer: Future[dict[str, Any]], blob: Path) -> None:
        self.output = output
        self.spawner = spawner
        self.answer = answer
        self.blob = blob

    def abandon(self) -> None:
        """End the helper without waiting for its walk, and remove what it wrote."""
        self.spawner.kill()
        self.blob.unlink(missing_ok=True)


_BEGUN: list[Begun] = []


def entry() -> None:
    """The `opdgen` command: output/'s walk started when a build will want it, then the command."""
    begin(sys.argv[1:])
    from opdgen.cli import entry as command

    command()


def begin(args: Sequence[str]) -> None:
    """Start output/'s walk if `args` are those of a whole build whose last stamp counts more than
    WALK_APART files (a stamp of another format is read by the build as none: the walk is ended)."""
    target = build_output(args)
    if target is None:
        return
    root, output = target
    try:
        files = int(json.loads(stamp_path(root / CACHE_DIR, output).read_text("utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return
    if files <= WALK_APART:
        return
    from opdgen.spawner import Spawner

    blob = walk_blob()
    try:
        spawner = Spawner()
        answer = spawner.walk(output, blob)
    except OSError:  # no helper: the build walks output/ itself
        return
    if not _BEGUN:
        atexit.register(_abandon_all)  # (a build takes its walk: this is for a command that failed first)
    _BEGUN.append(Begun(output.absolute(), spawner, answer, blob))


def build_output(args: Sequence[str]) -> tuple[Path, Path] | None:
    """(root, output) of `opdgen build` over every site, from its arguments as click reads them;
    None for another command, a build of some sites, or an option this does not know."""
    if not args or args[0] != "build":
        return None
    values: dict[str, str] = {}
    rest = list(args[1:])
    while rest:
        name, equals, value = rest.pop(0).partition("=")
        if name in _VALUED:
            if not equals:
                if not rest:
                    return None
                value = rest.pop(0)
            values[name] = value
        elif equals or name not in _FLAGS:
            return None
    root = Path(values.get("--root", "."))
    output = Path(values["--output"]) if "--output" in values else root / "output"
    return root, output


def take(output: Path) -> Begun | None:
    """The walk `entry` began for this output folder, for the build to read; any other is ended."""
    found = None
    while _BEGUN:
        begun = _BEGUN.pop()
        if found is None and begun.output == output.absolute():
            found = begun
        else:
            begun.abandon()
    return found


def _abandon_all() -> None:
    while _BEGUN:
        _BEGUN.pop().abandon()
