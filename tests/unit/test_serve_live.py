"""The preview's event stream, change detection, script injection and problem page."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from opdgen.build.pipeline import BuildOptions, build
from opdgen.problems import Problem, Severity
from opdgen.serve.errorpage import error_page
from opdgen.serve.livereload import TAG, EventHub, changed_urls, inject, url_of
from tests.conftest import POST


def test_stream_says_hello_then_sends_changes_then_ends_on_close() -> None:
    hub = EventHub()
    stream = hub.stream()
    hello = next(stream).decode()
    assert "retry: 500" in hello and "event: hello" in hello and hub.build in hello
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.extend(c.decode() for c in stream))
    reader.start()
    hub.publish(["/dinkes/berita/a/index.html"])
    hub.close()
    reader.join(timeout=5)
    assert not reader.is_alive()
    assert len(received) == 1
    name, data = received[0].strip().split("\n")
    assert name == "event: change"
    payload = json.loads(data.removeprefix("data: "))
    assert payload == {"build": hub.build, "paths": ["/dinkes/berita/a/index.html"]}


def test_changed_urls_come_from_the_build(make_repo: Callable[..., Path]) -> None:
    """What the writer wrote anew and the pages the build removed; unchanged files are not listed."""
    repo = make_repo({"content/dinkes/berita/2026-11-20-a.md": POST,
                      "content/dinkes/berita/2026-11-21-b.md": POST.replace("Pekan Imunisasi Dimulai", "Kedua")})
    options = BuildOptions(root=repo, now=datetime(2026, 11, 28, 12, tzinfo=UTC), output=tmp_out(repo),
                           preview_url="http://127.0.0.1:8000/", search=False)
    assert build(options).ok
    post = repo / "content/dinkes/berita/2026-11-20-a.md"
    post.write_text(post.read_text() + "\nKalimat baru.\n")
    changed = changed_urls(build(options))
    assert "/dinkes/berita/a/index.html" in changed and "/dinkes/berita/b/index.html" not in changed
    (repo / "content/dinkes/berita/2026-11-21-b.md").unlink()
    assert "/dinkes/berita/b/index.html" in changed_urls(build(options))
    assert url_of(PurePosixPath("portal/index.html")) == "/index.html"


def tmp_out(repo: Path) -> Path:
    return repo.parent / "preview"


def test_inject_links_the_script_in_head() -> None:
    page = inject(b"<html><head><title>x</title></head><body></body></html>")
    assert page.index(TAG) < page.index(b"</head>")
    assert b"<script>" not in page  # never inline


def test_error_page_names_file_line_offending_text_and_fix(tmp_path: Path) -> None:
    post = tmp_path / "content/dinkes/berita/a.md"
    post.parent.mkdir(parents=True)
    post.write_text("---\ntitle: Uji\ndate: kemarin <b>\n---\nIsi.\n", encoding="utf-8")
    problems = [Problem(PurePosixPath("content/dinkes/berita/a.md"), 3, "frontmatter.date.format",
                        {"value": "kemarin <b>"}, Severity.ERROR)]
    page = error_page(problems, tmp_path, "id").decode()
    assert '<html lang="id">' in page
    assert "content/dinkes/berita/a.md:3" in page
    assert "date: kemarin &lt;b&gt;" in page  # the line as it is on disk, escaped
    assert "<b>" not in page
    assert "Cara memperbaiki:" in page
    assert TAG.decode() in page and "<style" not in page
    english = error_page(problems, tmp_path, "en").decode()
    assert "How to fix it:" in english and '<html lang="en">' in english


def test_headers_are_production_ones_and_lan_drops_only_the_https_upgrade() -> None:
    from opdgen.outputs.headers import security_headers
    from opdgen.serve.preview import is_loopback, preview_headers

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    assert preview_headers(["www.youtube.com"], "127.0.0.1") == security_headers(["www.youtube.com"])
    lan = dict(preview_headers(["www.youtube.com"], "192.168.1.5"))
    production = dict(security_headers(["www.youtube.com"]))
    assert lan["Content-Security-Policy"] + "; upgrade-insecure-requests" == production["Content-Security-Policy"]
    assert {k: v for k, v in lan.items() if k != "Content-Security-Policy"} == \
        {k: v for k, v in production.items() if k != "Content-Security-Policy"}


def test_site_option_watches_only_that_site(tmp_path: Path) -> None:
    from opdgen.serve.watch import is_relevant, watched_folders

    for folder in ("content/dinkes", "content/disdik", "themes"):
        (tmp_path / folder).mkdir(parents=True)
    only = frozenset({"dinkes"})
    assert watched_folders(tmp_path, only) == [
        (tmp_path, False), (tmp_path / "themes", True), (tmp_path / "content", False),
        (tmp_path / "content/dinkes", True)]
    assert is_relevant(PurePosixPath("content/dinkes/berita/a.md"), only)
    assert not is_relevant(PurePosixPath("content/disdik/berita/a.md"), only)
    assert is_relevant(PurePosixPath("opdgen.yaml"), only)
