"""Social preview images (Open Graph, 1200x630): a post's photo cropped to fit, or a card drawn with
Pillow from the agency's colour, logo and the post's title, in the font the default theme ships.

Pure: values and bytes in, JPEG bytes out (no metadata: a fresh image). Caching is cache.py's job.

A card is its site's part (colour, triangle, logo, agency name, footer), the same on every card of the
site, plus its title. The site's part is drawn and encoded once per process (a template); a card draws
its title on a copy of the rows of 16-pixel blocks the title touches, encodes those rows only and
splices them into the template's JPEG. Cards carry a restart marker after every row of blocks, so rows
are coded independently and the splice gives exactly the bytes of encoding the whole card: each
template checks that once before it is trusted (else the whole card is encoded).
"""

from __future__ import annotations

import hashlib
import io
import re
from functools import cache, lru_cache
from pathlib import Path

import PIL

from opdgen.media.pil import Image, ImageDraw, ImageFont  # (imported at their first use)
from opdgen.records import record

# DESIGN (STYLE): only render.themes.bundled_theme_dir() knows where the bundled theme lives.
from opdgen.render.themes import bundled_theme_dir

WIDTH, HEIGHT = 1200, 630
VERSION = "social 3"  # part of cache keys: bump when the drawing or the encoding changes
BOLD, REGULAR = "DejaVuSansCondensed-Bold.ttf", "DejaVuSansCondensed.ttf"
MARGIN = 72
FOOTER = 88  # height of the darker band at the bottom
TITLE_TOP, TITLE_BOTTOM = 190, HEIGHT - FOOTER - 40  # the box the title is centred in
_QUALITY = 84
_ROW = 16  # height of a row of JPEG blocks with 4:2:0 chroma subsampling
_RESTART = re.compile(rb"\xff[\xd0-\xd7]")


@record
class Card:
    """What a drawn preview shows."""

    title: str
    site_name: str
    footer: str  # the region's name and the site's host
    colour: str  # #rrggbb, dark enough for white text (site.yaml checks it)
    logo_png: bytes = b""  # the logo at 112 px high, or nothing

    def key(self) -> str:
        parts = (VERSION, PIL.__version__, self.title, self.site_name, self.footer, self.colour,
                 _sha256(self.logo_png), fonts_hash())
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@lru_cache(maxsize=256)
def _sha256(data: bytes) -> str:
    """A site's logo is hashed once, not once per post (bytes keep their hash: a hit is cheap)."""
    return hashlib.sha256(data).hexdigest()


def font_path(name: str) -> Path:
    return bundled_theme_dir() / "fonts" / name


@cache
def fonts_hash() -> str:
    return hashlib.sha256(b"".join(font_path(n).read_bytes() for n in (BOLD, REGULAR))).hexdigest()


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    # Pillow's own layout, not libraqm's: the same pixels whether or not libraqm is installed
    return ImageFont.truetype(str(font_path(name)), size, layout_engine=ImageFont.Layout.BASIC)


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
    return _encode(Image.frombytes("RGB", (WIDTH, HEIGHT), image.crop(
        (left, top, left + WIDTH, top + HEIGHT)).tobytes()))  # pixels only: no metadata at all


def draw_card(card: Card) -> bytes:
    """Brand colour, logo and agency name at the top, the title as large as fits, the region below."""
    site = _template(card.site_name, card.footer, card.colour, card.logo_png)
    font, lines = title_lines(card.title)
    masks = [(x + dx, y, _word_mask(font, word))
             for (x, y), line in lines for dx, word in _placed(line, font)]
    first, last = 0, HEIGHT  # the rows of pixels to draw and encode: all, or the title's blocks
    if site.splices and masks:
        first = max(0, min(y + m.top for _, y, m in masks) // _ROW * _ROW)
        last = min(HEIGHT, -(-max(y + m.top + m.image.height for _, y, m in masks) // _ROW) * _ROW)
    strip = site.image.crop((0, first, WIDTH, last))
    for x, y, mask in masks:  # the pixels of draw.text(line), without rasterizing the glyphs again
        # (white pasted through the mask: the same pixels, in 60% of draw.bitmap's time)
        strip.paste(Image.new("RGB", mask.image.size, "white"), (x + mask.left, y + mask.top - first),
                    mask.image)
    return site.splice(first // _ROW, _encode(strip)) if site.splices and masks else _encode(strip)


@record
class _Mask:
    image: Image.Image  # "L": a word in white on black, as draw.text draws it
    left: int  # where the image goes, from the point draw.text would be given
    top: int


@lru_cache(maxsize=1024)  # titles repeat their words; rasterizing was a third of a card's time
def _word_mask(font: ImageFont.FreeTypeFont, word: str) -> _Mask:
    left, top, right, bottom = (int(v) for v in font.getbbox(word))
    image = Image.new("L", (max(1, right - left), max(1, bottom - top)))
    ImageDraw.Draw(image).text((-left, -top), word, font=font, fill=255)
    return _Mask(image, left, top)


def _placed(line: str, font: ImageFont.FreeTypeFont) -> list[tuple[int, str]]:
    """The words of a line with their x offsets (the font's advances are whole pixels)."""
    out, x, space = [], 0.0, _length(font, " ")
    for word in line.split(" "):
        out.append((round(x), word))
        x += _length(font, word) + space
    return out


@record
class _Template:
    """A site's part of its cards, drawn, and encoded as JPEG rows that a title's rows replace."""

    image: Image.Image  # the whole card without a title
    head: bytes  # the JPEG up to its entropy-coded data
    rows: tuple[bytes, ...]  # the entropy-coded data of each row of blocks, restart markers left out
    splices: bool  # splicing was checked to give the bytes of a whole encoding

    def splice(self, first: int, strip_jpeg: bytes) -> bytes:
        """The card's JPEG, given the JPEG of its rows from `first` on (a strip of the card)."""
        strip = _rows(strip_jpeg)[1]
        rows = self.rows[:first] + strip + self.rows[first + len(strip):]
        markers = (bytes((0xFF, 0xD0 + i % 8)) for i in range(len(rows) - 1))
        return b"".join((self.head, *(row + marker for row, marker in zip(rows, markers, strict=False)),
                         rows[-1], b"\xff\xd9"))


@lru_cache(maxsize=8)  # a worker meets a few sites at a time (the tasks come grouped by site)
def _template(site_name: str, footer: str, colour: str, logo_png: bytes) -> _Template:
    """The site's part, and whether splicing rows into its JPEG gives the bytes of a whole encoding
    (an encoder without restart markers, or coding rows other than independently, gives whole cards)."""
    image = _draw_site(site_name, footer, colour, logo_png)
    whole = _encode(image)
    first, last = TITLE_TOP // _ROW, -(-TITLE_BOTTOM // _ROW)
    try:
        head, rows = _rows(whole)
        site = _Template(image, head, rows, splices=False)
        strip = _encode(image.crop((0, first * _ROW, WIDTH, last * _ROW)))
        checked = len(rows) == -(-HEIGHT // _ROW) and site.splice(first, strip) == whole
    except (IndexError, ValueError):
        return _Template(image, b"", (), splices=False)
    return _Template(image, head, rows, splices=checked)


def _draw_site(site_name: str, footer: str, colour: str, logo_png: bytes) -> Image.Image:
    base = _rgb(colour)
    image = Image.new("RGB", (WIDTH, HEIGHT), base)
    draw = ImageDraw.Draw(image)
    light = _mix(base, (255, 255, 255), 0.08)
    draw.polygon([(WIDTH * 0.62, 0), (WIDTH, 0), (WIDTH, HEIGHT * 0.7)], fill=light)
    draw.rectangle([0, HEIGHT - FOOTER, WIDTH, HEIGHT], fill=_mix(base, (0, 0, 0), 0.3))
    text_left = MARGIN
    if logo_png:
        with Image.open(io.BytesIO(logo_png)) as opened:
            logo = opened.convert("RGBA")
        logo.thumbnail((240, 96))
        image.paste(logo, (MARGIN, 56), logo)
        text_left = MARGIN + logo.width + 24
    name_font = _font(REGULAR, 30)
    name_lines = wrap(site_name, name_font, WIDTH - MARGIN - text_left, 2)
    for i, line in enumerate(name_lines):
        draw.text((text_left, 104 - 18 * len(name_lines) + 38 * i), line, font=name_font, fill="white",
                  anchor="lm")
    draw.text((MARGIN, HEIGHT - 44), footer, font=_font(REGULAR, 28), fill="white", anchor="lm")
    return image


def title_lines(title: str) -> tuple[ImageFont.FreeTypeFont, list[tuple[tuple[int, int], str]]]:
    """The title's font and lines, each with the point draw.text would draw it at."""
    font, lines = fit_title(title, WIDTH - 2 * MARGIN, TITLE_BOTTOM - TITLE_TOP)
    line_height = round(font.size * 1.18)
    top = TITLE_TOP + (TITLE_BOTTOM - TITLE_TOP - line_height * len(lines)) // 2
    return font, [((MARGIN, top + i * line_height), line) for i, line in enumerate(lines)]


def fit_title(title: str, width: int, height: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size (76 down to 40 px) at which the title fits the box in at most 4 lines."""
    for size in range(76, 38, -4):
        font = _font(BOLD, size)
        # the fewest lines first (the balanced ones are as many): balanced only at the size taken
        words = _words(title, font, width)
        count = len(_greedy([_length(font, w) for w in words], _length(font, " "), width))
        if count <= 4 and count * round(size * 1.18) <= height and not (words and words[-1].endswith("…")):
            return font, wrap(title, font, width, 4)
    font = _font(BOLD, 40)
    return font, wrap(title, font, width, 4)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
    """Balanced lines: the fewest lines that fit, then the narrowest width that keeps that count (no
    lone last word). Long words break after a hyphen ("Covid-19", "ke-80") before anywhere else; what
    does not fit in max_lines ends with an ellipsis. A line's width is its words' plus its spaces'
    (the font kerns no pair with a space), each measured once."""
    words = _words(text, font, width)
    widths = [_length(font, w) for w in words]
    space = _length(font, " ")
    starts = _greedy(widths, space, width)
    if len(starts) > 1:
        low, high = max(widths), float(width)
        while high - low > 4:
            middle = (low + high) / 2
            if len(_greedy(widths, space, middle)) == len(starts):
                high = middle
            else:
                low = middle
        starts = _greedy(widths, space, high)
    lines = [" ".join(words[a:b]) for a, b in zip(starts, [*starts[1:], len(words)], strict=False)]
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and font.getlength(last + " …") > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines = [*lines[: max_lines - 1], last + " …"]
    return lines


@lru_cache(maxsize=1 << 16)
def _length(font: ImageFont.FreeTypeFont, text: str) -> float:
    return font.getlength(text)


def _words(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """The words; one wider than a line is cut after its last hyphen that fits, else where it must."""
    out: list[str] = []
    for word in text.split():
        while _length(font, word) > width:  # (measured again at every size tried: cached)
            fits = [i for i in range(1, len(word)) if font.getlength(word[:i]) <= width]
            hyphens = [i for i in fits if word[i - 1] == "-"]
            cut = (hyphens or fits or [1])[-1]
            out.append(word[:cut])
            word = word[cut:]
        out.append(word)
    return out


def _greedy(widths: list[float], space: float, width: float) -> list[int]:
    """Where each line starts when words are added to a line while they fit."""
    starts: list[int] = []
    line = 0.0
    for i, w in enumerate(widths):
        if starts and line + space + w <= width:
            line += space + w
        else:
            starts.append(i)
            line = w
    return starts


def _encode(image: Image.Image) -> bytes:
    """Baseline JPEG, 4:2:0, a restart marker after every row of blocks (about 80 bytes). Huffman
    tables not optimized: rows only splice with the standard tables, and optimizing a card took 2.4x
    the time to save 9% (a cropped photo: 2.2x the encoding time for 3%). Previews are fetched by
    social networks, not by readers' phones: CPU time matters more here than a few percent of bytes."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=_QUALITY, subsampling=2, restart_marker_rows=1)
    return out.getvalue()


def _rows(jpeg: bytes) -> tuple[bytes, tuple[bytes, ...]]:
    """A JPEG of one scan, split into the bytes before its entropy-coded data and that data's rows."""
    at = 2  # after SOI, marker segments (each with its length) up to and including SOS
    while jpeg[at + 1] != 0xDA:
        at += 2 + int.from_bytes(jpeg[at + 2:at + 4], "big")
    start = at + 2 + int.from_bytes(jpeg[at + 2:at + 4], "big")
    return jpeg[:start], tuple(_RESTART.split(jpeg[start:-2]))


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    return (round(a[0] + (b[0] - a[0]) * amount), round(a[1] + (b[1] - a[1]) * amount),
            round(a[2] + (b[2] - a[2]) * amount))
