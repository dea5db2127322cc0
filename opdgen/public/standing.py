"""Standing pages (issue 8): the halaman every agency must have, and which ones a site lacks.

opdgen.yaml's `standing_pages:` lists them (default: opdgen.config.STANDING_PAGES; `[]` switches
the check off). `opdgen check` reports each site's missing ones as one notice (never an error: a
missing page must not stop the news); `opdgen report` counts them; `opdgen new halaman` and
`opdgen init` write them with guidance (opdgen.public.standing_guides).

The check itself (present_pages, find_gap, record_gaps) is pure: a build tells a page that is still
a draft from a missing one by what its loader saw (Site.halaman_drafts). Only `entries_on_disk`
reads, through fsguard, for the commands that run without loading the sites (scaffold).
opdgen.config imports this module only when it checks `standing_pages:` (this one imports the loader).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from opdgen import schema as s
from opdgen.content.frontmatter import FrontMatterError, slug_from_filename, slugify, split
from opdgen.content.loader import CONTENT_DIR, RESERVED_PAGE_SLUGS
from opdgen.content.model import Kind, Post, Region, Site
from opdgen.fsguard import Refused, Repo
from opdgen.problems import Problems
from opdgen.public.standing_guides import GUIDES
from opdgen.records import record
from opdgen.yamlload import YamlError, YMap, YNode, YScalar, YSeq, parse_yaml

# A standing page that a section of the site can stand for: /layanan/ is the services index, and
# halaman/layanan.md only its introduction, so a site with published layanan/ entries has its
# service page even without halaman/layanan.md (UU 25/2009 asks that the services be published).
SECTION_PAGES: Mapping[str, Kind] = {"layanan": Kind.LAYANAN}
MAX_PAGES = 50
OnDisk = dict[str, tuple[PurePosixPath, bool]]  # slug -> (repository path, draft: true)


def standing_pages_list(node: YNode, where: s.Where) -> Any:
    """Checker of opdgen.yaml `standing_pages:`: halaman slugs, each once, none that opdgen uses."""
    if not isinstance(node, YSeq):
        return where.fail(node, "schema.type.list")
    if len(node.items) > MAX_PAGES:
        return where.fail(node, "schema.too_many", max=MAX_PAGES)
    pages: list[str] = []
    first: dict[str, int] = {}
    ok = True
    for item in node.items:
        value = item.text.strip() if isinstance(item, YScalar) else ""
        if not isinstance(item, YScalar) or not value or slugify(value) != value:
            where.fail(item, "config.standing_pages.slug", value=value or "...",
                       example=slugify(value) or "visi-misi")
        elif value in RESERVED_PAGE_SLUGS:
            where.fail(item, "config.standing_pages.reserved", value=value)
        elif value in first:
            where.fail(item, "config.standing_pages.duplicate", value=value, first=first[value])
        else:
            first[value] = where.line(item)
            pages.append(value)
            continue
        ok = False
    return tuple(pages) if ok else s.INVALID


def page_title(slug: str) -> str:
    """The proper title of a standing page: "Visi dan Misi" for visi-misi."""
    guide = GUIDES.get(slug)
    return guide.title if guide else slug.replace("-", " ").title()


def page_text(slug: str, site: str, title: str | None = None) -> str | None:
    """The file `init` and `new` write for a standing page with guidance; None for a slug without
    guidance (a page a region added to its own list: `new` writes its usual halaman then)."""
    guide = GUIDES.get(slug)
    if guide is None:
        return None
    shown = title or guide.title
    quoted = '"' + shown.replace("\\", "\\\\").replace('"', '\\"') + '"'
    front = f"title: {quoted}\nsummary: \"{guide.summary}\"\norder: {guide.order}\n"
    return f"---\n{front}---\n{guide.body.replace('{site}', site)}"


def standing_posts(site: Site) -> list[Post]:
    """The posts present_pages looks at: halaman and the SECTION_PAGES kinds (by Site.of_kind, so a
    kept site's news posts are not read)."""
    return [p for kind in (Kind.HALAMAN, *SECTION_PAGES.values()) for p in site.of_kind(kind)]


def present_pages(posts: Iterable[Post]) -> frozenset[str]:
    """Standing slugs a site has: its published halaman, and a section page (SECTION_PAGES) when
    the section has a published entry. Drafts and scheduled files are not published."""
    shown = [p for p in posts if not p.is_draft and not p.is_scheduled]
    kinds = {p.kind for p in shown}
    return frozenset({p.slug for p in shown if p.kind is Kind.HALAMAN}
                     | {slug for slug, kind in SECTION_PAGES.items() if kind in kinds})


@record
class Gap:
    """The standing pages a site lacks, in the configured order."""

    site: str
    missing: tuple[str, ...]  # not published (drafts included)
    drafts: tuple[str, ...]  # those of `missing` whose file exists with draft: true

    @property
    def to_create(self) -> tuple[str, ...]:
        return tuple(p for p in self.missing if p not in self.drafts)


def find_gap(site: str, pages: Collection[str], present: Collection[str],
             drafts: Collection[str]) -> Gap | None:
    """The site's gap, or None when every standing page is there (or the list is empty)."""
    missing = tuple(p for p in pages if p not in present)
    if not missing:
        return None
    return Gap(site, missing, tuple(p for p in missing if p in drafts))


def record_gaps(gaps: Iterable[Gap], problems: Problems, content_dir: str = CONTENT_DIR) -> None:
    """One notice per site, at content/<site>/halaman, naming the command that fills the gap."""
    for gap in gaps:
        where = PurePosixPath(content_dir) / gap.site / Kind.HALAMAN.value
        pages, drafts = ", ".join(gap.missing), ", ".join(gap.drafts)
        if not gap.drafts:
            code = "standing.missing"
        elif gap.to_create:
            code = "standing.missing_draft"
        else:
            code = "standing.draft"
        first = gap.to_create[0] if gap.to_create else ""
        problems.notice(where, None, code, site=gap.site, pages=pages, drafts=drafts, first=first)


def entries_on_disk(repo: Repo, site_dir: Path, kind: Kind = Kind.HALAMAN) -> OnDisk:
    """Every halaman (or other kind's) file of a site by slug: its path, and whether its front
    matter says draft: true (False when it cannot be read: the loader reports that file itself)."""
    folder = site_dir / kind.value
    found: dict[str, tuple[PurePosixPath, bool]] = {}
    if not folder.is_dir():
        return found
    for item in repo.walk(folder):
        if isinstance(item, Path) and item.suffix.lower() == ".md":
            found[slug_from_filename(item.stem)] = (repo.rel(item), _is_draft(repo, item))
    return found


def drafts_of(on_disk: OnDisk) -> frozenset[str]:
    return frozenset(slug for slug, (_, draft) in on_disk.items() if draft)


def published_of(on_disk: OnDisk) -> frozenset[str]:
    return frozenset(slug for slug, (_, draft) in on_disk.items() if not draft)


def _is_draft(repo: Repo, path: Path) -> bool:
    try:
        node = parse_yaml(split(repo.read_text(path)).front)
    except (Refused, FrontMatterError, YamlError):
        return False
    if isinstance(node, YMap):
        for key, value in node.entries:
            if key.text == "draft" and isinstance(value, YScalar):
                return value.value is True
    return False


def check_standing(region: Region, problems: Problems, only: Collection[str] = (),
                   content_dir: str = CONTENT_DIR) -> None:
    """`check`: a notice for every site being built that lacks standing pages (a draft one is told
    apart by the loader's Site.halaman_drafts: no file is read again)."""
    pages = region.config.standing_pages
    if not pages:
        return
    gaps = []
    for site in region.sites:
        if only and site.slug not in only:
            continue
        gap = find_gap(site.slug, pages, present_pages(standing_posts(site)), site.halaman_drafts)
        if gap is not None:
            gaps.append(gap)
    record_gaps(gaps, problems, content_dir)
