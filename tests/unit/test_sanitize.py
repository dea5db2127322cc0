from __future__ import annotations

import pytest

from opdgen.markup.markdown import MarkdownRenderer, first_paragraph, shorten
from opdgen.markup.sanitize import Sanitizer

CLEAN = Sanitizer(["www.youtube-nocookie.com"])
MD = MarkdownRenderer()


def render(text: str) -> str:
    return CLEAN.clean(MD.render(text))


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("<img src=x onerror=alert(1)>", "onerror"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "avascript"),
        ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "data:"),
        ('<p style="position:fixed">x</p>', "style="),
        ("<style>body{display:none}</style>", "<style"),
        ('<iframe src="https://evil.example/x"></iframe>', "<iframe"),
        ('<iframe src="http://www.youtube-nocookie.com/embed/x"></iframe>', "<iframe"),
        ("<form action=/x><input name=a></form>", "<form"),
        ('<svg onload="alert(1)"></svg>', "onload"),
        ('<meta http-equiv="refresh" content="0;url=https://judi.example">', "<meta"),
        ('<base href="https://evil.example/">', "<base"),
        ('[x](javascript:alert(1))', "javascript:"),
        ('<div class="x" id="konten">a</div>', 'id="konten"'),
        ("# Judul", "<h1"),
    ],
    ids=["script", "onerror", "js-url", "js-url-case", "data-url", "style-attr", "style-tag",
         "iframe-host", "iframe-http", "form", "svg-onload", "meta-refresh", "base", "md-js-link",
         "theme-id", "h1"],
)
def test_dangerous_html_is_removed(source: str, forbidden: str) -> None:
    assert forbidden not in render(source)


def test_allowed_video_host_is_kept_sandboxed() -> None:
    html = render('<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video"></iframe>')
    assert 'src="https://www.youtube-nocookie.com/embed/abc"' in html
    assert 'sandbox="' in html and 'loading="lazy"' in html


def test_template_syntax_is_text() -> None:
    assert "{{ 7*7 }}" in render("Hasil: {{ 7*7 }} dan {% if x %}")


def test_markdown_features() -> None:
    html = render("## Jadwal\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n\nCatatan[^1]\n\n[^1]: Sumber.\n\n```python\nx = 1\n```\n")
    assert '<h2 id="jadwal">' in html
    assert '<td class="align-center">1</td>' in html
    assert 'class="footnote"' in html and 'href="#fn:1"' in html
    assert '<code class="language-python">' in html


def test_headings_are_renumbered_from_h2() -> None:
    html = render("### Satu\n\n##### Dua\n")
    assert "<h2" in html and "<h3" in html and "<h5" not in html


def test_summary_helpers() -> None:
    assert first_paragraph("<h2>x</h2><p></p><p>Halo <b>dunia</b></p>") == "Halo dunia"
    assert shorten("kata " * 100, 30).endswith("…") and len(shorten("kata " * 100, 30)) <= 30
