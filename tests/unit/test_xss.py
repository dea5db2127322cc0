"""At least 60 XSS vectors through the one Markdown + sanitizer path: each comes out harmless."""

from __future__ import annotations

import pytest

from opdgen.markup.markdown import MarkdownRenderer
from opdgen.markup.sanitize import Sanitizer
from tests.xss import VECTORS, faults

MD = MarkdownRenderer()
CLEAN = Sanitizer(["www.youtube-nocookie.com"])


def test_the_table_is_large_enough() -> None:
    assert len(VECTORS) >= 60
    assert len({v for _, v in VECTORS}) == len(VECTORS)


@pytest.mark.parametrize("payload", [v for _, v in VECTORS], ids=[i for i, _ in VECTORS])
def test_vector_is_neutralised_in_a_post_body(payload: str) -> None:
    html = CLEAN.clean(MD.render(f"Paragraf.\n\n{payload}\n\nAkhir.\n"))
    assert faults(html) == [], html
    assert "alert(1)</script>" not in html


@pytest.mark.parametrize("payload", [v for _, v in VECTORS], ids=[i for i, _ in VECTORS])
def test_vector_is_neutralised_inline(payload: str) -> None:
    html = CLEAN.clean(MD.render(f"Sebelum {payload} sesudah.\n"))
    assert faults(html) == [], html


def test_allowed_video_is_still_allowed() -> None:
    html = CLEAN.clean(MD.render('<iframe src="https://www.youtube-nocookie.com/embed/x" title="Video"></iframe>'))
    assert faults(html, allowed_frames=("https://www.youtube-nocookie.com/",)) == []
    assert "<iframe" in html
