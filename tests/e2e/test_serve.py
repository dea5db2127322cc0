"""`opdgen serve` end to end: a real server process, real Chromium, files edited on disk.

The test never reloads the page: the preview's own script must bring each change to the tab.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from opdgen.outputs.headers import csp
from tests.conftest import NOW, POST, requires
from tests.e2e.test_browser import ARGS, CHROMIUM

POST_FILE = "content/dinkes/berita/2026-11-20-ok.md"
WAIT_MS = 10_000


class Preview:
    """`python -m opdgen serve` in a subprocess; its output collected line by line."""

    def __init__(self, repo: Path, tmpdir: Path, *extra: str) -> None:
        env = {**os.environ, "OPDGEN_NOW": NOW, "TMPDIR": str(tmpdir), "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "opdgen", "serve", "--root", str(repo), "--port", "0", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
            # Ctrl-C as in a terminal, even when this runs as a background job (which ignores SIGINT,
            # and a child would inherit that: `stop` would then wait for nothing)
            preexec_fn=_default_sigint,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    def url(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines:
                found = re.search(r"http://127\.0\.0\.1:\d+/", line)
                if found:
                    return found.group(0)
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError("serve printed no URL:\n" + "".join(self.lines))

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # Ctrl-C
        code = self.proc.wait(timeout=20)
        self._reader.join(timeout=5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.stop()


@pytest.fixture
def preview(make_repo: Callable[..., Path], tmp_path: Path) -> Iterator[tuple[Preview, Path, Path]]:
    repo = make_repo({POST_FILE: POST})
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    running = Preview(repo, tmpdir)
    try:
        yield running, repo, tmpdir
    finally:
        running.kill()


def _has_text(page: Any, needle: str) -> None:
    page.wait_for_function("t => document.body && document.body.innerText.includes(t)", arg=needle,
                           timeout=WAIT_MS)


def test_edits_reach_the_open_tab_and_problems_show_until_fixed(preview: tuple[Preview, Path, Path]) -> None:
    requires(CHROMIUM, "chromium")
    from playwright.sync_api import sync_playwright

    server, repo, tmpdir = preview
    url = server.url()
    post = repo / POST_FILE
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        response = page.goto(url + "dinkes/berita/ok/")
        assert response is not None and response.status == 200
        assert response.headers["content-security-policy"] == csp(["www.youtube-nocookie.com"])
        assert response.headers["x-frame-options"] == "DENY"
        assert page.locator("h1").inner_text() == "Pekan Imunisasi Dimulai"
        page.wait_for_selector("html[data-opdgen-live]", state="attached", timeout=WAIT_MS)

        post.write_text(POST.replace("Pekan imunisasi dimulai di seluruh puskesmas.",
                                     "Vaksin tambahan tiba hari ini."), encoding="utf-8")
        _has_text(page, "Vaksin tambahan tiba hari ini.")

        post.write_text(POST.replace("date: 2026-11-20 08:30", "date: kemarin sore"), encoding="utf-8")
        _has_text(page, f"{POST_FILE}:3")
        assert "date: kemarin sore" in page.locator("pre").first.inner_text()  # the offending line
        assert page.locator("html").get_attribute("lang") == "id"

        post.write_text(POST, encoding="utf-8")
        _has_text(page, "Pekan imunisasi dimulai di seluruh puskesmas.")
        assert page.locator("h1").inner_text() == "Pekan Imunisasi Dimulai"
        browser.close()

    # the problem page is served with status 500; Chromium reports that, and nothing else
    assert [e for e in errors if "status of 500" not in e] == []
    assert server.stop() == 0
    output = "".join(server.lines)
    assert "Pratinjau dihentikan." in output
    assert "masalah" in output  # the broken front matter was reported in the terminal too
    assert list(tmpdir.iterdir()) == []  # the served folder is gone
    assert not (repo / "output").exists()  # preview never writes output/


def test_drafts_and_scheduled_posts_carry_a_banner(make_repo: Callable[..., Path], tmp_path: Path,
                                                   run_cli: Callable[..., Any]) -> None:
    draft = POST.replace("author: Humas\n", "author: Humas\ndraft: true\n")
    later = POST.replace("2026-11-20 08:30", "2026-12-01 07:00")
    repo = make_repo({"content/dinkes/berita/2026-11-20-draf.md": draft,
                      "content/dinkes/berita/2026-12-01-nanti.md": later})
    out = tmp_path / "out"
    assert run_cli("build", "--root", repo, "--output", out, "--drafts").exit_code == 0
    drafted = (out / "dinkes/berita/draf/index.html").read_text(encoding="utf-8")
    assert '<p class="status-banner" role="note"><strong class="status-banner-label">Draf</strong>' in drafted
    scheduled = (out / "dinkes/berita/nanti/index.html").read_text(encoding="utf-8")
    assert '<strong class="status-banner-label">Terjadwal</strong>' in scheduled
    assert '<time datetime="2026-12-01T07:00:00+07:00">' in scheduled
    assert run_cli("build", "--root", repo, "--output", out).exit_code == 0
    assert "status-banner" not in (out / "dinkes/index.html").read_text(encoding="utf-8")


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
