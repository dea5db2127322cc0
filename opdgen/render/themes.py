"""Theme lookup (repository theme over the bundled one), Jinja set-up, labels and static assets.

Templates are read through fsguard; Jinja runs with autoescape and StrictUndefined.
It renders nothing itself and writes nothing.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Callable, Mapping, MutableMapping
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from opdgen.fsguard import Refused, Repo
from opdgen.problems import Problems
from opdgen.records import record
from opdgen.render import filters
from opdgen.yamlload import YamlError, YMap, YScalar, parse_yaml

BUNDLED = "default"
TEMPLATES = "templates"
STATIC = "static"
LABELS = "labels.yaml"


def bundled_theme_dir() -> Path:
    """The default theme shipped in the wheel, or beside the package in a source checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "themes" / BUNDLED, here.parent / "themes" / BUNDLED):
        if (candidate / TEMPLATES).is_dir():
            return candidate
    raise FileNotFoundError("the bundled default theme is missing from this installation")


@record
class Asset:
    source: str  # path inside static/, e.g. "css/site.css"
    published: str  # path under the web root, e.g. "assets/css/site.3f2a1b9c0d.css"
    data: bytes


@record
class Theme:
    name: str
    dirs: tuple[Path, ...]  # the repository's theme first, the bundled one last
    labels: Mapping[str, Mapping[str, str]]  # key -> lang -> text
    assets: Mapping[str, Asset]  # by source path
    hash: str  # of every template, label and asset: part of cache keys


class _ThemeLoader(jinja2.BaseLoader):
    """Finds a template in the theme dirs; `default/x.html` always means the bundled one."""

    def __init__(self, repo: Repo, dirs: tuple[Path, ...], bundled: Path) -> None:
        self.repo = repo
        self.dirs = dirs
        self.bundled = bundled

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        name = template
        dirs = self.dirs
        if template.startswith(BUNDLED + "/"):
            name, dirs = template[len(BUNDLED) + 1 :], (self.bundled,)
        for base in dirs:
            path = base / TEMPLATES / name
            if path.is_file():
                return self._read(path), str(path), lambda: True
        raise jinja2.TemplateNotFound(template)

    def _read(self, path: Path) -> str:
        if path.resolve().is_relative_to(self.bundled.resolve()):
            return path.read_text(encoding="utf-8")
        return self.repo.read_text(path)

    def list_templates(self) -> list[str]:
        names: set[str] = set()
        for base in self.dirs:
            folder = base / TEMPLATES
            names.update(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))
        return sorted(names)


def load_theme(repo: Repo, name: str, problems: Problems) -> Theme | None:
    """Find the theme, read its labels and static files; None (with problems) when unusable."""
    bundled = bundled_theme_dir()
    own = repo.root / "themes" / name
    if own.is_dir():
        dirs: tuple[Path, ...] = (own, bundled) if own.resolve() != bundled else (bundled,)
    elif name == BUNDLED:
        dirs = (bundled,)
    else:
        problems.add("opdgen.yaml", None, "theme.missing", theme=name)
        return None
    if own.is_dir() and own.resolve() != bundled:
        _scan_theme(repo, own, problems)
    digest = hashlib.sha256()
    labels: dict[str, dict[str, str]] = {}
    for base in reversed(dirs):  # later dirs override earlier: the repository's theme wins
        labels.update(_read_labels(repo, base, bundled, problems))
    assets: dict[str, Asset] = {}
    for base in reversed(dirs):
        assets.update(_read_assets(repo, base, bundled, problems))
    for base in dirs:
        for path in sorted((base / TEMPLATES).rglob("*")) if (base / TEMPLATES).is_dir() else ():
            if path.is_file():
                digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    for key in sorted(labels):
        digest.update(repr((key, sorted(labels[key].items()))).encode())
    for asset in sorted(assets.values(), key=lambda a: a.source):
        digest.update(asset.published.encode())
    return Theme(name=name, dirs=dirs, labels=labels, assets=assets, hash=digest.hexdigest())


def _scan_theme(repo: Repo, folder: Path, problems: Problems) -> None:
    """A repository theme holds templates and static files only: no server-side files, dotfiles
    or links leaving the repository."""
    for item in repo.walk(folder):
        try:
            if isinstance(item, Refused):
                raise item
            repo.check_name(item)
        except Refused as refused:
            problems.add(refused.path, None, refused.code, detail=refused.detail)


def _read_labels(repo: Repo, base: Path, bundled: Path, problems: Problems) -> dict[str, dict[str, str]]:
    path = base / LABELS
    if not path.is_file():
        return {}
    try:
        text = path.read_text("utf-8") if base == bundled else repo.read_text(path)
        node = parse_yaml(text)
    except Refused as refused:
        problems.add(refused.path, None, refused.code, detail=refused.detail)
        return {}
    except YamlError as exc:
        problems.add(_display(repo, path), exc.line, exc.code, detail=exc.detail)
        return {}
    out: dict[str, dict[str, str]] = {}
    if isinstance(node, YMap):
        for key, value in node.entries:
            if isinstance(value, YMap):
                out[key.text] = {
                    k.text: v.text for k, v in value.entries if isinstance(v, YScalar)
                }
    return out


def _read_assets(repo: Repo, base: Path, bundled: Path, problems: Problems) -> dict[str, Asset]:
    folder = base / STATIC
    if not folder.is_dir():
        return {}
    out: dict[str, Asset] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        source = path.relative_to(folder).as_posix()
        try:
            if base != bundled:
                repo.check_name(path)
                repo.confine(path)
            data = path.read_bytes()
        except Refused as refused:
            problems.add(refused.path, None, refused.code, detail=refused.detail)
            continue
        out[source] = Asset(source, fingerprinted("assets/" + source, data), data)
    return out


def fingerprinted(path: str, data: bytes) -> str:
    """`assets/css/site.css` -> `assets/css/site.3f2a1b9c0d.css` (DESIGN: fingerprinted assets)."""
    pure = PurePosixPath(path)
    digest = hashlib.sha256(data).hexdigest()[:10]
    return str(pure.with_name(f"{pure.stem}.{digest}{pure.suffix}"))


def _display(repo: Repo, path: Path) -> PurePosixPath:
    try:
        return repo.rel(path)
    except ValueError:
        return PurePosixPath("themes") / path.relative_to(path.parents[1]).as_posix()


_ENVIRONMENTS: dict[tuple[str, tuple[str, ...], str, str], jinja2.Environment] = {}


def make_environment(repo: Repo, theme: Theme, lang: str) -> jinja2.Environment:
    """The one Jinja environment of a build: autoescape, StrictUndefined, no template in content.

    Kept in memory for the next build of the same theme files in this process (`serve` rebuilds
    on every save: compiling the templates again would be a third of its time), and its compiled
    templates in the user's own cache folder (`_bytecode_cache`), never in .opdgen-cache/."""
    key = (str(repo.root), tuple(str(d) for d in theme.dirs), theme.hash, lang)
    known = _ENVIRONMENTS.get(key)
    if known is not None:
        return known
    if len(_ENVIRONMENTS) >= 4:
        _ENVIRONMENTS.clear()
    env = _ENVIRONMENTS[key] = _new_environment(repo, theme, lang)
    return env


class _Environment(jinja2.Environment):
    """Jinja's environment, with each template's globals a plain dict instead of a ChainMap over the
    environment's: Jinja reads them on every render and every {% import %} (copying the map, and
    checking each name in it from Python), about a tenth of a page's time. Nothing changes the
    environment's globals once a template is loaded (_new_environment sets them first)."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def _new_environment(repo: Repo, theme: Theme, lang: str) -> jinja2.Environment:
    env = _Environment(
        loader=_ThemeLoader(repo, theme.dirs, bundled_theme_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=_bytecode_cache(),
    )

    def label(key: str) -> str:
        entry = theme.labels.get(key)
        if entry is None:
            raise jinja2.UndefinedError(f"label {key!r} is not in labels.yaml")
        return entry.get(lang) or entry.get("id") or next(iter(entry.values()), key)

    icons: dict[tuple[str, str], Any] = {}

    def icon(name: str, cls: str = "") -> Any:
        """The theme's icon macro (`_icons.html`), each drawing made once: a macro imported without
        context sees only its arguments, and every page draws a dozen (a tenth of a page's time)."""
        drawn = icons.get((name, cls))
        if drawn is None:
            drawn = icons[name, cls] = env.get_template("_icons.html").module.icon(name, cls)  # type: ignore[attr-defined]
        return drawn

    env.globals["label"] = label
    env.globals["lang"] = lang
    env.globals["icon"] = icon
    env.filters["tanggal"] = lambda v: filters.tanggal(v, lang)
    env.filters["tanggal_jam"] = lambda v: filters.tanggal_jam(v, lang)
    env.filters["iso"] = filters.iso
    urlencode = env.filters["urlencode"]
    quoted: dict[str, str] = {}

    def remembered_urlencode(value: Any) -> str:
        """Jinja's urlencode, each text quoted once (a post's page quotes its address three times
        for the share links, and Python quotes a URL byte by byte)."""
        if type(value) is not str:
            return str(urlencode(value))
        done = quoted.get(value)
        if done is None:
            if len(quoted) > 4096:
                quoted.clear()
            done = quoted[value] = urlencode(value)
        return done

    env.filters["urlencode"] = remembered_urlencode
    return env


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates on disk, each keyed by its name and file (Jinja checks the
    source's digest itself) and by how this module compiles it: the code here that sets up the
    environment, Jinja's and Python's versions."""

    def __init__(self, directory: str, salt: str) -> None:
        super().__init__(directory)
        self.salt = salt

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha256(f"{self.salt}|{name}|{filename or ''}".encode()).hexdigest()


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between builds on this machine (after one edit, compiling the dozen
    templates a post's page uses was a tenth of a second): in the user's cache folder
    ($XDG_CACHE_HOME or ~/.cache, opdgen/templates), which must be a real folder of theirs that
    nobody else can write to. Never in CI (CI=true), whose caches can be restored from other
    branches' runs, and never in .opdgen-cache/: compiled code is run, so it is kept only where
    only the user can put it. None: templates are compiled in memory."""
    if os.environ.get("CI", "").lower() not in ("", "0", "false") or not hasattr(os, "getuid"):
        return None  # (CI=true on GitHub and GitLab, CI=1 on some others)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    parent = os.path.join(base, "opdgen")
    folder = os.path.join(parent, "templates")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        found = [os.lstat(parent), os.lstat(folder)]
    except OSError:
        return None
    for info in found:  # (nobody else may replace the folder either)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
            return None
    if found[1].st_mode & 0o077:
        return None
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    return _BytecodeCache(folder, f"{code}|{jinja2.__version__}|{sys.version}")


def template_problem(exc: BaseException) -> tuple[str, int | None, str]:
    """(template path, line, detail) of a Jinja error, from its traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.filename or exc.name or "?", exc.lineno, exc.message or str(exc)
    tb = exc.__traceback__
    where: tuple[str, int | None] = ("?", None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html"):
            where = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return where[0], where[1], str(exc)

