"""Media end to end through the CLI: a 12 MP phone photo carrying GPS, XMP and a comment goes in; light,
private, responsive images come out. Alt text, guards, documents, galleries, the portal's copies, and
the cache's count of work. (The article's weight and layout shift in Chromium: test_media_browser.py.)"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result
from PIL import Image

from opdgen.build.pipeline import BuildOptions, build
from opdgen.cli import main
from opdgen.fsguard import Repo
from tests.conftest import REGION_YAML, SITE_YAML, tree_bytes
from tests.imagegen import encode, metadata_of, phone_jpeg, photo

B = "content/dinkes/berita/"
M = "content/dinkes/media/"
ALT = "Kader posyandu menimbang balita di Desa Sukamaju"
LOGO_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><title>Logo</title>'
            b'<circle cx="32" cy="32" r="30" fill="#0e7c66"/></svg>')
PDF = b"%PDF-1.4\n" + b"%" + b"0" * 1_258_000 + b"\ntrailer<<>>\n%%EOF\n"


def post(front: str = "", body: str = "Paragraf pembuka.", title: str = "Posyandu Prima") -> str:
    return f"---\ntitle: {title}\ndate: 2026-11-20 08:30\n{front}---\n{body}\n"


def transparent_png() -> bytes:
    image = Image.new("RGBA", (900, 600), (0, 0, 0, 0))
    image.paste(photo(500, 400, seed=5, texture=False), (200, 100))
    return encode(image, "PNG")


FULL_POST = post(
    f"image: posyandu.jpg\nimage_alt: {ALT}\n"
    "gallery:\n  - src: kegiatan/timbang.png\n    alt: Grafik berat badan balita di buku KIA\n"
    "  - src: antrean.jpg\n    alt: Ibu dan balita antre di halaman posyandu\n",
    "Paragraf pembuka tentang posyandu.\n\n![Antrean ibu dan balita di halaman posyandu](antrean.jpg)\n\n"
    "Unduh [jadwal posyandu](jadwal-posyandu.pdf) dan [undangan](undangan.pdf).\n",
)


@pytest.fixture(scope="module")
def media_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One built repository: every kind of media the pipeline handles."""
    repo = tmp_path_factory.mktemp("media")
    files: dict[str, str | bytes] = {
        "opdgen.yaml": REGION_YAML,
        "content/dinkes/site.yaml": SITE_YAML + "logo: logo.svg\n",
        B + "2026-11-20-posyandu.md": FULL_POST,
        B + "undangan.pdf": PDF[:5000] + b"\n%%EOF\n",
        B + "2026-11-21-hiasan.md": post(body="Teks.\n\n![](garis.png \"dekoratif\")", title="Hiasan"),
        M + "posyandu.jpg": phone_jpeg(4000, 3000),
        M + "antrean.jpg": phone_jpeg(2000, 1500, seed=2, orientation=6),
        M + "kegiatan/timbang.png": transparent_png(),
        M + "garis.png": encode(Image.new("RGB", (600, 8), "#0e7c66"), "PNG"),
        M + "jadwal-posyandu.pdf": PDF,
        M + "Laporan Kinerja 2025.PDF": PDF[:2000] + b"\n%%EOF\n",
        M + "logo.svg": LOGO_SVG,
    }
    for rel, data in files.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    result = CliRunner().invoke(main, ["build", "--root", str(repo)])
    assert result.exit_code == 0, result.output
    return repo


def published_images(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("*") if p.suffix in (".jpg", ".webp", ".png"))


def test_no_published_image_carries_exif_gps_xmp_icc_or_the_comment(media_repo: Path) -> None:
    images = published_images(media_repo / "output")
    assert len(images) > 20
    originals = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (media_repo / "content").rglob("*")
                 if p.is_file()}
    for image in images:
        data = image.read_bytes()
        assert metadata_of(data) == {}, image
        assert b"Pak RT" not in data and b"Galaxy" not in data and b"xmpmeta" not in data, image
        assert hashlib.sha256(data).hexdigest() not in originals, f"an original was published: {image}"
        with Image.open(image) as opened:
            assert opened.width <= 1200


def img_tags(html: str) -> list[str]:
    return re.findall(r"<img\s[^>]*>", html)


def test_the_article_uses_pictures_with_sizes_and_only_the_first_image_eager(media_repo: Path) -> None:
    out = media_repo / "output/dinkes"
    html = (out / "berita/posyandu/index.html").read_text()
    article = html.split('<article class="article"', 1)[1]  # its attributes follow (search marks)
    tags = img_tags(article)
    assert len(tags) == 4  # hero, body, two gallery photos
    assert f'alt="{ALT}"' in tags[0] and "fetchpriority" in tags[0] and "loading" not in tags[0]
    for tag in tags:
        assert re.search(r'width="\d+" height="\d+"', tag) and "alt=" in tag
    assert all('loading="lazy" decoding="async"' in tag for tag in tags[1:]) and "decoding" not in tags[0]
    assert '<source type="image/webp" srcset="/media/posyandu-480.' in article
    urls = re.findall(r'(?:src|srcset)="([^"]+)"', article)
    for url in {u.split()[0] for value in urls for u in value.split(", ")}:
        assert (out / url.lstrip("/")).is_file(), url
    assert 'width="1200" height="1600"' in article  # the rotated phone photo, upright


def test_documents_are_published_as_they_are_and_links_say_type_and_size(media_repo: Path) -> None:
    out = media_repo / "output/dinkes"
    html = (out / "berita/posyandu/index.html").read_text()
    assert 'href="/media/jadwal-posyandu.pdf" rel="noopener noreferrer">jadwal posyandu <span class="doc-meta">(PDF, 1,2 MB)</span></a>' in html
    assert 'href="/berita/undangan.pdf"' in html and "(PDF, 5 KB)" in html
    assert (out / "media/jadwal-posyandu.pdf").read_bytes() == PDF
    assert (out / "media/laporan-kinerja-2025.pdf").is_file()  # in media/: published even unlinked
    assert not list(out.rglob("*.md"))


def test_the_gallery_is_a_list_of_links_to_the_large_photos(media_repo: Path) -> None:
    out = media_repo / "output/dinkes"
    html = (out / "berita/posyandu/index.html").read_text()
    gallery = html.split('<section class="gallery">', 1)[1].split("</section>", 1)[0]
    links = re.findall(r'<a class="gallery-link" href="([^"]+)">', gallery)
    assert len(links) == 2 and all((out / link.lstrip("/")).is_file() for link in links)
    assert "Grafik berat badan balita" in gallery and gallery.count("<li>") == 2
    gallery_scripts = gallery.count("<script")
    assert gallery_scripts == 0  # the gallery needs no JavaScript
    timbang = [p.name for p in (out / "media").glob("timbang-*")]
    assert any(n.endswith(".png") for n in timbang) and not any(n.endswith(".jpg") for n in timbang)


def test_decorative_images_have_an_empty_alt(media_repo: Path) -> None:
    html = (media_repo / "output/dinkes/berita/hiasan/index.html").read_text()
    tag = img_tags(html.split('<div class="prose">', 1)[1])[0]
    assert 'alt=""' in tag and "dekoratif" not in tag and "loading" not in tag  # the page's first image


def test_an_svg_logo_that_passes_the_check_is_published_as_it_is(media_repo: Path) -> None:
    out = media_repo / "output/dinkes"
    logos = list((out / "media").glob("logo.*.svg"))
    assert len(logos) == 1 and logos[0].read_bytes() == LOGO_SVG
    header = (out / "index.html").read_text()
    assert f'<img class="brand-logo" src="/media/{logos[0].name}" width="56" height="56" alt="">' in header


def test_the_portal_shows_its_own_copies_of_card_photos(media_repo: Path) -> None:
    portal = media_repo / "output/portal"
    html = (portal / "index.html").read_text()
    assert 'src="/media/posyandu-800.' in html and "dinkes.ujikab.go.id/media" not in html.split("<main", 1)[1].split("</main>")[0]
    copies = sorted(p.name for p in (portal / "media").iterdir())
    assert copies and all(re.match(r"posyandu-(480|800)\.", name) for name in copies)


def build_in_process(repo: Path) -> tuple[int, int, bool]:
    """A full build (never the up-to-date shortcut: the image cache is what these tests are about)."""
    shutil.rmtree(repo / ".opdgen-cache/stamps", ignore_errors=True)
    result = build(BuildOptions(root=repo, now=datetime(2026, 11, 28, 12, tzinfo=ZoneInfo("Asia/Jakarta"))))
    assert result.region is not None, [str(p) for p in result.problems]
    stats = result.region.media_stats
    return stats.processed, stats.reused, result.ok


def test_a_rebuild_processes_no_image_and_one_change_reprocesses_one(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo({
        B + "2026-11-20-posyandu.md": post(f"image: a.jpg\nimage_alt: {ALT}\n", "![Balita ditimbang](b.jpg)"),
        B + "2026-11-21-lain.md": post(f"image: c.png\nimage_alt: {ALT}\n", title="Lain"),
        M + "a.jpg": phone_jpeg(1600, 1200, seed=1),
        M + "b.jpg": phone_jpeg(1600, 1200, seed=2),
        M + "c.png": transparent_png(),
    })
    assert build_in_process(repo) == (3, 0, True)
    first = tree_bytes(repo / "output")
    read: list[str] = []
    real_read = Repo.read_bytes

    def counting_read(self: Repo, path: Path, max_bytes: int) -> bytes:
        read.append(path.name)
        return real_read(self, path, max_bytes)

    monkeypatch.setattr(Repo, "read_bytes", counting_read)
    assert build_in_process(repo) == (0, 3, True)
    assert tree_bytes(repo / "output") == first
    assert not read, f"unchanged photos were read again: {read}"
    (repo / M / "b.jpg").write_bytes(phone_jpeg(1600, 1200, seed=9))
    assert build_in_process(repo) == (1, 2, True)
    entry = max((repo / ".opdgen-cache/images").rglob("*.bin"), key=lambda p: p.stat().st_mtime_ns)
    entry.write_bytes(entry.read_bytes()[:100])  # a corrupt entry is ignored and rebuilt
    assert build_in_process(repo) == (1, 2, True)
    assert build_in_process(repo) == (0, 3, True)


def problems_of(make_repo: Callable[..., Path], run_cli: Callable[..., Result], files: dict[str, str | bytes]) -> Result:
    repo = make_repo({**files})
    return run_cli("check", "--root", repo)


P = B + "2026-11-20-x.md"
FOTO = {M + "foto.jpg": phone_jpeg(800, 600)}
CASES = [
    # (id, files, exit code, where, words)
    ("front-alt-missing", {P: post("image: foto.jpg\n"), **FOTO}, 1, P + ":4:", "image_alt"),
    ("body-alt-missing", {P: post(body="Pembuka.\n\n![](foto.jpg)"), **FOTO}, 1, P + ":7:", "kurung siku"),
    ("gallery-alt-missing", {P: post("gallery:\n  - src: foto.jpg\n"), **FOTO}, 1, P + ":5:", "alt:"),
    ("front-decorative", {P: post("image: foto.jpg\nimage_decorative: true\n"), **FOTO}, 0, "", "Semua baik"),
    ("body-decorative", {P: post(body='![](foto.jpg "dekoratif")'), **FOTO}, 0, "", "Semua baik"),
    ("filename-alt", {P: post(body="![IMG_2031.jpg](foto.jpg)"), **FOTO}, 0, P + ":5:", "peringatan"),
    ("dot-dot", {P: post(body="![Foto](../media/foto.jpg)"), **FOTO}, 1, P + ":5:", "../"),
    ("absolute", {P: post(body="Teks.\n![Foto](/media/foto.jpg)"), **FOTO}, 1, P + ":6:", "diawali /"),
    ("remote", {P: post(body="![Foto](https://contoh.example/foto.jpg)")}, 1, P + ":5:", "situs lain"),
    ("missing", {P: post("image: hilang.jpg\nimage_alt: Foto\n")}, 1, P + ":4:", "tidak ditemukan"),
    ("heic", {P: post("image: foto.heic\nimage_alt: Foto\n"), M + "foto.heic": b"\0\0\0 ftypheic"}, 1, P + ":4:", "HEIC"),
    ("truncated", {P: post(body="![Foto](foto.jpg)"), M + "foto.jpg": phone_jpeg(800, 600)[:9000]}, 1, P + ":5:",
     "rusak atau terpotong"),
    ("png-named-jpg", {P: post(body="![Foto](foto.jpg)"), M + "foto.jpg": encode(photo(90, 60), "PNG")}, 1,
     P + ":5:", "adalah PNG, bukan JPEG"),
    ("too-large", {P: post(body="![Foto](foto.png)"), M + "foto.png": encode(Image.new("L", (7000, 6000)), "PNG")}, 1,
     P + ":5:", "7000×6000"),
    ("svg-script", {P: post(body="![Logo](logo.svg)"), M + "logo.svg": LOGO_SVG.replace(b"<title>", b"<script>x</script><title>")},
     1, P + ":5:", "<script>"),
    ("animated", {P: post(body="![Animasi](a.gif)"), M + "a.gif": b""}, 0, P + ":5:", "bingkai pertama"),
    ("refused-type", {P: post(), M + "video.mp4": b"\0\0\0 ftypmp42"}, 1, M + "video.mp4:", "tidak boleh diterbitkan"),
    ("pdf-that-is-html", {P: post(), M + "laporan.pdf": b"<html>bukan pdf</html>"}, 1, M + "laporan.pdf:", "bukan PDF"),
    ("server-side-beside-post", {P: post(), B + "foto.php.jpg": b"<?php ?>"}, 1, B + "foto.php.jpg:", ".php"),
    ("cmyk", {P: post(body="![Brosur cetak](brosur.jpg)"), M + "brosur.jpg": encode(Image.new("CMYK", (300, 200)), "JPEG")},
     0, "", "Semua baik"),
]


def _animated_gif() -> bytes:
    frames = [Image.new("RGB", (60, 40), (i * 80, 0, 0)) for i in range(3)]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)


@pytest.mark.parametrize(("files", "code", "where", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_media_problems_name_the_file_and_line_and_how_to_fix_them(
    make_repo: Callable[..., Path], run_cli: Callable[..., Result], files: dict[str, str | bytes], code: int,
    where: str, words: str,
) -> None:
    files = {k: (_animated_gif() if k.endswith("a.gif") else v) for k, v in files.items()}
    result = problems_of(make_repo, run_cli, files)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    line = next((ln for ln in result.output.splitlines() if ln.startswith(where)), "") if where else result.output
    assert words in line, result.output


def test_problems_read_in_english(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = make_repo({P: post(body="![](foto.jpg)"), **FOTO})
    result = run_cli("check", "--root", repo, "--lang", "en")
    assert result.exit_code == 1 and "has no alternative text" in result.output


def test_every_post_has_a_1200x630_open_graph_image(media_repo: Path) -> None:
    out = media_repo / "output/dinkes"
    for slug in ("posyandu", "hiasan"):  # a photo cropped; a card drawn (no photo)
        html = (out / f"berita/{slug}/index.html").read_text()
        url = re.search(r'<meta property="og:image" content="https://dinkes\.ujikab\.go\.id/(media/og-[^"]+)">', html)
        assert url is not None and '<meta name="twitter:card" content="summary_large_image">' in html
        with Image.open(out / url.group(1)) as image:
            assert (image.format, image.size) == ("JPEG", (1200, 630))


def test_previews_stay_out_of_memory_and_an_unchanged_one_is_linked(media_repo: Path) -> None:
    """A social preview's bytes are read from the image cache only to be written: the loaded region
    keeps its name and digest, and a rebuild links the file the output already holds."""
    shutil.rmtree(media_repo / ".opdgen-cache/stamps", ignore_errors=True)
    before = {p.name: p.stat().st_ino for p in (media_repo / "output/dinkes/media").glob("og-*")}
    result = build(BuildOptions(root=media_repo, now=datetime(2026, 11, 28, 12, tzinfo=ZoneInfo("Asia/Jakarta"))))
    assert result.ok and result.region is not None and before
    socials = [p.media.social for s in result.region.sites for p in s.posts if p.media.social is not None]
    assert socials and all(v.data == b"" and v.load is not None for v in socials)
    assert all(hashlib.sha256(v.load()).hexdigest() == v.digest for v in socials if v.load is not None)
    previews = [f for f in result.files if f.path.name.startswith("og-")]
    assert previews and all(f.reused and not f.data for f in previews)
    after = {p.name: p.stat().st_ino for p in (media_repo / "output/dinkes/media").glob("og-*")}
    assert after == before  # linked, not written again
