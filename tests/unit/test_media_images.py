"""images.derive: metadata gone, sizes never upscaled, orientation and colour handled, and every odd file
a clear ImageError instead of a crash. The images are made here with Pillow."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageCms

from opdgen.media.images import LOGO, ImageError, derive
from tests.imagegen import encode, metadata_of, phone_jpeg, photo


def sizes(data: bytes, suffix: str = ".jpg") -> list[tuple[str, int, int]]:
    return [(v.format, v.width, v.height) for v in derive(data, suffix).variants]


def test_a_12_megapixel_phone_photo_loses_every_piece_of_metadata() -> None:
    original = phone_jpeg(4000, 3000)
    assert {"exif", "comment", "xmp", "icc_profile", "gps"} <= set(metadata_of(original))
    derived = derive(original, ".jpg")
    assert [(v.format, v.width) for v in derived.variants] == [
        ("webp", 480), ("webp", 800), ("webp", 1200), ("jpeg", 480), ("jpeg", 800), ("jpeg", 1200)]
    for variant in derived.variants:
        assert metadata_of(variant.data) == {}, variant.format
        # (the XMP's GPS tag by its whole name: three bytes such as "GPS" turn up by chance in the
        # compressed pixels of the random grain: in 3 runs of 12, measured)
        assert b"Pak RT" not in variant.data and b"GPSLatitude" not in variant.data
    assert (derived.width, derived.height) == (4000, 3000)


@pytest.mark.parametrize(("width", "expected"), [
    (1000, [480, 800, 1000]),  # the source's own width replaces 1200: never upscaled
    (600, [480, 600]),
    (500, [500]),  # 480 is within 10% of 500: one size is enough
    (300, [300]),
], ids=["1000px", "600px", "500px", "300px"])
def test_sizes_are_never_larger_than_the_source(width: int, expected: list[int]) -> None:
    data = encode(photo(width, width * 3 // 4, texture=False), "JPEG")
    widths = [w for fmt, w, _ in sizes(data) if fmt == "jpeg"]
    assert widths == expected


def test_exif_orientation_is_applied_to_the_pixels() -> None:
    rotated = sizes(phone_jpeg(400, 200, orientation=6))
    assert {(w, h) for _, w, h in rotated} == {(200, 400)}
    image = Image.new("RGB", (200, 100), "red")
    image.paste(Image.new("RGB", (100, 100), "blue"), (100, 0))
    exif = Image.Exif()
    exif[0x0112] = 3  # upside down: the right (blue) half ends up on the left
    data = encode(image, "JPEG", exif=exif.tobytes(), quality=95)
    jpeg = next(v for v in derive(data, ".jpg").variants if v.format == "jpeg")
    with Image.open(io.BytesIO(jpeg.data)) as out:
        r, _g, b = out.convert("RGB").getpixel((10, 50))  # type: ignore[misc]
    assert b > 200 and r < 60


def test_cmyk_jpeg_is_published_as_rgb() -> None:
    data = encode(Image.new("CMYK", (640, 480), (0, 200, 200, 0)), "JPEG")
    for variant in derive(data, ".jpg").variants:
        with Image.open(io.BytesIO(variant.data)) as out:
            assert out.mode == "RGB"


def test_a_colour_profile_is_converted_to_srgb_and_dropped() -> None:
    lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    data = encode(photo(900, 600, texture=False), "JPEG", icc_profile=lab)
    assert all(metadata_of(v.data) == {} for v in derive(data, ".jpg").variants)


def test_transparency_keeps_a_png_fallback_and_opaque_png_becomes_jpeg() -> None:
    clear = Image.new("RGBA", (600, 400), (0, 0, 0, 0))
    clear.paste((20, 120, 90, 255), (100, 100, 300, 300))
    assert {fmt for fmt, _, _ in sizes(encode(clear, "PNG"), ".png")} == {"webp", "png"}
    opaque = photo(600, 400, texture=False).convert("RGBA")
    assert {fmt for fmt, _, _ in sizes(encode(opaque, "PNG"), ".png")} == {"webp", "jpeg"}


@pytest.mark.parametrize("mode", ["P", "L", "LA", "I;16", "1"])
def test_unusual_modes_are_converted(mode: str) -> None:
    image = Image.new(mode, (120, 80))
    assert sizes(encode(image, "PNG"), ".png")


def test_animated_gif_gives_its_first_frame_and_says_so() -> None:
    frames = [Image.new("RGB", (200, 100), (i * 80, 0, 255 - i * 80)) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    derived = derive(out.getvalue(), ".gif")
    assert derived.animated and {(v.width, v.height) for v in derived.variants} == {(200, 100)}


def test_logo_sizes_are_heights_with_lossless_webp_and_png() -> None:
    logo = derive(encode(photo(300, 150, texture=False), "PNG"), ".png", LOGO)
    assert [(v.format, v.height) for v in logo.variants] == [("webp", 56), ("webp", 112), ("png", 56), ("png", 112)]
    assert logo.variants[1].width == 224


def test_the_same_bytes_give_the_same_variants() -> None:
    data = phone_jpeg(1600, 1200)
    assert derive(data, ".jpg") == derive(data, ".jpg")


def _big_png(mode: str, size: tuple[int, int]) -> bytes:
    return encode(Image.new(mode, size), "PNG")


GUARDS = [
    ("truncated", lambda: phone_jpeg(800, 600)[:20_000], ".jpg", "media.image.unreadable"),
    ("not-an-image", lambda: b"<html>bukan gambar</html>", ".jpg", "media.image.unreadable"),
    ("png-named-jpg", lambda: encode(Image.new("RGB", (50, 50)), "PNG"), ".jpg", "media.image.wrong_type"),
    ("gif-named-png", lambda: encode(Image.new("P", (50, 50)), "GIF"), ".png", "media.image.wrong_type"),
    ("42-megapixels", lambda: _big_png("L", (7000, 6000)), ".png", "media.image.too_large"),
    ("bomb-90-megapixels", lambda: _big_png("1", (10000, 9000)), ".png", "media.image.too_large"),
    ("side-over-16383", lambda: _big_png("L", (20000, 10)), ".png", "media.image.too_large"),
    ("bmp", lambda: encode(Image.new("RGB", (10, 10)), "BMP"), ".bmp", "media.image.type"),
    ("empty", lambda: b"", ".png", "media.image.unreadable"),
]


@pytest.mark.parametrize(("make", "suffix", "code"), [g[1:] for g in GUARDS], ids=[g[0] for g in GUARDS])
def test_odd_files_are_image_errors_not_crashes(make: object, suffix: str, code: str) -> None:
    data = make()  # type: ignore[operator]
    with pytest.raises(ImageError) as caught:
        derive(data, suffix)
    assert caught.value.code == code


def test_pillow_comes_at_its_first_use_with_its_guard_set() -> None:
    """A build that makes no image does not import Pillow's modules; whichever module of opdgen uses
    them first (a social preview's photo here), the decompression-bomb limit is set before."""
    import subprocess
    import sys

    from opdgen.media.pil import MAX_PIXELS

    code = ("import sys, opdgen.cli\n"
            "assert not [m for m in sys.modules if m.startswith('PIL.Image')], 'imported at start'\n"
            "from opdgen.media import social\n"
            "social.Image.new\n"
            "import PIL.Image\n"
            "print(PIL.Image.MAX_IMAGE_PIXELS)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(MAX_PIXELS)
