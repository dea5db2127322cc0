"""The judged case in a real browser: a post whose photo is a 12 MP phone JPEG with GPS, read on a phone.
The whole page (HTML, CSS, photo: all of it, scrolled to the end) weighs under 200 KB and nothing moves
while it loads (cumulative layout shift 0). Served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.conftest import SITE_YAML, requires
from tests.e2e.test_browser import ARGS, CHROMIUM
from tests.imagegen import phone_jpeg

BODY = "\n\n".join([
    "Dinas Kesehatan meluncurkan Posyandu Prima di 34 desa untuk mempercepat penurunan stunting.",
    "Setiap bulan kader menimbang dan mengukur balita, mencatatnya di buku KIA, dan merujuk balita "
    "yang berat badannya tidak naik ke puskesmas terdekat.",
    "## Jadwal",
    "Posyandu buka setiap Selasa pertama pukul 08.00-12.00 WIB. Unduh [jadwal lengkap](jadwal.pdf).",
    "Warga dapat bertanya melalui kader desa atau puskesmas terdekat.",
])
POST = f"""---
title: Posyandu Prima Percepat Penurunan Stunting
date: 2026-11-20 08:30
image: posyandu.jpg
image_alt: Kader posyandu menimbang balita di Desa Sukamaju
---
{BODY}
"""
# Layout shifts are summed as they happen; an init script, so it runs before the page's own loading.
CLS_OBSERVER = """
window.__cls = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) { if (!entry.hadRecentInput) window.__cls += entry.value; }
}).observe({type: "layout-shift", buffered: true});
"""
TRANSFERRED = """() => performance.getEntriesByType("navigation")[0].transferSize +
  performance.getEntriesByType("resource").reduce((sum, e) => sum + e.transferSize, 0)"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served_post(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> Iterator[str]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    repo = make_repo({
        "content/dinkes/site.yaml": SITE_YAML.replace("https://dinkes.ujikab.go.id/", base),
        "content/dinkes/berita/2026-11-20-posyandu-prima.md": POST,
        "content/dinkes/media/posyandu.jpg": phone_jpeg(4000, 3000, quality=95),
        "content/dinkes/media/jadwal.pdf": b"%PDF-1.4\n%%EOF\n",
    })
    result = run_cli("build", "--root", repo)
    assert result.exit_code == 0, result.output
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(_Quiet, directory=str(repo / "output/dinkes")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base + "berita/posyandu-prima/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.browser
@pytest.mark.parametrize("dpr", [1, 3], ids=["dpr1", "dpr3"])
def test_the_article_is_light_and_still_on_a_phone(served_post: str, dpr: int) -> None:
    requires(CHROMIUM, "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=dpr)
            context.add_init_script(CLS_OBSERVER)
            page = context.new_page()
            bodies: list[int] = []
            page.on("response", lambda r: bodies.append(len(r.body())) if r.ok else None)
            page.goto(served_post, wait_until="load")
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)
            weight = page.evaluate(TRANSFERRED)
            shift = page.evaluate("window.__cls")
            chosen = page.evaluate("document.querySelector('.article-image img').currentSrc")
        finally:
            browser.close()
    print(f"dpr {dpr}: {weight} bytes transferred ({sum(bodies)} in bodies), CLS {shift}, photo {chosen}")
    assert chosen.endswith(".webp")
    assert 0 < weight < 200_000 and sum(bodies) < 200_000
    assert shift == 0
