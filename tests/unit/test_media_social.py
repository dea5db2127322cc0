"""Social previews: photos cropped to 1200x630, cards drawn with the theme's font, titles wrapped well."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from opdgen.media.social import BOLD, Card, _font, crop_photo, draw_card, fit_title, wrap
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
