"""The regional portal's web root: latest news of every agency, the agency directory, feed, sitemap.

Pure: the loaded region in, OutputFile values out. Items link to the posts on the agencies' own sites.
"""

from __future__ import annotations

import dataclasses
import functools
import heapq
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import PurePosixPath
from typing import TypeVar

import jinja2

from opdgen.build.changes import Changes, portal_signature
from opdgen.config import PORTAL_SLUG, SiteConfig
from opdgen.content.model import DeferredSite, Kind, Post, Region, Site, SiteSummary
from opdgen.outputs.feeds import FEED_SIZE, FeedInfo, SitemapEntry, atom, robots, sitemap
from opdgen.outputs.files import OutputFile, PageRenderer, PageReuse
from opdgen.outputs.media import portal_card_files
from opdgen.outputs.public import PortalSection, portal_menu, portal_sections
from opdgen.outputs.search import lead_digest
from opdgen.outputs.search_shards import merged_bundles
from opdgen.outputs.site import brand_file, theme_files
from opdgen.outputs.summary import summary_of
from opdgen.render import context as c
from opdgen.render.themes import Theme

HOME_LATEST = 12
V = TypeVar("V", c.CardView, c.PostView)


def portal_config(region: Region) -> SiteConfig:
    """The portal as a site: the region's name, address and colour."""
    cfg = region.config
    return SiteConfig(
        slug=PORTAL_SLUG, source=cfg.source, name=cfg.portal_title, short_name=cfg.short_name,
        base_url=cfg.portal_base_url, description=cfg.portal_description, logo=None,
        colour=cfg.portal_colour, address="", phone="", email="", whatsapp="", office_hours="",
        social=(), menu=None,
    )


class LazyViews:
    """Post cards made on first use, by index or slice; `sources` says which post each one shows."""

    def __init__(self, makers: list[Callable[[], c.CardView]], sources: list[str]) -> None:
        self._makers = makers
        self._made: dict[int, c.CardView] = {}
        self.sources = sources

    def __len__(self) -> int:
        return len(self._makers)

    def __getitem__(self, part: slice) -> list[c.CardView]:
        return [self._one(i) for i in range(*part.indices(len(self._makers)))]

    def _one(self, i: int) -> c.CardView:
        if i not in self._made:
            self._made[i] = self._makers[i]()
        return self._made[i]


def _news_posts(site: Site) -> Callable[[int], Post]:
    """A site's news post by its place among them (SiteSummary.news), read alone from a kept
    site whose news posts are not read (DeferredSite.news_post)."""
    if isinstance(site, DeferredSite):
        return site.news_post
    return [p for p in site.posts if p.kind.is_news].__getitem__


def _view_of(view: Callable[[Post, c.SiteView, c.Urls], V], news_post: Callable[[int], Post],
             index: int, sv: c.SiteView, site_urls: c.Urls) -> V:
    return view(news_post(index), sv, site_urls)


def _berita(region: Region) -> Iterator[tuple[datetime | None, str, str, Site, int]]:
    """Every agency's berita on the portal: its date, absolute URL and source, its site and its
    place among the site's news posts (SiteSummary.news), in the sites' order."""
    for site in region.sites:
        prefix = c.Urls(site.config.base_url).abs("berita/")
        for index, (kind, date, slug, source, _) in enumerate(summary_of(site).news):
            if kind == "berita":
                yield date, f"{prefix}{slug}/", source, site, index


def _newest(entry: tuple[datetime | None, str, str, Site, int]) -> tuple[datetime | None, str]:
    """The portal's order of berita, newest first (by date, then by URL): sorted by this, reversed."""
    return entry[0], entry[1]


def feed_sources(region: Region) -> frozenset[str]:
    """The berita the portal's feed holds (its newest FEED_SIZE), by source."""
    return frozenset(entry[2] for entry in heapq.nlargest(FEED_SIZE, _berita(region), key=_newest))


def portal_unchanged(region: Region, changes: Changes | None, trusted: frozenset[str] | None,
                     kind_label: Callable[[Kind], str]) -> bool:
    """Whether the portal's web root is, byte for byte, what the last clean build made: the build
    trusts that only these news posts changed, in place (build.changes.trusted_sources), none is in
    the portal's feed (which holds their text), and each post's portal signature
    (build.changes.portal_signature: its card and its document in the portal's index) is the one
    that build recorded. The portal's pages show cards (render.context.CardView), never a post's
    text: their keys are the same too. The published activity report counts posts by kind and date
    (in the posts' signatures) and commits (git's HEAD is in the last build's context), and is
    dated by a day within that build's window."""
    if not trusted or changes is None:
        return False
    folders = {rel.split("/", 2)[1] for rel in trusted}
    posts = {str(p.source.path): (site, p)
             for site in region.sites if site.slug in folders for p in site.posts}
    if not all(rel in posts for rel in trusted) or not feed_sources(region).isdisjoint(trusted):
        return False
    for rel in sorted(trusted):
        site, post = posts[rel]
        try:
            before = changes.signatures.portal(rel)
        except ValueError:  # (a damaged line of the sidecar)
            return False
        lead = lead_digest(post, c.Urls(site.config.base_url), kind_label)
        if not before or before != portal_signature(post, lead):
            return False
    return True


def _site_of(source: str) -> str:
    """The agency of a post's source: content/<slug>/berita/x.md."""
    return source.split("/", 2)[1] if source.count("/") >= 2 else ""


def render_portal(region: Region, env: jinja2.Environment, theme: Theme,
                  reuse: PageReuse | None = None) -> list[OutputFile]:
    """All files of output/portal/."""
    label: Callable[[str], str] = env.globals["label"]  # type: ignore[assignment]
    config = portal_config(region)
    urls = c.Urls(config.base_url)
    root = PORTAL_SLUG
    config_dep = str(region.config.source)
    brand, brand_rel = brand_file(root, config.colour, config_dep)
    portal_view = c.site_view(config, urls, brand_rel, None)
    portal_view = dataclasses.replace(portal_view, is_portal=True)
    menu_entries = [(label("home"), "/"), (label("berita"), "/berita/"),
                    *portal_menu(region, label), (label("directory"), "/opd/")]
    r = PageRenderer(
        env=env, theme=theme, root=root, urls=urls, site=portal_view, reuse=reuse,
        region=c.region_view(region.config),
        url_map={"home": urls.path(""), "berita": urls.path("berita/"),
                 "directory": urls.path("opd/"), "feed": urls.path("feed.xml"), "search": urls.path("cari/")},
        menu=c.Menu(menu_entries, urls),
    )
    # every agency's berita, newest first: date, URL, source, and how to make its card (a kept site's
    # post is read when a page shows it: after one edit, most listing pages are kept unread) and
    # its whole view (the feed's)
    shown: list[tuple[datetime | None, str, str, Callable[[], c.CardView], Callable[[], c.PostView]]] = []
    # each agency's card: its site, summary and latest berita (its source, and how to make its card)
    cards_of: list[tuple[c.SiteView, SiteSummary, tuple[str, Callable[[], c.CardView]] | None]] = []

    def card(post: Post, sv: c.SiteView, site_urls: c.Urls) -> c.CardView:
        return c.card_view(post, sv, site_urls, lambda k: label(k.value), shown_at=urls)

    def view(post: Post, sv: c.SiteView, site_urls: c.Urls) -> c.PostView:
        return c.post_view(post, sv, site_urls, lambda k: label(k.value), shown_at=urls)

    berita: dict[str, list[tuple[datetime | None, str, str, Site, int]]] = {}
    for entry in _berita(region):
        berita.setdefault(entry[3].slug, []).append(entry)
    for site in region.sites:
        site_urls = c.Urls(site.config.base_url)
        brand_rel_site = brand_file(site.slug, site.config.colour, "")[1]
        sv = c.site_view(site.config, site_urls, brand_rel_site, None)
        summary = summary_of(site)
        news_post = _news_posts(site)
        made = [(date, url, source,
                 functools.partial(_view_of, card, news_post, index, sv, site_urls),
                 functools.partial(_view_of, view, news_post, index, sv, site_urls))
                for date, url, source, _, index in berita.get(site.slug, ())]
        shown += made
        cards_of.append((sv, summary, (made[0][2], made[0][3]) if made else None))
    shown.sort(key=lambda s: (s[0], s[1]), reverse=True)
    news = LazyViews([s[3] for s in shown], [s[2] for s in shown])
    cards_of.sort(key=lambda card: card[0].name.lower())
    sources = frozenset({config_dep, *(str(s.config.source) for s in region.sites)})
    cards = sources | {latest[0] for _, _, latest in cards_of if latest is not None}  # _agency_card.html
    made_agencies: list[c.Agency] = []

    def agencies() -> list[c.Agency]:
        """The agencies' cards, made when a page that shows them is rendered (after an edit that
        changed no agency's latest berita, neither the home page nor the directory is: 60 post
        views, each read from its kept site, not made)."""
        if not made_agencies:
            made_agencies.extend(
                c.Agency(site=sv, last_update=summary.last_update, post_count=summary.news_count,
                         latest=latest[1]() if latest is not None else None)
                for sv, summary, latest in cards_of)
        return made_agencies

    home = c.Crumb(label("home"), urls.path(""))
    files = [brand, *theme_files(root, theme), *portal_card_files(root, region, reuse)]
    home_deps = cards | set(news.sources[:HOME_LATEST])
    kept = r.kept("", home_deps, "portal_home.html")
    files.append(kept if kept is not None else r.render(
        "portal_home.html", "", title=config.name, description=config.description,
        kind="portal-home", deps=home_deps, latest=news[:HOME_LATEST], agencies=agencies(),
    ))
    section = c.Crumb(label("berita"), urls.path("berita/"))
    pages = c.paginate(len(news), region.config.per_page, "berita/", urls)
    site_yaml = {site.slug: str(site.config.source) for site in region.sites}
    for number, rel, part in pages:
        shown_sources = news.sources[part]
        # opdgen.yaml, the posts it lists and their agencies' site.yaml (a card names its agency), not
        # every agency's: a thousand listing pages' deps were most of the portal's pages.json
        yamls = {site_yaml.get(_site_of(source), "") for source in shown_sources}
        deps: frozenset[str] = sources | set(shown_sources) if "" in yamls \
            else frozenset({config_dep, *shown_sources, *yamls})
        kept = r.kept(rel, deps, "portal_list.html")
        if kept is not None:
            files.append(kept)
            continue
        heading = label("berita") if number == 1 else f"{label('berita')} ({label('page')} {number})"
        files.append(r.render(
            "portal_list.html", rel, title=heading, description=config.description,
            kind="portal-list", crumbs=[home, section], deps=deps,
            posts=news[part], pagination=c.pagination(pages, number, urls), heading=heading,
        ))
    kept = r.kept("opd/", cards, "portal_directory.html")
    files.append(kept if kept is not None else r.render(
        "portal_directory.html", "opd/", title=label("directory"), description=config.description,
        kind="portal-directory", crumbs=[home, c.Crumb(label("directory"), urls.path("opd/"))],
        deps=cards, agencies=agencies(),
    ))
    files.append(r.render(
        "404.html", "404.html", title=label("not_found_title"), description=config.description,
        kind="404", noindex=True, deps=[config_dep],
    ))
    files.append(r.render(  # outputs.search builds the index (every agency's posts) this page reads
        "search.html", "cari/", title=label("search_title_portal"), description=config.description,
        kind="search", crumbs=[home, c.Crumb(label("search"), urls.path("cari/"))], deps=[config_dep],
        search_merge=tuple(urls.path(f"{bundle}/") for bundle in merged_bundles(region)),  # its shards
        search_scope=label("search_scope_portal"),  # what its index holds (outputs.search.lead_doc)
    ))
    files.append(OutputFile(
        PurePosixPath(root) / "feed.xml",
        atom(FeedInfo(config.name, config.description, urls.abs(""), urls.abs("feed.xml"),
                      region.config.name, region.config.language), [s[4]() for s in shown[:FEED_SIZE]]),
        sources | set(news.sources[:FEED_SIZE]),
    ))
    files += portal_sections(PortalSection(r=r, region=region, home=home, sources=sources, label=label))
    folders = (str(f.path).removeprefix(f"{root}/").rpartition("/")[0]  # (pathlib's: 10 ms)
               for f in files if f.is_page and f.path.name != "404.html")
    pages_urls = [urls.abs(f"{folder}/" if folder else "") for folder in folders]
    files.append(OutputFile(PurePosixPath(root) / "sitemap.xml",
                            sitemap([SitemapEntry(u) for u in pages_urls]), sources))
    files.append(OutputFile(PurePosixPath(root) / "robots.txt", robots(urls.abs("sitemap.xml")),
                            frozenset({config_dep})))
    return files

