"""OutputFile values and the page renderer shared by the site and portal outputs; no writing here."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
from markupsafe import Markup

from opdgen.build.walk import Identity
from opdgen.problems import Problem, ProblemError
from opdgen.records import record
from opdgen.render.context import (
    CardView,
    Crumb,
    HeaderPage,
    MenuItem,
    MenuItems,
    PageMeta,
    RegionView,
    SiteView,
    Urls,
    brand_css,
)
from opdgen.render.structured import structured_data
from opdgen.render.themes import Theme, template_problem


@record
class OutputFile:
    """One file of the output: where (relative to output/), its bytes, and what it was made from."""

    path: PurePosixPath  # e.g. dinkes/berita/x/index.html
    data: bytes  # empty when `reused`
    deps: frozenset[str] = field(default_factory=frozenset)  # repository paths and template names
    is_page: bool = False  # an HTML page a reader can visit (counted in the summary)
    key: str = ""  # digest of everything the file was made from (pages), for the next build
    digest: str = ""  # SHA-256 of the bytes, when known without hashing `data`
    reused: bool = False  # the previous output holds exactly these bytes: link it, don't render
    search_doc: bytes = b""  # a page's text for the search index, made from its content, not its HTML
    # bytes kept out of memory (social previews: read from the image cache when written); with it,
    # `data` is empty and `digest` set
    load: Callable[[], bytes] | None = field(default=None, repr=False, compare=False)
    # a file holding exactly these bytes (checked against `digest`), linked instead of copied
    source: Callable[[], Path | None] | None = field(default=None, repr=False, compare=False)

    def content(self) -> bytes:
        """The file's bytes (loaded now when they were kept out of memory)."""
        return self.load() if self.load is not None and not self.data else self.data

    def sha256(self) -> str:
        return self.digest or hashlib.sha256(self.content()).hexdigest()


def sri(data: bytes) -> str:
    """`sha384-...`: the integrity attribute value of a file's bytes."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def page_file(root: str, rel: str) -> PurePosixPath:
    """`berita/x/` -> `<root>/berita/x/index.html`; a rel ending in .html is kept as it is."""
    if rel.endswith(".html"):
        return PurePosixPath(root, rel)
    return PurePosixPath(root, rel, "index.html")  # (one path made, not three)


SERVER_DIR = ".opdgen"  # output/.opdgen/<web root>/: files for the server, never published
STATE_NAME = "pages.json"
SERVING = "serving:"  # a dep of the files each build adds to every web root (opdgen.build.serving)
STATE_FORMAT = 5


def state_root(path: str) -> str:
    """The web root whose pages.json lists the output file at `path`: its top folder, or for a
    server file (.opdgen/<root>/nginx.conf) the root it serves."""
    top, _, rest = path.partition("/")
    if top == SERVER_DIR and "/" in rest:
        return rest.partition("/")[0]
    return top


def state_path(root: str) -> PurePosixPath:
    """Where the pages.json of web root `root` lives: .opdgen/<root>/pages.json."""
    return PurePosixPath(SERVER_DIR) / root / STATE_NAME


@dataclass(slots=True)
class RootState:
    """What one web root's pages.json says of the previous build's files (PageReuse)."""

    previous: dict[str, tuple[str, str]] = field(default_factory=dict)  # keyed files: key, digest
    # every file: digest, key ("" when unkeyed), deps, is a page
    every: dict[str, tuple[str, str, frozenset[str], bool]] = field(default_factory=dict)
    # the file's sorted sources and each set of deps as numbers into them: a build that shows the same
    # sources numbers the sets it reused without sorting them again
    sources: list[str] = field(default_factory=list)
    numbers: dict[frozenset[str], list[int]] = field(default_factory=dict)

    @classmethod
    def read(cls, data: bytes | str) -> RootState:
        """A pages.json's state; empty when it is not one this version writes."""
        try:
            raw = json.loads(data)
            if raw.get("format") != STATE_FORMAT:
                raise ValueError(raw.get("format"))
            sources = [str(d) for d in raw["sources"]]
            # one frozenset for all the files made from the same sources (a number that is not one
            # raises: list indices are ints)
            source = sources.__getitem__
            sets = [frozenset(map(source, numbers)) for numbers in raw["sets"]]
            state = cls(sources=sources)
            state.numbers = {made_of: sorted(numbers)
                             for made_of, numbers in zip(sets, raw["sets"], strict=True)}
            previous, every = state.previous, state.every
            for path, (digest, key, number, is_page) in raw["files"].items():
                if type(path) is not str or type(digest) is not str or type(key) is not str:
                    raise TypeError(path)
                every[path] = (digest, key, sets[number], is_page == 1)
                if key:
                    previous[path] = (key, digest)
            return state
        except (ValueError, KeyError, TypeError, IndexError):
            return cls()


class _ByPath(Mapping[str, Any]):
    """A field of every web root's RootState as a single mapping by output path (the web roots'
    states are read as a path of theirs is asked for; iterating reads them all)."""

    def __init__(self, reuse: PageReuse, name: str) -> None:
        self._reuse, self._name = reuse, name

    def _of(self, path: str) -> dict[str, Any]:
        return getattr(self._reuse.state(state_root(path)), self._name)  # type: ignore[no-any-return]

    def __getitem__(self, path: str) -> Any:
        return self._of(path)[path]

    def get(self, path: str, default: Any = None) -> Any:
        return self._of(path).get(path, default)

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and path in self._of(path)

    def __iter__(self) -> Iterator[str]:
        for root in self._reuse.roots():
            yield from getattr(self._reuse.state(root), self._name)

    def __len__(self) -> int:
        return sum(len(getattr(self._reuse.state(root), self._name)) for root in self._reuse.roots())


class PageReuse:
    """What the previous build made (page key and digest by path), and the output holding it: one
    pages.json per web root (.opdgen/<root>/pages.json), each read when the build first asks for
    one of its files, so that after an edit the agencies carried over whole are never read.

    A page whose key is unchanged and whose file is still there is not rendered again: the writer
    links the old file. The key covers the template set, the page's variables and every post shown.
    """

    def __init__(self, output_dir: Path | None, previous: Mapping[str, tuple[str, str]] | None = None,
                 verify: bool = True) -> None:
        """`previous`: the previous build's keyed files, given (else read from output_dir)."""
        self.output_dir = output_dir
        self.verify = verify  # read and hash a file before reusing it (unless output/ is known intact)
        # the sources changed since the previous build when nothing else changed and output/ is
        # intact (opdgen.build.changes): a page whose deps, then and now, miss all of them is reused
        # without computing its key. None: every page is judged by its key.
        self.trusted: frozenset[str] | None = None
        self.reused = 0
        self.rendered = 0
        self.files: Mapping[str, Identity] | None = None  # output_dir's files, when known (load)
        # output_dir taken as the previous build left it while a walk of it confirms that (load)
        self.assumed = False
        self._states: dict[str, RootState] = {}
        self._lock = threading.Lock()
        self._roots: list[str] | None = None
        if previous is not None:  # given: nothing is read
            for path, entry in previous.items():
                self.state_of(path).previous[path] = entry
            self._roots = sorted(self._states)
        self.previous: Mapping[str, tuple[str, str]] = _ByPath(self, "previous")

    @classmethod
    def load(cls, output_dir: Path, verify: bool = True, files: Mapping[str, Identity] | None = None,
             roots: Iterable[str] | None = None, assumed: bool = False) -> PageReuse:
        """`files`: every file of output_dir by relative path with its identity (lstat), when the
        build has just walked it: a page is then looked up there, not on disk. `roots`: the web
        roots whose pages.json to read now (None: all); any other is read when it is asked for.
        `assumed`: output_dir is taken as the previous build left it, every file its pages.json
        lists there, while a walk confirms it before anything is swapped in (else the build's work
        is dropped): a file is not looked for on disk either."""
        reuse = cls(output_dir, verify=verify)
        reuse.files = files
        reuse.assumed = assumed and files is None and not verify
        for root in reuse.roots() if roots is None else sorted(roots):
            reuse.state(root)
        return reuse

    def roots(self) -> list[str]:
        """The web roots of the previous output that have a pages.json."""
        if self._roots is None:
            found = []
            if self.output_dir is not None:
                try:
                    with os.scandir(self.output_dir / SERVER_DIR) as entries:
                        found = [e.name for e in entries if e.is_dir(follow_symlinks=False)
                                 and os.path.isfile(f"{e.path}/{STATE_NAME}")]
                except OSError:
                    found = []
            self._roots = sorted(found)
        return self._roots

    def state(self, root: str) -> RootState:
        """The previous build's files of one web root (read once, by whichever thread asks first)."""
        known = self._states.get(root)
        if known is not None:
            return known
        with self._lock:
            known = self._states.get(root)
            if known is None:
                known = RootState()
                if self.output_dir is not None and (self._roots is None or root in self._roots):
                    with contextlib.suppress(OSError):
                        known = RootState.read((self.output_dir / state_path(root)).read_bytes())
                self._states[root] = known
            return known

    def state_of(self, path: str) -> RootState:
        return self.state(state_root(path))

    def carry(self, root: str) -> list[OutputFile]:
        """Every file the previous build wrote below `root`, reused as it is (its digest, key and
        deps as recorded): a web root none of whose inputs changed (opdgen.build.changes)."""
        top, _, below = root.partition("/")
        prefix = f"{below}/" if below else ""
        head, start = f"{top}/", len(top) + 1  # (its pages.json lists its server files too)
        return [OutputFile(PurePosixPath(path), b"", made_of, is_page, key, digest, reused=True)
                for path, (digest, key, made_of, is_page) in self.state(top).every.items()
                if path.startswith(head) and path.startswith(prefix, start) and SERVING not in made_of]

    def recorded(self, rel: str) -> str | None:
        """The digest the previous build recorded for the file at rel (None: it made none there)."""
        entry = self.state_of(rel).every.get(rel)
        return entry[0] if entry is not None else None

    def trust(self, path: PurePosixPath, deps: frozenset[str]) -> OutputFile | None:
        """The previous page at `path`, reused unread and unkeyed, when the build trusts deps
        (self.trusted is set) and the page showed none of the changed sources then and shows none now."""
        if self.trusted is None:
            return None
        rel = str(path)
        state = self.state_of(rel)
        old, entry = state.previous.get(rel), state.every.get(rel)
        if old is None or entry is None or not entry[2].isdisjoint(self.trusted) \
                or not deps.isdisjoint(self.trusted):
            return None
        self.reused += 1
        return OutputFile(path, b"", deps, is_page=True, key=old[0], digest=old[1], reused=True)

    def lookup(self, path: PurePosixPath, key: str) -> str | None:
        """The digest of the previous file at `path` when it was made from the same inputs."""
        rel = str(path)
        old = self.state_of(rel).previous.get(rel)
        if old is None or old[0] != key or self.output_dir is None:
            return None
        file = self.output_dir / path
        if self.files is not None:  # walked a moment ago (no stat per file)
            known = self.files.get(rel)
            if known is None or not stat.S_ISREG(known.st_mode):
                return None
        elif not self.assumed and (not file.is_file() or file.is_symlink()):
            return None
        if self.verify:
            try:
                if hashlib.sha256(file.read_bytes()).hexdigest() != old[1]:
                    return None  # altered in output/ since: render it again
            except OSError:
                return None
        return old[1]


def state_files(files: Iterable[OutputFile], previous: PageReuse | None = None) -> list[OutputFile]:
    """Each web root's pages.json: digest, key, deps and kind of its files (StateFile, in one go)."""
    state = StateFile(previous)
    state.add(files)
    return state.files()


class StateFile:
    """pages.json of each web root (.opdgen/<root>/pages.json, with its server files' entries too):
    digest, key, deps and kind of every file, for the next build's PageReuse (the deps as the place
    of a set of sources in one list, and each set as numbers into one sorted list of sources: a
    source is shown on many pages, a set is shared by many files).

    Made while the build goes: each file's entry is written out as it is added (the build adds them
    while Pagefind finishes), and `files` only sorts them, numbers the sets and joins the text, which
    is exactly json.dumps of the whole (compact separators). `previous`, the PageReuse this build
    loaded: when a root's sources are the same, a set of deps it read is numbered as it was."""

    def __init__(self, previous: PageReuse | None = None) -> None:
        self.previous = previous
        # by web root: path, then the entry's JSON before and after its number of deps, and the deps
        self._entries: dict[str, list[tuple[str, str, str, frozenset[str]]]] = {}

    def add(self, files: Iterable[OutputFile]) -> None:
        quote = json.encoder.encode_basestring_ascii  # json.dumps of a str, without its call overhead
        entries = self._entries
        for f in files:
            rel = str(f.path)
            root = state_root(rel)
            listed = entries.get(root)
            if listed is None:
                listed = entries[root] = []
            listed.append((rel, f'{quote(rel)}:[{quote(f.sha256())},{quote(f.key)},', f",{int(f.is_page)}]",
                           f.deps))

    def files(self) -> list[OutputFile]:
        """One pages.json for each web root that any file was added for (and not made by `file`)."""
        return [self._file(root, self._entries[root]) for root in sorted(self._entries)]

    def file(self, root: str) -> OutputFile:
        """The pages.json of one web root, all of whose files were added (the build makes it while
        Pagefind goes on with others); `files` then leaves it out. A file added for it later would
        make a second pages.json at the same path, which the writer refuses."""
        return self._file(root, self._entries.pop(root, []))

    def _file(self, root: str, entries: list[tuple[str, str, str, frozenset[str]]]) -> OutputFile:
        entries.sort(key=lambda entry: entry[0])
        distinct = {entry[3]: None for entry in entries}
        sources = sorted(set().union(*distinct))
        number = {d: i for i, d in enumerate(sources)}
        before = self.previous.state(root) if self.previous is not None else None
        # many files share one set of deps
        numbers = dict(before.numbers) if before is not None and before.sources == sources else {}
        sets: dict[frozenset[str], int] = {}  # each set of deps once, by its place in the file's list
        parts = []
        for _, head, tail, deps in entries:
            place = sets.get(deps)
            if place is None:
                place = sets[deps] = len(sets)
                if deps not in numbers:
                    numbers[deps] = sorted(number[d] for d in deps)
            parts.append(f"{head}{place}{tail}")
        head = json.dumps({"format": STATE_FORMAT, "sources": sources, "sets": [numbers[d] for d in sets]},
                          separators=(",", ":"))
        data = f'{head[:-1]},"files":{{{",".join(parts)}}}}}\n'
        return OutputFile(state_path(root), data.encode("utf-8"), frozenset({"state"}))


def _digest_of(value: object, memo: dict[int, tuple[object, str]]) -> str:
    """A stable digest of template variables (frozen views, tuples, dicts, scalars).

    Post and site views and menus are hashed once and remembered by identity; the memo keeps the
    object itself, so its id cannot be reused by another object while the memo lives.
    """
    if isinstance(value, (str, int, float, bool)) or value is None:
        return repr(value)
    if isinstance(value, MenuItems):  # (a section's pages share one)
        return _remembered(value, memo)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_digest_of(v, memo) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k!r}:{_digest_of(v, memo)}" for k, v in sorted(value.items())) + "}"
    if not isinstance(value, (CardView, SiteView)):
        fields = getattr(value, "__dataclass_fields__", None)
        if fields is not None:  # small views (page, menu, crumbs, pagination): field by field
            inner = ",".join(_digest_of(getattr(value, name), memo) for name in fields)
            return f"{type(value).__name__}({inner})"
        return repr(value)
    return _remembered(value, memo)


def _remembered(value: object, memo: dict[int, tuple[object, str]]) -> str:
    known = memo.get(id(value))
    if known is None or known[0] is not value:
        known = (value, _view_digest(value, memo) if isinstance(value, CardView)
                 else hashlib.sha256(repr(value).encode("utf-8")).hexdigest())
        memo[id(value)] = known
    return known[1]


def _view_digest(view: CardView, memo: dict[int, tuple[object, str]]) -> str:
    """A post's view or card's digest, field by field: its texts by their bytes (the repr of a body
    escapes every character: three quarters of the time), its site by the site's own digest."""
    digest = hashlib.sha256(type(view).__name__.encode())
    for name in view.__dataclass_fields__:
        value = getattr(view, name)
        kind = type(value)
        if kind is str or kind is Markup:  # (which of the two decides whether it is escaped)
            data = value.encode("utf-8", "surrogatepass")
            head = b"s" if kind is str else b"m"
        elif isinstance(value, SiteView):
            data, head = _remembered(value, memo).encode(), b"v"
        else:
            data, head = repr(value).encode("utf-8", "surrogatepass"), b"r"
        digest.update(b"%s:%s%d:" % (name.encode(), head, len(data)))
        digest.update(data)
    return digest.hexdigest()


@record
class PageRenderer:
    """Renders templates for one web root (an agency site or the portal)."""

    env: jinja2.Environment
    theme: Theme
    root: str  # the web root's folder under output/: the site slug or "portal"
    urls: Urls
    site: SiteView
    region: RegionView
    url_map: Mapping[str, str]  # named section URLs for `urls` in templates
    menu: Callable[[str], tuple[MenuItem, ...]]
    feed_rel: str = "feed.xml"
    reuse: PageReuse | None = None
    memo: dict[int, tuple[object, str]] = field(default_factory=dict)  # view digests, by id
    integrities: dict[str, str] = field(default_factory=dict)  # SRI values, by URL
    footers: list[Markup] = field(default_factory=list)  # the web root's footer, once rendered
    cards: dict[tuple[object, ...], tuple[object, Markup]] = field(default_factory=dict)  # post cards
    headers: dict[tuple[int, str], tuple[object, Markup]] = field(default_factory=dict)  # by menu and kind
    root_digest: list[str] = field(default_factory=list)  # of the site, region and urls, made once

    def footer(self) -> Markup:
        """`_footer.html`, rendered once for the web root (base.html: `{{ footer() }}`): it sees the
        web root's variables (site, region, urls, asset, integrity), not a page's, so it is the same
        on every page; rendering it for each took a twentieth of a page's time."""
        if not self.footers:
            context = {"site": self.site, "region": self.region, "urls": self.url_map, "asset": self.asset,
                       "integrity": self.integrity}
            self.footers.append(Markup(self.env.get_template("_footer.html").render(context)))
        return self.footers[0]

    def header(self, menu: tuple[MenuItem, ...], kind: str) -> Markup:
        """`_header.html`, rendered once per web root, menu and kind of page (base.html:
        `{{ header() }}`): it sees the web root's variables, the menu, and of the page only its
        kind (`page.kind`), so the pages of a section share it."""
        key = (id(menu), kind)
        known = self.headers.get(key)
        if known is None or known[0] is not menu:
            context = {"site": self.site, "region": self.region, "urls": self.url_map, "asset": self.asset,
                       "integrity": self.integrity, "menu": menu, "page": HeaderPage(kind)}
            known = self.headers[key] = (menu, Markup(self.env.get_template("_header.html").render(context)))
        return known[1]

    def post_card(self, post: CardView, level: int = 2, portal: bool = False, eager: bool = False) -> Markup:
        """The theme's `post_card` macro (`_post_card.html`), each card drawn once per web root: a
        post's card is on its listing, tag and home pages (a tenth of a listing page's time each)."""
        return self._card("post_card", post, level, portal, eager)

    def post_row(self, post: CardView) -> Markup:
        """The theme's `post_row` macro, each row drawn once per web root."""
        return self._card("post_row", post)

    def _card(self, macro: str, post: CardView, *args: object) -> Markup:
        # a macro sees its arguments and the environment's globals only (label, icon, filters), so
        # the same arguments draw the same card: kept by the post's identity (the entry holds it)
        key = (macro, id(post), *args)
        known = self.cards.get(key)
        if known is None or known[0] is not post:
            module = self.env.get_template("_post_card.html").module
            known = self.cards[key] = (post, Markup(getattr(module, macro)(post, *args)))
        return known[1]

    def asset(self, source: str) -> str:
        asset = self.theme.assets.get(source)
        if asset is None:
            raise jinja2.UndefinedError(f"asset {source!r} is not in the theme's static folder")
        return self.urls.path(asset.published)

    def integrity(self, url: str) -> str:
        """Subresource Integrity of a stylesheet or script this web root publishes, by its URL
        (hashed once per web root: every page asks for the same few)."""
        known = self.integrities.get(url)
        if known is not None:
            return known
        if url == self.site.colour_css_url:
            value = sri(brand_css(self.site.colour))
        else:
            found = (a for a in self.theme.assets.values() if self.urls.path(a.published) == url)
            asset = next(found, None)
            if asset is None:
                raise jinja2.UndefinedError(
                    f"integrity: {url!r} is not a theme asset or the brand stylesheet")
            value = sri(asset.data)
        self.integrities[url] = value
        return value

    def kept(self, rel: str, deps: Iterable[str], template: str) -> OutputFile | None:
        """The previous page at rel, when the build trusts deps and it shows no changed source
        (PageReuse.trust): a caller may ask before making the page's variables."""
        if self.reuse is None or self.reuse.trusted is None:
            return None
        return self.reuse.trust(page_file(self.root, rel), frozenset({*deps, f"template:{template}"}))

    def render(
        self,
        template: str,
        rel: str,
        *,
        title: str,
        description: str,
        kind: str,
        crumbs: Iterable[Crumb] = (),
        deps: Iterable[str] = (),
        noindex: bool = False,
        **variables: Any,
    ) -> OutputFile:
        path = page_file(self.root, rel)
        deps_set = frozenset({*deps, f"template:{template}"})
        trusted = self.reuse.trust(path, deps_set) if self.reuse is not None else None
        if trusted is not None:
            return trusted
        page = PageMeta(
            title=title,
            description=description,
            canonical=self.urls.abs(rel if not rel.endswith("index.html") else rel[:-10]),
            path=self.urls.path(rel),
            kind=kind,
            feed_url=self.urls.abs(self.feed_rel),
            noindex=noindex,
        )
        menu = self.menu(page.path)
        context = {
            "site": self.site,
            "region": self.region,
            "urls": self.url_map,
            "asset": self.asset,
            "integrity": self.integrity,
            "header": lambda: self.header(menu, kind),
            "footer": self.footer,
            "post_card": self.post_card,
            "post_row": self.post_row,
            "menu": menu,
            "breadcrumbs": tuple(crumbs),
            "page": page,
            **variables,
        }
        context["structured_data"] = structured_data(kind, self.site, context["breadcrumbs"], variables,
                                                     str(self.env.globals.get("lang", "id")))
        key = self._key(template, context)
        digest = self.reuse.lookup(path, key) if self.reuse is not None else None
        if digest is not None:
            assert self.reuse is not None
            self.reuse.reused += 1
            return OutputFile(path, b"", deps_set, is_page=True, key=key, digest=digest, reused=True)
        try:
            html = self.env.get_template(template).render(context)
        except Exception as exc:  # a theme's bug is a problem with a file and line, not a crash
            raise ProblemError([_template_problem(exc)]) from None
        if self.reuse is not None:
            self.reuse.rendered += 1
        return OutputFile(path, html.encode("utf-8"), deps_set, is_page=True, key=key)

    def _key(self, template: str, context: Mapping[str, Any]) -> str:
        """Everything that decides the page's bytes: theme, template, and every variable."""
        # structured_data is made from the kind, site, crumbs and variables alone: not hashed twice
        # the header and footer are made of the web root's variables, the menu and kind, hashed with
        # the page's; a card of its arguments
        values = {k: v for k, v in context.items() if k not in _UNHASHED}
        if values.get("site") is self.site and values.get("region") is self.region \
                and values.get("urls") is self.url_map:  # the web root's own: hashed once, not per page
            if not self.root_digest:
                self.root_digest.append(_digest_of({k: values[k] for k in _ROOT}, self.memo))
            for k in _ROOT:
                del values[k]
            values[" root"] = self.root_digest[0]  # (no template variable has a space in its name)
        lang = str(self.env.globals.get("lang", ""))  # labels and date names follow it
        parts = [self.theme.hash, lang, template, _digest_of(values, self.memo)]
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


# the web root's functions, and structured data (made from the kind, site, crumbs and variables)
_UNHASHED = frozenset({"asset", "integrity", "header", "footer", "post_card", "post_row", "structured_data"})
_ROOT = ("site", "region", "urls")


def _template_problem(exc: BaseException) -> Problem:
    filename, line, detail = template_problem(exc)
    code = "theme.template_missing" if isinstance(exc, jinja2.TemplateNotFound) else (
        "theme.syntax" if isinstance(exc, jinja2.TemplateSyntaxError) else "theme.render"
    )
    path = PurePosixPath(filename)
    if "themes" in path.parts:
        path = PurePosixPath(*path.parts[path.parts.index("themes"):])
    return Problem(path, line, code, {"detail": detail})
