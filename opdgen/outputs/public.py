"""The public-service sections of a site and of the portal (issue 8): agenda, PPID, services, SKM.

Each section is its own module (opdgen.outputs.agenda, .ppid, .services); this one only hands them
what they need, so opdgen.outputs.site and .portal each call one function.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import field
from typing import Any

from opdgen.content.model import Kind, Region, Site
from opdgen.outputs.files import OutputFile, PageRenderer
from opdgen.records import record
from opdgen.render import context as c


@record
class SiteSection:
    """One agency site as its sections see it."""

    r: PageRenderer  # renders pages under the site's web root (r.root, r.urls, r.site)
    site: Site
    region: Region
    views: dict[Kind, list[c.PostView]]  # every kind's views, in the loader's order
    home: c.Crumb
    site_yaml: str  # dependency of every page (site.yaml)
    label: Callable[[str], str]

    def posts(self, kind: Kind) -> list[tuple[c.PostView, object]]:
        """(view, details) pairs of a public-service kind, in the loader's order."""
        details = [p.details for p in self.site.of_kind(kind)]
        return list(zip(self.views.get(kind, []), details, strict=True))


@record
class PortalSection:
    """The portal as its sections see it; each agency's posts are linked on the agency's own site."""

    r: PageRenderer
    region: Region
    home: c.Crumb
    sources: frozenset[str]  # opdgen.yaml and every site.yaml
    label: Callable[[str], str]


@record
class HomeBlock:
    """What a section adds to the agency's home page: template variables and the sources they show."""

    values: Mapping[str, Any] = field(default_factory=dict)
    deps: frozenset[str] = frozenset()


def claimed_pages() -> frozenset[str]:
    """Halaman slugs a section renders itself (e.g. halaman/ppid.md is the PPID landing page's text):
    opdgen.outputs.site leaves them out of its own halaman pages."""
    from opdgen.outputs import agenda, ppid, services

    return agenda.CLAIMS | ppid.CLAIMS | services.CLAIMS


def section_menu(site: Site, label: Callable[[str], str]) -> list[tuple[str, str]]:
    """The default menu's entries for the sections this site has (label, site-relative URL)."""
    from opdgen.outputs import agenda, ppid, services

    return [*agenda.menu(site, label), *services.menu(site, label), *ppid.menu(site, label)]


def portal_menu(region: Region, label: Callable[[str], str]) -> list[tuple[str, str]]:
    from opdgen.outputs import agenda, ppid, services

    return [*agenda.portal_menu(region, label), *services.portal_menu(region, label),
            *ppid.portal_menu(region, label)]


def home_blocks(s: SiteSection) -> HomeBlock:
    """Every section's home-page block merged: variables for home.html and their sources."""
    from opdgen.outputs import agenda, ppid, services

    blocks = [agenda.home(s), services.home(s), ppid.home(s)]
    values: dict[str, Any] = {}
    for block in blocks:
        values.update(block.values)
    return HomeBlock(values, frozenset().union(*(b.deps for b in blocks)))


def site_sections(s: SiteSection) -> list[OutputFile]:
    from opdgen.outputs import agenda, ppid, services

    return [*agenda.site_files(s), *ppid.site_files(s), *services.site_files(s)]


def portal_sections(p: PortalSection) -> list[OutputFile]:
    from opdgen.outputs import agenda, ppid, services

    return [*agenda.portal_files(p), *ppid.portal_files(p), *services.portal_files(p)]


def source_deps(views: Sequence[c.PostView]) -> frozenset[str]:
    return frozenset(v.source for v in views)
