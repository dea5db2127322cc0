"""Body references and their lines; <img> of local files rewritten to <picture>; document links labelled."""

from __future__ import annotations

from pathlib import PurePosixPath

from opdgen.markup.markdown import MarkdownRenderer
from opdgen.markup.sanitize import Sanitizer
from opdgen.media.html import for_cards, image_view, logo_view, media_views, rewrite_body
from opdgen.media.model import BodyImage, BodyLink, Document, ImageUse, MediaImage, PostMedia, Variant
from opdgen.media.refs import body_refs, kind_of

MARKDOWN = """Pembuka.

![Kader menimbang balita](timbang.jpg)

Teks.
![](hiasan.png "dekoratif") dan [jadwal](jadwal.pdf), [situs](https://contoh.go.id/a.pdf), [profil](../profil/)

```
![contoh dalam kode](bukan.jpg)
```

<img src="mentah.jpg">
"""


def sanitized(markdown: str) -> str:
    return Sanitizer([]).clean(MarkdownRenderer().render(markdown))


def test_references_come_with_the_line_that_wrote_them() -> None:
    refs = body_refs(sanitized(MARKDOWN), MARKDOWN, first_line=6)
    assert [(r.tag, r.target, r.line) for r in refs] == [
        ("img", "timbang.jpg", 8), ("img", "hiasan.png", 11), ("a", "jadwal.pdf", 11), ("img", "mentah.jpg", 17)]
    assert refs[0].alt == "Kader menimbang balita" and refs[1].is_decorative and refs[3].alt is None


def test_kinds_of_targets() -> None:
    assert [kind_of(t) for t in ("foto.jpg", "kegiatan/foto.jpg", "../x.jpg", "/media/x.jpg",
                                 "https://a.b/x.jpg", "//a.b/x.jpg", "#atas", "C:\\x.jpg")] == [
        "local", "local", "path", "path", "remote", "remote", "anchor", "path"]


def image(stem: str, width: int = 1200, height: int = 900) -> MediaImage:
    variants = []
    for fmt, ext in (("webp", "webp"), ("jpeg", "jpg")):
        for w in (480, 800, width):
            variants.append(Variant(f"media/{stem}-{w}.h.{ext}", w, w * height // width, fmt, b""))
    return MediaImage(PurePosixPath(f"content/s/media/{stem}.jpg"), tuple(variants))


def url(rel: str) -> str:
    return "/" + rel


def test_local_images_become_pictures_and_documents_say_type_and_size() -> None:
    html = sanitized(MARKDOWN)
    doc = Document(PurePosixPath("content/s/media/jadwal.pdf"), "media/jadwal.pdf", "PDF", "PDF, 1,2 MB", b"")
    media = PostMedia(body=(BodyImage('timbang.jpg', image("timbang"), False),
                            BodyImage('hiasan.png', image("hiasan"), True)),
                      links=(BodyLink("jadwal.pdf", doc),))
    out = rewrite_body(html, media, url, eager_first=True)
    assert out.count("<picture>") == 2 and '<source type="image/webp" srcset="/media/timbang-480.h.webp 480w,' in out
    first, second = out.split("<picture>")[1:3]
    assert 'alt="Kader menimbang balita"' in first and "loading=" not in first  # the first image: eager
    assert 'alt=""' in second and "dekoratif" not in second and 'loading="lazy"' in second
    assert 'width="1200" height="900"' in first and "decoding" not in first and 'decoding="async"' in second
    assert '<a href="/media/jadwal.pdf" rel="noopener noreferrer">jadwal <span class="doc-meta">(PDF, 1,2 MB)</span></a>' in out
    assert '<img src="mentah.jpg">' in out  # not in the media: left as it was (the collector reported it)
    assert 'href="https://contoh.go.id/a.pdf"' in out


def test_views() -> None:
    view = image_view(image("a", 1000, 500), "Alt", url)
    assert (view.src, view.width, view.height) == ("/media/a-800.h.jpg", 1000, 500)
    assert view.large_url == "/media/a-1000.h.webp"
    logo = MediaImage(PurePosixPath("l.png"), (Variant("media/l-56.h.webp", 80, 56, "webp", b""),
                                               Variant("media/l-112.h.webp", 160, 112, "webp", b""),
                                               Variant("media/l-56.h.png", 80, 56, "png", b""),
                                               Variant("media/l-112.h.png", 160, 112, "png", b"")))
    lv = logo_view(logo, url)
    assert (lv.src, lv.width, lv.height) == ("/media/l-56.h.png", 80, 56)
    assert lv.srcset == "/media/l-56.h.png 1x, /media/l-112.h.png 2x"
    assert [v.width for v in for_cards(image("a")).variants] == [480, 800, 480, 800]


def test_on_the_portal_the_card_is_its_own_copy_and_the_body_is_absolute() -> None:
    media = PostMedia(hero=ImageUse(image("hero"), "Alt"), body=(BodyImage("timbang.jpg", image("timbang"), False),))
    html = '<p><img alt="x" src="timbang.jpg"></p>'
    site = media_views(html, media, url, lambda rel: "https://dinkes.go.id/" + rel, None)
    portal = media_views(html, media, url, lambda rel: "https://dinkes.go.id/" + rel, lambda rel: "/p/" + rel)
    assert site.image is not None and site.image.src == "/media/hero-800.h.jpg" and "src=\"/media/timbang" in site.body_html
    assert portal.image is not None and portal.image.src == "/p/media/hero-800.h.jpg"
    assert "1200w" not in portal.image.srcset and "https://dinkes.go.id/media/timbang" in portal.body_html
    assert site.image_url == portal.image_url == "https://dinkes.go.id/media/hero-1200.h.jpg"
