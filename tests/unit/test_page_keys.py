"""Page keys: every variable that can change a page's bytes changes its key. Post views are hashed
field by field (their texts by their bytes, str apart from Markup), once per web root."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup

from opdgen.outputs.files import _digest_of, _view_digest
from opdgen.render.context import PostView, SiteView, TagView


def site(**changes: Any) -> SiteView:
    values: dict[str, Any] = {f.name: f"{f.name}-x" for f in dataclasses.fields(SiteView)}
    values.update(logo_url=None, logo=None, social=(), is_portal=False, **changes)
    return SiteView(**values)


def view(**changes: Any) -> PostView:
    values: dict[str, Any] = dict(
        title="Vaksinasi", url="/berita/vaksinasi/", abs_url="https://dinkes.go.id/berita/vaksinasi/",
        date=datetime(2026, 11, 20, tzinfo=UTC), updated=None, author="Humas",
        tags=(TagView("Kesehatan", "kesehatan", "/tag/kesehatan/"),), summary="Ringkas.",
        body_html=Markup("<p>Isi &amp; <b>tebal</b></p>"), kind="berita", kind_label="Berita",
        image_url=None, image_alt="", image=None, gallery=(), social_image_url=None,
        reading_minutes=1, site=site(), is_draft=False, is_scheduled=False,
        source="content/dinkes/berita/2026-11-20-vaksinasi.md")
    values.update(changes)
    return PostView(**values)


OTHER: dict[str, Any] = dict(
    title="Vaksinasi!", url="/berita/lain/", abs_url="https://x/", date=None,
    updated=datetime(2026, 11, 21, tzinfo=UTC), author="", tags=(), summary="Ringkas",
    body_html=Markup("<p>Isi &amp; <b>tebal</b> </p>"), kind="pengumuman", kind_label="Pengumuman",
    image_url="https://x/a.jpg", image_alt="foto", social_image_url="https://x/og.jpg",
    reading_minutes=2, site=site(name="Dinas Lain"), is_draft=True, is_scheduled=True, source="x.md")


def test_equal_views_have_one_digest_and_every_field_counts() -> None:
    memo: dict[int, tuple[object, str]] = {}
    first = _view_digest(view(), memo)
    assert _view_digest(view(), {}) == first  # by value, not by identity
    for name, value in OTHER.items():
        assert _view_digest(view(**{name: value}), {}) != first, name
    assert set(OTHER) | {"image", "gallery"} == {f.name for f in dataclasses.fields(PostView)}


def test_a_text_is_not_its_markup_nor_another_split() -> None:
    text = view(body_html="<p>Isi &amp; <b>tebal</b></p>")  # a str: escaped where it is shown
    assert _view_digest(text, {}) != _view_digest(view(), {})
    a = view(title="ab", author="c")
    b = view(title="a", author="bc")
    assert _view_digest(a, {}) != _view_digest(b, {})  # each text with its length


def test_a_view_is_remembered_for_its_web_root() -> None:
    memo: dict[int, tuple[object, str]] = {}
    v = view()
    key = _digest_of({"post": v}, memo)
    assert memo[id(v)][0] is v and _digest_of({"post": v}, memo) == key
    assert _digest_of({"post": view(summary="Lain.")}, memo) != key
