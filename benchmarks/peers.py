"""Convert a benchmark corpus (opdgen's layout) into an equivalent Hugo site and Pelican site.

Equivalent pages: one page per post and standing page, each agency's listings paginated by 10,
tag pages per agency (a tag is qualified by its agency, "jkn (dinkes)", so each agency keeps its
own tag pages, as in opdgen), the region-wide listing and feeds. Reads the corpus, writes new trees;
it never runs Hugo or Pelican.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

LAYOUTS = Path(__file__).resolve().parent / "hugo_layouts"
KINDS = ("berita", "pengumuman", "halaman")
STYLE = "body{font-family:sans-serif;max-width:48rem;margin:auto}table{border-collapse:collapse}\n"


@dataclass(frozen=True, slots=True)
class Entry:
    """One content file of the corpus, front matter parsed."""

    site: str
    kind: str
    stem: str  # file name without .md, e.g. 2026-08-05-cakupan-jkn
    slug: str  # the URL part (opdgen drops the leading date)
    meta: dict[str, object]
    body: str


def read_corpus(root: Path) -> tuple[dict[str, dict[str, str]], list[Entry]]:
    """Every site.yaml and every content file of the corpus, in a stable order."""
    sites: dict[str, dict[str, str]] = {}
    entries = []
    for site_file in sorted((root / "content").glob("*/site.yaml")):
        site = site_file.parent.name
        sites[site] = yaml.safe_load(site_file.read_text(encoding="utf-8"))
        for kind in KINDS:
            for path in sorted((site_file.parent / kind).glob("*.md")):
                _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
                slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", path.stem)
                entries.append(Entry(site, kind, path.stem, slug, yaml.safe_load(front), body))
    return sites, entries


def qualified_tags(entry: Entry) -> list[str]:
    return [f"{tag} ({entry.site})" for tag in entry.meta.get("tags") or []]  # type: ignore[attr-defined]


def site_links(body: str, site: str, media: str) -> str:
    """Site-absolute links (/berita/x/) moved under the agency's folder, photos under media."""
    body = re.sub(r"\]\(/", f"](/{site}/", body)
    return re.sub(r"\]\((foto-\d+\.jpg)\)", lambda m: f"]({media}{m.group(1)})", body)


def _iso(value: object) -> str:
    """opdgen's `2026-08-05 11:00` (WIB) as an ISO 8601 time with its offset."""
    text = str(value)
    return f"{text[:10]}T{text[11:16] or '00:00'}:00+07:00"


def _yaml_front(fields: dict[str, object]) -> str:
    lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items() if v not in (None, "")]
    return "---\n" + "\n".join(lines) + "\n---\n"


def hugo_post_path(site_dir: Path, entry: Entry) -> Path:
    if entry.kind == "halaman":
        return site_dir / "content" / entry.site / f"{entry.slug}.md"
    return site_dir / "content" / entry.site / entry.kind / f"{entry.slug}.md"


def to_hugo(corpus: Path, out: Path) -> int:
    """Write a Hugo site for the corpus into out; returns the number of dated posts."""
    sites, entries = read_corpus(corpus)
    region = yaml.safe_load((corpus / "opdgen.yaml").read_text(encoding="utf-8"))
    shutil.copytree(LAYOUTS, out / "layouts")
    _write(out / "static" / "style.css", STYLE)
    _write(out / "hugo.yaml", _hugo_config(region))
    for slug, site in sites.items():
        base = out / "content" / slug
        _write(base / "_index.md", _yaml_front({"title": site["name"], "description": site["description"],
                                                 "outputs": ["html", "rss"]}))
        for kind, title in (("berita", "Berita"), ("pengumuman", "Pengumuman")):
            _write(base / kind / "_index.md", _yaml_front({"title": f"{title} {site['short_name']}"}))
        media = corpus / "content" / slug / "media"
        if media.is_dir():
            shutil.copytree(media, out / "static" / slug / "media")
    posts = 0
    for e in entries:
        fields: dict[str, object] = {"title": e.meta["title"], "jenis": e.kind}
        if e.kind != "halaman":
            posts += 1
            fields |= {"date": _iso(e.meta["date"]), "author": e.meta.get("author"),
                       "tags": qualified_tags(e), "summary": e.meta.get("summary")}
        else:
            fields["weight"] = e.meta.get("order", 100)
        _write(hugo_post_path(out, e), _yaml_front(fields) + site_links(e.body, e.site, f"/{e.site}/media/"))
    return posts


def _hugo_config(region: dict[str, dict[str, str]]) -> str:
    return "\n".join([
        f"baseURL: {region['portal']['base_url']}",
        "languageCode: id",
        f"title: {json.dumps(region['portal']['title'])}",
        "timeZone: Asia/Jakarta",
        "enableRobotsTXT: true",
        "pagination:\n  pagerSize: 10\n  disableAliases: true",
        "taxonomies:\n  tag: tags",
        "outputs:\n  home: [html, rss]\n  section: [html]\n  taxonomy: [html]\n  term: [html]\n"
        "  page: [html]",
        "related:\n  includeNewer: true\n  threshold: 1\n  toLower: false\n"
        "  indices:\n    - name: tags\n      weight: 100",
        "params:\n  region: " + json.dumps(region["region"]["name"]),
        "  description: " + json.dumps(region["portal"].get("description", "")),
        "",
    ])


PELICAN_CONF = '''\
"""Pelican settings for the benchmark corpus (written by benchmarks/peers.py)."""
AUTHOR = "Pemerintah Kabupaten Sukamaju"
SITENAME = {sitename}
SITEURL = {siteurl}
PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["media"]
THEME = "simple"
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "id"
DEFAULT_DATE_FORMAT = "%d %B %Y %H:%M"
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{{url}}", "{{save_as}}"),
    (2, "{{base_name}}/page/{{number}}/", "{{base_name}}/page/{{number}}/index.html"),
)
ARTICLE_URL = "{{category}}/{{jenis}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{category}}/{{jenis}}/{{slug}}/index.html"
CATEGORY_URL = "{{slug}}/"
CATEGORY_SAVE_AS = "{{slug}}/index.html"
CATEGORIES_SAVE_AS = "opd/index.html"
TAG_URL = "tag/{{slug}}/"
TAG_SAVE_AS = "tag/{{slug}}/index.html"
TAGS_SAVE_AS = "tag/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feed.xml"
CATEGORY_FEED_ATOM = "{{slug}}/feed.xml"
TAG_FEED_ATOM = None
FEED_ALL_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 20
# the same Python-Markdown extensions opdgen uses
MARKDOWN = {{
    "extension_configs": {{
        "markdown.extensions.tables": {{}},
        "markdown.extensions.fenced_code": {{}},
        "markdown.extensions.footnotes": {{}},
        "markdown.extensions.toc": {{}},
        "markdown.extensions.sane_lists": {{}},
    }},
    "output_format": "html5",
}}
'''
PELICAN_CACHE_CONF = '''
# cacheconf.py: the same settings with Pelican's content cache ("pelican+cache" in the bench)
LOAD_CONTENT_CACHE = True
CACHE_CONTENT = True
CONTENT_CACHING_LAYER = "reader"
CHECK_MODIFIED_METHOD = "mtime"
CACHE_PATH = "cache"
'''


def pelican_post_path(site_dir: Path, entry: Entry) -> Path:
    if entry.kind == "halaman":
        return site_dir / "content" / "pages" / f"{entry.site}-{entry.slug}.md"
    return site_dir / "content" / "articles" / entry.site / f"{entry.stem}.md"


def to_pelican(corpus: Path, out: Path) -> int:
    """Write a Pelican project for the corpus into out; returns the number of dated posts."""
    _, entries = read_corpus(corpus)
    region = yaml.safe_load((corpus / "opdgen.yaml").read_text(encoding="utf-8"))
    conf = PELICAN_CONF.format(sitename=json.dumps(region["portal"]["title"]),
                               siteurl=json.dumps(region["portal"]["base_url"].rstrip("/")))
    _write(out / "pelicanconf.py", conf)
    _write(out / "cacheconf.py", conf + PELICAN_CACHE_CONF)  # Pelican loads it by path: no import
    for media in sorted((corpus / "content").glob("*/media")):
        shutil.copytree(media, out / "content" / "media" / media.parent.name)
    posts = 0
    for e in entries:
        meta = {"Title": e.meta["title"], "Slug": e.slug}
        if e.kind == "halaman":
            meta |= {"URL": f"{e.site}/{e.slug}/", "Save_as": f"{e.site}/{e.slug}/index.html"}
        else:
            posts += 1
            meta |= {"Date": str(e.meta["date"]), "Author": str(e.meta.get("author") or ""),
                     "Category": e.site, "Tags": ", ".join(qualified_tags(e)),
                     "Summary": str(e.meta.get("summary") or ""), "Jenis": e.kind}
        header = "".join(f"{k}: {v}\n" for k, v in meta.items() if v)
        _write(pelican_post_path(out, e), header + "\n" + site_links(e.body, e.site, f"/media/{e.site}/"))
    return posts


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
