"""The portal shows cards (render.context.CardView), and a post's portal signature
(build.changes.portal_signature) says all a card and the portal's index show of it: together they
let an edit of a post's text alone leave the portal's web root as it was."""

from __future__ import annotations

import dataclasses

import pytest

from opdgen.build.changes import portal_signature, signature
from opdgen.cli import build_now
from opdgen.content.loader import LoadOptions, load_region
from opdgen.content.model import Post, Region
from opdgen.outputs.feeds import FEED_SIZE
from opdgen.outputs.portal import feed_sources
from opdgen.outputs.search import lead_digest
from opdgen.outputs.site import brand_file
from opdgen.render.context import CardView, PostView, Urls, card_view, post_view, site_view
from tests.conftest import PROJECT

# where each field of a card comes from: the post's signature (a change there is structural: the
# build judges every page by its key), its portal signature, or the context (configuration and
# theme: a change there is a whole build)
FROM_SIGNATURE = {"url", "abs_url", "date", "updated", "tags", "kind", "is_draft", "is_scheduled", "source"}
FROM_PORTAL_SIGNATURE = {"title", "summary", "author", "image", "image_url", "image_alt", "social_image_url"}
FROM_CONTEXT = {"site", "kind_label"}


@pytest.fixture(scope="module")
def region() -> Region:
    loaded, _ = load_region(PROJECT, LoadOptions(now=build_now()))
    assert loaded is not None
    return loaded


def _news(region: Region) -> list[tuple[Post, Urls]]:
    return [(p, Urls(s.config.base_url)) for s in region.sites for p in s.posts if p.kind.is_news]


def test_a_card_is_a_post_view_without_its_text(region: Region) -> None:
    """Every field of a card is the post view's, on an agency site and on the portal; the view has
    only the body, gallery and reading time more."""
    card_fields = {f.name for f in dataclasses.fields(CardView)}
    view_fields = {f.name for f in dataclasses.fields(PostView)}
    assert view_fields - card_fields == {"body_html", "gallery", "reading_minutes"}
    assert card_fields <= view_fields
    portal = Urls(region.config.portal_base_url)
    with_photo = 0
    for post, urls in _news(region):
        sv = site_view(region.sites[0].config, urls, brand_file("x", "#123456", "")[1], None)
        for shown_at in (None, portal):
            card = card_view(post, sv, urls, lambda k: k.value, shown_at=shown_at)
            view = post_view(post, sv, urls, lambda k: k.value, shown_at=shown_at)
            assert {name: getattr(card, name) for name in card_fields} \
                == {name: getattr(view, name) for name in card_fields}
        with_photo += post.media.hero is not None
    assert with_photo  # (the sample has berita with a photo: its card shows the portal's copy)


def test_every_field_of_a_card_is_covered_by_a_signature_or_the_context() -> None:
    """A new field of CardView must be said here (and, if it comes from the post, be in one of the
    signatures): else a card could change while the portal is left as it was."""
    assert {f.name for f in dataclasses.fields(CardView)} == FROM_SIGNATURE | FROM_PORTAL_SIGNATURE | FROM_CONTEXT


def test_the_portal_signature_changes_with_what_the_portal_shows_only(region: Region) -> None:
    post, urls = next((p, u) for p, u in _news(region) if p.media.hero is not None)
    lead = lead_digest(post, urls, lambda k: k.value)
    base = portal_signature(post, lead)
    assert len(base) == 64 and portal_signature(post, "") == ""  # (the lead not known: nor is this)
    hero = post.media.hero
    assert hero is not None
    changed = [
        dataclasses.replace(post, title=post.title + " baru"),
        dataclasses.replace(post, summary=post.summary + " baru"),
        dataclasses.replace(post, author=post.author + " baru"),
        dataclasses.replace(post, image_alt=post.image_alt + " baru"),
        dataclasses.replace(post, media=dataclasses.replace(post.media, hero=dataclasses.replace(hero, alt="lain"))),
        dataclasses.replace(post, media=dataclasses.replace(post.media, social=None)),
    ]
    for other in changed:
        assert portal_signature(other, lead) != base
        assert signature(other) == signature(post)  # (what the build trusts, the same)
    # the text: its opening is in the lead document, the rest in neither
    opening = dataclasses.replace(post, body_html="<p>Pembuka lain.</p>" + post.body_html)
    assert portal_signature(opening, lead_digest(opening, urls, lambda k: k.value)) != base
    later = dataclasses.replace(post, body_html=post.body_html + "<p>Catatan redaksi.</p>")
    assert len(post.body_html.split()) > 200  # (longer than its opening)
    assert portal_signature(later, lead_digest(later, urls, lambda k: k.value)) == base


def test_the_feed_holds_the_newest_berita(region: Region) -> None:
    """feed_sources: the portal feed's posts (by date, then URL, newest first)."""
    berita = sorted(((p.date, Urls(s.config.base_url).abs(f"berita/{p.slug}/"), str(p.source.path))
                     for s in region.sites for p in s.posts if p.kind.value == "berita"), reverse=True)
    assert len(berita) > FEED_SIZE
    assert feed_sources(region) == {source for _, _, source in berita[:FEED_SIZE]}
