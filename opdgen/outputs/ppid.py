"""The PPID section (issue 8): the /ppid/ landing page, the Daftar Informasi Publik (/dokumen/, its
category, year and newest-first pages, one page per document) and the portal's /informasi-publik/.

Pure: sections in, OutputFile values out. Every choice of the DIP (category, year, order) is a
page of its own reached by a plain link: the register is complete without any script.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from opdgen.content.model import Kind, Region, Site
from opdgen.outputs import dip
from opdgen.outputs.files import OutputFile
from opdgen.outputs.public import HomeBlock, PortalSection, SiteSection
from opdgen.public.dokumen import CATEGORIES
from opdgen.public.freshness import entries
from opdgen.records import record
from opdgen.render import context as c

CLAIMS: frozenset[str] = frozenset({"ppid"})  # halaman/ppid.md is the landing page's text
# Halaman of the information request procedure, linked from /ppid/ when the site has them.
PROCEDURES = ("permohonan-informasi", "keberatan-informasi", "sengketa-informasi")
HOME_LATEST = 3
LANDING_LATEST = 5


@record(kw_only=True)
class PpidHome:
    """The home page's PPID band."""

    url: str  # /ppid/
    dip_url: str | None  # /dokumen/, None without a register
    total: int
    counts: tuple[dip.CategoryCount, ...]
    latest: tuple[dip.DocView, ...]


@record(kw_only=True)
class AgencyRegister:
    """One agency's row of the portal's Informasi Publik table (links to the agency's own site)."""

    name: str
    site_url: str
    ppid_url: str
    dip_url: str | None
    total: int
    counts: tuple[dip.CategoryCount, ...]
    latest_title: str
    latest_url: str
    latest_date: datetime | None


def has_section(site: Site) -> bool:
    """A register or a halaman/ppid.md: the site has /ppid/ (and the menu links it)."""
    return bool(site.of_kind(Kind.DOKUMEN)) or any(p.slug == "ppid" for p in site.of_kind(Kind.HALAMAN))


def menu(site: Site, label: Callable[[str], str]) -> list[tuple[str, str]]:
    """Default-menu entries (label, site-relative URL) when the site has this section."""
    return [(label("ppid_menu"), "/ppid/")] if has_section(site) else []


def portal_menu(region: Region, label: Callable[[str], str]) -> list[tuple[str, str]]:
    return [(label("ppid_menu"), "/informasi-publik/")] if any(has_section(s) for s in region.sites) else []


def _docs(s: SiteSection) -> list[dip.DocView]:
    return dip.doc_views(s.site, s.views.get(Kind.DOKUMEN, []), s.r.urls)


def home(s: SiteSection) -> HomeBlock:
    """The PPID band of the home page (ppid_home: none when the site has no PPID section)."""
    if not has_section(s.site):
        return HomeBlock({"ppid_home": None})
    docs, path = _docs(s), s.r.urls.path
    band = PpidHome(url=path("ppid/"), dip_url=path("dokumen/") if docs else None, total=len(docs),
                    counts=tuple(dip.counts(docs, lambda cat: path(f"dokumen/{cat}/"))),
                    latest=tuple(dip.newest_first(docs)[:HOME_LATEST]))
    return HomeBlock({"ppid_home": band}, dip.deps(s.site_yaml, docs))


def site_files(s: SiteSection) -> list[OutputFile]:
    if not has_section(s.site):
        return []
    docs = _docs(s)
    ppid = c.Crumb(s.label("ppid_menu"), s.r.urls.path("ppid/"))
    files = [_landing(s, docs, ppid)]
    if docs:
        files += _dip_pages(s, docs, ppid)
        files += _document_pages(s, docs, ppid)
    return files


def _landing(s: SiteSection, docs: Sequence[dip.DocView], crumb: c.Crumb) -> OutputFile:
    """/ppid/: halaman/ppid.md's text, the register's counts, the request procedure's pages."""
    r, label = s.r, s.label
    halaman = {v.url: v for v in s.views.get(Kind.HALAMAN, [])}
    intro = halaman.get(r.urls.path("ppid/"))
    procedures = [halaman[u] for u in (r.urls.path(f"{slug}/") for slug in PROCEDURES) if u in halaman]
    shown = [v for v in (intro, *procedures) if v is not None]
    return r.render(
        "ppid.html", "ppid/", title=intro.title if intro else label("ppid_title"),
        description=(intro.summary if intro and intro.summary else label("ppid_lead")), kind="ppid",
        crumbs=[s.home, crumb], deps=dip.deps(s.site_yaml, docs) | {v.source for v in shown},
        intro=intro, procedures=procedures, total=len(docs),
        counts=dip.counts(docs, lambda cat: r.urls.path(f"dokumen/{cat}/")) if docs else [],
        dip_url=r.urls.path("dokumen/") if docs else None,
        latest=dip.newest_first(docs)[:LANDING_LATEST],
    )


def _dip_pages(s: SiteSection, docs: Sequence[dip.DocView], ppid: c.Crumb) -> list[OutputFile]:
    """/dokumen/ by category and year, one page per category and per year, and newest first."""
    r, label = s.r, s.label
    title = label("dip_title")
    top = c.Crumb(title, r.urls.path("dokumen/"))
    every = dip.deps(s.site_yaml, docs)  # the choices count every document: each page shows them all
    pages: list[tuple[str, str, list[dip.DipTable]]] = [("dokumen/", title, dip.category_tables(docs))]
    for cat in CATEGORIES:
        heading = f"{title}: {label('ppid_cat_' + cat)}"
        pages.append((f"dokumen/{cat}/", heading, dip.category_tables(docs, [cat])))
    for year in sorted({d.year for d in docs}, reverse=True):
        mine = [d for d in docs if d.year == year]
        pages.append((f"dokumen/tahun/{year}/", f"{title} {label('dip_year')} {year}",
                      [t for t in dip.category_tables(mine) if t.count]))
    pages.append(("dokumen/terbaru/", f"{title}: {label('dip_sort_newest')}", [dip.newest_table(docs)]))
    out = []
    for rel, heading, tables in pages:
        crumbs = [s.home, ppid, top] + ([c.Crumb(heading, r.urls.path(rel))] if rel != "dokumen/" else [])
        out.append(r.render(
            "dip.html", rel, title=heading, description=f"{title} - {r.site.name}", kind="dip",
            crumbs=crumbs, deps=every, heading=heading, tables=tables, total=len(docs),
            filters=dip.filters(docs, r.urls.path, rel), dip_url=r.urls.path("dokumen/"),
        ))
    return out


def _document_pages(s: SiteSection, docs: Sequence[dip.DocView], ppid: c.Crumb) -> list[OutputFile]:
    r, label = s.r, s.label
    top = c.Crumb(label("dip_title"), r.urls.path("dokumen/"))
    return [r.render(
        "dokumen.html", d.post.url.removeprefix(r.urls.base_path), title=d.post.title,
        description=d.post.summary or f"{label('dip_title')} - {r.site.name}", kind="dokumen",
        crumbs=[s.home, ppid, top, c.Crumb(d.post.title, d.post.url)], deps=dip.deps(s.site_yaml, [d]),
        doc=d, post=d.post, category_url=r.urls.path(f"dokumen/{d.category}/"), dip_url=top.url,
        json_ld=(dip.document_ld(d, r.site, str(r.env.globals.get("lang", "id"))),),
    ) for d in docs]


def portal_files(p: PortalSection) -> list[OutputFile]:
    """/informasi-publik/: every agency's register in one table, linking each agency's own DIP."""
    sites = sorted((s for s in p.region.sites if has_section(s)), key=lambda s: s.config.name.lower())
    if not sites:
        return []
    rows = [_agency_row(site) for site in sites]
    title = p.label("portal_ppid_title")
    sources = {str(post.source.path) for site in sites for post in site.of_kind(Kind.DOKUMEN)}
    totals = [dip.CategoryCount(cat, sum(n.count for row in rows for n in row.counts if n.category == cat),
                                "") for cat in CATEGORIES]
    return [p.r.render(
        "portal_informasi_publik.html", "informasi-publik/", title=title,
        description=p.label("portal_ppid_lead"),
        kind="portal-informasi-publik", crumbs=[p.home, c.Crumb(title, p.r.urls.path("informasi-publik/"))],
        deps=p.sources | sources, agencies=rows, totals=totals, total=sum(row.total for row in rows),
    )]


def _agency_row(site: Site) -> AgencyRegister:
    urls = c.Urls(site.config.base_url)
    docs = entries(site)  # drafts only in a preview, like the agency's own DIP
    counts = tuple(dip.CategoryCount(cat, sum(1 for _, d in docs if d.category == cat),
                                     urls.abs(f"dokumen/{cat}/")) for cat in CATEGORIES)
    dated = sorted(docs, key=lambda pair: (pair[0].title.lower(), pair[0].slug))
    dated.sort(key=lambda pair: pair[0].date.timestamp() if pair[0].date else 0.0, reverse=True)
    latest = dated[0][0] if dated else None
    return AgencyRegister(
        name=site.config.name, site_url=urls.abs(""), ppid_url=urls.abs("ppid/"),
        dip_url=urls.abs("dokumen/") if docs else None, total=len(docs), counts=counts,
        latest_title=latest.title if latest else "",
        latest_url=urls.abs(f"dokumen/{latest.slug}/") if latest else "",
        latest_date=latest.date if latest else None,
    )
