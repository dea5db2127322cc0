"""Search in a real headless Chromium: Pagefind's index from `opdgen build`, our search.js, the sample site.

Requests are answered from output/ by host name (page.route, as in test_browser.py): the real absolute
URLs, nothing leaves this machine. The CSP itself is exercised by test_nginx.py, which loads /cari/.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import PROJECT, requires
from tests.e2e.sitecheck import site_origins, url_to_file
from tests.e2e.test_browser import ARGS, CHROMIUM

DINKES = "https://dinkes.sukamajukab.go.id/"
PORTAL = "https://sukamajukab.go.id/"


@pytest.fixture(scope="module")
def browser(sample_output: Path) -> Iterator[tuple[Any, Path]]:
    requires(CHROMIUM, "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium, sample_output
        chromium.close()


def open_page(browser: tuple[Any, Path], *, javascript: bool = True) -> tuple[Any, list[str]]:
    chromium, output = browser
    origins = site_origins(PROJECT)
    errors: list[str] = []

    def serve(route: Any) -> None:
        url = route.request.url.split("#", 1)[0].split("?", 1)[0]
        target = url_to_file(output, origins, url)
        if target is None or not target.is_file():
            errors.append(f"not served: {url}")
            route.fulfill(status=404, body="not found")
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        route.fulfill(status=200, body=target.read_bytes(), content_type=kind)

    context = chromium.new_context(java_script_enabled=javascript, viewport={"width": 390, "height": 844})
    context.route("**/*", serve)
    page = context.new_page()
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    return page, errors


def search(page: Any, words: str) -> list[str]:
    """Type into the search box, press the button, and return the result links."""
    page.fill("#q", words)
    page.click(".search-button")
    page.wait_for_selector(".search-item a", timeout=15000)
    return list(page.eval_on_selector_all(".search-item a", "els => els.map(e => e.href)"))


def test_header_links_to_the_search_page(sample_output: Path) -> None:
    home = (sample_output / "dinkes/index.html").read_text("utf-8")
    assert 'class="search-link" href="/cari/"' in home
    assert (sample_output / "dinkes/cari/index.html").is_file()
    assert (sample_output / "dinkes/pagefind/pagefind.js").is_file()
    assert (sample_output / "portal/pagefind/pagefind.js").is_file()
    assert not list((sample_output / "dinkes/pagefind").glob("pagefind-ui*"))  # its UI injects styles


def test_typing_a_word_of_a_post_finds_that_post(browser: tuple[Any, Path]) -> None:
    page, errors = open_page(browser)
    page.goto(DINKES)
    page.click("a.search-link")
    page.wait_for_url(f"{DINKES}cari/")
    links = search(page, "fogging")
    assert f"{DINKES}berita/fogging-fokus-kasus-dbd-sindangjaya/" in links
    assert page.url == f"{DINKES}cari/?q=fogging"  # shareable
    assert page.locator(".search-excerpt mark").count() >= 1
    assert "fogging" in page.locator("[data-search-status]").inner_text()
    page.locator(".search-item a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{DINKES}berita/")
    assert not errors, errors


def test_a_query_in_the_address_searches_on_load(browser: tuple[Any, Path]) -> None:
    page, errors = open_page(browser)
    page.goto(f"{DINKES}cari/?q=demam+berdarah")
    page.wait_for_selector(".search-item a", timeout=15000)
    assert page.input_value("#q") == "demam berdarah"
    hosts = {urlsplit(h).netloc for h in page.eval_on_selector_all(".search-item a", "els => els.map(e => e.href)")}
    assert hosts == {"dinkes.sukamajukab.go.id"}  # an agency's index holds its own pages only
    page.fill("#q", "zzzqqxyzzy")
    page.click(".search-button")
    page.wait_for_function("document.querySelector('[data-search-status]').textContent.includes('zzzqqxyzzy')")
    assert page.locator(".search-item").count() == 0
    assert not errors, errors


def test_without_javascript_the_page_points_to_the_listings(browser: tuple[Any, Path]) -> None:
    page, errors = open_page(browser, javascript=False)
    page.goto(f"{DINKES}cari/?q=fogging")
    status = page.locator("[data-search-status]").inner_text()
    assert "JavaScript" in status
    hrefs = page.eval_on_selector_all("[data-search-status] a", "els => els.map(e => e.getAttribute('href'))")
    assert set(hrefs) >= {"/berita/", "/tag/", "/pengumuman/"}
    assert page.locator("form.search-form[action='/cari/'][method='get'] input[name='q']").count() == 1
    assert not errors, errors


def test_the_portal_search_finds_posts_of_several_agencies(browser: tuple[Any, Path]) -> None:
    page, errors = open_page(browser)
    page.goto(f"{PORTAL}cari/")
    links = search(page, "warga")
    hosts = {urlsplit(h).netloc for h in links}
    assert len(hosts) >= 2, links
    assert "sukamajukab.go.id" not in hosts  # results link to the agencies' own sites
    assert all(h.endswith(".sukamajukab.go.id") for h in hosts)
    assert not errors, errors


def deep_word() -> tuple[str, str]:
    """A word of the sample's news that one post alone has, and only past the opening the portal's
    index holds (outputs.search.lead_doc): the word, and the post's address. Pagefind stems
    Indonesian and matches prefixes: the word is a root (no common affix) whose first five letters
    begin no word of any opening."""
    import re

    from opdgen.cli import build_now
    from opdgen.content.loader import LoadOptions, load_region
    from opdgen.outputs.search import region_documents

    region, _ = load_region(PROJECT, LoadOptions(now=build_now()))
    assert region is not None
    leads: dict[Any, bytes] = {}
    docs = region_documents(region, lambda kind: kind.value, None, leads)

    def words(doc: bytes, shortest: int) -> set[str]:
        text = re.sub(r"<[^>]*>", " ", doc.decode("utf-8").lower())
        return set(re.findall(rf"[a-z]{{{shortest},}}", text))

    opening = set().union(*(words(lead, 3) for lead in leads.values()))
    affixed = re.compile(r"^(di|me|be|te|ke|pe|se)|(nya|kan|an|i|lah|kah|pun)$")
    seen: dict[str, list[Any]] = {}
    for doc in docs:
        for word in words(doc.search_doc, 7):
            seen.setdefault(word, []).append(doc.path)
    for word, paths in sorted(seen.items()):
        if len(paths) == 1 and paths[0].parts[0] == "dinkes" and not affixed.search(word) \
                and not any(w.startswith(word[:5]) for w in opening):
            return word, DINKES + "/".join(paths[0].parts[1:-1]) + "/"
    raise AssertionError("no post of dinkes has a word of its own past its opening")


def test_the_portal_searches_openings_and_each_agency_whole_posts(browser: tuple[Any, Path]) -> None:
    word, post = deep_word()
    page, errors = open_page(browser)
    page.goto(f"{DINKES}cari/?q={word}")
    page.wait_for_selector(".search-item a", timeout=15000)
    assert post in page.eval_on_selector_all(".search-item a", "els => els.map(e => e.href)")
    page.goto(f"{PORTAL}cari/?q={word}")
    page.wait_for_function(f"document.querySelector('[data-search-status]').textContent.includes('{word}')")
    assert page.locator(".search-item").count() == 0  # past the opening: the agency's own search finds it
    assert "situs OPD" in page.locator(".search-scope").inner_text()  # and the page says so
    assert not errors, errors
