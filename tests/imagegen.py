"""Photo-like test images made with Pillow on the spot (no binaries in git): shapes, gradient, sensor noise,
and the metadata a phone writes (EXIF with GPS, XMP, an ICC profile, a JPEG comment)."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageChops, ImageCms, ImageDraw, ImageFilter

GPS_IFD = 0x8825
COMMENT = b"Lokasi rumah Pak RT: -6.9085, 107.6036"
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="6,54.51S"/>'
       b"</rdf:RDF></x:xmpmeta>")


def photo(width: int, height: int, seed: int = 0, texture: bool = True) -> Image.Image:
    """A scene (the same shapes for the same seed): sky gradient, ground, buildings, people-like shapes,
    and random grain at two scales so that it compresses like a real photo (1200 px WebP: ~120 KB)."""
    rng = random.Random(seed)
    sw, sh = max(8, width // 8), max(8, height // 8)
    small = Image.new("RGB", (sw, sh))
    draw = ImageDraw.Draw(small)
    top = (rng.randint(90, 160), rng.randint(150, 200), rng.randint(200, 250))
    for y in range(sh):
        t = y / sh
        draw.line([(0, y), (sw, y)], fill=tuple(int(c * (1 - t * 0.5)) for c in top))
    horizon = int(sh * rng.uniform(0.5, 0.7))
    draw.rectangle([0, horizon, sw, sh], fill=(rng.randint(60, 110), rng.randint(110, 150), rng.randint(50, 80)))
    for _ in range(rng.randint(3, 6)):
        x = rng.randint(0, sw)
        w, h = rng.randint(sw // 10, sw // 4), rng.randint(sh // 8, sh // 3)
        draw.rectangle([x, horizon - h, x + w, horizon + 2], fill=tuple(rng.randint(120, 240) for _ in range(3)))
    for _ in range(rng.randint(8, 16)):
        x, y = rng.randint(0, sw), rng.randint(horizon, sh)
        r = rng.randint(sh // 40 + 1, sh // 16 + 2)
        colour = tuple(rng.randint(20, 230) for _ in range(3))
        draw.ellipse([x - r, y - 3 * r, x + r, y - r], fill=(200, 160, 120))
        draw.rectangle([x - r, y - r, x + r, y + 2 * r], fill=colour)
    image = small.resize((width, height), Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(1))
    for scale, sigma in ((4, 6), (12, 16)) if texture else ():
        size = (max(1, width // scale), max(1, height // scale))
        grain = Image.effect_noise(size, sigma).resize((width, height), Image.Resampling.BICUBIC)
        image = ImageChops.add(image, grain.convert("RGB"), scale=1.0, offset=-128)
    return image


def phone_jpeg(width: int = 4000, height: int = 3000, seed: int = 0, orientation: int = 1,
               quality: int = 90) -> bytes:
    """A phone-camera JPEG: EXIF (maker, orientation, GPS position), XMP, sRGB ICC profile, a comment."""
    image = photo(width, height, seed)
    exif = Image.Exif()
    exif[0x010F] = "Samsung"
    exif[0x0110] = "Galaxy A14"
    exif[0x0112] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "S", 2: (6.0, 54.0, 30.6), 3: "E", 4: (107.0, 36.0, 12.9)})
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif.tobytes(), comment=COMMENT, xmp=XMP, icc_profile=icc)
    return out.getvalue()


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def metadata_of(data: bytes) -> dict[str, object]:
    """What a published file still carries: info keys that leak, and EXIF tags (GPS included)."""
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        leaks: dict[str, object] = {k: v for k, v in image.info.items()
                                    if k in ("exif", "comment", "xmp", "XML:com.adobe.xmp", "icc_profile",
                                             "photoshop", "iptc", "dpi")}
        if len(exif):
            leaks["exif_tags"] = dict(exif)
        if exif.get_ifd(GPS_IFD):
            leaks["gps"] = exif.get_ifd(GPS_IFD)
        if hasattr(image, "applist") and any(m in ("APP1", "APP2", "APP13", "COM")
                                             for m, _ in image.applist):
            leaks["applist"] = [m for m, _ in image.applist]
    return leaks
