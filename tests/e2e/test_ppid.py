"""The PPID register built: the DIP lists exactly the register, grouped as the law orders it; each
document has its page and file; /ppid/, the home band, the menu and the portal's Informasi Publik."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import Result

from opdgen.public.dokumen import CATEGORIES
from tests.conftest import POST, PROJECT, SITE_YAML
from tests.pdfgen import tiny_pdf

REGISTERS = ("dinkes", "diskominfo")


@dataclass
class Table:
    caption: str = ""
    rows: list[list[tuple[str, str, list[str]]]] = field(default_factory=list)  # (tag, text, hrefs)


class Tables(HTMLParser):
    """Every <table> of a page: caption, and each row's cells with their text and links."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self.headings: list[tuple[str, str]] = []  # (h2 id, text)
        self._cell: tuple[str, list[str], list[str]] | None = None
        self._caption: list[str] | None = None
        self._h2: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.tables.append(Table())
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self.tables[-1].rows.append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = (tag, [], [])
        elif tag == "a" and self._cell is not None:
            self._cell[2].append(a.get("href") or "")
        elif tag == "h2":
            self._h2 = (a.get("id") or "", [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self.tables[-1].caption = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            kind, text, links = self._cell
            self.tables[-1].rows[-1].append((kind, " ".join("".join(text).split()), links))
            self._cell = None
        elif tag == "h2" and self._h2 is not None:
            self.headings.append((self._h2[0], " ".join("".join(self._h2[1]).split())))
            self._h2 = None

    def handle_data(self, data: str) -> None:
        for sink in (self._caption, self._cell[1] if self._cell else None, self._h2[1] if self._h2 else None):
            if sink is not None:
                sink.append(data)


def parse(path: Path) -> Tables:
    parser = Tables()
    parser.feed(path.read_text("utf-8"))
    return parser


def front(md: Path) -> dict[str, str]:
    """A YAML file's (or a Markdown file's front matter's) top-level values as text (PyYAML, not opdgen)."""
    text = md.read_text("utf-8")
    data = yaml.safe_load(text.split("---\n")[1] if md.suffix == ".md" else text)
    return {str(k): str(v) for k, v in data.items()}


def register(site: str) -> dict[str, dict[str, str]]:
    """slug -> front matter of every sample register entry of a site."""
    return {md.stem: front(md) for md in sorted((PROJECT / "content" / site / "dokumen").glob("*.md"))}


def doc_rows(table: Table) -> list[list[tuple[str, str, list[str]]]]:
    """Rows of documents (the header row and the year row groups left out)."""
    return [row for row in table.rows if row and row[0][0] == "th" and row[0][2] and len(row) > 1]


@pytest.mark.parametrize("site", REGISTERS)
def test_the_dip_lists_exactly_the_register(sample_output: Path, site: str) -> None:
    entries = register(site)
    page = parse(sample_output / site / "dokumen/index.html")
    listed = {}
    for table in page.tables:
        for row in doc_rows(table):
            (_, title, links) = row[0]
            listed[links[0]] = (title, table.caption)
    assert sorted(listed) == sorted(f"/dokumen/{slug}/" for slug in entries)
    assert {url: title for url, (title, _) in listed.items()} == {
        f"/dokumen/{slug}/": e["title"] for slug, e in entries.items()}
    assert len(entries) >= 6 and {e["category"] for e in entries.values()} == set(CATEGORIES)


@pytest.mark.parametrize("site", REGISTERS)
def test_grouped_by_category_in_the_laws_order_then_year_newest_first(sample_output: Path, site: str) -> None:
    entries = register(site)
    page = parse(sample_output / site / "dokumen/index.html")
    assert [t.caption.split(":")[0] for t in page.tables] == [
        "Informasi Berkala", "Informasi Serta Merta", "Informasi Setiap Saat", "Informasi yang Dikecualikan"]
    for table, category in zip(page.tables, CATEGORIES, strict=True):
        years = [int(row[0][1].split()[-1]) for row in table.rows if len(row) == 1]
        assert years == sorted(years, reverse=True) and len(set(years)) == len(years)
        slugs = [row[0][2][0].split("/")[2] for row in doc_rows(table)]
        assert sorted(slugs) == sorted(s for s, e in entries.items() if e["category"] == category)
        shown_years = [int(row[2][1].split(",")[0]) for row in doc_rows(table)]
        assert shown_years == sorted(shown_years, reverse=True)
        assert {int(entries[s]["year"]) for s in slugs} == set(years)


def test_excluded_information_shows_its_reason_and_no_link(sample_output: Path) -> None:
    entries = register("dinkes")
    excluded = [s for s, e in entries.items() if e["category"] == "dikecualikan"]
    page = parse(sample_output / "dinkes/dokumen/dikecualikan/index.html")
    (table,) = page.tables
    rows = doc_rows(table)
    assert [row[0][2][0] for row in rows] == [f"/dokumen/{s}/" for s in excluded]
    for row, slug in zip(rows, excluded, strict=True):
        file_cell = row[-1]
        assert file_cell[2] == [] and file_cell[1].startswith("Dikecualikan:")
        assert entries[slug]["reason"] in file_cell[1]
    html = (sample_output / f"dinkes/dokumen/{excluded[0]}/index.html").read_text("utf-8")
    assert "Dasar pengecualian" in html and entries[excluded[0]]["reason"] in html and ".pdf" not in html
    assert '"@type":"DigitalDocument"' in html and '"conditionsOfAccess":' in html  # JSON-LD


def test_every_open_document_links_its_published_file(sample_output: Path) -> None:
    for site in REGISTERS:
        for slug, e in register(site).items():
            page = (sample_output / site / "dokumen" / slug / "index.html").read_text("utf-8")
            assert f"<h1 class=\"article-title\">{e['title']}</h1>" in page
            if e["category"] == "dikecualikan":
                continue
            href = f"/dokumen/{e['file']}"
            assert f'href="{href}"' in page and "(PDF, 1 KB)" in page
            assert f'"contentUrl":"https://{site}.sukamajukab.go.id{href}"' in page  # DigitalDocument
            published = sample_output / site / href.lstrip("/")
            assert published.read_bytes() == (PROJECT / "content" / site / "dokumen" / e["file"]).read_bytes()


def test_filters_are_pages_reached_by_links(sample_output: Path) -> None:
    root = sample_output / "dinkes/dokumen"
    entries = register("dinkes")
    html = (root / "index.html").read_text("utf-8")
    for cat in CATEGORIES:
        assert f'href="/dokumen/{cat}/"' in html
        (table,) = parse(root / cat / "index.html").tables
        assert len(doc_rows(table)) == sum(1 for e in entries.values() if e["category"] == cat)
    for year in {e["year"] for e in entries.values()}:
        assert f'href="/dokumen/tahun/{year}/"' in html
        rows = [r for t in parse(root / "tahun" / year / "index.html").tables for r in doc_rows(t)]
        assert len(rows) == sum(1 for e in entries.values() if e["year"] == year)
    (newest,) = parse(root / "terbaru/index.html").tables
    dates = [e["date"] for e in entries.values()]
    shown = [row[0][2][0].split("/")[2] for row in doc_rows(newest)]
    assert [entries[s]["date"] for s in shown] == sorted(dates, reverse=True)
    assert 'aria-current="page"' in (root / "berkala/index.html").read_text("utf-8")
    assert "<script" not in html.replace('<script type="application/ld+json">', "")


def test_ppid_landing_page(sample_output: Path) -> None:
    html = (sample_output / "dinkes/ppid/index.html").read_text("utf-8")
    assert "PPID Pelaksana Dinas Kesehatan melayani permohonan informasi" in html  # halaman/ppid.md
    for link in ("/dokumen/", "/permohonan-informasi/", "/keberatan-informasi/", "/dokumen/berkala/"):
        assert f'href="{link}"' in html
    assert not (sample_output / "dinkes/ppid.html").exists()
    # an agency without a register: the text, no DIP link, a notice that it is not published yet
    other = (sample_output / "disdik/ppid/index.html").read_text("utf-8")
    assert "PPID Pelaksana Dinas Pendidikan" in other and 'href="/dokumen/"' not in other
    assert not (sample_output / "disdik/dokumen").exists()


def test_home_band_and_menu(sample_output: Path) -> None:
    home = (sample_output / "dinkes/index.html").read_text("utf-8")
    assert 'class="ppid-band"' in home and 'href="/dokumen/"' in home and 'href="/ppid/"' in home


def test_portal_informasi_publik(sample_output: Path) -> None:
    page = parse(sample_output / "portal/informasi-publik/index.html")
    (table,) = page.tables
    body = [row for row in table.rows[1:-1]]
    by_agency = {row[0][1]: row for row in body}
    assert len(by_agency) == 5
    for site in REGISTERS:
        entries = register(site)
        name = front(PROJECT / "content" / site / "site.yaml")["name"]
        row = by_agency[name]
        assert row[0][2] == [f"https://{site}.sukamajukab.go.id/dokumen/"]
        counts = [int(cell[1].split()[0]) for cell in row[1:5]]
        assert counts == [sum(1 for e in entries.values() if e["category"] == c) for c in CATEGORIES]
        assert int(row[5][1]) == len(entries)
        newest = max(entries.items(), key=lambda pair: pair[1]["date"])
        assert row[6][2] == [f"https://{site}.sukamajukab.go.id/dokumen/{newest[0]}/"]
    assert 'href="/informasi-publik/"' in (sample_output / "portal/index.html").read_text("utf-8")


def test_sample_register_is_fresh(run_cli: Callable[..., Result]) -> None:
    """On the test date (tests/conftest.py NOW, 28 November 2026) the two registers raise no notice;
    the agencies without one get one each."""
    result = run_cli("check", "--root", PROJECT)
    assert result.exit_code == 0, result.output
    notices = [line for line in result.output.splitlines() if ": saran: " in line]
    ppid = [line for line in notices if "/dokumen" in line.split(":")[0]]
    assert sorted(line.split(":")[0] for line in ppid) == [
        "content/disdik/dokumen", "content/dpupr/dokumen", "content/kec-cibeureum/dokumen"]


def test_default_menu_and_a_small_register(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    entry = ("---\ntitle: Laporan Keuangan 2025\ncategory: berkala\ntype: laporan-keuangan\nyear: 2025\n"
             "date: 2026-05-20\nunit: Sekretariat\nfile: lk-2025.pdf\n---\n")
    repo = make_repo({"content/dinkes/site.yaml": SITE_YAML, "content/dinkes/berita/a.md": POST,
                      "content/dinkes/dokumen/lk-2025.md": entry,
                      "content/dinkes/media/lk-2025.pdf": tiny_pdf("LK 2025")})
    result = run_cli("build", "--root", repo)
    assert result.exit_code == 0, result.output
    out = repo / "output/dinkes"
    nav = re.search(r'<nav class="menu".*?</nav>', (out / "index.html").read_text("utf-8"), re.S)
    assert nav is not None and 'href="/ppid/"' in nav.group(0) and "Informasi Publik" in nav.group(0)
    assert 'href="/media/lk-2025.pdf"' in (out / "dokumen/lk-2025/index.html").read_text("utf-8")
    assert (out / "media/lk-2025.pdf").read_bytes() == tiny_pdf("LK 2025")
    assert (out / "ppid/index.html").is_file() and (out / "dokumen/terbaru/index.html").is_file()
    sitemap = (out / "sitemap.xml").read_text("utf-8")
    assert "https://dinkes.ujikab.go.id/dokumen/lk-2025/" in sitemap


def test_incremental_builds_follow_register_edits(make_repo: Callable[..., Path], tmp_path: Path) -> None:
    """Pages reused from the last build equal a clean build after each kind of register change."""
    from opdgen.build.pipeline import BuildOptions, build
    from opdgen.cli import build_now
    from tests.conftest import tree_bytes

    def entry(title: str, category: str, date: str, extra: str) -> str:
        return (f"---\ntitle: {title}\ncategory: {category}\ntype: lainnya\nyear: 2026\ndate: {date}\n"
                f"unit: Sekretariat\n{extra}---\nIsi.\n")

    reg = "content/dinkes/dokumen/"
    repo = make_repo({reg + "a.md": entry("Dokumen A", "berkala", "2026-10-01", "file: a.pdf\n"),
                      reg + "a.pdf": tiny_pdf("A"),
                      reg + "b.md": entry("Dokumen B", "setiap-saat", "2026-09-01", "file: b.pdf\n"),
                      reg + "b.pdf": tiny_pdf("B"),
                      "content/dinkes/halaman/ppid.md": "---\ntitle: PPID Dinkes\n---\nLayanan informasi.\n"})

    def edit(rel: str, old: str, new: str) -> None:
        path = repo / rel
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new))

    steps: list[tuple[str, Callable[[], object]]] = [
        ("category", lambda: edit(reg + "b.md", "setiap-saat", "serta-merta")),
        ("file-bytes", lambda: (repo / reg / "a.pdf").write_bytes(tiny_pdf("A", "versi baru " * 200))),
        ("year", lambda: edit(reg + "a.md", "year: 2026", "year: 2025")),
        ("excluded", lambda: (edit(reg + "b.md", "serta-merta", "dikecualikan"),
                              edit(reg + "b.md", "file: b.pdf\n", "reason: Pasal 17 huruf j UU 14/2008\n"))),
        ("add", lambda: (repo / reg / "c.md").write_text(entry("Dokumen C", "berkala", "2026-11-01",
                                                               "file: a.pdf\n"))),
        ("landing", lambda: edit("content/dinkes/halaman/ppid.md", "Layanan informasi.", "Layanan baru.")),
        ("delete", lambda: (repo / reg / "c.md").unlink()),
    ]
    out = tmp_path / "incremental"

    def tree(root: Path) -> dict[str, bytes]:
        return {k: v for k, v in tree_bytes(root).items() if not k.startswith(".opdgen/")}

    assert build(BuildOptions(root=repo, now=build_now(), output=out)).ok
    for number, (name, change) in enumerate(steps):
        change()
        assert build(BuildOptions(root=repo, now=build_now(), output=out)).ok, name
        clean = tmp_path / f"clean-{number}"
        assert build(BuildOptions(root=repo, now=build_now(), output=clean,
                                  cache_dir=tmp_path / f"cache-{number}")).ok
        assert tree(out) == tree(clean), name
