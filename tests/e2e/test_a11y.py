"""Accessibility in a real browser: axe-core on every page type, and the keyboard path through a page."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import PROJECT, requires
from tests.e2e.test_browser import browser_page  # noqa: F401 - the fixture

AXE = PROJECT / "node_modules/axe-core/axe.min.js"
PAGES = {
    "home": "https://dinkes.sukamajukab.go.id/",
    "listing": "https://dinkes.sukamajukab.go.id/berita/",
    "post": None,  # the newest post, found on the listing
    "tags": "https://dinkes.sukamajukab.go.id/tag/",
    "tag": None,  # the first tag on the tags page
    "halaman": "https://dinkes.sukamajukab.go.id/profil/",
    "pengumuman": "https://dinkes.sukamajukab.go.id/pengumuman/",
    "404": "https://dinkes.sukamajukab.go.id/404.html",
    "portal": "https://sukamajukab.go.id/",
    "portal-berita": "https://sukamajukab.go.id/berita/",
    "portal-directory": "https://sukamajukab.go.id/opd/",
    "report": "https://sukamajukab.go.id/laporan/",  # the activity report, published (report.publish)
    "search": "https://dinkes.sukamajukab.go.id/cari/?q=demam",  # with results shown
    "portal-search": "https://sukamajukab.go.id/cari/?q=demam",
    # issue 8 sections: add page types inside your own block
    # -- agenda
    "agenda": "https://dinkes.sukamajukab.go.id/agenda/",
    "agenda-past": "https://dinkes.sukamajukab.go.id/agenda/lalu/",
    "agenda-event": "https://dinkes.sukamajukab.go.id/agenda/webinar-cegah-demam-berdarah-musim-hujan/",
    "agenda-cancelled": "https://dinkes.sukamajukab.go.id/agenda/jalan-sehat-hari-ibu/",
    "portal-agenda": "https://sukamajukab.go.id/agenda/",
    # -- end agenda
    # -- dokumen / PPID
    "dip": "https://dinkes.sukamajukab.go.id/dokumen/",
    "dip-category": "https://dinkes.sukamajukab.go.id/dokumen/berkala/",
    "dokumen": "https://dinkes.sukamajukab.go.id/dokumen/laporan-keuangan-2025/",
    "dokumen-excluded": "https://dinkes.sukamajukab.go.id/dokumen/rekam-medis-pasien/",
    "ppid": "https://dinkes.sukamajukab.go.id/ppid/",
    "portal-informasi-publik": "https://sukamajukab.go.id/informasi-publik/",
    # -- end dokumen
    # -- layanan and SKM
    "layanan-index": "https://dinkes.sukamajukab.go.id/layanan/",
    "layanan": "https://dinkes.sukamajukab.go.id/layanan/surat-keterangan-sehat/",
    "maklumat": "https://cibeureum.sukamajukab.go.id/maklumat-pelayanan/",
    "skm": "https://cibeureum.sukamajukab.go.id/skm/",
    # -- end layanan
}


def run_axe(page: Any) -> list[str]:
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate(
        "async () => JSON.stringify(await axe.run(document, {resultTypes: ['violations']}))"
    )
    violations = json.loads(result)["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} @ {[n['target'] for n in v['nodes']][:3]}"
            for v in violations]


def test_no_axe_violations_on_any_page_type(browser_page: tuple[Any, list[str]]) -> None:  # noqa: F811
    """Every page type, light and dark, at phone width: zero violations of any impact."""
    if not AXE.is_file():
        requires(str(AXE), "npm (then run `npm install` in the project folder)")
    page, errors = browser_page
    found: dict[str, list[str]] = {}
    for name, url in PAGES.items():
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            if url is None:
                page.goto("https://dinkes.sukamajukab.go.id/berita/" if name == "post" else
                          "https://dinkes.sukamajukab.go.id/tag/")
                url = page.eval_on_selector("main h2 a, main h3 a" if name == "post" else "main li a",
                                            "a => a.href")
            page.goto(url)
            violations = run_axe(page)
            if violations:
                found[f"{name} ({scheme})"] = violations
    assert found == {}
    assert not errors


def test_keyboard_reaches_skip_link_then_menu(browser_page: tuple[Any, list[str]]) -> None:  # noqa: F811
    page, _ = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("https://dinkes.sukamajukab.go.id/berita/")
    page.keyboard.press("Tab")
    first = page.evaluate("({text: document.activeElement.textContent.trim(), href: document.activeElement.getAttribute('href')})")
    assert first["href"] == "#konten"
    visible = page.evaluate("(() => { const r = document.activeElement.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.top >= 0; })()")
    assert visible, "the skip link shows when focused"
    menu = page.eval_on_selector_all("header nav a", "els => els.map(e => e.getAttribute('href'))")
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href')")
        if href in menu and href not in reached:
            reached.append(href)
        if len(reached) == len(menu):
            break
    assert reached == menu
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus is visible"
    page.keyboard.press("Shift+Tab")
    page.goto("https://dinkes.sukamajukab.go.id/berita/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "konten"


def test_text_at_200_percent_loses_nothing(browser_page: tuple[Any, list[str]]) -> None:  # noqa: F811
    """WCAG 1.4.4 (text at 200% on a desktop window) and 1.4.10 (reflow at 320 CSS pixels):
    no page needs sideways scrolling and no element sticks out of the window."""
    page, _ = browser_page
    for width, size in ((1280, "200%"), (320, "100%")):
        page.set_viewport_size({"width": width, "height": 900})
        # every page type, and a site whose menu carries a visually hidden "external site" note
        for url in [*(u for u in PAGES.values() if u), "https://cibeureum.sukamajukab.go.id/"]:
            page.goto(url)
            page.evaluate(f"document.documentElement.style.fontSize = '{size}'")
            overflow = page.evaluate("""() => {
                const width = document.documentElement.clientWidth;
                const wide = [...document.querySelectorAll('body *')].filter(e => {
                    const r = e.getBoundingClientRect();
                    const inScroller = e.closest('.table-scroll, .dip-scroll, .menu');
                    return r.right > width + 1 && !inScroller && r.width > 0;
                });
                return {scroll: document.documentElement.scrollWidth, width,
                        wide: wide.slice(0, 5).map(e => e.tagName + '.' + e.className)};
            }""")
            assert overflow["scroll"] <= overflow["width"] + 1, (url, width, size, overflow)
            assert overflow["wide"] == [], (url, width, size, overflow)
