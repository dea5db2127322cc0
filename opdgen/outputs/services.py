"""Services section (issue 8): the /layanan/ index, one page per service (/layanan/<slug>/), the
Maklumat Pelayanan page, the SKM results (/skm/, opdgen.outputs.skmpage) and the home-page block.

Pure: views in, OutputFile values out. halaman/layanan.md is the index's introduction and
halaman/maklumat-pelayanan.md the declaration's text, so this section renders both itself (CLAIMS).
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from opdgen.content.model import Kind, Region, Site
from opdgen.outputs import skmpage
from opdgen.outputs.files import OutputFile
from opdgen.outputs.public import HomeBlock, PortalSection, SiteSection, source_deps
from opdgen.public.layanan import ServiceDetails
from opdgen.public.skm import SurveyDetails
from opdgen.records import record
from opdgen.render import context as c

INDEX, MAKLUMAT, STANDARD = "layanan", "maklumat-pelayanan", "standar-pelayanan"
CLAIMS: frozenset[str] = frozenset({INDEX, MAKLUMAT})  # halaman slugs this section renders itself
HOME_SERVICES = 4  # services linked from the home page


@record
class ServiceItem:
    post: c.PostView
    details: ServiceDetails


@record(kw_only=True)
class ServiceLinks:
    """The section's pages that every page of it links to; None where the site has none."""

    index: str | None  # /layanan/, when the site has the section (services, SKM or halaman/layanan.md)
    standard: c.PostView | None  # halaman/standar-pelayanan.md
    maklumat: c.PostView | None  # halaman/maklumat-pelayanan.md
    skm: str | None  # /skm/, when the site publishes SKM results


@record(kw_only=True)
class ServicesHome:
    """The home page's services band: a few services and the latest satisfaction index."""

    services: tuple[ServiceItem, ...]
    links: ServiceLinks
    survey: skmpage.SurveyView | None


@record
class _Parts:
    """What the section's pages are made of, gathered once per site."""

    services: list[ServiceItem]
    surveys: list[tuple[c.PostView, SurveyDetails]]
    intro: c.PostView | None  # halaman/layanan.md
    links: ServiceLinks

    @property
    def exists(self) -> bool:
        return self.links.index is not None

    def deps(self, site_yaml: str) -> frozenset[str]:
        """Every source the section shows somewhere on the index (and the links' titles)."""
        shown = [i.post for i in self.services] + [v for v, _ in self.surveys]
        extra = [v for v in (self.intro, self.links.standard, self.links.maklumat) if v is not None]
        return source_deps([*shown, *extra]) | {site_yaml}


def has_section(site: Site) -> bool:
    pages = {p.slug for p in site.of_kind(Kind.HALAMAN)}
    return bool(site.of_kind(Kind.LAYANAN) or site.of_kind(Kind.SKM) or INDEX in pages)


def menu(site: Site, label: Callable[[str], str]) -> list[tuple[str, str]]:
    """"Layanan" -> /layanan/ when the site has services, SKM results or halaman/layanan.md."""
    return [(label("services"), "/layanan/")] if has_section(site) else []


def portal_menu(region: Region, label: Callable[[str], str]) -> list[tuple[str, str]]:
    return []


def _parts(s: SiteSection) -> _Parts:
    services = [ServiceItem(v, d) for v, d in s.posts(Kind.LAYANAN) if isinstance(d, ServiceDetails)]
    surveys = [(v, d) for v, d in s.posts(Kind.SKM) if isinstance(d, SurveyDetails)]
    pages = {v.url: v for v in s.views.get(Kind.HALAMAN, [])}
    path = s.r.urls.path
    intro = pages.get(path(f"{INDEX}/"))
    links = ServiceLinks(index=path(f"{INDEX}/") if services or surveys or intro else None,
                         standard=pages.get(path(f"{STANDARD}/")), maklumat=pages.get(path(f"{MAKLUMAT}/")),
                         skm=path("skm/") if surveys else None)
    return _Parts(services, surveys, intro, links)


def _lang(s: SiteSection) -> str:
    return str(s.r.env.globals.get("lang", "id"))


def home(s: SiteSection) -> HomeBlock:
    """`services_home` for home.html: None when the site has neither services nor SKM results."""
    parts = _parts(s)
    if not parts.services and not parts.surveys:
        return HomeBlock({"services_home": None})
    latest = skmpage.survey_views(parts.surveys, s.label, _lang(s))[:1]
    block = ServicesHome(services=tuple(parts.services[:HOME_SERVICES]), links=parts.links,
                         survey=latest[0] if latest else None)
    return HomeBlock({"services_home": block}, parts.deps(s.site_yaml))


def site_files(s: SiteSection) -> list[OutputFile]:
    parts = _parts(s)
    files = []
    if parts.exists:
        files.append(_index(s, parts))
        files += [_service_page(s, parts, item) for item in parts.services]
    if parts.links.maklumat is not None:
        files.append(_maklumat(s, parts, parts.links.maklumat))
    if parts.surveys:
        files.append(_skm(s, parts))
    return files


def _section_crumbs(s: SiteSection, parts: _Parts) -> list[c.Crumb]:
    """Home, then the services index when the site has one."""
    if parts.links.index is None:
        return [s.home]
    return [s.home, c.Crumb(parts.intro.title if parts.intro else s.label("services"), parts.links.index)]


def _index(s: SiteSection, parts: _Parts) -> OutputFile:
    crumbs = _section_crumbs(s, parts)
    latest = skmpage.survey_views(parts.surveys, s.label, _lang(s))[:1]
    return s.r.render(
        "layanan_index.html", f"{INDEX}/", title=crumbs[-1].label,
        description=(parts.intro.summary if parts.intro else "") or s.r.site.description,
        kind="layanan-index", crumbs=crumbs, deps=parts.deps(s.site_yaml),
        intro=parts.intro, services=parts.services, links=parts.links,
        survey=latest[0] if latest else None,
    )


def _service_page(s: SiteSection, parts: _Parts, item: ServiceItem) -> OutputFile:
    view = item.post
    others = [i for i in parts.services if i.post.url != view.url]
    shown = [view, *(i.post for i in others), *(v for v in (parts.links.standard, parts.links.maklumat) if v)]
    return s.r.render(
        "layanan.html", view.url.removeprefix(s.r.urls.base_path), title=view.title,
        description=view.summary or s.r.site.description, kind="layanan",
        crumbs=[*_section_crumbs(s, parts), c.Crumb(view.title, view.url)],
        deps=source_deps(shown) | {s.site_yaml}, post=view, service=item.details, links=parts.links,
        others=others, json_ld=[government_service(s, item)],
    )


def _maklumat(s: SiteSection, parts: _Parts, view: c.PostView) -> OutputFile:
    shown = [view, *(i.post for i in parts.services)]
    return s.r.render(
        "maklumat.html", f"{MAKLUMAT}/", title=view.title,
        description=view.summary or s.r.site.description, kind="maklumat",
        crumbs=[*_section_crumbs(s, parts), c.Crumb(view.title, view.url)],
        deps=source_deps(shown) | {s.site_yaml}, post=view, services=parts.services, links=parts.links,
    )


def _skm(s: SiteSection, parts: _Parts) -> OutputFile:
    lang = _lang(s)
    surveys = skmpage.survey_views(parts.surveys, s.label, lang)
    title = s.label("skm_title")
    return s.r.render(
        "skm.html", "skm/", title=title, description=s.label("skm_lead"), kind="skm",
        crumbs=[*_section_crumbs(s, parts), c.Crumb(title, s.r.urls.path("skm/"))],
        deps=source_deps([v for v, _ in parts.surveys]) | {s.site_yaml}, surveys=surveys,
        trend_chart=skmpage.trend(parts.surveys, s.label, lang) if len(surveys) > 1 else Markup(""),
        links=parts.links,
    )


def government_service(s: SiteSection, item: ServiceItem) -> dict[str, object]:
    """schema.org GovernmentService for a service page's JSON-LD."""
    site = s.r.site
    return {
        "@type": "GovernmentService",
        "name": item.post.title,
        "description": item.post.summary,
        "url": item.post.abs_url,
        "serviceType": item.details.product,
        "provider": {"@type": "GovernmentOrganization", "name": site.name, "url": site.abs_url},
    }


def portal_files(p: PortalSection) -> list[OutputFile]:
    return []
