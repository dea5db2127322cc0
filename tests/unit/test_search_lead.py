"""outputs.search.lead_doc: the portal's document of a post holds its title, kind, date, summary and
the first LEAD_WORDS words of its body, as escaped plain text; the agency's holds the whole body."""

from __future__ import annotations

import dataclasses
import random
import re
from html import unescape
from pathlib import PurePosixPath

from opdgen.cli import build_now
from opdgen.content.loader import LoadOptions, load_region
from opdgen.outputs.search import _LEAD_CHARS, LEAD_WORDS, lead_doc, lead_words, region_documents
from opdgen.render.context import PostView
from tests.conftest import PROJECT


def body_words(doc: bytes) -> list[str]:
    main = doc.decode("utf-8").split("<main", 1)[1]
    return re.sub(r"<[^>]*>", " ", main.split("</h1>", 1)[1]).split()


def sample() -> tuple[dict[PurePosixPath, bytes], dict[PurePosixPath, bytes]]:
    region, _ = load_region(PROJECT, LoadOptions(now=build_now()))
    assert region is not None
    leads: dict[PurePosixPath, bytes] = {}
    docs = region_documents(region, lambda kind: kind.value, None, leads)
    return {d.path: d.search_doc for d in docs}, leads


def test_every_document_has_its_opening_for_the_portal() -> None:
    full, leads = sample()
    assert leads.keys() == full.keys()
    long = [path for path, doc in full.items() if len(body_words(doc)) > LEAD_WORDS + 20]
    assert long  # the sample has posts longer than an opening
    for path in long:
        lead, whole = leads[path].decode("utf-8"), full[path].decode("utf-8")
        assert lead.split("<p>", 3)[:3] == whole.split("<p>", 3)[:3]  # title, kind, date as they are
        assert 'data-pagefind-body data-pagefind-meta="link:' in lead
        assert len(body_words(leads[path])) < len(body_words(full[path]))


def test_the_opening_is_the_first_words_as_escaped_text() -> None:
    region, _ = load_region(PROJECT, LoadOptions(now=build_now()))
    assert region is not None
    from opdgen.render.context import Urls, post_view, site_view

    site = region.sites[0]
    urls = Urls(site.config.base_url)
    view: PostView = post_view(site.posts[0], site_view(site.config, urls, "", None), urls, lambda k: k.value)
    body = "<h2>Jadwal</h2><p>Tarif &lt;Rp 5.000&gt; &amp; gratis</p>" + "".join(
        f"<p>kata{n}</p>" for n in range(LEAD_WORDS * 2))
    doc = lead_doc(dataclasses.replace(view, body_html=body)).decode("utf-8")
    assert "<h2>" not in doc and "Jadwal Tarif &lt;Rp 5.000&gt; &amp; gratis kata0 kata1" in doc
    shown = re.findall(r"kata\d+", doc)
    assert shown[-1] == f"kata{LEAD_WORDS - 7}" and len(shown) == LEAD_WORDS - 6  # 6 words before them


def naive_lead(body: str) -> list[str]:
    return unescape(re.sub(r"<[^>]*>", " ", body)).split()[:LEAD_WORDS]


def test_the_opening_alone_gives_the_same_words_as_the_whole_body() -> None:
    """lead_words strips only a long body's opening: the words are those of the whole body, also
    where the opening is all tags, entities, spaces that are entities, or words glued to tags."""
    rnd = random.Random(7)
    pieces = ["kata ", "desa ", "warga", " ", "ibu ", "anak ", "sekolah ", "jalan ", "pasar ", "<p>",
              '<abbr title="a<b">', '<abbr title="c>d">', "</abbr>", "</p>", "<strong>", "</strong>", "&amp;", "&nbsp;",
              "&lt;", "\n", '<a href="https://x.go.id/?a=1&amp;b=2">', "</a>", "<br>", "Rp&nbsp;5.000", "é"]
    bodies = ["", "<p>satu dua</p>", "<p>" + "x" * 5000 + "</p>", "<br>" * 3000 + "<p>akhir</p>",
              " ".join(f"<em>w{n}</em>" for n in range(LEAD_WORDS * 3)),
              "".join(f"w{n}<b>" for n in range(LEAD_WORDS * 3)),
              "&nbsp;".join(f"w{n}" for n in range(LEAD_WORDS * 3)) + "<p>ekor</p>",
              "no tag after the opening " * 200 + "<broken",
              # an attribute holding "<" or ">" where the opening would end
              *(" ".join(f'<a title="x{"<" * k}y>z">w{n}</a>' for n in range(LEAD_WORDS * 2))
                for k in range(3))]
    # long words up to an attribute that holds "<" just where the opening would end: stripped alone,
    # the opening would count the attribute's words among the first ones
    spanning = " ".join(f"{'w' * 14}{n:03d}" for n in range(130))
    attribute = " ".join([*"abcdefghijklmnopqrstuvwxyz", "<", *map(str, range(1, 21))])
    bodies.append(f'<p>{spanning} <abbr title="{attribute}">t</abbr> {" ".join(f"v{n}" for n in range(200))}</p>')
    bodies += ["".join(rnd.choice(pieces) for _ in range(rnd.randrange(3000))) for _ in range(400)]
    opened = 0  # bodies whose words come from their opening alone
    for body in bodies:
        assert lead_words(body) == naive_lead(body), body[:200]
        cut = body.find("<", _LEAD_CHARS)
        opened += cut > 0 and len(naive_lead(body[:cut])) == LEAD_WORDS
    assert opened > 50
    region, _ = load_region(PROJECT, LoadOptions(now=build_now()))
    assert region is not None
    for site in region.sites:
        for post in site.posts:
            assert lead_words(post.body_html) == naive_lead(post.body_html)


def test_an_agency_outside_the_built_ones_comes_with_its_leads_only() -> None:
    region, _ = load_region(PROJECT, LoadOptions(now=build_now()))
    assert region is not None
    full, leads = sample()
    some: dict[PurePosixPath, bytes] = {}
    docs = region_documents(region, lambda kind: kind.value, None, some, {"dinkes"})
    assert some == leads
    assert {d.path: d.search_doc for d in docs if d.path.parts[0] == "dinkes"} == {
        path: doc for path, doc in full.items() if path.parts[0] == "dinkes"}
    assert all(not d.search_doc for d in docs if d.path.parts[0] != "dinkes")


def test_a_search_view_says_what_the_post_view_says() -> None:
    """Search documents are made from search_view, not post_view (which counts every body's
    words): each of its fields must equal the post view's, for posts with local images, document
    links and a hero image among them."""
    from opdgen.outputs.search import SearchView, search_view
    from opdgen.render.context import Urls, post_view, site_view

    region, _ = load_region(PROJECT, LoadOptions(now=build_now()))
    assert region is not None
    fields = [f.name for f in dataclasses.fields(SearchView)]
    seen = {"hero": 0, "images": 0, "links": 0}
    for site in region.sites:
        urls = Urls(site.config.base_url)
        view_site = site_view(site.config, urls, "", None)
        for post in site.posts:
            seen["hero"] += post.media.hero is not None
            seen["images"] += bool(post.media.body)
            seen["links"] += bool(post.media.links)
            full = post_view(post, view_site, urls, lambda k: f"<{k.value}>")
            light = search_view(post, urls, lambda k: f"<{k.value}>")
            assert [getattr(light, f) for f in fields] == [getattr(full, f) for f in fields], post.source
    assert all(seen.values()), seen  # the sample has each kind of media the body rewriting handles
