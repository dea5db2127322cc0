"""opdgen.yaml and content/<site>/site.yaml -> RegionConfig and SiteConfig; problems collected.

It reads through fsguard only and builds immutable values; it knows nothing of content or output.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from opdgen import schema as s
from opdgen.fsguard import Refused, Repo
from opdgen.problems import Problems
from opdgen.records import record
from opdgen.yamlload import YamlError, YNode, YScalar, parse_yaml

CONFIG_FILE = "opdgen.yaml"
SITE_FILE = "site.yaml"
PORTAL_SLUG = "portal"  # DESIGN: reserved, the slug of the portal's web root
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# a web root's search index folders: pagefind/, and pagefind-<n>/ of its shards (outputs.search_shards)
BUNDLE_FOLDER_RE = re.compile(r"pagefind(-[1-9][0-9]*)?")
SOCIAL_NETWORKS = ("facebook", "instagram", "x", "youtube", "tiktok")
DEFAULT_COLOUR = "#1f5f8b"
# `standing_pages:` default: the halaman every agency must have (opdgen.public.standing; issue 8).
STANDING_PAGES = ("profil", "visi-misi", "struktur-organisasi", "tugas-fungsi", "layanan",
                  "standar-pelayanan", "maklumat-pelayanan", "ppid", "kontak")


@record
class MenuEntry:
    label: str
    url: str  # a path on the site ("/profil/") or an absolute URL
    line: int


@record(kw_only=True)
class ReportConfig:
    """`report:` in opdgen.yaml: the activity thresholds of `opdgen report`, and publishing it."""

    active_days: int = 30  # aktif: enough posts within this many days
    inactive_days: int = 90  # tidak aktif: nothing published for this many days
    min_posts_per_month: int = 4  # aktif: at least this many posts per 30 days
    publish: bool = False  # true: the report page is part of the portal (laporan/)


# `ppid:` defaults: the yearly documents expected for the previous year, and the month by whose end
# they are due (opdgen.public.freshness; issue 8).
PPID_YEARLY_TYPES = ("laporan-keuangan", "lkjip", "renja", "dpa", "laporan-ppid")


@record(kw_only=True)
class PpidConfig:
    """`ppid:` in opdgen.yaml: what `opdgen check` expects of each agency's PPID register."""

    yearly_types: tuple[str, ...] = PPID_YEARLY_TYPES  # document types made every year
    yearly_due_month: int = 4  # last year's ones must be registered by the end of this month


@record(kw_only=True)
class RegionConfig:
    source: PurePosixPath
    name: str
    short_name: str
    portal_title: str
    portal_description: str
    portal_base_url: str
    portal_colour: str
    theme: str
    timezone: ZoneInfo
    language: str
    security_contact: str
    video_hosts: tuple[str, ...]
    per_page: int
    link_domains: tuple[str, ...] | None = None  # security.link_domains; None: spam.DEFAULT_LINK_DOMAINS
    report: ReportConfig = ReportConfig()  # `report:`; absent: the defaults
    deploy_keep: int = 5  # deploy.keep: releases kept on a deploy target (opdgen deploy)
    ppid: PpidConfig = PpidConfig()  # `ppid:`; absent: the defaults
    standing_pages: tuple[str, ...] = STANDING_PAGES  # `standing_pages:`; () switches the check off


@record(kw_only=True)
class SiteConfig:
    slug: str
    source: PurePosixPath
    name: str
    short_name: str
    base_url: str
    description: str
    logo: str | None
    colour: str
    address: str
    phone: str
    email: str
    whatsapp: str
    office_hours: str
    social: tuple[tuple[str, str], ...]
    menu: tuple[MenuEntry, ...] | None  # None: the theme's default menu


def _at_least(minimum: int, code: str = "config.report.range") -> s.Checker:
    """A whole number no smaller than minimum (report thresholds, deploy.keep)."""

    def check(node: YNode, where: s.Where) -> Any:
        value = s.integer(node, where)
        if value is not s.INVALID and value < minimum:
            return where.fail(node, code, value=value, minimum=minimum)
        return value

    return check


def _document_types(node: YNode, where: s.Where) -> Any:
    """ppid.yearly_types: document types of the register's vocabulary (opdgen.public.dokumen)."""
    from opdgen.public.dokumen import TYPES  # lazily: the kinds of opdgen.public may import config

    value = s.text_list(len(TYPES), 40)(node, where)
    if value is s.INVALID:
        return value
    for item in value:
        if item not in TYPES:
            return where.fail(node, "config.ppid.type", value=item, options=", ".join(TYPES))
    return tuple(dict.fromkeys(value))


def _standing_pages(node: YNode, where: s.Where) -> Any:
    """standing_pages: halaman slugs, checked by opdgen.public.standing (lazily: it imports the loader)."""
    from opdgen.public.standing import standing_pages_list

    return standing_pages_list(node, where)


def _month(node: YNode, where: s.Where) -> Any:
    """ppid.yearly_due_month: 1 to 12."""
    value = s.integer(node, where)
    if value is not s.INVALID and not 1 <= value <= 12:
        return where.fail(node, "config.ppid.month", value=value)
    return value


REGION_SCHEMA = (
    s.Field("region", s.mapping((
        s.Field("name", s.text(120), required=True, example="name: Pemerintah Kabupaten Sukamaju"),
        s.Field("short_name", s.text(40), example="short_name: Kab. Sukamaju"),
    )), required=True, example="region:\n  name: Pemerintah Kabupaten Sukamaju"),
    s.Field("portal", s.mapping((
        s.Field("title", s.text(120), required=True, example="title: Portal Berita Kabupaten Sukamaju"),
        s.Field("description", s.text(300)),
        s.Field("base_url", s.base_url, required=True, example="base_url: https://sukamajukab.go.id/"),
        s.Field("colour", s.colour),
    )), required=True, example="portal:\n  title: ...\n  base_url: https://..."),
    s.Field("theme", s.text(60), default="default"),
    s.Field("timezone", s.text(60), default="Asia/Jakarta"),
    s.Field("language", s.choice(("id", "en")), default="id"),
    s.Field("per_page", s.integer, default=10),
    s.Field("security", s.mapping((
        s.Field("contact", s.text(200), required=True, example="contact: mailto:csirt@contoh.go.id"),
        s.Field("video_hosts", s.text_list(20, 253), default=()),
        # domains content may link to without a spam warning (a domain covers its subdomains)
        s.Field("link_domains", s.text_list(200, 253)),
    ))),
    s.Field("report", s.mapping((
        s.Field("active_days", _at_least(1), default=30),
        s.Field("inactive_days", _at_least(1), default=90),
        s.Field("min_posts_per_month", _at_least(0), default=4),
        s.Field("publish", s.boolean, default=False),
    ))),
    s.Field("deploy", s.mapping((
        s.Field("keep", _at_least(1, "config.deploy.range"), default=5),
    ))),
    s.Field("ppid", s.mapping((
        s.Field("yearly_types", _document_types, default=PPID_YEARLY_TYPES),
        s.Field("yearly_due_month", _month, default=4),
    ))),
    s.Field("standing_pages", _standing_pages, default=STANDING_PAGES),
)

SITE_SCHEMA = (
    s.Field("name", s.text(120), required=True, example="name: Dinas Kesehatan Kabupaten Sukamaju"),
    s.Field("short_name", s.text(40), required=True, example="short_name: Dinkes"),
    s.Field("base_url", s.base_url, required=True, example="base_url: https://dinkes.contoh.go.id/"),
    s.Field("description", s.text(300), required=True,
            example="description: Satu kalimat tentang dinas ini."),
    s.Field("logo", s.text(200)),
    s.Field("colour", s.colour),
    s.Field("address", s.text(300), default=""),
    s.Field("phone", s.text(40), default=""),
    s.Field("email", s.email, default=""),
    s.Field("whatsapp", s.whatsapp, default=""),
    s.Field("office_hours", s.text(200), default=""),
    s.Field("social", s.mapping(tuple(s.Field(n, s.url()) for n in SOCIAL_NETWORKS))),
    s.Field("menu", s.list_of((
        s.Field("label", s.text(40), required=True, example="label: Profil"),
        s.Field("url", s.url(allow_path=True), required=True, example="url: /profil/"),
    ), max_items=12)),
)


def read_yaml_file(repo: Repo, path: Path, problems: Problems) -> tuple[YNode | None, bool]:
    """Read and parse a YAML file; returns (root node, ok). Problems are recorded, not raised."""
    try:
        text = repo.read_text(path)
    except Refused as refused:
        problems.add(refused.path, None, refused.code, detail=refused.detail)
        return None, False
    try:
        return parse_yaml(text), True
    except YamlError as exc:
        problems.add(repo.rel(path), exc.line, exc.code, detail=exc.detail)
        return None, False


def load_region_config(repo: Repo, problems: Problems) -> RegionConfig | None:
    """Read opdgen.yaml; None when it is missing or unusable (problems say why)."""
    path = repo.root / CONFIG_FILE
    rel = PurePosixPath(CONFIG_FILE)
    if not path.is_file():
        problems.add(rel, None, "config.missing")
        return None
    before = len(problems.errors)
    node, ok = read_yaml_file(repo, path, problems)
    if not ok:
        return None
    v = s.check_map(node, REGION_SCHEMA, s.Where(rel, problems), whole_line=1)
    tz = _timezone(v["timezone"], node, rel, problems)
    if v["report"] and v["report"]["inactive_days"] <= v["report"]["active_days"]:
        problems.add(rel, _key_line(node, "report"), "config.report.order",
                     active=v["report"]["active_days"], inactive=v["report"]["inactive_days"])
    if len(problems.errors) > before or tz is None:
        return None
    region, portal, security = v["region"], v["portal"], v["security"] or {}
    return RegionConfig(
        source=rel,
        name=region["name"],
        short_name=region["short_name"] or region["name"],
        portal_title=portal["title"],
        portal_description=portal["description"] or portal["title"],
        portal_base_url=portal["base_url"],
        portal_colour=portal["colour"] or DEFAULT_COLOUR,
        theme=v["theme"],
        timezone=tz,
        language=v["language"],
        security_contact=security.get("contact") or "",
        video_hosts=tuple(h.lower() for h in security.get("video_hosts") or ()),
        link_domains=None if security.get("link_domains") is None else tuple(
            d.lower().removeprefix("*.").strip(".") for d in security["link_domains"]),
        per_page=max(1, v["per_page"]),
        report=ReportConfig(**(v["report"] or {})),
        deploy_keep=(v["deploy"] or {}).get("keep", 5),
        ppid=PpidConfig(**(v["ppid"] or {})),
        standing_pages=v["standing_pages"],
    )


def _timezone(name: str, node: YNode | None, rel: PurePosixPath, problems: Problems) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        problems.add(rel, _key_line(node, "timezone"), "config.timezone", value=name)
        return None


def _key_line(node: YNode | None, key: str) -> int | None:
    if node is not None and hasattr(node, "entries"):
        for k, _ in node.entries:
            if isinstance(k, YScalar) and k.text == key:
                return k.line
    return None


def load_site_config(repo: Repo, folder: Path, region: RegionConfig, problems: Problems) -> SiteConfig | None:
    """Read content/<slug>/site.yaml; None when it is missing or has errors."""
    path = folder / SITE_FILE
    rel = repo.rel(path)
    if not path.is_file():
        problems.add(rel, None, "site.missing")
        return None
    before = len(problems.errors)
    node, ok = read_yaml_file(repo, path, problems)
    if not ok:
        return None
    v: dict[str, Any] = s.check_map(node, SITE_SCHEMA, s.Where(rel, problems), whole_line=1)
    if len(problems.errors) > before:
        return None
    social = v["social"] or {}
    menu = v["menu"]
    return SiteConfig(
        slug=folder.name,
        source=rel,
        name=v["name"],
        short_name=v["short_name"],
        base_url=v["base_url"],
        description=v["description"],
        logo=v["logo"],
        colour=v["colour"] or region.portal_colour,
        address=v["address"],
        phone=v["phone"],
        email=v["email"],
        whatsapp=v["whatsapp"],
        office_hours=v["office_hours"],
        social=tuple((n, social[n]) for n in SOCIAL_NETWORKS if social.get(n)),
        menu=None if menu is None else tuple(MenuEntry(m["label"], m["url"], m["_line"]) for m in menu),
    )
