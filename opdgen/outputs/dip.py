"""The Daftar Informasi Publik as views: documents with their files, grouped by category and year.

Pure: the loaded site and its post views in, frozen views for the PPID templates out. The order is
the law's for categories (UU 14/2008), newest first for years and dates, then title and URL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from opdgen.content.model import Kind, Site
from opdgen.media.model import Document
from opdgen.public.dokumen import CATEGORIES, DocumentDetails
from opdgen.public.freshness import entries, register_files
from opdgen.records import record
from opdgen.render import context as c
from opdgen.render.structured import organization

MIME = {
    "PDF": "application/pdf", "ODT": "application/vnd.oasis.opendocument.text",
    "ODS": "application/vnd.oasis.opendocument.spreadsheet",
    "ODP": "application/vnd.oasis.opendocument.presentation",
    "DOCX": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "PPTX": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "ZIP": "application/zip",
}


@record(kw_only=True)
class DocView:
    """One register entry as the DIP table and its own page show it."""

    post: c.PostView  # title, url, summary, body_html, date, updated, is_draft, is_scheduled, source
    category: str  # berkala, serta-merta, setiap-saat, dikecualikan
    type: str  # label key: dokumen_type_<type>
    year: int
    period: str
    unit: str
    reason: str  # dikecualikan: the legal basis
    file_url: str | None  # None for dikecualikan
    file_abs_url: str | None
    file_kind: str  # "PDF"
    file_label: str  # "PDF, 12 KB"
    file_source: str  # repository path of the published file ("" without one): a page dependency

    @property
    def is_excluded(self) -> bool:
        return self.file_url is None

    @property
    def published(self) -> datetime | None:
        return self.post.date


@record
class YearGroup:
    year: int | None  # None: an ungrouped table (the newest-first list)
    docs: tuple[DocView, ...]


@record
class DipTable:
    """One <table> of the DIP: a category (its years as row groups), or every category at once."""

    anchor: str  # id of the table's caption: "berkala", "terbaru", ...
    category: str  # "" when the table holds every category (a column then says which)
    count: int
    groups: tuple[YearGroup, ...]


@record
class FilterLink:
    """A link of the DIP's category, year or order choices; `key` is a label key, else `text` shows."""

    key: str
    text: str
    url: str
    count: int
    is_current: bool


@record
class CategoryCount:
    category: str
    count: int
    url: str


def doc_views(site: Site, views: Sequence[c.PostView], urls: c.Urls) -> list[DocView]:
    """Every register entry (loader order) with its published file."""
    files = register_files(site)
    by_source = {v.source: v for v in views}
    out = []
    for post, details in entries(site):
        view = by_source.get(str(post.source.path))
        if view is not None:
            document = files.get(post.source.path)
            out.append(_doc_view(view, details, urls, document))
    return out


def _doc_view(view: c.PostView, d: DocumentDetails, urls: c.Urls, document: Document | None) -> DocView:
    doc = None if d.is_excluded else document
    return DocView(
        post=view, category=d.category, type=d.type, year=d.year, period=d.period, unit=d.unit,
        reason=d.reason, file_url=urls.path(doc.rel) if doc else None,
        file_abs_url=urls.abs(doc.rel) if doc else None, file_kind=doc.kind if doc else "",
        file_label=doc.label if doc else "", file_source=str(doc.source) if doc else "",
    )


def newest_first(docs: Sequence[DocView]) -> list[DocView]:
    """By publication date, newest first, then title and URL (stable across builds)."""
    by_title = sorted(docs, key=lambda d: (d.post.title.lower(), d.post.url))
    return sorted(by_title, key=lambda d: d.published.timestamp() if d.published else 0.0, reverse=True)


def by_year(docs: Sequence[DocView]) -> tuple[YearGroup, ...]:
    """Years newest first; within a year, newest publication first."""
    years = sorted({d.year for d in docs}, reverse=True)
    return tuple(YearGroup(y, tuple(newest_first([d for d in docs if d.year == y]))) for y in years)


def category_tables(docs: Sequence[DocView], categories: Sequence[str] = CATEGORIES) -> list[DipTable]:
    """One table per category, in the law's order (empty ones too: the DIP says there is nothing)."""
    tables = []
    for category in categories:
        mine = [d for d in docs if d.category == category]
        tables.append(DipTable(category, category, len(mine), by_year(mine)))
    return tables


def newest_table(docs: Sequence[DocView]) -> DipTable:
    return DipTable("terbaru", "", len(docs), (YearGroup(None, tuple(newest_first(docs))),))


def counts(docs: Sequence[DocView], url: Callable[[str], str]) -> list[CategoryCount]:
    """Documents per category, in the law's order; url(category) links its DIP page."""
    return [CategoryCount(cat, sum(1 for d in docs if d.category == cat), url(cat)) for cat in CATEGORIES]


def filters(docs: Sequence[DocView], url: Callable[[str], str], current: str) -> dict[str, list[FilterLink]]:
    """The DIP's choices as plain links: category pages, year pages, and the two orders.

    current: the rel path of the page showing them ("dokumen/", "dokumen/berkala/", ...)."""
    cats = [FilterLink(f"ppid_cat_{n.category}", "", url(f"dokumen/{n.category}/"), n.count,
                       current == f"dokumen/{n.category}/") for n in counts(docs, lambda _: "")]
    years = [FilterLink("", str(y), url(f"dokumen/tahun/{y}/"), sum(1 for d in docs if d.year == y),
                        current == f"dokumen/tahun/{y}/")
             for y in sorted({d.year for d in docs}, reverse=True)]
    orders = [FilterLink("dip_sort_category", "", url("dokumen/"), len(docs), current == "dokumen/"),
              FilterLink("dip_sort_newest", "", url("dokumen/terbaru/"), len(docs),
                         current == "dokumen/terbaru/")]
    return {"categories": cats, "years": years, "orders": orders}


def deps(site_yaml: str, docs: Sequence[DocView]) -> frozenset[str]:
    """Sources a page showing these documents depends on: the entries and their published files."""
    files = (d.file_source for d in docs if d.file_source)
    return frozenset({site_yaml, *(d.post.source for d in docs), *files})


def register_sources(site: Site) -> frozenset[str]:
    """Every register entry's source (pages that count the register depend on all of them)."""
    return frozenset(str(p.source.path) for p in site.of_kind(Kind.DOKUMEN))


def document_ld(doc: DocView, site: c.SiteView, lang: str) -> dict[str, Any]:
    """schema.org DigitalDocument of a register entry (its file as a MediaObject, or the legal
    basis of its exclusion as conditionsOfAccess), for the page's JSON-LD."""
    item: dict[str, Any] = {
        "@type": "DigitalDocument", "name": doc.post.title, "url": doc.post.abs_url,
        "publisher": organization(site), "inLanguage": lang, "temporalCoverage": str(doc.year),
    }
    if doc.post.summary:
        item["description"] = doc.post.summary
    if doc.published is not None:
        item["datePublished"] = doc.published.isoformat(timespec="seconds")
        item["dateModified"] = (doc.post.updated or doc.published).isoformat(timespec="seconds")
    if doc.file_abs_url:
        item["associatedMedia"] = {"@type": "MediaObject", "contentUrl": doc.file_abs_url,
                                   "encodingFormat": MIME.get(doc.file_kind, "application/octet-stream")}
    else:
        item["conditionsOfAccess"] = doc.reason
    return item
