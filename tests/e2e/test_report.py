"""`opdgen report` on a real git repository with back-dated commits: every figure, in every format.

The repository (tests/e2e/reportrepo.py) puts each agency exactly on a threshold; conftest fixes
"today" at 2026-11-28 through OPDGEN_NOW.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import PROJECT, requires
from tests.e2e.reportrepo import EXPECTED, MONTHS, RANKING, build_repo

SHORT = {"kec-sukajadi": "Kec. Sukajadi", "dishub": "Dishub", "bpbd": "BPBD", "disdik": "Disdik",
         "dpupr": "DPUPR", "dinkes": "Dinkes"}
ID_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


@pytest.fixture(scope="module")
def git_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    requires("git", "git")
    return build_repo(tmp_path_factory.mktemp("report") / "repo")


@pytest.fixture
def no_git_repo(git_repo: Path, tmp_path: Path) -> Path:
    """The same files without their history."""
    target = tmp_path / "plain"
    shutil.copytree(git_repo, target, ignore=shutil.ignore_patterns(".git"))
    return target


def report(run_cli: Callable[..., Result], *args: str | Path) -> Result:
    result = run_cli("report", *args)
    assert result.exit_code == 0, result.output
    return result


def without_git(expected: dict[str, object]) -> dict[str, object]:
    return {**expected, "contributors": None, "last_change": None}


# --- JSON and CSV: the data formats -----------------------------------------------------------


def test_json_has_every_figure(git_repo: Path, run_cli: Callable[..., Result]) -> None:
    data = json.loads(report(run_cli, "--root", git_repo, "--format", "json").stdout)
    assert data["report_date"] == "2026-11-28" and data["since"] == "2025-12-01"
    assert data["months"] == list(MONTHS) and data["kinds"] == ["berita", "pengumuman", "agenda", "dokumen"]
    assert data["thresholds"] == {"active_days": 30, "inactive_days": 90, "min_posts_per_month": 2}
    assert data["git_history"] is True and data["shallow_history"] is False
    assert [a["slug"] for a in data["agencies"]] == list(RANKING)
    for agency in data["agencies"]:
        figures = {k: v for k, v in agency.items() if k not in ("slug", "name", "url")}
        assert figures == EXPECTED[agency["slug"]], agency["slug"]
    assert data["agencies"][0]["url"] == "https://sukajadi.ujikab.go.id/"


def test_csv_has_every_figure(git_repo: Path, run_cli: Callable[..., Result], tmp_path: Path) -> None:
    report(run_cli, "--root", git_repo, "--format", "csv", "--output", tmp_path / "out")
    raw = (tmp_path / "out/laporan.csv").read_bytes()
    assert raw.count(b"\r\n") == len(RANKING) + 1
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    assert [r["slug"] for r in rows] == list(RANKING)
    for row in rows:
        want = EXPECTED[row["slug"]]
        assert row["report_date"] == "2026-11-28"
        for key in ("status", "last_published", "days_since", "posts_in_period", "recent_posts",
                    "contributors", "last_change", "ppid_missing", "images_without_alt"):
            assert row[key] == ("" if want[key] is None else str(want[key])), (row["slug"], key)
        by_kind = want["posts_by_kind"]
        assert isinstance(by_kind, dict)
        assert [row["berita_in_period"], row["pengumuman_in_period"]] == [
            str(by_kind["berita"]), str(by_kind["pengumuman"])]
        assert row["missing_pages"].split() == want["missing_pages"]
        assert {m: int(row[m]) for m in MONTHS} == want["posts_per_month"]


# --- text: the terminal table -----------------------------------------------------------------


def _section(lines: list[str], heading: str) -> list[str]:
    start = lines.index(heading) + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def test_text_has_every_figure(git_repo: Path, run_cli: Callable[..., Result]) -> None:
    out = report(run_cli, "--root", git_repo).stdout
    lines = out.splitlines()
    assert lines[0] == "Laporan Keaktifan Situs Perangkat Daerah"
    assert "per 28 November 2026" in lines[1] and "periode 1 Desember 2025 – 28 November 2026" in lines[1]
    assert lines[3].startswith("Ringkasan: 2 tidak aktif, 3 kurang aktif, 1 aktif (6 perangkat daerah)")
    head, *rows = _section(lines, "Peringkat keaktifan")
    assert re.split(r"\s{2,}", head.strip()) == ["No", "OPD", "Status", "Terakhir", "Hari", "Periode",
                                                 "30hr", "Kontrib", "Git", "Hal", "PPID", "Alt"]
    assert len(rows) == len(RANKING)
    for number, (slug, row) in enumerate(zip(RANKING, rows, strict=True), 1):
        w = EXPECTED[slug]
        dash = lambda v: "-" if v is None else str(v)  # noqa: E731
        assert re.split(r"\s{2,}", row.strip()) == [
            str(number), SHORT[slug], w["status"], dash(w["last_published"]), dash(w["days_since"]),
            str(w["posts_in_period"]), str(w["recent_posts"]), dash(w["contributors"]),
            dash(w["last_change"]), str(len(w["missing_pages"])), dash(w["ppid_missing"]),
            str(w["images_without_alt"])]
    years, months, *monthly = _section(lines, "Tulisan per bulan")
    assert years.split() == ["2025", "2026"]
    assert months.split() == ["OPD", "Des", "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu",
                              "Sep", "Okt", "Nov"]
    for slug, row in zip(RANKING, monthly, strict=True):
        name, *counts = re.split(r"\s{2,}", row.strip())
        assert name == SHORT[slug]
        assert [int(c) for c in counts] == list(EXPECTED[slug]["posts_per_month"].values())  # type: ignore[attr-defined]
    assert "- Disdik: layanan, kontak" in lines


# --- HTML: the page for leadership ------------------------------------------------------------


class ReportPage(HTMLParser):
    """The ranking table's cells, the silent list, and each chart's description."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.silent: list[str] = []
        self.charts: dict[str, str] = {}
        self._in: list[str] = []
        self._cell: list[str] | None = None
        self._desc: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self._in.append(tag)
        if tag == "tr" and "tbody" in self._in:
            self.rows.append([])
        elif tag in ("td", "th") and "tbody" in self._in:
            self._cell = []
        elif tag == "ol" and a.get("class") == "silent":
            self._in.append("silent-list")
        elif tag == "li" and "silent-list" in self._in:
            self.silent.append("")
        elif tag == "desc":
            self._desc = (a.get("id") or "").removeprefix("grafik-").removesuffix("-d")
            self.charts[self._desc] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "desc":
            self._desc = None
        if tag == "ol" and "silent-list" in self._in:
            self._in.remove("silent-list")
        while self._in and self._in.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._desc is not None:
            self.charts[self._desc] += data
        if "silent-list" in self._in and self.silent:
            self.silent[-1] += data


def id_date(iso: object) -> str:
    year, month, day = str(iso).split("-")
    return f"{int(day)} {ID_MONTHS[int(month) - 1]} {year}"


def test_html_has_every_figure(git_repo: Path, run_cli: Callable[..., Result], tmp_path: Path) -> None:
    result = report(run_cli, "--root", git_repo, "--output", tmp_path / "html")
    assert "laporan.css" in result.stderr and "index.html" in result.stderr
    html = (tmp_path / "html/index.html").read_text()
    assert '<html lang="id">' in html and "<h1>Laporan Keaktifan Situs Perangkat Daerah</h1>" in html
    page = ReportPage()
    page.feed(html)
    assert [" ".join(s.split()) for s in page.silent] == [
        "Kecamatan Sukajadi: belum pernah menerbitkan tulisan",
        "Dinas Perhubungan: terakhir terbit 30 Agu 2026 (90 hari lalu)"]
    assert len(page.rows) == len(RANKING)
    for number, (slug, cells) in enumerate(zip(RANKING, page.rows, strict=True), 1):
        w = EXPECTED[slug]
        last = id_date(w["last_published"]) if w["last_published"] else "belum pernah"
        change = id_date(w["last_change"]) if w["last_change"] else "-"
        pages = ", ".join(w["missing_pages"]) or "tidak ada"  # type: ignore[call-overload]
        assert cells[0] == str(number) and cells[2] == w["status"], slug
        assert cells[3:] == [last, "-" if w["days_since"] is None else str(w["days_since"]),
                             str(w["posts_in_period"]), str(w["recent_posts"]), str(w["contributors"]),
                             change, pages, str(w["ppid_missing"]), str(w["images_without_alt"])], slug
        desc = dict(part.split(": ") for part in page.charts[slug].split(". ")[0].split("; "))
        assert list(desc.values()) == [str(n) for n in w["posts_per_month"].values()]  # type: ignore[attr-defined]
        months = list(desc)
        assert months[0] == "Desember 2025" and months[-1] == "November 2026"
    assert re.findall(r'<span class="tally-count">(\d+)</span>', html) == ["2", "3", "1"]
    # the tallest bar of every chart is the report's peak month (2 posts): one shared scale
    assert html.count('height="56"') == 2


def test_html_in_english(git_repo: Path, run_cli: Callable[..., Result], tmp_path: Path) -> None:
    report(run_cli, "--root", git_repo, "--output", tmp_path / "en", "--lang", "en")
    html = (tmp_path / "en/index.html").read_text()
    assert '<html lang="en">' in html and "Activity ranking" in html and ">inactive<" in html
    assert "Dinas Perhubungan</a>: last published 30 Aug 2026 (90 days ago)" in html


# --- without git, other periods, mistakes -----------------------------------------------------


def test_without_git_history_the_figures_come_from_content(no_git_repo: Path,
                                                          run_cli: Callable[..., Result]) -> None:
    data = json.loads(report(run_cli, "--root", no_git_repo, "--format", "json").stdout)
    assert data["git_history"] is False
    for agency in data["agencies"]:
        figures = {k: v for k, v in agency.items() if k not in ("slug", "name", "url")}
        assert figures == without_git(EXPECTED[agency["slug"]]), agency["slug"]
    text = report(run_cli, "--root", no_git_repo).stdout
    assert "Riwayat git tidak tersedia" in text


def test_since_narrows_the_period(git_repo: Path, run_cli: Callable[..., Result]) -> None:
    data = json.loads(report(run_cli, "--root", git_repo, "--format", "json", "--since", "2026-10-01").stdout)
    assert data["since"] == "2026-10-01" and data["months"] == ["2026-10", "2026-11"]
    agencies = {a["slug"]: a for a in data["agencies"]}
    assert agencies["dinkes"]["posts_per_month"] == {"2026-10": 2, "2026-11": 0}
    assert agencies["dinkes"]["contributors"] == 1  # Budi only; Siti committed in December 2025
    assert agencies["dpupr"]["contributors"] == 2  # Dewi (1 October, 03.30 WIB) and Andi
    assert agencies["dishub"]["contributors"] == 0 and agencies["dishub"]["status"] == "tidak aktif"


@pytest.mark.parametrize(("args", "message"), [
    (("--format", "html"), "--output"),
    (("--since", "kemarin"), "2026-01-01"),
    (("--since", "2026-11-29"), "2026-11-28"),
], ids=["html-needs-a-folder", "since-not-a-date", "since-after-today"])
def test_usage_errors(git_repo: Path, run_cli: Callable[..., Result], args: tuple[str, ...],
                      message: str) -> None:
    result = run_cli("report", "--root", git_repo, *args)
    assert result.exit_code == 2 and message in result.output


def test_content_problems_are_reported_and_the_rest_counted(
        make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = make_repo({"content/dinkes/berita/2026-11-20-ok.md": "---\ntitle: Baik\ndate: 2026-11-20\n---\nIsi.\n",
                      "content/dinkes/berita/2026-11-21-rusak.md": "---\ntitle: Rusak\ndate: kemarin\n---\n"})
    result = run_cli("report", "--root", repo, "--format", "json")
    assert result.exit_code == 1
    assert "content/dinkes/berita/2026-11-21-rusak.md:3:" in result.stderr
    assert json.loads(result.stdout)["agencies"][0]["posts_in_period"] == 1
    assert run_cli("report", "--root", repo / "nowhere").exit_code == 1


def test_images_without_alt_text_in_every_format(make_repo: Callable[..., Path],
                                                 run_cli: Callable[..., Result], tmp_path: Path) -> None:
    """The loader's alt-text checks are counted: a front-matter image and a body image lack it;
    a described image and a decorative one do not count. The report is still written (exit 1)."""
    from tests.e2e.reportrepo import image, post

    body = "![](kegiatan.jpg)\n\n![Guru mengajar di kelas](guru.jpg)\n\n![](hiasan.png \"dekoratif\")"
    repo = make_repo({
        "content/dinkes/berita/2026-11-20-foto.md": post("Foto", "2026-11-20 09:00", "image: foto.jpg\n", body),
        "content/dinkes/media/foto.jpg": image("JPEG", (10, 20, 30)),
        "content/dinkes/media/kegiatan.jpg": image("JPEG", (30, 20, 10)),
        "content/dinkes/media/guru.jpg": image("JPEG", (90, 20, 10)),
        "content/dinkes/media/hiasan.png": image("PNG", (200, 200, 200)),
    })
    results = {fmt: run_cli("report", "--root", repo, "--format", fmt, "--output", tmp_path / fmt)
               for fmt in ("json", "csv", "text", "html")}
    assert all(r.exit_code == 1 for r in results.values())
    assert "2026-11-20-foto.md:4:" in results["json"].stderr  # the problems themselves, with lines
    assert json.loads((tmp_path / "json/laporan.json").read_text())["agencies"][0]["images_without_alt"] == 2
    assert next(csv.DictReader(io.StringIO((tmp_path / "csv/laporan.csv").read_text())))["images_without_alt"] == "2"
    row = next(line for line in (tmp_path / "text/laporan.txt").read_text().splitlines() if "Dinkes  " in line)
    assert re.split(r"\s{2,}", row.strip())[-1] == "2"
    page = ReportPage()
    page.feed((tmp_path / "html/index.html").read_text())
    assert page.rows[0][-1] == "2"


# --- validity, accessibility and looks --------------------------------------------------------


def _vnu(folder: Path) -> list[str]:
    import os
    import subprocess

    from tests.e2e.test_build import VNU

    requires("java", "default-jre-headless")
    if not VNU.is_file():
        message = "vnu-jar missing: run `npm install` in the project folder"
        pytest.fail(message) if os.environ.get("CI") == "true" else pytest.skip(message)
    done = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--also-check-css",
                           "--also-check-svg", "--skip-non-html", "--no-langdetect", str(folder)],  # see test_build
                          capture_output=True, text=True, timeout=600, check=False)
    return [f"{m.get('url', '')}:{m.get('lastLine')}: {m['message']}"
            for m in json.loads(done.stderr or '{"messages": []}')["messages"]
            if m["type"] in ("error", "non-document-error") or m.get("subType") == "warning"]


def test_html_is_valid_and_accessible(git_repo: Path, run_cli: Callable[..., Result],
                                      tmp_path: Path) -> None:
    report(run_cli, "--root", git_repo, "--output", tmp_path / "fixture")
    report(run_cli, "--root", git_repo, "--output", tmp_path / "english", "--lang", "en")
    run_cli("report", "--root", PROJECT, "--output", tmp_path / "sample")
    for folder in ("fixture", "english", "sample"):
        html = (tmp_path / folder / "index.html").read_text()
        assert "<style" not in html and " style=" not in html and "<script" not in html
        assert html.count("<h1>") == 1 and "<caption" in html
        assert html.count('role="img"') == html.count("<title id=") == html.count("<desc id=")
        assert all(f'th scope="{s}"' in html for s in ("col", "row"))
    assert not _vnu(tmp_path)


def test_status_colours_are_readable() -> None:
    from opdgen.report.html import STYLESHEET
    from opdgen.schema import contrast_ratio

    css = STYLESHEET.read_text()
    light = css.split("@media (prefers-color-scheme: dark)")[0]
    dark = css.split("@media (prefers-color-scheme: dark)")[1].split("}\n}")[0]
    for block in (light, dark):
        colours = dict(re.findall(r"--([a-z-]+): (#[0-9a-f]{6});", block))
        for status in ("tidak", "kurang", "aktif"):
            assert contrast_ratio(colours[status], colours[f"{status}-bg"]) >= 4.5, status


@pytest.mark.parametrize("which", ["fixture", "sample"])
def test_screenshots_at_phone_and_desktop_widths(git_repo: Path, run_cli: Callable[..., Result],
                                                 tmp_path: Path, which: str) -> None:
    """Saved in tests/artifacts/ for a person to look at; the page must not scroll sideways."""
    from tests.e2e.test_browser import ARGS, CHROMIUM

    requires(CHROMIUM, "chromium")
    from playwright.sync_api import sync_playwright

    root = git_repo if which == "fixture" else PROJECT
    agencies = len(RANKING) if which == "fixture" else len(list(PROJECT.glob("content/*/site.yaml")))
    assert run_cli("report", "--root", root, "--output", tmp_path / "page").exit_code in (0, 1)
    artifacts = PROJECT / "tests/artifacts"
    artifacts.mkdir(exist_ok=True)
    url = (tmp_path / "page/index.html").as_uri()
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for width in (390, 1280):
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
            page.goto(url)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            assert page.evaluate("getComputedStyle(document.querySelector('.badge')).borderRadius") != "0px"
            heights = page.eval_on_selector_all("svg.chart", "els => els.map(e => e.getBoundingClientRect().height)")
            assert len(heights) == agencies and min(heights) > 60
            scroller = page.locator(".table-scroll")
            fits = page.evaluate("(() => { const s = document.querySelector('.table-scroll');"
                                 " return s.scrollWidth <= s.clientWidth; })()")
            assert fits == (width >= 1280)  # the ranking scrolls inside its region on a phone
            page.screenshot(path=str(artifacts / f"report-{which}-{width}.png"), full_page=True)
            scroller.focus()  # keyboard users reach the region and scroll it with the arrow keys
            assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
            context.close()
        page = browser.new_page()
        page.goto(url)
        pdf = page.pdf(format="A4", print_background=True)
        (artifacts / f"report-{which}-print.pdf").write_bytes(pdf)
        assert pdf.startswith(b"%PDF")
        browser.close()
    assert not errors, errors


# --- on the portal, and in CI -----------------------------------------------------------------


def test_published_on_the_portal_when_asked(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    from tests.conftest import POST, REGION_YAML

    repo = make_repo({"content/dinkes/berita/2026-11-20-a.md": POST})
    assert run_cli("build", "--root", repo).exit_code == 0
    assert not (repo / "output/portal/laporan").exists()
    (repo / "opdgen.yaml").write_text(REGION_YAML + "report:\n  publish: true\n")
    assert run_cli("build", "--root", repo).exit_code == 0
    html = (repo / "output/portal/laporan/index.html").read_text()
    css = re.search(r'<link rel="stylesheet" href="/(assets/css/laporan\.[0-9a-f]{10}\.css)" integrity="sha384-', html)
    assert css and (repo / "output/portal" / css.group(1)).is_file()
    assert '<link rel="canonical" href="https://ujikab.go.id/laporan/">' in html
    assert '<a href="/">Kembali ke portal</a>' in html and "per 28 November 2026" in html
    assert "<style" not in html and " style=" not in html


def test_report_config_mistakes_are_problems(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    from tests.conftest import REGION_YAML

    repo = make_repo({"opdgen.yaml": REGION_YAML + "report:\n  active_days: 0\n  inactive_days: 90\n"})
    result = run_cli("check", "--root", repo)
    assert result.exit_code == 1 and "opdgen.yaml:10:" in result.output and "active_days" in result.output
    (repo / "opdgen.yaml").write_text(REGION_YAML + "report:\n  active_days: 90\n  inactive_days: 30\n")
    result = run_cli("report", "--root", repo)
    assert result.exit_code == 1 and "opdgen.yaml:9:" in result.output


def test_the_ci_workflow_keeps_a_monthly_report(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    import yaml

    assert run_cli("init", tmp_path / "kab").exit_code == 0
    workflow = yaml.safe_load((tmp_path / "kab/.github/workflows/opdgen.yml").read_text())
    crons = [s["cron"] for s in workflow[True]["schedule"]]
    monthly = next(c for c in crons if c.split()[2] == "1")
    job = workflow["jobs"]["laporan"]
    assert monthly in job["if"]
    steps = job["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0  # the whole history: contributors come from it
    runs = [s.get("run", "") for s in steps]
    for fmt in ("html", "csv", "json", "text"):
        assert any("opdgen report" in r and f"--format {fmt}" in r for r in runs), fmt
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "laporan/" and upload["if"] == "always()"
