"""Load the whole region: config, sites and their posts; every problem is collected, none raised.

It reads through fsguard only and renders Markdown once per post; it writes nothing.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from opdgen import schema as s
from opdgen.cachedb import CacheDB
from opdgen.config import (
    BUNDLE_FOLDER_RE,
    PORTAL_SLUG,
    SITE_FILE,
    SLUG_RE,
    RegionConfig,
    SiteConfig,
    load_region_config,
    load_site_config,
)
from opdgen.content.frontmatter import (
    DateError,
    FrontMatterError,
    parse_date,
    slug_from_filename,
    slugify,
    split,
)
from opdgen.content.model import Kind, Post, Region, Site, Source
from opdgen.fsguard import Refused, Repo
from opdgen.launch import CACHE_DIR as CACHE_DIR
from opdgen.markup.bodies import BodyRenderer, BodySettings, default_jobs
from opdgen.markup.guard import check_markdown
from opdgen.markup.markdown import first_paragraph, shorten
from opdgen.media.cache import IMAGES
from opdgen.media.collect import MediaCollector
from opdgen.media.model import MediaImage
from opdgen.media.refs import FILE_SUFFIXES
from opdgen.problems import Problems
from opdgen.public import SPECS, Details, DetailsInput
from opdgen.records import record
from opdgen.yamlload import YamlError, YMap, YNode, parse_yaml, value_line

CONTENT_DIR = "content"
# Top-level paths of a site that a halaman slug may not take. `layanan` stays free: the
# standing page halaman/layanan.md is the introduction of the services section at /layanan/.
RESERVED_PAGE_SLUGS = frozenset(
    {"berita", "pengumuman", "tag", "assets", "media", "page", "cari", "agenda", "dokumen",
     "skm", "feed", "sitemap", "robots", "404", "index", "opd"}
)
# Folders of content/<site>/ that hold no Markdown of a kind: images and documents (opdgen.media).
OTHER_FOLDERS = frozenset({"media"})

# Never published and harmless: git keeps empty folders with it.
HARMLESS_DOTFILES = frozenset({".gitkeep"})
LOGO_TYPES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".svg"})
# gallery: [{src: foto.jpg, alt: ...}, ...] (opdgen.media processes the photos)
GALLERY_ITEM = (
    s.Field("src", s.text(200), required=True, example="src: foto-kegiatan.jpg"),
    s.Field("alt", s.text(300), default=""),
)

POST_SCHEMA = (
    s.Field("title", s.text(200), required=True, example="title: Judul berita"),
    s.Field("date", s.text(40), required=True, example="date: 2026-11-27 09:30"),
    s.Field("updated", s.text(40)),
    s.Field("author", s.text(100), default=""),
    s.Field("tags", s.text_list(20, 60), default=()),
    s.Field("image", s.text(200)),
    s.Field("image_alt", s.text(300), default=""),
    s.Field("image_decorative", s.boolean, default=False),
    s.Field("gallery", s.list_of(GALLERY_ITEM, 30), default=()),
    s.Field("summary", s.text(400), default=""),
    s.Field("draft", s.boolean, default=False),
)
HALAMAN_SCHEMA = (
    s.Field("title", s.text(200), required=True, example="title: Profil Dinas"),
    s.Field("date", s.text(40)),
    s.Field("updated", s.text(40)),
    s.Field("summary", s.text(400), default=""),
    s.Field("order", s.integer, default=100),
    s.Field("image", s.text(200)),
    s.Field("image_alt", s.text(300), default=""),
    s.Field("image_decorative", s.boolean, default=False),
    s.Field("gallery", s.list_of(GALLERY_ITEM, 30), default=()),
    s.Field("draft", s.boolean, default=False),
)


@record
class LoadOptions:
    now: datetime  # aware; posts dated later are scheduled
    include_drafts: bool = False
    only_sites: frozenset[str] = frozenset()  # empty: every site
    jobs: int = 0  # worker processes for Markdown; 0: every core
    cache_dir: Path | None = None  # default: <root>/.opdgen-cache; the folder must be writable
    use_cache: bool = True
    remember: bool = False  # keep parsed files in memory for the next load in this process (serve)
    # a site's posts an earlier build made from the same files, taken instead of reading them
    # (opdgen.build.snapshot.EarlierPosts: by repository path; None: read them all)
    earlier: Callable[[str], Mapping[PurePosixPath, Post] | None] | None = None


def load_region(root: Path, options: LoadOptions,
                kept: Mapping[str, Site] | None = None) -> tuple[Region | None, Problems]:
    """Read opdgen.yaml and every content/<site>/; None when nothing usable could be read.

    `kept`: sites loaded by an earlier build that stand for loading them again, by folder name
    (opdgen.build.snapshot decides when they may); each is taken as it is."""
    repo = Repo(root)
    problems = Problems()
    config = load_region_config(repo, problems)
    if config is None:
        return None, problems
    content = repo.root / CONTENT_DIR
    if not content.is_dir():
        problems.add(CONTENT_DIR, None, "site.none")
        return None, problems
    loader = _SiteLoader(repo, config, options, problems)
    sites = []
    for stray in sorted(p for p in content.iterdir() if p.is_file() and not p.is_symlink()):
        try:  # content/ itself holds only site folders; anything dangerous there is refused too
            repo.check_name(stray)
        except Refused as refused:
            problems.add(refused.path, None, refused.code, detail=refused.detail)
    entries: list[_Pending | Site] = []  # in folder order: sites read now, and kept ones
    elsewhere: list[tuple[str, str]] = []  # the sites left out (only_sites): slug, base URL
    # the expensive step: each site's bodies, from the cache or rendered by worker processes while
    # the next sites are read
    stream = loader.bodies.stream()
    try:
        for folder in sorted(p for p in content.iterdir() if p.is_dir() or p.is_symlink()):
            if options.only_sites and folder.name not in options.only_sites:
                other = load_site_config(repo, folder, config, Problems())  # its problems are not ours
                if other is not None:
                    elsewhere.append((folder.name, other.base_url))
                continue
            known = kept.get(folder.name) if kept else None
            if known is not None:
                entries.append(known)
                continue
            begun = loader.begin(folder)
            if begun is not None:
                entries.append(begun)
                stream.add([post.body for post in begun.posts])
        bodies = stream.finish()
    finally:
        stream.close()
    pending = [e for e in entries if isinstance(e, _Pending)]
    parsed = [post for site in pending for post in site.posts]
    html = {post.rel: body for post, body in zip(parsed, bodies, strict=True)}
    finished = [(begun.folder.name, loader.finish(begun, html)) for begun in pending]
    fresh = loader.add_previews([site for _, site in finished if site is not None])
    made = dict(zip((name for name, site in finished if site is not None), fresh, strict=True))
    for entry in entries:
        site = entry if isinstance(entry, Site) else made.get(entry.folder.name)
        if site is not None:
            sites.append(site)
    if not sites and not problems.has_errors:
        problems.add(CONTENT_DIR, None, "site.none")
    releases = [s.next_release for s in sites if s.next_release is not None]
    region = Region(config=config, sites=tuple(sites), now=options.now, media_stats=loader.media.stats,
                    body_stats=loader.bodies.stats, next_release=min(releases, default=None),
                    elsewhere=tuple(elsewhere))
    if loader.cache is not None:
        loader.cache.close()
    return region, problems


@record(kw_only=True)
class _Parsed:
    """A post between reading and rendering: front matter checked, Markdown not yet rendered."""

    rel: PurePosixPath
    path: Path
    site: str
    kind: Kind
    slug: str
    values: dict[str, Any]
    node: YNode | None
    body: str
    body_line: int
    date: datetime | None
    updated: datetime | None
    content_hash: str
    details: Details | None = None  # public-service kinds (opdgen.public)


# serve: parsed files by identity, for the next load in this process (LoadOptions.remember)
_REMEMBERED: dict[tuple[object, ...], _Parsed] = {}


@record
class _Pending:
    folder: Path
    config: SiteConfig
    posts: tuple[_Parsed, ...]
    earlier: tuple[Post, ...] = ()  # posts taken as an earlier build made them (LoadOptions.earlier)


class _SiteLoader:
    def __init__(self, repo: Repo, config: RegionConfig, options: LoadOptions, problems: Problems):
        self.repo = repo
        self.config = config
        self.options = options
        self.problems = problems
        cache_dir = options.cache_dir or repo.root / CACHE_DIR
        self.cache = CacheDB(cache_dir / "cache.sqlite") if options.use_cache else None
        self.bodies = BodyRenderer(BodySettings(config.language, config.video_hosts), self.cache,
                                   options.jobs or default_jobs())
        self.media = MediaCollector(repo, config.language, problems, cache_dir / IMAGES, index=self.cache)
        self.earlier: set[int] = set()  # ids of the posts taken from an earlier build (previews made)

    def begin(self, folder: Path) -> _Pending | None:
        """Read a site folder: its config and every post's front matter (bodies not rendered)."""
        rel = self.repo.rel(folder)
        if folder.is_symlink():
            try:
                self.repo.confine(folder)
            except Refused as refused:
                self.problems.add(refused.path, None, refused.code, detail=refused.detail)
                return None
        if folder.name == PORTAL_SLUG:
            self.problems.add(rel, None, "site.portal_reserved")
            return None
        if not SLUG_RE.match(folder.name):
            self.problems.add(rel, None, "site.slug", value=folder.name, example=slugify(folder.name))
            return None
        site_config = load_site_config(self.repo, folder, self.config, self.problems)
        posts: list[_Parsed] = []
        sources = self._scan(folder)
        known = self.options.earlier(folder.name) if self.options.earlier is not None else None
        earlier: list[Post] = []
        for kind in Kind:
            for path in sources.get(kind.value, ()):
                post = known.get(self.repo.rel(path)) if known else None
                if post is not None and post.kind is kind and post.site == folder.name:
                    earlier.append(post)
                elif (parsed := self._parse_post(path, folder.name, kind)) is not None:
                    posts.append(parsed)
        self._check_unexpected(folder)
        if site_config is None:
            return None
        self.earlier.update(id(post) for post in earlier)
        return _Pending(folder, site_config, tuple(posts), tuple(earlier))

    def finish(self, pending: _Pending, html: dict[PurePosixPath, str]) -> Site | None:
        """The site with its posts, given the rendered bodies."""
        folder, site_config = pending.folder, pending.config
        posts = [self._make_post(p, html[p.rel]) for p in pending.posts] + list(pending.earlier)
        self._check_duplicates(posts)
        logo = self._logo(folder, site_config)
        release = min((p.date for p in posts if p.is_scheduled and p.date is not None), default=None)
        drafts = frozenset(p.slug for p in posts if p.kind is Kind.HALAMAN and p.is_draft)
        if not self.options.include_drafts:  # DESIGN: drafts and scheduled posts stay out
            posts = [p for p in posts if not p.is_draft and not p.is_scheduled]
        return Site(config=site_config, posts=tuple(sorted(posts, key=_post_order)), logo=logo,
                    documents=self.media.documents(folder), next_release=release, halaman_drafts=drafts)

    def add_previews(self, sites: list[Site]) -> list[Site]:
        """Every post's Open Graph image (opdgen.media.social), the missing ones made in parallel."""
        region = self.config.name
        planned = [  # SKM results have no page, so no preview
            [(p, self.media.preview_task(p.media, p.title, site.config, region, site.logo)
              if p.kind is not Kind.SKM and id(p) not in self.earlier else None) for p in site.posts]
            for site in sites
        ]
        self.media.warm_previews(dict(task for plan in planned for _, task in plan if task is not None),
                                 self.bodies.jobs)
        return [
            replace(site, posts=tuple(
                replace(p, media=self.media.with_preview(p.media, p.title, p.slug, site.config, region,
                                                         site.logo, task)) if task is not None else p
                for p, task in plan))
            for site, plan in zip(sites, planned, strict=True)
        ]

    def _logo(self, folder: Path, config: SiteConfig) -> MediaImage | None:
        """site.yaml `logo:` names a PNG, JPEG, WebP or SVG file in media/ (or the site folder)."""
        if not config.logo:
            return None
        name = PurePosixPath(config.logo)
        code = None
        if name.is_absolute() or ".." in name.parts or "\\" in config.logo:
            code = "media.path_outside"
        elif name.suffix.lower() not in LOGO_TYPES:
            code = "media.logo_type"
        else:
            for path in (folder / "media" / name, folder / name):
                if path.is_file() or path.is_symlink():
                    return self.media.logo(folder, config.logo, config.source,
                                           lambda: self._key_line(folder / SITE_FILE, "logo"))
            code = "media.missing"
        self.problems.add(config.source, self._key_line(folder / SITE_FILE, "logo"), code,
                          value=config.logo)
        return None

    def _key_line(self, path: Path, key: str) -> int | None:
        """Line of a key's value in a YAML file (read again only to report a problem)."""
        try:
            return value_line(parse_yaml(self.repo.read_text(path)), key)
        except (Refused, YamlError):
            return None

    def _check_unexpected(self, folder: Path) -> None:
        """Anything at the top of a site folder that opdgen does not know is reported."""
        known = {k.value for k in Kind} | OTHER_FOLDERS | {SITE_FILE}
        for entry in sorted(folder.iterdir()):
            if entry.name not in known and self._is_allowed_name(entry):
                self.problems.add(self.repo.rel(entry), None, "site.unexpected_entry",
                                  allowed=", ".join(sorted(known)))

    def _is_allowed_name(self, path: Path) -> bool:
        """False for names the scan already refused (no second problem for one file)."""
        try:
            self.repo.check_name(path)
        except Refused:
            return False
        return True

    def _scan(self, folder: Path) -> dict[str, list[Path]]:
        """Walk the whole site folder once: refuse server-side files, dotfiles and links that leave
        the repository anywhere in it; return the Markdown files of each content folder."""
        found: dict[str, list[Path]] = {}
        kinds = {k.value for k in Kind}
        below = len(str(folder)) + 1  # walk's paths are folder's own path, then the rest
        for item in self.repo.walk(folder):
            if isinstance(item, Refused):
                self.problems.add(item.path, None, item.code, detail=item.detail)
                continue
            if item.name in HARMLESS_DOTFILES:
                continue
            try:
                self.repo.check_name(item)
            except Refused as refused:
                self.problems.add(refused.path, None, refused.code, detail=refused.detail)
                continue
            top = str(item)[below:].partition(os.sep)[0]
            if top in kinds:
                if item.suffix.lower() == ".md":
                    found.setdefault(top, []).append(item)
                elif item.suffix.lower() not in FILE_SUFFIXES:  # images, documents: used by a post
                    self.problems.add(self.repo.rel(item), None, "content.not_markdown")
        return found

    def _parse_post(self, path: Path, site: str, kind: Kind) -> _Parsed | None:
        """Front matter checked, body split off; None (with problems) when the file is unusable.

        With `remember` (serve rebuilds on every save), a file whose identity (size, times, inode)
        is unchanged since the last load in this process is not read and parsed again."""
        if not self.options.remember:
            return self._parse_file(path, site, kind)
        try:
            st = path.stat()
        except OSError:
            return self._parse_file(path, site, kind)
        key = (str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, kind, site,
               str(self.config.timezone), self.options.now.date())  # details check years only
        known = _REMEMBERED.get(key)
        if known is not None:
            return known
        before = len(self.problems)
        parsed = self._parse_file(path, site, kind)
        if parsed is not None and len(self.problems) == before:  # only what went cleanly
            if len(_REMEMBERED) > 50_000:
                _REMEMBERED.clear()
            _REMEMBERED[key] = parsed
        return parsed

    def _parse_file(self, path: Path, site: str, kind: Kind) -> _Parsed | None:
        rel = self.repo.rel(path)
        try:
            text = self.repo.read_text(path)
        except Refused as refused:
            line = int(refused.detail) if refused.code == "fs.encoding" else None
            self.problems.add(refused.path, line, refused.code, detail=refused.detail)
            return None
        try:
            parts = split(text)
            node = parse_yaml(parts.front)
        except FrontMatterError as exc:
            self.problems.add(rel, exc.line, exc.code)
            return None
        except YamlError as exc:
            self.problems.add(rel, exc.line + 1 if exc.line else 1, exc.code, detail=exc.detail)
            return None
        if node is not None and not isinstance(node, YMap):
            self.problems.add(rel, 2, "frontmatter.not_mapping")
            return None
        before = len(self.problems.errors)
        where = s.Where(rel, self.problems, line_offset=1)
        v = s.check_map(node, _schema(kind), where, whole_line=1)
        date = self._date(v, "date", node, where)
        updated = self._date(v, "updated", node, where)
        details = None
        if kind.is_public_service and len(self.problems.errors) == before:
            details = SPECS[kind.value].build(
                DetailsInput(v, node, where, self.config.timezone, self.options.now))
        slug = slug_from_filename(path.stem)
        if not slug:
            self.problems.add(rel, None, "content.slug.empty")
        elif kind is Kind.HALAMAN and (slug in RESERVED_PAGE_SLUGS or BUNDLE_FOLDER_RE.fullmatch(slug)):
            self.problems.add(rel, None, "content.slug.reserved", slug=slug)
        finding = check_markdown(parts.body)
        if finding is not None:
            self.problems.add(rel, parts.body_line + finding.line - 1, finding.code, limit=finding.limit)
        if len(self.problems.errors) > before:
            return None
        return _Parsed(rel=rel, path=path, site=site, kind=kind, slug=slug, values=v, node=node,
                       body=parts.body, body_line=parts.body_line, date=date, updated=updated,
                       content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(), details=details)

    def _make_post(self, p: _Parsed, body_html: str) -> Post:
        v, date = p.values, p.date
        media = self.media.post(self.repo.root / CONTENT_DIR / p.site, p.path, v, p.node, p.body,
                                p.body_line, body_html)
        return Post(
            source=Source(p.rel, 1),
            site=p.site,
            kind=p.kind,
            slug=p.slug,
            title=v["title"],
            date=date,
            updated=p.updated,
            author=v.get("author") or "",
            tags=_unique_tags(v.get("tags") or ()),
            summary=v["summary"] or shorten(first_paragraph(body_html)),
            body_html=body_html,
            image=v.get("image"),
            image_alt=v.get("image_alt") or "",
            order=v.get("order", 100),
            is_draft=v["draft"],
            is_scheduled=date is not None and date > self.options.now and _schedulable(p.kind),
            content_hash=p.content_hash,
            media=media,
            details=p.details,
        )

    def _date(self, v: dict[str, Any], key: str, node: object, where: s.Where) -> datetime | None:
        raw = v.get(key)
        if not raw:
            return None
        try:
            return parse_date(raw, self.config.timezone)
        except DateError as exc:
            line = value_line(node, key)
            self.problems.add(where.path, line + 1 if line else None, exc.code, value=raw, key=key)
            return None

    def _check_duplicates(self, posts: list[Post]) -> None:
        seen: dict[tuple[Kind, str], Post] = {}
        for post in sorted(posts, key=lambda p: str(p.source.path)):
            other = seen.setdefault((post.kind, post.slug), post)
            if other is not post:
                self.problems.add(post.source.path, None, "content.slug.duplicate",
                                  slug=post.slug, other=str(other.source.path))


def _unique_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Drop repeats of the same tag (by slug) and tags that have no letters or digits."""
    seen: set[str] = set()
    out = []
    for tag in tags:
        slug = slugify(tag)
        if slug and slug not in seen:
            seen.add(slug)
            out.append(tag)
    return tuple(out)


def _schema(kind: Kind) -> tuple[s.Field, ...]:
    if kind.is_public_service:
        return SPECS[kind.value].schema
    return HALAMAN_SCHEMA if kind is Kind.HALAMAN else POST_SCHEMA


def _schedulable(kind: Kind) -> bool:
    """Dated after "now" means held back: news and, where its spec says so, a public-service kind."""
    return kind.is_news or (kind.is_public_service and SPECS[kind.value].schedulable)


def _post_order(post: Post) -> tuple[str, float, str]:
    """Kind, then news newest first and other kinds by `order`, then slug: a stable order
    independent of the file system (renderers of public-service kinds sort as they need)."""
    stamp = post.date.timestamp() if post.date else 0.0
    return (post.kind.value, -stamp if post.kind.is_news else float(post.order), post.slug)
