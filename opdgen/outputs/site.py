"""Every output file of one agency's web root: pages, listings, tags, feed, sitemap, assets.

Pure: content and config in, OutputFile values out; it never touches the file system.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from itertools import chain
from pathlib import PurePosixPath

import jinja2

from opdgen.config import SiteConfig
from opdgen.content.frontmatter import slugify
from opdgen.content.model import Kind, Region, Site
from opdgen.outputs.feeds import FeedInfo, SitemapEntry, atom, robots, sitemap
from opdgen.outputs.files import OutputFile, PageRenderer, PageReuse
from opdgen.outputs.media import media_files
from opdgen.outputs.public import SiteSection, claimed_pages, home_blocks, section_menu, site_sections
from opdgen.outputs.search_shards import agency_bundles
from opdgen.render import context as c
from opdgen.render.themes import Theme, fingerprinted

HOME_BERITA = 6
HOME_PENGUMUMAN = 5
RELATED = 3


def theme_files(root: str, theme: Theme) -> list[OutputFile]:
    """The theme's static files, fingerprinted, under a web root."""
    return [
        OutputFile(PurePosixPath(root) / a.published, a.data, frozenset({f"asset:{a.source}"}))
        for a in sorted(theme.assets.values(), key=lambda a: a.source)
    ]


def brand_file(root: str, colour: str, dep: str) -> tuple[OutputFile, str]:
    """The stylesheet carrying the site's colour, and its path in the web root."""
    data = c.brand_css(colour)
    rel = fingerprinted("assets/brand.css", data)
    return OutputFile(PurePosixPath(root) / rel, data, frozenset({dep})), rel


def default_menu(site: Site, label: Callable[[str], str]) -> list[tuple[str, str]]:
    """Beranda, Profil, Berita, Pengumuman, the public-service sections, Kontak: those the site has."""
    pages = {p.slug: p for p in site.of_kind(Kind.HALAMAN)}
    entries = [(label("home"), "/")]
    if "profil" in pages:
        entries.append((pages["profil"].title if len(pages["profil"].title) <= 20 else label("profile"),
                        "/profil/"))
    entries.append((label("berita"), "/berita/"))
    if site.of_kind(Kind.PENGUMUMAN):
        entries.append((label("pengumuman"), "/pengumuman/"))
    entries += section_menu(site, label)  # agenda, layanan, informasi publik (opdgen.outputs.public)
    if "kontak" in pages:
        entries.append((label("contact"), "/kontak/"))
    return entries


def render_site(site: Site, region: Region, env: jinja2.Environment, theme: Theme,
                reuse: PageReuse | None = None) -> list[OutputFile]:
    """All files of output/<site>/."""
    config: SiteConfig = site.config
    label: Callable[[str], str] = env.globals["label"]  # type: ignore[assignment]
    urls = c.Urls(config.base_url)
    root = site.slug
    site_yaml = str(config.source)
    brand, brand_rel = brand_file(root, config.colour, site_yaml)
    files = [brand, *theme_files(root, theme)]
    files += media_files(root, site, reuse)  # processed images (logo included) and documents
    sv = c.site_view(config, urls, brand_rel, None, logo=site.logo)
    menu_entries = (
        [(m.label, m.url) for m in config.menu] if config.menu is not None
        else default_menu(site, label)
    )
    r = PageRenderer(
        env=env, theme=theme, root=root, urls=urls, site=sv, region=c.region_view(region.config),
        reuse=reuse,
        url_map={"home": urls.path(""), "berita": urls.path("berita/"),
                 "pengumuman": urls.path("pengumuman/"), "tags": urls.path("tag/"),
                 "feed": urls.path("feed.xml"), "search": urls.path("cari/")},
        menu=c.Menu(menu_entries, urls),
    )
    views = {p.source.path: c.post_view(p, sv, urls, lambda k: label(k.value)) for p in site.posts}

    def of(kind: Kind) -> list[c.PostView]:
        return [views[p.source.path] for p in site.of_kind(kind)]

    berita, pengumuman, halaman = of(Kind.BERITA), of(Kind.PENGUMUMAN), of(Kind.HALAMAN)
    home_crumb = c.Crumb(label("home"), urls.path(""))
    profile = next((v for v in halaman if v.url == urls.path("profil/")), None)
    latest_b, latest_p = berita[:HOME_BERITA], pengumuman[:HOME_PENGUMUMAN]
    sections = SiteSection(r=r, site=site, region=region, views={k: of(k) for k in Kind}, home=home_crumb,
                           site_yaml=site_yaml, label=label)
    blocks = home_blocks(sections)  # agenda, services, PPID on the home page
    files.append(r.render(
        "home.html", "", title=config.name, description=config.description, kind="home",
        deps=_deps(site_yaml, latest_b, latest_p, [profile] if profile else []) | blocks.deps,
        latest_berita=latest_b, latest_pengumuman=latest_p, profile=profile, **blocks.values,
    ))
    for kind, posts in ((Kind.BERITA, berita), (Kind.PENGUMUMAN, pengumuman)):
        section = c.Crumb(label(kind.value), urls.path(f"{kind.value}/"))
        files += _listing(r, region, posts, f"{kind.value}/", label(kind.value), None,
                          [home_crumb, section], site_yaml, label)
        files += _posts(r, posts, [home_crumb, section], site_yaml, [*berita, *pengumuman])
    claimed = {sections.r.urls.path(f"{slug}/") for slug in claimed_pages()}
    for view in (v for v in halaman if v.url not in claimed):  # a section renders those itself
        files.append(r.render(
            "halaman.html", view.url.removeprefix(urls.base_path), title=view.title,
            description=view.summary or config.description, kind="halaman",
            crumbs=[home_crumb, c.Crumb(view.title, view.url)], deps=_deps(site_yaml, [view]),
            post=view,
        ))
    files += _tags(r, region, [*berita, *pengumuman], home_crumb, site_yaml, label)
    files.append(r.render(
        "404.html", "404.html", title=label("not_found_title"),
        description=config.description, kind="404", noindex=True, deps=[site_yaml],
    ))
    files.append(r.render(  # outputs.search builds the index this page reads
        "search.html", "cari/", title=label("search_title"), description=config.description,
        kind="search", crumbs=[home_crumb, c.Crumb(label("search"), urls.path("cari/"))], deps=[site_yaml],
        search_merge=tuple(urls.path(f"{bundle}/") for bundle in agency_bundles(site)),  # its shards
    ))
    files += site_sections(sections)  # agenda, PPID register, services, SKM (opdgen.outputs.public)
    dated = sorted([*berita, *pengumuman], key=lambda v: (v.date, v.url), reverse=True)
    files.append(OutputFile(
        PurePosixPath(root) / "feed.xml",
        atom(FeedInfo(config.name, config.description, urls.abs(""), urls.abs("feed.xml"),
                      config.name, region.config.language), dated),
        _deps(site_yaml, dated),
    ))
    files += _seo_files(root, urls, files, {v.url: v for v in [*dated, *halaman]}, site_yaml)
    return files


def _deps(*groups: object) -> frozenset[str]:
    out: set[str] = set()
    for group in groups:
        if isinstance(group, str):
            out.add(group)
        elif isinstance(group, (list, tuple)):
            out.update(v.source for v in group if isinstance(v, c.PostView))
    return frozenset(out)


def _listing(
    r: PageRenderer, region: Region, posts: Sequence[c.PostView], first_rel: str, heading: str,
    tag: c.TagView | None, crumbs: list[c.Crumb], site_yaml: str, label: Callable[[str], str],
) -> list[OutputFile]:
    pages = c.paginate(len(posts), region.config.per_page, first_rel, r.urls)
    out = []
    for number, rel, part in pages:
        title = heading if number == 1 else f"{heading} ({label('page')} {number})"
        items = list(posts[part])
        out.append(r.render(
            "list.html", rel, title=title, description=f"{heading} - {r.site.name}",
            kind="tag" if tag else "list",
            crumbs=crumbs, deps=_deps(site_yaml, items), posts=items,
            pagination=c.pagination(pages, number, r.urls), tag=tag, heading=heading,
        ))
    return out


def _posts(
    r: PageRenderer, posts: Sequence[c.PostView], crumbs: list[c.Crumb], site_yaml: str,
    pool: Sequence[c.PostView],
) -> list[OutputFile]:
    """One page per post, with older/newer neighbours and related posts by shared tags."""
    out = []
    tagged = _Tagged(pool)
    for i, view in enumerate(posts):
        older = posts[i + 1] if i + 1 < len(posts) else None
        newer = posts[i - 1] if i > 0 else None
        related = tagged.related(view)
        out.append(r.render(
            "post.html", view.url.removeprefix(r.urls.base_path), title=view.title,
            description=view.summary or r.site.description, kind="post",
            crumbs=[*crumbs, c.Crumb(view.title, view.url)],
            deps=_deps(site_yaml, [view, *(p for p in (older, newer) if p), *related]),
            post=view, prev_post=older, next_post=newer, related=related,
        ))
    return out


class _Tagged:
    """The posts of a pool by tag, for related posts: those sharing most tags with a post, newest
    first among equals, then by URL. Linear in the posts that share a tag, not in the whole pool."""

    def __init__(self, pool: Sequence[c.PostView]) -> None:
        # the pool in the order that breaks ties (newest first, then URL): a post is its position
        self.ranked = sorted(pool, key=lambda v: (-(v.date.timestamp() if v.date else 0), v.url))
        self.position = {v.url: i for i, v in enumerate(self.ranked)}
        self.by_tag: dict[str, list[int]] = defaultdict(list)
        for i, other in enumerate(self.ranked):
            for tag in {t.slug for t in other.tags}:
                self.by_tag[tag].append(i)

    def related(self, view: c.PostView) -> list[c.PostView]:
        shared = Counter(chain.from_iterable(self.by_tag.get(tag, ()) for tag in {t.slug for t in view.tags}))
        shared.pop(self.position.get(view.url, -1), None)  # not the post itself
        span = len(self.ranked) + 1  # one number per post: more shared tags first, then position
        best = heapq.nlargest(RELATED, [count * span - i for i, count in shared.items()])
        return [self.ranked[-(-k // span) * span - k] for k in best]


def _tags(
    r: PageRenderer, region: Region, posts: Sequence[c.PostView], home: c.Crumb, site_yaml: str,
    label: Callable[[str], str],
) -> list[OutputFile]:
    by_slug: dict[str, list[c.PostView]] = defaultdict(list)
    names: dict[str, c.TagView] = {}
    ordered = sorted(posts, key=lambda v: (v.date, v.url), reverse=True)
    for view in ordered:
        for tag in view.tags:
            by_slug[tag.slug].append(view)
            names.setdefault(tag.slug, tag)
    all_crumb = c.Crumb(label("all_tags"), r.urls.path("tag/"))
    counts = [c.TagCount(names[s], len(by_slug[s])) for s in sorted(by_slug)]
    out = [r.render(
        "tags.html", "tag/", title=label("all_tags"), description=f"{label('all_tags')} - {r.site.name}",
        kind="tags", crumbs=[home, all_crumb], deps=_deps(site_yaml, ordered), tags=counts,
    )]
    for slug in sorted(by_slug):
        tag = names[slug]
        heading = f"{label('tag')}: {tag.name}"
        out += _listing(r, region, by_slug[slug], f"tag/{slugify(slug)}/", heading, tag,
                        [home, all_crumb, c.Crumb(tag.name, tag.url)], site_yaml, label)
    return out


def _seo_files(
    root: str, urls: c.Urls, files: Sequence[OutputFile], posts_by_url: dict[str, c.PostView],
    site_yaml: str,
) -> list[OutputFile]:
    """sitemap.xml over every page but 404, and robots.txt pointing at it."""
    entries = []
    for f in files:
        if not f.is_page or f.path.name == "404.html":
            continue
        rel = f.path.relative_to(root).parent.as_posix()
        path = urls.path("" if rel == "." else rel + "/")
        view = posts_by_url.get(path)
        entries.append(sitemap_entry(urls.origin + path, view))
    return [
        OutputFile(PurePosixPath(root) / "sitemap.xml", sitemap(entries), frozenset({site_yaml})),
        OutputFile(PurePosixPath(root) / "robots.txt", robots(urls.abs("sitemap.xml")),
                   frozenset({site_yaml})),
    ]


def sitemap_entry(loc: str, view: c.PostView | None) -> SitemapEntry:
    lastmod = (view.updated or view.date) if view is not None else None
    return SitemapEntry(loc, lastmod)
