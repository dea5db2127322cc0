"""Decode one image with guards and derive its published variants: bytes and settings in, bytes out.

Pure and file-system free, so a process pool can run it. It never hands back the original: every
variant is a fresh image built from pixels alone, so no EXIF, GPS, XMP, IPTC, ICC or comment survives.
"""

from __future__ import annotations

import functools
import io
import re
import warnings

from PIL import UnidentifiedImageError

# Pillow's modules, imported at their first use, with MAX_IMAGE_PIXELS set (DESIGN: refuse
# decompression bombs; _open checks the size too, and names it)
from opdgen.media.pil import MAX_PIXELS, Image, ImageCms, ImageFile
from opdgen.records import record

MAX_SIDE = 16_383  # the largest side WebP can encode

# Extension -> the format Pillow must find inside; a .jpg that holds a PNG is an error, not a guess.
RASTER_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".gif": "GIF"}
_ORIENTATION = 0x0112
_SWAPS_SIDES = frozenset({5, 6, 7, 8})


@functools.cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@record
class ImageSettings:
    """What a derived set looks like; part of the cache key, so any change here re-derives."""

    sizes: tuple[int, ...] = (480, 800, 1200)  # target widths (or heights, with fit="height")
    fit: str = "width"  # "width" for photos, "height" for logos (shown at a fixed height)
    webp_quality: int = 72
    jpeg_quality: int = 80
    min_step: float = 0.1  # a size within 10% of a larger one is left out
    graphic: bool = False  # flat artwork (logos): lossless WebP and a PNG fallback, never JPEG

    def key(self) -> str:
        return "|".join(str(v) for v in (self.sizes, self.fit, self.webp_quality, self.jpeg_quality,
                                         self.min_step, self.graphic))


PHOTO = ImageSettings()
LOGO = ImageSettings(sizes=(56, 112), fit="height", graphic=True)


@record
class Encoded:
    width: int
    height: int
    format: str  # "webp", "jpeg", "png" or "svg"
    data: bytes


@record
class Derived:
    width: int  # of the source, after orientation
    height: int
    animated: bool  # only the first frame was used
    variants: tuple[Encoded, ...]  # WebP first, then the fallback, each from small to large


class ImageError(Exception):
    """An image that cannot be published; `code` names the problem for opdgen.messages."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def derive(data: bytes, suffix: str, settings: ImageSettings = PHOTO) -> Derived:
    """Every variant of one raster image; raises ImageError for anything that is not a sound image."""
    expected = RASTER_FORMATS.get(suffix.lower())
    if expected is None:
        raise ImageError("media.image.type", ext=suffix)
    image, animated = _open(data, expected)
    with image:
        width, height = _oriented_size(image)
        try:
            if image.format == "JPEG":  # decode at 1/2, 1/4 or 1/8 scale when still large enough
                image.draft(None, _draft_box(image, settings))
            image.load()
            icc = image.info.get("icc_profile")
            pixels = _normalise(_orient(image))
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ImageError("media.image.unreadable", detail=_short(exc)) from None
        variants = _resize_all(pixels, settings, icc if isinstance(icc, bytes) else b"")
        webp = tuple(_encode(v, "webp", settings) for v in variants)
        fallback_format = "png" if variants[-1].mode == "RGBA" or settings.graphic else "jpeg"
        fallback = tuple(_encode(v, fallback_format, settings) for v in variants)
    return Derived(width=width, height=height, animated=animated, variants=webp + fallback)


def _open(data: bytes, expected: str) -> tuple[ImageFile.ImageFile, bool]:
    """Open (header only) and check the format and the size before any pixel is decoded."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError as exc:
            raise ImageError("media.image.too_large", size=_bomb_size(str(exc))) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ImageError("media.image.unreadable", detail=_short(exc)) from None
    del caught  # a bomb warning is handled by the explicit check below
    if image.format != expected:
        found = image.format or "?"
        image.close()
        raise ImageError("media.image.wrong_type", expected=expected, found=found)
    width, height = image.size
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        image.close()
        raise ImageError("media.image.too_large", size=f"{width}×{height}")
    if width < 1 or height < 1:
        image.close()
        raise ImageError("media.image.unreadable", detail="0×0")
    animated = bool(getattr(image, "is_animated", False))
    return image, animated


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(_ORIENTATION, 1)
    except Exception:  # broken EXIF is common in phone photos; the pixels are still good
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _oriented_size(image: Image.Image) -> tuple[int, int]:
    width, height = image.size
    return (height, width) if _orientation(image) in _SWAPS_SIDES else (width, height)


def _draft_box(image: Image.Image, settings: ImageSettings) -> tuple[int, int]:
    """The raw-pixel box a JPEG draft must still cover: only the fitted side matters."""
    width, height = image.size
    longest = max(settings.sizes)
    along_raw_width = (settings.fit == "width") != (_orientation(image) in _SWAPS_SIDES)
    return (min(width, longest), 1) if along_raw_width else (1, min(height, longest))


def _orient(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation (the pixels are rotated; the tag goes with the rest of the metadata)."""
    method = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
              4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
              6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}.get(_orientation(image))
    return image.transpose(method) if method is not None else image


def _normalise(image: Image.Image) -> Image.Image:
    """RGB, RGBA (when some pixel is see-through), CMYK or L: modes that resize well. Colour comes
    later, on the resized pixels (fewer of them): see _to_srgb."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        has_alpha = image.mode in ("PA", "LA", "La", "RGBa") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    if image.mode == "RGBA":
        alpha = image.getchannel("A").getextrema()
        if isinstance(alpha, tuple) and alpha[0] == 255:
            image = image.convert("RGB")
    return image


def _to_srgb(image: Image.Image, icc: bytes) -> Image.Image:
    """RGB or RGBA in sRGB: converted from the embedded profile (Display P3 on iPhones, CMYK print
    profiles); the profile itself is never published. An sRGB profile needs no work."""
    mode = "RGBA" if image.mode == "RGBA" else "RGB"
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if "srgb" not in (ImageCms.getProfileDescription(profile) or "").lower():
                converted = ImageCms.profileToProfile(image, profile, _srgb(), outputMode=mode)
                image = converted if converted is not None else image
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # an unusable profile: the pixels are taken as they are
    return image if image.mode == mode else image.convert(mode)


def _targets(width: int, height: int, settings: ImageSettings) -> list[tuple[int, int]]:
    """Sizes to publish, never larger than the source; near-duplicates dropped."""
    side = height if settings.fit == "height" else width
    wanted = sorted({min(s, side) for s in settings.sizes})
    kept: list[int] = []
    for size in reversed(wanted):
        if not kept or size < kept[-1] * (1 - settings.min_step):
            kept.append(size)
    out = []
    for size in sorted(kept):
        if settings.fit == "height":
            out.append((max(1, round(width * size / height)), size))
        else:
            out.append((size, max(1, round(height * size / width))))
    return out


def _resize_all(image: Image.Image, settings: ImageSettings, icc: bytes) -> list[Image.Image]:
    """Each target size, largest first from the source, the others from the largest (faster, as sharp)."""
    targets = _targets(image.width, image.height, settings)
    largest = _to_srgb(_resize(image, targets[-1]), icc)
    return [_resize(largest, size) for size in targets[:-1]] + [largest]


def _resize(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if image.size == size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _encode(image: Image.Image, fmt: str, settings: ImageSettings) -> Encoded:
    """Encode a fresh copy of the pixels: an image made with frombytes carries no `info` at all,
    so Pillow has no EXIF, XMP, ICC profile or JPEG comment to write back (it would otherwise keep
    the comment from the source's `info`)."""
    fresh = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    if fmt == "webp":
        fresh.save(out, "WEBP", quality=settings.webp_quality, method=4, lossless=settings.graphic)
    elif fmt == "jpeg":
        fresh.save(out, "JPEG", quality=settings.jpeg_quality, optimize=True, progressive=True)
    else:
        fresh.save(out, "PNG", optimize=True)
    return Encoded(width=image.width, height=image.height, format=fmt, data=out.getvalue())


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 80 else text[:77] + "..."


def _bomb_size(message: str) -> str:
    match = re.search(r"\((\d+) pixels\)", message)
    return f"{int(match.group(1)):,} px".replace(",", ".") if match else "?"
