"""A region of six agencies in a real git repository with back-dated commits by several authors,
built so that every figure of `opdgen report` (as of 2026-11-28, conftest's OPDGEN_NOW) is known.

Thresholds: active_days 30, inactive_days 90, min_posts_per_month 2. Each agency sits exactly
on one edge of them: dinkes aktif at 29 days, disdik kurang aktif at 30, dpupr kurang aktif with one
recent post, bpbd kurang aktif at 89 days, dishub tidak aktif at 90, kec-sukajadi never published.
"""

from __future__ import annotations

import io
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from tests.conftest import REGION_YAML

REGION = REGION_YAML + """\
report:
  active_days: 30
  inactive_days: 90
  min_posts_per_month: 2
standing_pages: [profil, visi-misi, struktur-organisasi, layanan, kontak]  # the report uses this list
"""
STANDING = ("profil", "visi-misi", "struktur-organisasi", "layanan", "kontak")
MONTHS = ("2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07",
          "2026-08", "2026-09", "2026-10", "2026-11")


def site_yaml(name: str, short: str, slug: str) -> str:
    return (f"name: {name}\nshort_name: {short}\nbase_url: https://{slug}.ujikab.go.id/\n"
            f"description: Situs resmi {name}.\n")


def image(fmt: str, colour: tuple[int, int, int]) -> bytes:
    """A small real image (the loader decodes every image it publishes)."""
    out = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(out, fmt)
    return out.getvalue()


def post(title: str, date: str, extra: str = "", body: str = "Isi tulisan.") -> str:
    return f"---\ntitle: {title}\ndate: {date}\n{extra}---\n{body}\n"


def page(title: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\n{extra}---\nIsi halaman.\n"


def pages(slug: str, names: tuple[str, ...], extra: str = "") -> dict[str, str]:
    return {f"content/{slug}/halaman/{n}.md": page(n.title(), extra) for n in names}


@dataclass(frozen=True)
class Commit:
    when: str  # ISO 8601 with offset: author and committer date
    author: str  # "Name <email>"
    files: dict[str, str | bytes] = field(default_factory=dict)
    branch: str | None = None  # commit on this branch, then merge it into main (--no-ff)
    merger: str = "Maintainer Kominfo <maintainer@kominfo.ujikab.go.id>"
    merge_when: str = ""


COMMITS = (
    Commit("2025-06-01T09:00:00+07:00", "IT Kominfo <it@kominfo.ujikab.go.id>", {"opdgen.yaml": REGION}),
    Commit("2025-06-01T10:00:00+07:00", "Pegawai Lama <lama@sukajadi.go.id>", {
        "content/kec-sukajadi/site.yaml": site_yaml("Kecamatan Sukajadi", "Kec. Sukajadi", "sukajadi"),
        **pages("kec-sukajadi", ("profil",)),
    }),
    Commit("2025-11-30T23:30:00+07:00", "Admin Awal <awal@dinkes.go.id>", {
        "content/dinkes/site.yaml": site_yaml("Dinas Kesehatan", "Dinkes", "dinkes"),
        **pages("dinkes", STANDING),
        "content/dinkes/berita/2025-11-30-sebelum-periode.md": post("Sebelum Periode", "2025-11-30 23:00"),
    }),
    Commit("2025-12-01T10:00:00+07:00", "Siti <siti@dinkes.go.id>", {
        "content/dinkes/berita/2025-12-01-awal-periode.md": post("Awal Periode", "2025-12-01 00:00"),
    }),
    Commit("2026-07-15T09:00:00+07:00", "Eko <eko@bpbd.go.id>", {
        "content/bpbd/site.yaml": site_yaml("Badan Penanggulangan Bencana Daerah", "BPBD", "bpbd"),
        "content/bpbd/berita/2026-07-15-siaga.md": post("Siaga", "2026-07-15 09:00"),
    }),
    Commit("2026-08-30T11:00:00+07:00", "Fajar <fajar@dishub.go.id>", {
        "content/dishub/site.yaml": site_yaml("Dinas Perhubungan", "Dishub", "dishub"),
        "content/dishub/berita/2026-08-30-terakhir.md": post("Terakhir", "2026-08-30 10:00"),
    }),
    Commit("2026-08-31T12:00:00+07:00", "Eko <eko@bpbd.go.id>", {
        "content/bpbd/pengumuman/2026-08-31-apel.md": post("Apel", "2026-08-31 07:00"),
    }),
    # one change by the IT office touching two agencies: it counts for both
    Commit("2026-09-05T08:00:00+07:00", "IT Kominfo <it@kominfo.ujikab.go.id>", {
        "content/bpbd/site.yaml": site_yaml("Badan Penanggulangan Bencana Daerah", "BPBD", "bpbd")
        + "phone: \"(0263) 1\"\n",
        "content/dishub/site.yaml": site_yaml("Dinas Perhubungan", "Dishub", "dishub")
        + "phone: \"(0263) 2\"\n",
    }),
    # 2026-09-30 20:00 UTC is 2026-10-01 03:00 WIB: an October post
    Commit("2026-10-01T03:30:00+07:00", "Dewi <dewi@dpupr.go.id>", {
        "content/dpupr/site.yaml": site_yaml("Dinas Pekerjaan Umum", "DPUPR", "dpupr"),
        **pages("dpupr", ("profil", "kontak")),
        "content/dpupr/berita/2026-09-30-zona-waktu.md": post("Zona Waktu", "2026-09-30 20:00Z"),
    }),
    Commit("2026-10-29T15:00:00+07:00", "Rina <rina@disdik.go.id>", {
        "content/disdik/site.yaml": site_yaml("Dinas Pendidikan", "Disdik", "disdik"),
        **pages("disdik", ("profil", "visi-misi", "struktur-organisasi")),
        **pages("disdik", ("kontak",), "draft: true\n"),
        "content/disdik/berita/2026-10-29-batas-aktif.md": post(
            "Batas Aktif", "2026-10-29 08:00", "image: foto.jpg\nimage_alt: Murid belajar di kelas\n",
            "Foto kegiatan:\n\n![Guru mengajar di depan kelas](guru.jpg)\n\n![](hiasan.png \"dekoratif\")"),
        "content/disdik/media/foto.jpg": image("JPEG", (40, 90, 160)),
        "content/disdik/media/guru.jpg": image("JPEG", (160, 90, 40)),
        "content/disdik/media/hiasan.png": image("PNG", (200, 200, 200)),
        "content/disdik/pengumuman/2026-10-29-jadwal.md": post("Jadwal", "2026-10-29 09:00"),
    }),
    Commit("2026-10-30T10:00:00+07:00", "Budi <BUDI@dinkes.go.id>", {
        "content/dinkes/berita/2026-10-30-pagi.md": post("Pagi", "2026-10-30 08:00"),
    }),
    Commit("2026-10-30T15:00:00+07:00", "Budi S. <budi@dinkes.go.id>", {
        "content/dinkes/pengumuman/2026-10-30-sore.md": post("Sore", "2026-10-30 14:00"),
    }),
    Commit("2026-11-20T10:00:00+07:00", "Rina <rina@disdik.go.id>", {
        "content/disdik/berita/2026-11-20-draf.md": post("Draf", "2026-11-20 08:00", "draft: true\n"),
    }),
    # a feature branch merged by a maintainer: the merge commit's author is not a contributor
    Commit("2026-11-28T08:30:00+07:00", "Andi <andi@dpupr.go.id>", {
        "content/dpupr/berita/2026-11-28-hari-ini.md": post("Hari Ini", "2026-11-28 08:00"),
    }, branch="berita-dpupr", merge_when="2026-11-28T10:00:00+07:00"),
    # dated after the report's day: neither a contributor nor the last change
    Commit("2026-12-02T09:00:00+07:00", "Joko <joko@disdik.go.id>", {
        "content/disdik/pengumuman/2026-12-05-terjadwal.md": post("Terjadwal", "2026-12-05 09:00"),
    }),
)


def _months(**counts: int) -> dict[str, int]:
    return {m: counts.get("m" + m.replace("-", "_"), 0) for m in MONTHS}


# slug -> every figure of the report as JSON gives it
EXPECTED: dict[str, dict[str, object]] = {
    "kec-sukajadi": dict(status="tidak aktif", last_published=None, days_since=None, posts_in_period=0,
                         posts_by_kind={"berita": 0, "pengumuman": 0, "agenda": 0, "dokumen": 0}, recent_posts=0,
                         posts_per_month=_months(), contributors=0, last_change="2025-06-01",
                         missing_pages=list(STANDING[1:]), ppid_missing=6, images_without_alt=0),
    "dishub": dict(status="tidak aktif", last_published="2026-08-30", days_since=90, posts_in_period=1,
                   posts_by_kind={"berita": 1, "pengumuman": 0, "agenda": 0, "dokumen": 0}, recent_posts=0,
                   posts_per_month=_months(m2026_08=1), contributors=2, last_change="2026-09-05",
                   missing_pages=list(STANDING), ppid_missing=6, images_without_alt=0),
    "bpbd": dict(status="kurang aktif", last_published="2026-08-31", days_since=89, posts_in_period=2,
                 posts_by_kind={"berita": 1, "pengumuman": 1, "agenda": 0, "dokumen": 0}, recent_posts=0,
                 posts_per_month=_months(m2026_07=1, m2026_08=1), contributors=2,
                 last_change="2026-09-05", missing_pages=list(STANDING), ppid_missing=6,
                 images_without_alt=0),
    "disdik": dict(status="kurang aktif", last_published="2026-10-29", days_since=30, posts_in_period=2,
                   posts_by_kind={"berita": 1, "pengumuman": 1, "agenda": 0, "dokumen": 0}, recent_posts=0,
                   posts_per_month=_months(m2026_10=2), contributors=1, last_change="2026-11-20",
                   missing_pages=["layanan", "kontak"], ppid_missing=6, images_without_alt=0),
    "dpupr": dict(status="kurang aktif", last_published="2026-11-28", days_since=0, posts_in_period=2,
                  posts_by_kind={"berita": 2, "pengumuman": 0, "agenda": 0, "dokumen": 0}, recent_posts=1,
                  posts_per_month=_months(m2026_10=1, m2026_11=1), contributors=2,
                  last_change="2026-11-28", missing_pages=["visi-misi", "struktur-organisasi", "layanan"],
                  ppid_missing=6, images_without_alt=0),
    "dinkes": dict(status="aktif", last_published="2026-10-30", days_since=29, posts_in_period=3,
                   posts_by_kind={"berita": 2, "pengumuman": 1, "agenda": 0, "dokumen": 0}, recent_posts=2,
                   posts_per_month=_months(m2025_12=1, m2026_10=2), contributors=2,
                   last_change="2026-10-30", missing_pages=[], ppid_missing=6, images_without_alt=0),
}
RANKING = ("kec-sukajadi", "dishub", "bpbd", "disdik", "dpupr", "dinkes")  # silent first


def _git(root: Path, *args: str, who: str | None = None, when: str | None = None) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    if who and when:
        name, email = who[:-1].split(" <")
        env.update(GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email, GIT_AUTHOR_DATE=when,
                   GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True)


def build_repo(root: Path) -> Path:
    """Write and commit COMMITS in order into a new repository at root."""
    root.mkdir(parents=True, exist_ok=True)
    _git(root, "init", "-q", "-b", "main")
    for c in COMMITS:
        if c.branch:
            _git(root, "checkout", "-q", "-b", c.branch)
        for rel, data in c.files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", f"isi {c.when}", who=c.author, when=c.when)
        if c.branch:
            _git(root, "checkout", "-q", "main")
            _git(root, "merge", "-q", "--no-ff", "-m", f"merge {c.branch}", c.branch,
                 who=c.merger, when=c.merge_when)
    return root
