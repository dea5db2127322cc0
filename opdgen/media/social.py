"""Social preview images (Open Graph, 1200x630): a post's photo cropped to fit, or a card drawn with
Pillow from the agency's colour, logo and the post's title, in the font the default theme ships.

Pure: values and bytes in, JPEG bytes out (no metadata: a fresh image). Caching is cache.py's job.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

# DESIGN (STYLE): only render.themes.bundled_theme_dir() knows where the bundled theme lives.
from opdgen.render.themes import bundled_theme_dir

WIDTH, HEIGHT = 1200, 630
VERSION = "social 2"  # part of cache keys: bump when the drawing changes
BOLD, REGULAR = "DejaVuSansCondensed-Bold.ttf", "DejaVuSansCondensed.ttf"
MARGIN = 72
_QUALITY = 84


@dataclass(frozen=True, slots=True)
class Card:
    """What a drawn preview shows."""

    title: str
    site_name: str
    footer: str  # the region's name and the site's host
    colour: str  # #rrggbb, dark enough for white text (site.yaml checks it)
    logo_png: bytes = b""  # the logo at 112 px high, or nothing

    def key(self) -> str:
        parts = (VERSION, self.title, self.site_name, self.footer, self.colour,
                 hashlib.sha256(self.logo_png).hexdigest(), fonts_hash())
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def font_path(name: str) -> Path:
    return bundled_theme_dir() / "fonts" / name


@cache
def fonts_hash() -> str:
    return hashlib.sha256(b"".join(font_path(n).read_bytes() for n in (BOLD, REGULAR))).hexdigest()


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(name)), size)


def crop_photo(data: bytes) -> bytes:
    """The photo scaled to cover 1200x630 and cropped, a little above the middle (where faces are)."""
    with Image.open(io.BytesIO(data)) as opened:
        rgba = opened.convert("RGBA")
    image = Image.new("RGB", rgba.size, "white")  # transparent parts on white, not black
    image.paste(rgba, mask=rgba.getchannel("A"))
    scale = max(WIDTH / image.width, HEIGHT / image.height)
    size = (max(WIDTH, round(image.width * scale)), max(HEIGHT, round(image.height * scale)))
    image = image.resize(size, Image.Resampling.LANCZOS)
    left = (image.width - WIDTH) // 2
    top = min(image.height - HEIGHT, max(0, round(image.height * 0.4 - HEIGHT / 2)))
    return _jpeg(image.crop((left, top, left + WIDTH, top + HEIGHT)))


def draw_card(card: Card) -> bytes:
    """Brand colour, logo and agency name at the top, the title as large as fits, the region below."""
    base = _rgb(card.colour)
    image = Image.new("RGB", (WIDTH, HEIGHT), base)
    draw = ImageDraw.Draw(image)
    light = _mix(base, (255, 255, 255), 0.08)
    draw.polygon([(WIDTH * 0.62, 0), (WIDTH, 0), (WIDTH, HEIGHT * 0.7)], fill=light)
    draw.rectangle([0, HEIGHT - 88, WIDTH, HEIGHT], fill=_mix(base, (0, 0, 0), 0.3))
    text_left = MARGIN
    if card.logo_png:
        with Image.open(io.BytesIO(card.logo_png)) as opened:
            logo = opened.convert("RGBA")
        logo.thumbnail((240, 96))
        image.paste(logo, (MARGIN, 56), logo)
        text_left = MARGIN + logo.width + 24
    name_font = _font(REGULAR, 30)
    name_lines = wrap(card.site_name, name_font, WIDTH - MARGIN - text_left, 2)
    for i, line in enumerate(name_lines):
        draw.text((text_left, 104 - 18 * len(name_lines) + 38 * i), line, font=name_font, fill="white",
                  anchor="lm")
    font, lines = fit_title(card.title, WIDTH - 2 * MARGIN, HEIGHT - 88 - 190 - 40)
    line_height = round(font.size * 1.18)
    top = 190 + (HEIGHT - 88 - 190 - 40 - line_height * len(lines)) // 2
    for i, line in enumerate(lines):
        draw.text((MARGIN, top + i * line_height), line, font=font, fill="white")
    draw.text((MARGIN, HEIGHT - 44), card.footer, font=_font(REGULAR, 28), fill="white", anchor="lm")
    return _jpeg(image)


def fit_title(title: str, width: int, height: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size (76 down to 40 px) at which the title fits the box in at most 4 lines."""
    for size in range(76, 38, -4):
        font = _font(BOLD, size)
        lines = wrap(title, font, width, 4)
        if len(lines) * round(size * 1.18) <= height and not lines[-1].endswith("…"):
            return font, lines
    font = _font(BOLD, 40)
    return font, wrap(title, font, width, 4)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
    """Balanced lines: the fewest lines that fit, then the narrowest width that keeps that count (no
    lone last word). Long words break after a hyphen ("Covid-19", "ke-80") before anywhere else; what
    does not fit in max_lines ends with an ellipsis."""
    words = _words(text, font, width)
    lines = _greedy(words, font, width)
    if len(lines) > 1:
        low, high = max(font.getlength(w) for w in words), float(width)
        while high - low > 4:
            middle = (low + high) / 2
            if len(_greedy(words, font, middle)) == len(lines):
                high = middle
            else:
                low = middle
        lines = _greedy(words, font, high)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and font.getlength(last + " …") > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines = [*lines[: max_lines - 1], last + " …"]
    return lines


def _words(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """The words; one wider than a line is cut after its last hyphen that fits, else where it must."""
    out: list[str] = []
    for word in text.split():
        while font.getlength(word) > width:
            fits = [i for i in range(1, len(word)) if font.getlength(word[:i]) <= width]
            hyphens = [i for i in fits if word[i - 1] == "-"]
            cut = (hyphens or fits or [1])[-1]
            out.append(word[:cut])
            word = word[cut:]
        out.append(word)
    return out


def _greedy(words: list[str], font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    lines: list[str] = []
    for word in words:
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    return (round(a[0] + (b[0] - a[0]) * amount), round(a[1] + (b[1] - a[1]) * amount),
            round(a[2] + (b[2] - a[2]) * amount))


def _jpeg(image: Image.Image) -> bytes:
    fresh = Image.frombytes("RGB", image.size, image.convert("RGB").tobytes())  # no metadata at all
    out = io.BytesIO()
    fresh.save(out, "JPEG", quality=_QUALITY, optimize=True)  # progressive: 2.5x the time, 8% smaller
    return out.getvalue()
