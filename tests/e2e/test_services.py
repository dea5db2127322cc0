"""Services, Maklumat Pelayanan and SKM pages in whole builds: the sample's pages exist and show the
figures, the chart agrees with its table, the default menu links /layanan/, and incremental builds
of the section equal clean builds."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from opdgen.build.pipeline import BuildOptions, build
from opdgen.cli import build_now
from tests.conftest import tree_bytes
from tests.unit.test_layanan import GOOD as SERVICE
from tests.unit.test_skm import GOOD as SURVEY


def page(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg class=\"skm-chart.*?</svg>", html, re.S)]


def test_the_services_index_lists_services_and_links_the_standard_pages(sample_output: Path) -> None:
    html = page(sample_output, "dinkes/layanan/index.html")
    assert "<h1 class=\"page-title\">Layanan</h1>" in html
    assert "Selain layanan kesehatan langsung di <strong>34 puskesmas</strong>" in html  # halaman/layanan.md
    for slug in ("surat-keterangan-sehat", "rekomendasi-izin-praktik-tenaga-kesehatan",
                 "rekomendasi-izin-apotek", "sertifikat-laik-higiene-sanitasi"):
        assert f'href="/layanan/{slug}/"' in html
    for href in ("/standar-pelayanan/", "/maklumat-pelayanan/", "/skm/"):
        assert f'href="{href}"' in html
    assert "84,91" in html  # the latest IKM beside the list
    assert (sample_output / "kec-cibeureum/layanan/perekaman-ktp-el/index.html").is_file()
    # agencies without layanan/ still get their halaman/layanan.md at /layanan/
    assert "Legalisasi fotokopi ijazah SD/SMP" in page(sample_output, "disdik/layanan/index.html")


def test_a_service_page_shows_the_components_in_the_standards_order(sample_output: Path) -> None:
    html = page(sample_output, "dinkes/layanan/surat-keterangan-sehat/index.html")
    headings = re.findall(r"<h2 id=\"[a-z-]+\">(?:\d\. )?([^<]+)</h2>", html)
    assert headings == ["Persyaratan", "Sistem, Mekanisme, dan Prosedur", "Jangka Waktu Pelayanan",
                        "Biaya/Tarif", "Produk Pelayanan", "Penanganan Pengaduan, Saran, dan Masukan",
                        "Dasar Hukum", "Keterangan"]
    assert "<li>Pas foto berwarna 3x4 sebanyak 2 lembar</li>" in html
    assert 'href="/maklumat-pelayanan/"' in html and 'href="/standar-pelayanan/"' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1])  # type: ignore[index]
    [service] = [g for g in data["@graph"] if g["@type"] == "GovernmentService"]
    assert service["name"] == "Surat Keterangan Sehat"
    assert service["provider"]["name"] == "Dinas Kesehatan Kabupaten Sukamaju"


def test_the_maklumat_is_a_declaration_of_the_agency(sample_output: Path) -> None:
    html = page(sample_output, "kec-cibeureum/maklumat-pelayanan/index.html")
    assert 'class="maklumat-title">Maklumat Pelayanan</h1>' in html
    assert "Kecamatan Cibeureum Kabupaten Sukamaju" in html and "sanggup menyelenggarakan pelayanan" in html
    assert 'href="/layanan/rekomendasi-izin-keramaian/"' in html
    assert (sample_output / "dpupr/maklumat-pelayanan/index.html").is_file()
    assert (sample_output / "dpupr/standar-pelayanan/index.html").is_file()


def test_the_skm_page_shows_the_latest_index_grade_and_the_charts_agree_with_the_tables(
        sample_output: Path) -> None:
    html = page(sample_output, "dinkes/skm/index.html")
    assert '<span class="skm-big">84,91</span>' in html and '<span class="skm-big">B</span>' in html
    assert "436" in html and "Februari-November 2025" in html
    charts = svgs(html)
    assert len(charts) == 3  # 2025's elements, the trend, 2024's elements (in its <details>)
    latest, trend, _ = charts
    assert latest.get("role") == "img" and latest.find("title") is not None and latest.find("desc") is not None
    values = [t.text for t in latest.findall("text[@class='skm-value']")]
    assert values == ["3,38", "3,34", "3,21", "3,66", "3,37", "3,45", "3,58", "3,27", "3,29"]
    table = html.split('id="skm-tabel-2025"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<td class="num">(\d,\d\d)</td>', table) == values  # same figures as the chart
    heights = [float(r.get("height", "0")) for r in latest.findall("rect[@class='skm-bar']")]
    assert heights.index(max(heights)) == values.index("3,66")
    assert [t.text for t in trend.findall("text[@class='skm-value']")] == ["82,75", "84,91"]
    assert "style=" not in html


def test_the_home_page_links_services_and_the_latest_index(sample_output: Path) -> None:
    html = page(sample_output, "kec-cibeureum/index.html")
    band = html.split('id="layanan-publik"', 1)[1].split("</section>", 1)[0]
    assert 'href="/layanan/perekaman-ktp-el/"' in band and "81,56" in band and 'href="/skm/"' in band
    assert "layanan-publik" not in page(sample_output, "dpupr/index.html")  # no services, no SKM


def test_the_default_menu_has_layanan_when_the_site_has_the_section(
        make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = make_repo({"content/dinkes/layanan/sks.md": SERVICE})
    assert run_cli("build", "--root", repo).exit_code == 0
    home = page(repo / "output", "dinkes/index.html")
    assert re.search(r'<a href="/layanan/"[^>]*>Layanan</a>', home)
    assert not (repo / "output/dinkes/skm").exists() and not (repo / "output/dinkes/maklumat-pelayanan").exists()
    (repo / "content/dinkes/layanan/sks.md").unlink()
    (repo / "content/dinkes/halaman").mkdir()
    (repo / "content/dinkes/halaman/maklumat-pelayanan.md").write_text("---\ntitle: Maklumat\n---\nKami sanggup.\n")
    assert run_cli("build", "--root", repo).exit_code == 0
    assert 'href="/layanan/"' not in page(repo / "output", "dinkes/index.html")
    assert not (repo / "output/dinkes/layanan").exists()
    maklumat = page(repo / "output", "dinkes/maklumat-pelayanan/index.html")  # no index to link to
    assert "Kami sanggup." in maklumat and 'href="/layanan/"' not in maklumat


def test_incremental_builds_of_the_section_equal_clean_builds(make_repo: Callable[..., Path],
                                                               tmp_path: Path) -> None:
    files = {"content/dinkes/layanan/sks.md": SERVICE, "content/dinkes/skm/2025.md": SURVEY,
             "content/dinkes/skm/2024.md": SURVEY.replace("year: 2025", "year: 2024"),
             "content/dinkes/halaman/layanan.md": "---\ntitle: Layanan Kami\n---\nPengantar.\n",
             "content/dinkes/halaman/maklumat-pelayanan.md": "---\ntitle: Maklumat Pelayanan\n---\nKami sanggup.\n"}
    repo = make_repo(files)
    out = tmp_path / "incremental"

    def edit(rel: str, old: str, new: str) -> None:
        path = repo / rel
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new))

    steps: list[tuple[str, Callable[[], object]]] = [
        ("component", lambda: edit("content/dinkes/layanan/sks.md", "time: 1 jam", "time: 2 jam")),
        ("add", lambda: (repo / "content/dinkes/layanan/baru.md").write_text(
            SERVICE.replace("Surat Keterangan Sehat", "Layanan Baru").replace("order: 5", "order: 1"))),
        ("element", lambda: edit("content/dinkes/skm/2024.md", "u4: 3.66", "u4: 2.10")),
        ("intro", lambda: edit("content/dinkes/halaman/layanan.md", "Pengantar.", "Pengantar baru.")),
        ("maklumat", lambda: edit("content/dinkes/halaman/maklumat-pelayanan.md", "title: Maklumat Pelayanan",
                                  "title: Janji Layanan")),
        ("delete", lambda: (repo / "content/dinkes/skm/2025.md").unlink()),
    ]
    assert build(BuildOptions(root=repo, now=build_now(), output=out)).ok
    for number, (name, change) in enumerate(steps):
        change()
        assert build(BuildOptions(root=repo, now=build_now(), output=out)).ok, name
        clean = tmp_path / f"clean-{number}"
        assert build(BuildOptions(root=repo, now=build_now(), output=clean, cache_dir=tmp_path / f"c{number}")).ok
        assert _pages(out) == _pages(clean), name


def _pages(out: Path) -> dict[str, bytes]:
    """The output but the up-to-date stamp, whose input digest follows file identities (inode, ctime)."""
    return {k: v for k, v in tree_bytes(out).items() if k != ".opdgen/inputs.json"}
