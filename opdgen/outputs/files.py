"""OutputFile values and the page renderer shared by the site and portal outputs; no writing here."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import jinja2

from opdgen.problems import Problem, ProblemError
from opdgen.render.context import Crumb, MenuItem, PageMeta, RegionView, SiteView, Urls, brand_css
from opdgen.render.themes import Theme, template_problem


@dataclass(frozen=True, slots=True)
class OutputFile:
    """One file of the output: where (relative to output/), its bytes, and what it was made from."""

    path: PurePosixPath  # e.g. dinkes/berita/x/index.html
    data: bytes
    deps: frozenset[str] = field(default_factory=frozenset)  # repository paths and template names
    is_page: bool = False  # an HTML page a reader can visit (counted in the summary)


def sri(data: bytes) -> str:
    """`sha384-...`: the integrity attribute value of a file's bytes."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def page_file(root: str, rel: str) -> PurePosixPath:
    """`berita/x/` -> `<root>/berita/x/index.html`; a rel ending in .html is kept as it is."""
    if rel.endswith(".html"):
        return PurePosixPath(root) / rel
    return PurePosixPath(root) / rel / "index.html"


@dataclass(frozen=True, slots=True)
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

    def asset(self, source: str) -> str:
        asset = self.theme.assets.get(source)
        if asset is None:
            raise jinja2.UndefinedError(f"asset {source!r} is not in the theme's static folder")
        return self.urls.path(asset.published)

    def integrity(self, url: str) -> str:
        """Subresource Integrity of a stylesheet or script this web root publishes, by its URL."""
        if url == self.site.colour_css_url:
            return sri(brand_css(self.site.colour))
        for asset in self.theme.assets.values():
            if self.urls.path(asset.published) == url:
                return sri(asset.data)
        raise jinja2.UndefinedError(f"integrity: {url!r} is not a theme asset or the brand stylesheet")

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
        page = PageMeta(
            title=title,
            description=description,
            canonical=self.urls.abs(rel if not rel.endswith("index.html") else rel[:-10]),
            path=self.urls.path(rel),
            kind=kind,
            feed_url=self.urls.abs(self.feed_rel),
            noindex=noindex,
        )
        context = {
            "site": self.site,
            "region": self.region,
            "urls": self.url_map,
            "asset": self.asset,
            "integrity": self.integrity,
            "menu": self.menu(page.path),
            "breadcrumbs": tuple(crumbs),
            "page": page,
            **variables,
        }
        try:
            html = self.env.get_template(template).render(context)
        except Exception as exc:  # a theme's bug is a problem with a file and line, not a crash
            raise ProblemError([_template_problem(exc)]) from None
        return OutputFile(
            page_file(self.root, rel),
            html.encode("utf-8"),
            frozenset({*deps, f"template:{template}"}),
            is_page=True,
        )


def _template_problem(exc: BaseException) -> Problem:
    filename, line, detail = template_problem(exc)
    code = "theme.template_missing" if isinstance(exc, jinja2.TemplateNotFound) else (
        "theme.syntax" if isinstance(exc, jinja2.TemplateSyntaxError) else "theme.render"
    )
    path = PurePosixPath(filename)
    if "themes" in path.parts:
        path = PurePosixPath(*path.parts[path.parts.index("themes"):])
    return Problem(path, line, code, {"detail": detail})
