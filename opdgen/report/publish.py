"""The report page on the portal (`report.publish: true`): OutputFile values, nothing written here.

It is dated by the build's "now", so one commit built at one moment gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from opdgen.config import PORTAL_SLUG
from opdgen.content.model import Region
from opdgen.outputs.files import OutputFile, sri
from opdgen.outputs.summary import post_entries
from opdgen.render.context import Urls
from opdgen.render.themes import Theme, fingerprinted
from opdgen.report.compute import compute_report
from opdgen.report.gitlog import read_history
from opdgen.report.html import PageLinks, render_html, stylesheet

PAGE_DIR = "laporan"  # output/portal/laporan/index.html
CSS_SOURCE = "assets/css/laporan.css"


def published_report(root: Path, region: Region, theme: Theme) -> list[OutputFile]:
    """The portal's laporan/ page and its stylesheet; none unless opdgen.yaml says publish."""
    if not region.config.report.publish:
        return []
    today = region.now.astimezone(region.config.timezone).date()
    report = compute_report(region, read_history(root), today)
    css = stylesheet()
    css_rel = fingerprinted(CSS_SOURCE, css)
    urls = Urls(region.config.portal_base_url)
    icon = theme.assets.get("img/favicon.svg")
    links = PageLinks(
        css=urls.path(css_rel), home=urls.path(""), canonical=urls.abs(f"{PAGE_DIR}/"),
        icon=urls.path(icon.published) if icon else None, css_integrity=sri(css),
    )
    deps = frozenset({str(region.config.source),
                      *(source for s in region.sites for _, _, source, _ in post_entries(s)), "git:log"})
    page = render_html(report, region.config.language, links).encode("utf-8")
    root_dir = PurePosixPath(PORTAL_SLUG)
    return [
        OutputFile(root_dir / PAGE_DIR / "index.html", page, deps, is_page=True),
        OutputFile(root_dir / css_rel, css, frozenset({CSS_SOURCE})),
    ]
