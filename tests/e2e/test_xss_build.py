"""The XSS vectors placed in front matter and site.yaml come out escaped in every place they appear
(title, meta tags, feed, sitemap, portal), and none runs in a real browser."""

from __future__ import annotations

import json
import mimetypes
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.conftest import REGION_YAML, requires
from tests.e2e.test_browser import ARGS, CHROMIUM
from tests.e2e.test_cli import tiny_png
from tests.xss import VECTORS, faults

FRAMES = ("https://www.youtube-nocookie.com/",)


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text)


@pytest.fixture(scope="module")
def xss_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from opdgen.cli import main

    repo = tmp_path_factory.mktemp("xss")
    names = [v for _, v in VECTORS]
    files = {
        "opdgen.yaml": REGION_YAML.replace("Pemerintah Kabupaten Uji", names[0][:100].replace("\n", " ").replace('"', "'")),
        "content/dinkes/site.yaml": (
            f"name: {q(names[5][:120])}\nshort_name: {q(names[11][:40])}\n"
            f"base_url: https://dinkes.ujikab.go.id/\ndescription: {q(names[58])}\n"
            f"address: {q(names[40])}\n"
        ),
    }
    for i, (ident, payload) in enumerate(VECTORS):
        front = (
            f"title: {q(payload[:200])}\ndate: 2026-11-{(i % 27) + 1:02d} 08:{i % 60:02d}\n"
            f"author: {q(payload[:100])}\ntags: [{q(payload[:60])}, uji]\nsummary: {q(payload[:400])}\n"
        )
        files[f"content/dinkes/berita/2026-11-01-{ident}.md"] = f"---\n{front}---\n{payload}\n"
    files["content/dinkes/halaman/profil.md"] = f"---\ntitle: {q(names[3])}\nsummary: {q(names[20])}\n---\n{names[20]}\n"
    for rel, text in files.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    # every image a page uses must exist (opdgen.media processes it): the vector naming a.png gets one
    (repo / "content/dinkes/media").mkdir()
    (repo / "content/dinkes/media/a.png").write_bytes(tiny_png())
    result = CliRunner().invoke(main, ["build", "--root", str(repo)])
    assert result.exit_code == 0, result.output
    return repo / "output"


def test_no_payload_survives_in_any_page(xss_output: Path) -> None:
    pages = sorted(xss_output.rglob("*.html"))
    assert len(pages) > len(VECTORS)
    bad = {str(p.relative_to(xss_output)): f for p in pages if (f := faults(p.read_text(), allowed_frames=FRAMES))}
    assert not bad


def test_feeds_and_sitemaps_stay_well_formed(xss_output: Path) -> None:
    for name in ("dinkes", "portal"):
        for rel in ("feed.xml", "sitemap.xml"):
            ET.fromstring((xss_output / name / rel).read_bytes())
    feed = ET.fromstring((xss_output / "dinkes/feed.xml").read_bytes())
    atom = "{http://www.w3.org/2005/Atom}"
    for entry in feed.findall(f"{atom}entry"):
        assert faults(entry.findtext(f"{atom}content") or "", allowed_frames=FRAMES) == []


def test_titles_show_the_payload_as_text(xss_output: Path) -> None:
    page = (xss_output / "dinkes/berita/script/index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_nothing_runs_in_chromium(xss_output: Path, run_cli: Callable[..., Result]) -> None:
    requires(CHROMIUM, "chromium")
    from playwright.sync_api import sync_playwright

    hosts = {"dinkes.ujikab.go.id": xss_output / "dinkes", "ujikab.go.id": xss_output / "portal"}
    fired: list[str] = []
    foreign: list[str] = []

    def serve(route: Any) -> None:
        url = route.request.url
        host = url.split("/")[2]
        root = hosts.get(host)
        if root is None:
            foreign.append(url)
            route.abort()
            return
        rel = url.split("/", 3)[3].split("#")[0].split("?")[0]
        target = root / rel
        if rel == "" or rel.endswith("/"):
            target = target / "index.html"
        if not target.is_file():
            route.fulfill(status=404, body="")
            return
        route.fulfill(status=200, body=target.read_bytes(),
                      content_type=mimetypes.guess_type(target.name)[0] or "application/octet-stream")

    pages = [*sorted((xss_output / "dinkes").rglob("index.html")), xss_output / "portal/index.html"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context()
        context.route("**/*", serve)
        page = context.new_page()
        page.on("dialog", lambda d: (fired.append(f"{page.url}: {d.message}"), d.dismiss()))
        for path in pages:
            site = "dinkes.ujikab.go.id" if "dinkes" in path.parts else "ujikab.go.id"
            root = hosts[site]
            rel = path.parent.relative_to(root).as_posix()
            page.goto(f"https://{site}/" + ("" if rel == "." else rel + "/"))
            page.mouse.move(5, 5)
            page.mouse.move(300, 300)
        browser.close()
    assert not fired
    assert not [u for u in foreign if "evil" in u or "judi" in u]
