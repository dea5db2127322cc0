"""The regional portal's web root: latest news of every agency, the agency directory, feed, sitemap.

Pure: the loaded region in, OutputFile values out. Items link to the posts on the agencies' own sites.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import PurePosixPath

import jinja2

from opdgen.config import PORTAL_SLUG, SiteConfig
from opdgen.content.model import Kind, Region
from opdgen.outputs.feeds import FeedInfo, SitemapEntry, atom, robots, sitemap
from opdgen.outputs.files import OutputFile, PageRenderer, PageReuse
from opdgen.outputs.media import portal_card_files
from opdgen.outputs.public import PortalSection, portal_menu, portal_sections
from opdgen.outputs.site import brand_file, theme_files
from opdgen.render import context as c
from opdgen.render.themes import Theme

HOME_LATEST = 12


def portal_config(region: Region) -> SiteConfig:
    """The portal as a site: the region's name, address and colour."""
    cfg = region.config
    return SiteConfig(
        slug=PORTAL_SLUG, source=cfg.source, name=cfg.portal_title, short_name=cfg.short_name,
        base_url=cfg.portal_base_url, description=cfg.portal_description, logo=None,
        colour=cfg.portal_colour, address="", phone="", email="", whatsapp="", office_hours="",
        social=(), menu=None,
    )


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
        menu=lambda path: c.menu_items(menu_entries, path, urls),
    )
    news: list[c.PostView] = []
    agencies: list[c.Agency] = []
    for site in region.sites:
        site_urls = c.Urls(site.config.base_url)
        brand_rel_site = brand_file(site.slug, site.config.colour, "")[1]
        sv = c.site_view(site.config, site_urls, brand_rel_site, None)
        views = [c.post_view(p, sv, site_urls, lambda k: label(k.value), shown_at=urls)
                 for p in site.posts if p.kind.is_news]
        berita = [v for v in views if v.kind == Kind.BERITA.value]
        news += berita
        dates = [v.updated or v.date for v in views if v.date is not None]
        agencies.append(c.Agency(site=sv, last_update=max(dates, default=None),
                                 post_count=len(views), latest=berita[0] if berita else None))
    news.sort(key=lambda v: (v.date, v.abs_url), reverse=True)
    agencies.sort(key=lambda a: a.site.name.lower())
    sources = frozenset({config_dep, *(str(s.config.source) for s in region.sites)})
    cards = sources | {a.latest.source for a in agencies if a.latest is not None}  # _agency_card.html
    home = c.Crumb(label("home"), urls.path(""))
    files = [brand, *theme_files(root, theme), *portal_card_files(root, region)]
    files.append(r.render(
        "portal_home.html", "", title=config.name, description=config.description,
        kind="portal-home", deps=cards | {v.source for v in news[:HOME_LATEST]},
        latest=news[:HOME_LATEST], agencies=agencies,
    ))
    section = c.Crumb(label("berita"), urls.path("berita/"))
    pages = c.paginate(len(news), region.config.per_page, "berita/", urls)
    for number, rel, part in pages:
        items = news[part]
        heading = label("berita") if number == 1 else f"{label('berita')} ({label('page')} {number})"
        files.append(r.render(
            "portal_list.html", rel, title=heading, description=config.description,
            kind="portal-list", crumbs=[home, section], deps=sources | {v.source for v in items},
            posts=items, pagination=c.pagination(pages, number, urls), heading=heading,
        ))
    files.append(r.render(
        "portal_directory.html", "opd/", title=label("directory"), description=config.description,
        kind="portal-directory", crumbs=[home, c.Crumb(label("directory"), urls.path("opd/"))],
        deps=cards, agencies=agencies,
    ))
    files.append(r.render(
        "404.html", "404.html", title=label("not_found_title"), description=config.description,
        kind="404", noindex=True, deps=[config_dep],
    ))
    files.append(r.render(  # outputs.search builds the index (every agency's posts) this page reads
        "search.html", "cari/", title=label("search_title_portal"), description=config.description,
        kind="search", crumbs=[home, c.Crumb(label("search"), urls.path("cari/"))], deps=[config_dep],
    ))
    files.append(OutputFile(
        PurePosixPath(root) / "feed.xml",
        atom(FeedInfo(config.name, config.description, urls.abs(""), urls.abs("feed.xml"),
                      region.config.name, region.config.language), news),
        sources | {v.source for v in news[:20]},
    ))
    files += portal_sections(PortalSection(r=r, region=region, home=home, sources=sources, label=label))
    rels = (f.path.relative_to(root).parent.as_posix()
            for f in files if f.is_page and f.path.name != "404.html")
    pages_urls = [urls.abs("" if rel == "." else f"{rel}/") for rel in rels]
    files.append(OutputFile(PurePosixPath(root) / "sitemap.xml",
                            sitemap([SitemapEntry(u) for u in pages_urls]), sources))
    files.append(OutputFile(PurePosixPath(root) / "robots.txt", robots(urls.abs("sitemap.xml")),
                            frozenset({config_dep})))
    return files

