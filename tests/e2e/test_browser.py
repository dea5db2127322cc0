"""A real headless Chromium walks the built sample: home -> post -> tag page -> portal, no console errors.

Every request is answered from output/ by the site's own host name (page.route), so the pages are
exactly what would be deployed, with their real absolute URLs, and nothing leaves this machine.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT, requires
from tests.e2e.sitecheck import site_origins, url_to_file

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


@pytest.fixture
def browser_page(sample_output: Path) -> Iterator[tuple[Any, list[str]]]:
    requires(CHROMIUM, "chromium")
    from playwright.sync_api import sync_playwright

    origins = site_origins(PROJECT)
    errors: list[str] = []

    def serve(route: Any) -> None:
        url = route.request.url.split("#", 1)[0].split("?", 1)[0]
        target = url_to_file(sample_output, origins, url)
        if target is None:
            errors.append(f"request outside the sites: {url}")
            route.abort()
            return
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            errors.append(f"404: {url}")
            route.fulfill(status=404, body="not found")
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        route.fulfill(status=200, body=target.read_bytes(), content_type=kind)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.route("**/*", serve)
        page = context.new_page()
        page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        yield page, errors
        browser.close()


def test_reader_walks_from_home_to_post_tag_and_portal(browser_page: tuple[Any, list[str]]) -> None:
    page, errors = browser_page
    page.goto("https://dinkes.sukamajukab.go.id/")
    assert page.locator("h1").count() == 1
    # a post from the home page's latest news
    hrefs = page.eval_on_selector_all("main a", "els => els.map(e => e.getAttribute('href'))")
    post_href = next(h for h in hrefs if re.fullmatch(r"/berita/[a-z0-9-]+/", h or ""))
    page.locator(f"main a[href='{post_href}']").first.click()
    page.wait_for_load_state()
    assert "/berita/" in page.url and page.url.rstrip("/").rsplit("/", 1)[-1] != "berita"
    title = page.locator("h1").inner_text()
    assert title
    # one of its tags
    page.locator("main a[href*='/tag/']").first.click()
    page.wait_for_load_state()
    assert "/tag/" in page.url
    assert page.locator("main a[href*='/berita/'], main a[href*='/pengumuman/']").count() >= 1
    # the regional portal, from the footer link
    page.locator("a[href='https://sukamajukab.go.id/']").first.click()
    page.wait_for_load_state()
    assert page.url == "https://sukamajukab.go.id/"
    hosts = page.eval_on_selector_all(
        "main a[href*='/berita/']", "els => [...new Set(els.map(e => new URL(e.href).host))]"
    )
    assert len(hosts) >= 3  # the portal gathers news of several agencies
    assert not errors, errors


def test_css_is_applied(browser_page: tuple[Any, list[str]]) -> None:
    page, errors = browser_page
    page.goto("https://disdik.sukamajukab.go.id/")
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "serif" in family or "sans" in family or "system-ui" in family
    brand = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()")
    assert brand.startswith("#")
    assert not errors, errors


def test_share_links_and_copy_button(browser_page: tuple[Any, list[str]]) -> None:
    page, errors = browser_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("https://dinkes.sukamajukab.go.id/berita/")
    post_url = page.eval_on_selector("main h2 a, main h3 a", "a => a.href")
    page.goto(post_url)
    shares = page.eval_on_selector_all(".share-list a", "els => els.map(e => new URL(e.href).host)")
    assert shares == ["wa.me", "www.facebook.com", "x.com", "t.me"]
    button = page.locator("button.share-copy")
    button.wait_for(state="visible")
    button.click()
    page.wait_for_function("document.querySelector('[data-copy-status]').textContent.length > 0")
    assert page.evaluate("navigator.clipboard.readText()") == post_url
    data = page.eval_on_selector('script[type="application/ld+json"]', "s => JSON.parse(s.textContent)")
    types = [node["@type"] for node in data["@graph"]]
    assert types == ["NewsArticle", "BreadcrumbList"]
    assert data["@graph"][0]["mainEntityOfPage"] == post_url
    assert not errors, errors
