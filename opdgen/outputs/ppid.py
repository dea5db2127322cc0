"""Section pages (issue 8): the PPID register: DIP table per agency,
one page per document, the portal's Informasi Publik.

SKELETON: the section's owner fills these in; each returns the OutputFiles of its pages.
"""

from __future__ import annotations

from collections.abc import Callable

from opdgen.content.model import Region, Site
from opdgen.outputs.files import OutputFile
from opdgen.outputs.public import HomeBlock, PortalSection, SiteSection

CLAIMS: frozenset[str] = frozenset()  # halaman slugs this section renders itself


def menu(site: Site, label: Callable[[str], str]) -> list[tuple[str, str]]:
    """Default-menu entries (label, site-relative URL) when the site has this section."""
    return []


def portal_menu(region: Region, label: Callable[[str], str]) -> list[tuple[str, str]]:
    return []


def home(s: SiteSection) -> HomeBlock:
    """Variables this section adds to home.html, and the sources they show."""
    return HomeBlock()


def site_files(s: SiteSection) -> list[OutputFile]:
    return []


def portal_files(p: PortalSection) -> list[OutputFile]:
    return []
