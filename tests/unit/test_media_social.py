"""Social previews: photos cropped to 1200x630, cards drawn with the theme's font, titles wrapped well."""

from __future__ import annotations

import dataclasses
import io

import pytest
from PIL import Image, ImageDraw

from opdgen.media import social
from opdgen.media.social import (
    BOLD,
    MARGIN,
    TITLE_BOTTOM,
    TITLE_TOP,
    WIDTH,
    Card,
    _draw_site,
    _font,
    _template,
    crop_photo,
    draw_card,
    fit_title,
    title_lines,
    wrap,
)
from tests.imagegen import encode, metadata_of, phone_jpeg, photo


@pytest.mark.parametrize("size", [(1200, 900), (1200, 1600), (640, 480), (3000, 600)],
                         ids=["landscape", "portrait", "small", "panorama"])
def test_a_photo_is_cropped_to_1200x630(size: tuple[int, int]) -> None:
    jpeg = crop_photo(encode(photo(*size, texture=False), "JPEG"))
    with Image.open(io.BytesIO(jpeg)) as out:
        assert (out.format, out.size) == ("JPEG", (1200, 630))


def test_a_cropped_photo_keeps_no_metadata() -> None:
    assert metadata_of(crop_photo(phone_jpeg(1600, 1200))) == {}


def test_transparency_is_shown_on_white() -> None:
    jpeg = crop_photo(encode(Image.new("RGBA", (1200, 630), (0, 0, 0, 0)), "PNG"))
    with Image.open(io.BytesIO(jpeg)) as out:
        assert min(out.convert("L").getextrema()) > 240  # type: ignore[type-var]


def test_a_card_is_drawn_with_the_logo() -> None:
    logo = encode(Image.new("RGBA", (112, 112), (255, 255, 255, 255)), "PNG")
    card = Card(title="Pekan Imunisasi Dimulai di 34 Puskesmas", site_name="Dinas Kesehatan",
                footer="Pemerintah Kabupaten Uji · dinkes.ujikab.go.id", colour="#0e7c66", logo_png=logo)
    with Image.open(io.BytesIO(draw_card(card))) as out:
        assert out.size == (1200, 630)
        assert out.convert("RGB").getpixel((100, 100)) == (255, 255, 255)  # type: ignore[comparison-overlap]
        assert out.convert("RGB").getpixel((1190, 620)) != (255, 255, 255)  # type: ignore[comparison-overlap]
    assert len({card.key(), Card("x", "Dinas Kesehatan", card.footer, "#0e7c66", logo).key(),
                Card(card.title, card.site_name, card.footer, "#283593", logo).key(),
                Card(card.title, card.site_name, card.footer, "#0e7c66").key()}) == 4


def test_lines_are_balanced_not_ragged() -> None:
    font = _font(BOLD, 60)
    lines = wrap("Pekan Imunisasi Kejar Dimulai di Tiga Puluh Empat Puskesmas", font, 1056, 4)
    assert len(lines) == 2
    widths = [font.getlength(line) for line in lines]
    assert max(widths) - min(widths) < 0.25 * max(widths)  # no lone word on the last line


def test_long_words_break_after_a_hyphen_first() -> None:
    font = _font(BOLD, 76)
    lines = wrap("Sosialisasi Antikorupsi-Pemberdayaan-Masyarakat-Pedesaan", font, 600, 4)
    assert all(font.getlength(line) <= 600 for line in lines)
    assert any(line.endswith("-") for line in lines)


def test_long_titles_shrink_then_end_with_an_ellipsis() -> None:
    short_font, short = fit_title("Jembatan Rampung", 1056, 312)
    long_font, long = fit_title(" ".join(["Penanggulangan Kesejahteraan"] * 8), 1056, 312)
    assert short_font.size == 76 and len(short) == 1
    assert long_font.size == 40 and len(long) == 4 and long[-1].endswith("…")


@pytest.mark.parametrize("title", [
    "Jembatan Rampung",
    "Bupati Resmikan Jembatan Gantung di Desa Cibeureum Kecamatan Sukamaju pada Hari Jumat",
    " ".join(["Penanggulangan Kesejahteraan"] * 5),
    " ".join(["Penanggulangan Kesejahteraan"] * 8),
    "Sosialisasi Antikorupsi-Pemberdayaan-Masyarakat-Pedesaan Tahap Kedua Dimulai",
    "Rapat Koordinasi Bersambung…",  # a title of its own ending with an ellipsis
    "",
])
def test_a_title_gets_the_largest_size_at_which_its_balanced_lines_fit(title: str) -> None:
    """fit_title counts each size's fewest lines, and balances them at the size it takes: the same as
    balancing them at every size tried."""
    width, height = WIDTH - 2 * MARGIN, TITLE_BOTTOM - TITLE_TOP
    expected = None
    for size in range(76, 38, -4):
        lines = wrap(title, _font(BOLD, size), width, 4)
        if len(lines) * round(size * 1.18) <= height and not (lines and lines[-1].endswith("…")):
            expected = (size, lines)
            break
    if expected is None:
        expected = (40, wrap(title, _font(BOLD, 40), width, 4))
    font, lines = fit_title(title, width, height)
    assert (font.size, lines) == expected


# --- how a card is made cheaply (issue #4): the bytes are those of drawing and encoding it whole ----

CARD = Card(title="Bupati Resmikan Jembatan Gantung di Desa Cibeureum Kecamatan Sukamaju",
            site_name="Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Sukamaju",
            footer="Kabupaten Sukamaju · dpupr.sukamajukab.go.id", colour="#5b3f8b")


def whole(card: Card) -> bytes:
    """The card drawn the plain way: the site's part, then each title line with draw.text, then the
    whole image encoded."""
    image = _draw_site(card.site_name, card.footer, card.colour, card.logo_png)
    draw = ImageDraw.Draw(image)
    font, lines = title_lines(card.title)
    for point, line in lines:
        draw.text(point, line, font=font, fill="white")
    return social._encode(image)


@pytest.mark.parametrize("title", [
    CARD.title,
    "Jembatan Rampung",
    " ".join(["Penanggulangan Kesejahteraan"] * 8),  # shrunk, then cut with an ellipsis
    "Sosialisasi Antikorupsi-Pemberdayaan-Masyarakat-Pedesaan",  # broken after hyphens
    "ÉÂÑ Ågustus: Ĳzer, Çamlıca & Ŧest — “kutipan” 100%",  # marks above the capitals
    "",
], ids=["three-lines", "one-line", "ellipsis", "hyphens", "accents", "empty"])
def test_a_spliced_card_has_the_bytes_of_one_drawn_whole(title: str) -> None:
    card = dataclasses.replace(CARD, title=title)
    assert draw_card(card) == whole(card)


def test_a_card_with_a_logo_has_the_bytes_of_one_drawn_whole() -> None:
    logo = encode(Image.new("RGBA", (112, 112), (255, 200, 0, 255)), "PNG")
    card = dataclasses.replace(CARD, logo_png=logo)
    assert draw_card(card) == whole(card)


def test_without_a_trusted_splice_the_whole_card_is_encoded(monkeypatch: pytest.MonkeyPatch) -> None:
    site = _template(CARD.site_name, CARD.footer, CARD.colour, CARD.logo_png)
    assert site.splices  # this Pillow and libjpeg: rows are coded independently
    monkeypatch.setattr(social, "_template", lambda *_: dataclasses.replace(site, splices=False))
    assert draw_card(CARD) == whole(CARD)


def test_an_encoder_without_restart_markers_gives_whole_cards(monkeypatch: pytest.MonkeyPatch) -> None:
    def plain(image: Image.Image) -> bytes:
        out = io.BytesIO()
        image.save(out, "JPEG", quality=84)
        return out.getvalue()

    monkeypatch.setattr(social, "_encode", plain)
    card = dataclasses.replace(CARD, site_name="Dinas Tanpa Penanda Mulai Ulang")
    try:
        assert not _template(card.site_name, card.footer, card.colour, card.logo_png).splices
        assert draw_card(card) == whole(card)
    finally:
        _template.cache_clear()


def test_a_card_keeps_its_design_and_no_metadata() -> None:
    """Same size, colours and places as before the card was made in parts: the brand colour, the
    lighter triangle, the darker footer band, and white title text only inside the title box."""
    jpeg = draw_card(CARD)
    assert metadata_of(jpeg) == {}
    with Image.open(io.BytesIO(jpeg)) as out:
        assert (out.format, out.size, out.info.get("progressive")) == ("JPEG", (1200, 630), None)
        rgb = out.convert("RGB")

    def near(point: tuple[int, int], colour: tuple[int, int, int]) -> bool:
        return all(abs(a - b) <= 6 for a, b in zip(rgb.getpixel(point), colour, strict=True))  # type: ignore[arg-type]

    assert near((20, 160), (0x5B, 0x3F, 0x8B)) and near((1190, 10), (0x68, 0x4E, 0x95))
    assert near((1190, 620), (0x40, 0x2C, 0x61))
    title = rgb.crop((MARGIN, TITLE_TOP, WIDTH - MARGIN, TITLE_BOTTOM)).convert("L")
    assert title.getextrema()[1] > 240  # type: ignore[index]
    left = rgb.crop((0, TITLE_TOP, MARGIN - 8, TITLE_BOTTOM)).convert("L")
    assert left.getextrema()[1] < 160  # type: ignore[index]


def test_the_font_kerns_no_pair_with_a_space() -> None:
    """wrap() measures each word once and adds spaces: exact only while no kerning involves a space."""
    for size in (30, 40, 56, 76):
        font = _font(BOLD, size)
        for title in (CARD.title, CARD.site_name, "Kapolres AKBP Wayan: “Tawuran” di Kp. Ayu, Jl. Yos Sudarso"):
            words = title.split()
            assert font.getlength(title) == sum(map(font.getlength, words)) + font.getlength(" ") * (
                len(words) - 1)
