"""The strict SVG check: drawings pass with their size; scripts, handlers and outside references do not."""

from __future__ import annotations

import pytest

from opdgen.media.images import ImageError
from opdgen.media.svg import check_svg

OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 200 100">'


def svg(inner: str, open_tag: str = OPEN) -> bytes:
    return (open_tag + inner + "</svg>").encode()


def test_a_plain_drawing_passes_with_its_size() -> None:
    body = ('<defs><linearGradient id="g"><stop offset="0" stop-color="#0e7c66"/></linearGradient></defs>'
            '<title>Lambang</title><rect width="200" height="100" fill="url(#g)"/><use href="#g"/>'
            '<text x="10" y="50" style="font-weight:bold">DINKES</text>')
    info = check_svg(svg(body))
    assert (info.width, info.height) == (200, 100)
    sized = check_svg(svg("<circle r='5'/>", '<svg xmlns="http://www.w3.org/2000/svg" width="48px" viewBox="0 0 24 12">'))
    assert (sized.width, sized.height) == (48, 24)


def test_inkscape_bookkeeping_is_inert() -> None:
    open_tag = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
                'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" width="10" height="10">')
    body = '<sodipodi:namedview inkscape:zoom="2"/><metadata><anything/></metadata><g inkscape:label="Layer 1"/>'
    assert check_svg(svg(body, open_tag)).width == 10


UNSAFE = [
    ("script", "<script>alert(1)</script>"),
    ("onload", '<rect onload="alert(1)" width="1" height="1"/>'),
    ("external-use", '<use href="https://evil.example/x.svg#a"/>'),
    ("xlink-js", '<use xlink:href="javascript:alert(1)"/>'),
    ("foreign-object", "<foreignObject><div xmlns='http://www.w3.org/1999/xhtml'>x</div></foreignObject>"),
    ("image", '<image href="https://evil.example/track.png"/>'),
    ("anchor", '<a href="https://evil.example/"><rect/></a>'),
    ("style-element", "<style>@import url(https://evil.example/x.css);</style>"),
    ("style-url", '<rect style="fill:url(https://evil.example/p.svg#x)"/>'),
    ("attribute-url", '<rect fill="url(https://evil.example/p.svg#x)"/>'),
    ("animate-href", '<animate attributeName="href" to="javascript:alert(1)"/>'),
    ("xhtml-script", "<script xmlns='http://www.w3.org/1999/xhtml'>alert(1)</script>"),
]


@pytest.mark.parametrize("inner", [u[1] for u in UNSAFE], ids=[u[0] for u in UNSAFE])
def test_unsafe_svg_is_refused(inner: str) -> None:
    with pytest.raises(ImageError) as caught:
        check_svg(svg(inner))
    assert caught.value.code == "media.svg.unsafe"


@pytest.mark.parametrize(("data", "code"), [
    (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
     "media.svg.unsafe"),
    (b'<?xml-stylesheet href="https://evil.example/x.css"?>' + svg(""), "media.svg.unsafe"),
    (svg("<rect>"), "media.svg.unreadable"),
    (b"<html><body>no</body></html>", "media.svg.unreadable"),
    (svg("", '<svg xmlns="http://www.w3.org/2000/svg">'), "media.svg.unreadable"),  # no size at all
    ("<svg>".encode("utf-16"), "media.svg.unreadable"),
], ids=["entities", "stylesheet-pi", "broken-xml", "not-svg", "no-size", "utf-16"])
def test_odd_svg_is_refused(data: bytes, code: str) -> None:
    with pytest.raises(ImageError) as caught:
        check_svg(data)
    assert caught.value.code == code
