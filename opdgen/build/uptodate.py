"""Is output/ already the build of exactly these inputs? Then `opdgen build` has nothing to do.

Like make and ninja, the check trusts file identities, not contents: every input file's path, size,
modification and change time (ns) and inode. Copying a file with its mtime kept still changes its
ctime, and a git checkout changes both, so a changed input always means a full build; a false "up to
date" would need a file rewritten with the same size and both times forged.

The stamp is written after a clean build (no errors, no warnings) into the cache folder
(.opdgen-cache/stamps/<digest of the output folder's path>.json), never into output/ (which must be
the same bytes on every machine), and records:
- `inputs`: one digest over the identities of opdgen.yaml, content/, themes/, opdgen's own code
  and bundled theme, the build options, SOURCE_DATE_EPOCH, and git's HEAD and refs;
- `built_at` / `valid_until`: the output also depends on the clock (a scheduled post comes out, an
  event moves to the past list at midnight), so the stamp is good only from the build's "now" up to
  the next midnight in the region's zone or the next scheduled post, whichever comes first;
- `outputs`: a digest over the identities of every file in output/, so a file deleted or altered
  there since (by hand, by a deploy tool) means a full build that repairs it;
- the summary figures, so an up-to-date build still says what output/ holds.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import field
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

import opdgen
from opdgen import versions
from opdgen.build import walk
from opdgen.build.walk import Identity, Known, files_digest
from opdgen.config import CONFIG_FILE, load_region_config
from opdgen.fsguard import Repo
from opdgen.launch import WALK_APART as WALK_APART
from opdgen.launch import Begun, walk_blob
from opdgen.launch import stamp_path as stamp_path
from opdgen.problems import Problems
from opdgen.records import record
from opdgen.render.themes import bundled_theme_dir
from opdgen.spawner import Spawner

if TYPE_CHECKING:
    from opdgen.build.pipeline import BuildOptions
    from opdgen.content.model import Region

FORMAT = 6  # 5: released; 6: outputs digest made of web roots' (walk.files_digest)
DEPENDENCIES = ("jinja2", "markdown", "nh3", "pillow", "pyyaml", "pagefind-bin", "markupsafe")
_PACKAGE = Path(opdgen.__file__).resolve().parent


@record
class Stamp:
    inputs: str
    context: str  # Inputs.context: all inputs but the Markdown files of content/
    outputs: str
    built_at: datetime
    valid_until: datetime
    sites: int
    pages: int
    files: int
    # files and pages by web root (pages.json's: opdgen.outputs.files.state_root), so that a build
    # that carries a web root over whole still counts what it holds
    roots: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    # the release date its serving files were made for (serving.release_date), so that a build that
    # carries a web root over whole knows its security.txt still says what it would say now
    released: str = ""


@record
class Inputs:
    """What a build reads, by identity: `context` is everything but the Markdown files of content/,
    which are in `markdown` one by one (so the next build can tell which posts alone changed)."""

    context: str
    markdown: Mapping[str, str]  # repository path -> identity
    # made from the two above when not given (once: a build asks for it four times, 5 ms each)
    digest: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.digest:
            h = hashlib.sha256(self.context.encode())
            h.update("".join(f"{rel}\0{self.markdown[rel]}\n" for rel in sorted(self.markdown)).encode())
            object.__setattr__(self, "digest", h.hexdigest())


def input_digest(options: BuildOptions) -> Inputs | None:
    """The identities of everything a build reads (None: cannot tell, build in full)."""
    root = options.root
    problems = Problems()
    config = load_region_config(Repo(root), problems)
    if config is None or problems.has_errors:
        return None
    h = hashlib.sha256()
    h.update(json.dumps([FORMAT, opdgen.__version__, options.include_drafts, sorted(options.sites),
                         options.with_portal, options.preview_url, os.environ.get("SOURCE_DATE_EPOCH", ""),
                         _dependency_versions()]).encode())
    markdown: dict[str, str] = {}
    try:
        _identities(h, root, [root / CONFIG_FILE, root / "content", root / "themes"], markdown)
        # opdgen's code, and its bundled theme (inside the package in a wheel, beside it in a checkout)
        _identities(h, _PACKAGE, [_PACKAGE, bundled_theme_dir()])
        # git: security.txt's Expires follows the HEAD commit's date, and the published report reads
        # history; any new commit counts (a worktree's .git is a file pointing elsewhere: no fast path)
        git = root / ".git"
        if git.is_file():
            return None
        _identities(h, root, [git / "HEAD", git / "packed-refs", git / "refs"])
    except (walk.Linked, OSError):
        return None
    return Inputs(h.hexdigest(), markdown)


def _dependency_versions() -> list[str]:
    """The libraries whose upgrade can change the output bytes."""
    found = []
    for name in DEPENDENCIES:
        found.append(f"{name}={versions.version(name) or '-'}")
    return found


def output_files(output: Path) -> dict[str, os.stat_result] | None:
    """Every file in output/ by relative path, with its identity; None when output/ is missing or
    holds a symbolic link."""
    return walk.output_files(str(output))


def output_digest(output: Path) -> str:
    """The digest of the identities of every file in output/."""
    files = output_files(output)
    return "" if files is None else files_digest(files)  # "": never equal to a recorded digest


def valid_until(region: Region) -> datetime:
    """The first moment the clock alone would change the output."""
    return boundary(region.now, region.config.timezone, region.next_release)


def boundary(now: datetime, zone: tzinfo, release: datetime | None) -> datetime:
    """The first moment after now at which the clock alone changes what is published: the next
    midnight in the region's zone, or an earlier scheduled post."""
    local = now.astimezone(zone)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return release if release is not None and release < midnight else midnight


def read_stamp(path: Path) -> Stamp | None:
    try:
        raw = json.loads(path.read_text("utf-8"))
        if raw.get("format") != FORMAT:
            return None
        roots = {str(root): (int(files), int(pages)) for root, (files, pages) in raw["roots"].items()}
        return Stamp(str(raw["inputs"]), str(raw["context"]), str(raw["outputs"]),
                     datetime.fromisoformat(raw["built_at"]),
                     datetime.fromisoformat(raw["valid_until"]), int(raw["sites"]), int(raw["pages"]),
                     int(raw["files"]), roots, str(raw["released"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


@record
class Verdict:
    fresh: Stamp | None  # output/ is exactly what a build now would write
    intact: bool  # output/ is as the last clean build left it: its files can be reused unread
    previous: Stamp | None = None  # the last clean build's stamp, fresh or not
    files: Mapping[str, Identity] | None = None  # output/'s files when intact (opdgen.build.writer)


def judge(options: BuildOptions, output: Path, stamp_file: Path, inputs: Inputs | None,
          walking: OutputWalk | None = None) -> Verdict:
    """`walking`: output/'s walk, started earlier (else output/ is walked now)."""
    stamp = read_stamp(stamp_file)
    if stamp is None:
        return Verdict(None, False)
    files: Mapping[str, Identity] | None = None
    digest = walking.digest() if walking is not None else None
    if walking is None or digest is None:  # no walk started, or it failed: walk here
        files = output_files(output)
        digest = "" if files is None else files_digest(files)
    intact = digest != "" and digest == stamp.outputs
    fresh = intact and inputs is not None and stamp.inputs == inputs.digest \
        and stamp.built_at <= options.now < stamp.valid_until
    if fresh or not intact:
        return Verdict(stamp if fresh else None, intact, stamp)
    if files is None and walking is not None:
        files = walking.files()  # None when its file could not be read: output/ counts as altered
    return Verdict(None, files is not None, stamp, files)


class OutputWalk:
    """output/'s walk in the spawner's helper process (opdgen.build.walk), started when made and read
    when the build judges its output, so that the build's own process makes the inputs' digest
    meanwhile and, when they changed, loads the kept sites (started by the command before opdgen
    is imported, opdgen.launch, or else before that digest: a no-change build at 10,000 posts waits
    0.49 s in all for it, against 0.65 s when it walked output/ itself). Worth a process only for a
    big output (`wanted`). A context manager: on leaving, the helper ends and its file is removed."""

    def __init__(self, output: Path, begun: Begun | None = None) -> None:
        """`begun`: this walk, started by the command before opdgen was imported (opdgen.launch)."""
        self._blob = begun.blob if begun is not None else walk_blob()
        self._digest: str | None = None
        self._files: Mapping[str, Known] | None = None
        self._spawner: Spawner | None = None
        self._answer: Future[dict[str, Any]] | None = None
        if begun is not None:
            self._spawner, self._answer = begun.spawner, begun.answer
            return
        try:
            self._spawner = Spawner()
            self._answer = self._spawner.walk(output, self._blob)
        except OSError:  # no helper: the build walks output/ itself
            self._answer = None

    @staticmethod
    def wanted(stamp: Stamp) -> bool:
        """Whether the last clean build (its stamp) left an output big enough for a walk apart."""
        return stamp.files > WALK_APART

    def digest(self) -> str | None:
        """files_digest of output/'s files, "" when it is missing or holds a link; None when the
        walk failed."""
        if self._answer is not None and self._digest is None:
            answer = self._answer.result()
            if self._spawner is not None:
                self._spawner.ask_no_more()  # (its one walk answered: it ends meanwhile)
            if "error" not in answer and isinstance(answer.get("digest"), str):
                self._digest = answer["digest"]
            self._answer = None
        return self._digest

    def files(self) -> Mapping[str, Known] | None:
        """output/'s files with their identities (only after digest() says the walk succeeded)."""
        if self._files is None and self._digest:
            try:
                self._files = walk.read_walk(str(self._blob), self._digest)
            except (OSError, ValueError):
                self._files = None
        return self._files

    def __enter__(self) -> OutputWalk:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._spawner is not None:
            self._spawner.close()
        with contextlib.suppress(OSError):
            self._blob.unlink(missing_ok=True)


def write_stamp(stamp_file: Path, output: Path, inputs: Inputs, region: Region, sites: int, pages: int,
                files: int, outputs: str | None = None,
                roots: Mapping[str, tuple[int, int]] | None = None, released: datetime | None = None,
                ) -> None:
    """Record a clean build's inputs, after the swap. The old stamp goes before the build writes
    anything (remove_stamp), so a build killed half-way leaves none and the next build is full.
    `roots`: files and pages by web root (Stamp.roots); `released`: Stamp.released."""
    data = {"format": FORMAT, "inputs": inputs.digest, "context": inputs.context,
            "built_at": region.now.isoformat(),
            "valid_until": valid_until(region).isoformat(), "sites": sites, "pages": pages,
            "files": files, "outputs": outputs or output_digest(output),  # outputs: known from the writer
            "roots": {root: list(counts) for root, counts in sorted((roots or {}).items())},
            "released": released.isoformat() if released is not None else ""}
    try:  # without a stamp the next build is simply a full one
        stamp_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = stamp_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(temporary, stamp_file)
    except OSError:
        pass


def remove_stamp(stamp_file: Path) -> None:
    with contextlib.suppress(OSError):
        stamp_file.unlink(missing_ok=True)


def _identities(h: hashlib._Hash, base: Path, paths: list[Path],
                markdown: dict[str, str] | None = None) -> None:
    """Feed h with (relative path, size, mtime, ctime, inode, kind) of every file below paths, in a
    fixed order; a missing path counts too (its absence is part of the state). With `markdown`, the
    identities of content/**/*.md go there instead of into h. Folders do not count: an editor's swap
    file that came and went changes its folder's times, not the output."""
    for top in paths:
        if not os.path.lexists(top):
            h.update(f"-{_rel(top, base)}\n".encode())
            continue
        rows: list[str] = []
        rel = _rel(top, base)
        info = os.lstat(top)
        if stat.S_ISDIR(info.st_mode):
            found: dict[str, os.stat_result] = {}
            walk.stats(str(top), rel + "/", found, code=True)
            rows += [walk.row(name, identity) for name, identity in found.items()]
        elif stat.S_ISLNK(info.st_mode):
            raise walk.Linked(top)
        else:
            rows.append(walk.row(rel, info))
        rows.sort()
        if markdown is not None and rel == "content":
            kept = []
            for row in rows:
                name, _, identity = row.partition("\0")
                if name.endswith(".md"):
                    markdown[name] = identity.rstrip("\n")
                else:
                    kept.append(row)
            rows = kept
        h.update("".join(rows).encode())


def _rel(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()
