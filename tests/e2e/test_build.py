"""The sample region builds into complete, valid, linked, reproducible sites and a portal."""

from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from click.testing import Result

from tests.conftest import POST, PROJECT, requires, tree_bytes
from tests.e2e.sitecheck import parse, site_origins, url_to_file

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITES = ("dinkes", "disdik", "diskominfo", "dpupr", "kec-cibeureum")
VNU = PROJECT / "node_modules/vnu-jar/build/dist/vnu.jar"


def test_every_site_and_the_portal_have_a_home_page(sample_output: Path) -> None:
    for name in (*SITES, "portal"):
        for rel in ("index.html", "404.html", "feed.xml", "sitemap.xml", "robots.txt"):
            assert (sample_output / name / rel).is_file(), f"{name}/{rel}"
    assert (sample_output / "dinkes/berita/index.html").is_file()
    assert (sample_output / "dinkes/tag/index.html").is_file()
    assert (sample_output / "dinkes/profil/index.html").is_file()
    assert (sample_output / "portal/opd/index.html").is_file()


def html_pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def test_internal_links_and_assets_resolve(sample_output: Path) -> None:
    origins = site_origins(PROJECT)
    broken = []
    for page in html_pages(sample_output):
        folder = page.relative_to(sample_output).parts[0]
        base = next(b for b, f in origins.items() if f == folder)
        rel = page.relative_to(sample_output / folder).as_posix()
        page_url = urljoin(base, rel.removesuffix("index.html"))
        parsed = parse(page)
        for link in parsed.links:
            if link.startswith(("mailto:", "tel:")):
                continue
            url = urljoin(page_url, link)
            target_page, _, fragment = url.partition("#")
            if not urlsplit(url).scheme.startswith("http"):
                broken.append((str(page), link))
                continue
            target = url_to_file(sample_output, origins, target_page)
            if target is None:
                continue  # another web site
            if not target.is_file() or (fragment and fragment not in parse(target).ids):
                broken.append((rel, link))
    assert not broken


def test_pages_are_indonesian_and_canonical(sample_output: Path) -> None:
    page = (sample_output / "dinkes/index.html").read_text()
    assert '<html lang="id">' in page
    assert '<link rel="canonical" href="https://dinkes.sukamajukab.go.id/">' in page
    post = next((sample_output / "dinkes/berita").glob("*/index.html"))
    text = post.read_text()
    slug = post.parent.name
    assert f'href="https://dinkes.sukamajukab.go.id/berita/{slug}/"' in text
    assert text.count("<h1") == 1


def test_no_inline_script_style_or_handlers(sample_output: Path) -> None:
    import re

    for page in html_pages(sample_output):
        html = page.read_text()
        assert "<style" not in html and " style=" not in html, page
        assert not re.search(r"<script(?![^>]*\ssrc=)(?![^>]*application/ld\+json)", html), page
        assert not re.search(r"\son[a-z]+=", html), page


def test_feeds_are_atom(sample_output: Path) -> None:
    for name in (*SITES, "portal"):
        raw = (sample_output / name / "feed.xml").read_bytes()
        feed = feedparser.parse(raw)
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert feed.version == "atom10"
        root = ET.fromstring(raw)
        assert root.tag == f"{ATOM}feed"
        for required in ("id", "title", "updated", "author"):
            assert root.find(f"{ATOM}{required}") is not None
        entries = root.findall(f"{ATOM}entry")
        assert 1 <= len(entries) <= 20
        for entry in entries:
            for required in ("id", "title", "updated", "link"):
                assert entry.find(f"{ATOM}{required}") is not None
    portal = feedparser.parse((sample_output / "portal/feed.xml").read_bytes())
    hosts = {urlsplit(e.link).hostname for e in portal.entries}
    assert len(hosts) >= 3  # news of several agencies, linking to their own sites


def test_sitemap_urls_exist(sample_output: Path) -> None:
    origins = site_origins(PROJECT)
    for name in (*SITES, "portal"):
        root = ET.parse(sample_output / name / "sitemap.xml").getroot()
        assert root.tag == f"{SM}urlset"
        locs = [u.findtext(f"{SM}loc") or "" for u in root.findall(f"{SM}url")]
        assert locs and len(locs) == len(set(locs))
        for loc in locs:
            target = url_to_file(sample_output, origins, loc)
            assert target is not None and target.is_file(), loc
        robots = (sample_output / name / "robots.txt").read_text()
        assert "Sitemap: https://" in robots


def test_drafts_and_scheduled_posts_stay_out(sample_output: Path) -> None:
    drafts = [p for p in PROJECT.glob("content/*/*/*.md") if "draft: true" in p.read_text()]
    assert drafts, "the sample content keeps one draft"
    for draft in drafts:
        slug = draft.stem[11:] if draft.stem[:4].isdigit() else draft.stem
        site = draft.parts[-3]
        assert not (sample_output / site / draft.parent.name / slug).exists()


def test_two_builds_are_byte_identical(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert run_cli("build", "--root", PROJECT, "--output", a).exit_code == 0
    assert run_cli("build", "--root", PROJECT, "--output", b).exit_code == 0
    assert tree_bytes(a) == tree_bytes(b)


def test_scheduled_post_appears_on_its_date(make_repo: Callable[..., Path], run_cli: Callable[..., Result],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    later = POST.replace("2026-11-20 08:30", "2026-12-01 07:00")
    repo = make_repo({"content/dinkes/berita/2026-12-01-jadwal.md": later,
                      "content/dinkes/berita/2026-11-20-ok.md": POST})
    assert run_cli("build", "--root", repo).exit_code == 0
    assert not (repo / "output/dinkes/berita/jadwal").exists()
    monkeypatch.setenv("OPDGEN_NOW", "2026-12-01 07:00")
    assert run_cli("build", "--root", repo).exit_code == 0
    assert (repo / "output/dinkes/berita/jadwal/index.html").is_file()
    assert run_cli("build", "--root", repo, "--drafts").exit_code == 0


def test_html_is_valid(sample_output: Path) -> None:
    requires("java", "default-jre-headless")
    if not VNU.is_file():
        message = "vnu-jar missing: run `npm install` in the project folder"
        pytest.fail(message) if os.environ.get("CI") == "true" else pytest.skip(message)
    # --no-langdetect: the validator guesses each page's language from a random sample of its text;
    # a short Indonesian page was once taken for Malay (lang="id" comes from opdgen.yaml, not a guess)
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--skip-non-html", "--no-langdetect", str(sample_output)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    # errors, and warnings (vnu reports them as type "info" with subType "warning")
    problems = [
        f"{m.get('url', '').rsplit('/output/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error") or m.get("subType") == "warning"
    ]
    assert not problems, "\n".join(problems[:30])
