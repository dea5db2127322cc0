"""`opdgen init` and `opdgen new`: write starter files; never overwrite an existing file."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from pathlib import Path

from opdgen.config import STANDING_PAGES, load_region_config
from opdgen.content.frontmatter import slugify
from opdgen.content.model import Kind
from opdgen.deploy.workflows import GITEA, GITHUB_JOBS, GITHUB_TRIGGERS, GITLAB
from opdgen.fsguard import Repo
from opdgen.messages import text
from opdgen.problems import Problems
from opdgen.public import SPECS
from opdgen.public.standing import (
    SECTION_PAGES,
    Gap,
    drafts_of,
    entries_on_disk,
    find_gap,
    page_text,
    page_title,
    published_of,
)

SAMPLE_SITE = "contoh"

OPDGEN_YAML = """\
# Pengaturan seluruh daerah. Lihat README opdgen untuk arti setiap kolom.
region:
  name: Pemerintah Kabupaten Contoh
  short_name: Kab. Contoh
portal:
  title: Portal Berita Kabupaten Contoh
  description: Kabar terbaru dari seluruh perangkat daerah Kabupaten Contoh.
  base_url: https://contohkab.go.id/
  colour: "#1f5f8b"
theme: default
timezone: Asia/Jakarta
language: id
security:
  contact: mailto:csirt@contohkab.go.id
  video_hosts:
    - www.youtube-nocookie.com
    - www.youtube.com
# Halaman tetap yang wajib ada di setiap situs (opdgen check memberi saran bila ada yang belum).
# Bawaannya sembilan halaman di bawah ini; ubah daftarnya di sini, atau standing_pages: [] untuk
# mematikan pemeriksaan.
standing_pages: [profil, visi-misi, struktur-organisasi, tugas-fungsi, layanan, standar-pelayanan,
                 maklumat-pelayanan, ppid, kontak]
"""

SITE_YAML = """\
# Identitas situs perangkat daerah ini.
name: Dinas Komunikasi dan Informatika Kabupaten Contoh
short_name: Diskominfo
base_url: https://diskominfo.contohkab.go.id/
description: Situs resmi Dinas Komunikasi dan Informatika Kabupaten Contoh.
colour: "#1f5f8b"
address: Jl. Merdeka No. 1, Contoh
phone: "(0263) 500100"
email: diskominfo@contohkab.go.id
whatsapp: "6281200000000"
social:
  instagram: https://www.instagram.com/diskominfocontoh
"""

WELCOME = """\
---
title: Situs Baru Diskominfo Kabupaten Contoh Resmi Diluncurkan
date: {date}
author: Admin Diskominfo
tags: [pengumuman-situs]
---
Situs ini dibangun dengan opdgen. Setiap berita adalah satu berkas Markdown di folder
`content/contoh/berita/`. Buat berita baru dengan perintah:

    opdgen new berita --site contoh "Judul Berita"
"""

GITIGNORE = """\
/output/
/output.opdgen-*/
/.opdgen-cache/
/laporan/
"""

WORKFLOW = """\
# opdgen: periksa setiap push dan pull request, bangun dengan cache, deploy cabang utama, pratinjau setiap
# pull request, bangun ulang setiap malam (berita terjadwal), periksa situs yang tayang setiap jam.
# Rahasia di Settings > Secrets and variables > Actions, tidak pernah di repositori: DEPLOY_SSH_KEY,
# DEPLOY_KNOWN_HOSTS, DEPLOY_TARGET (deploy@web.contohkab.go.id:/srv/www/{site}), PREVIEW_TARGET, PREVIEW_URL.
name: opdgen
env:
  OPDGEN_SPLIT: "false"   # "true" untuk daerah besar: satu job paralel per OPD, ditambah job portal
on:
  push:
    branches: [main]
  pull_request:
  schedule:
""" + GITHUB_TRIGGERS + """\
    - cron: "0 1 1 * *"    # tanggal 1 setiap bulan, 08.00 WIB: laporan keaktifan (job laporan)
  workflow_dispatch:
jobs:
""" + GITHUB_JOBS + """\
  laporan:
    # Laporan keaktifan situs OPD (opdgen report), disimpan sebagai artefak "laporan-keaktifan".
    if: github.event_name == 'workflow_dispatch' || github.event.schedule == '0 1 1 * *'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0   # seluruh riwayat git: jumlah kontributor dihitung dari sana
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install opdgen
      - run: |
          opdgen report --format html --output laporan
          opdgen report --format csv --output laporan
          opdgen report --format json --output laporan
          opdgen report --format text --output laporan
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: laporan-keaktifan
          path: laporan/
"""


def init_repository(target: Path, now: datetime) -> list[Path]:
    """Write a working repository with one sample agency; returns the files written."""
    files = {
        "opdgen.yaml": OPDGEN_YAML,
        f"content/{SAMPLE_SITE}/site.yaml": SITE_YAML,
        **{f"content/{SAMPLE_SITE}/halaman/{slug}.md": page_text(slug, SAMPLE_SITE) or ""
           for slug in STANDING_PAGES},  # every standing page, with guidance (issue 8)
        f"content/{SAMPLE_SITE}/berita/{now:%Y-%m-%d}-situs-baru-diluncurkan.md":
            WELCOME.format(date=f"{now:%Y-%m-%d %H:%M}"),
        ".gitignore": GITIGNORE,
        ".github/workflows/opdgen.yml": WORKFLOW,
        ".gitlab-ci.yml": GITLAB,
        ".gitea/workflows/opdgen.yml": GITEA,
    }
    written = []
    for rel, content in files.items():
        path = target / rel
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


GUIDE = {
    Kind.BERITA: "Tulis paragraf pembuka: siapa, apa, kapan, di mana.\n\n"
                 "## Subjudul\n\nLanjutkan isi berita di sini.\n",
    Kind.PENGUMUMAN: "Tulis isi pengumuman di sini: apa, untuk siapa, sampai kapan.\n",
    Kind.HALAMAN: "Tulis isi halaman di sini.\n",
}


def new_post_path(site_dir: Path, kind: Kind, title: str, now: datetime) -> Path:
    """Where `opdgen new` puts the file: berita/2026-11-28-judul.md, halaman/judul.md."""
    slug = slugify(title)
    dated = SPECS[kind.value].dated_filename if kind.is_public_service else kind is not Kind.HALAMAN
    name = f"{now:%Y-%m-%d}-{slug}.md" if dated else f"{slug}.md"
    return site_dir / kind.value / name


def new_post_text(kind: Kind, title: str, now: datetime, site: str = "",
                  standing: Collection[str] = ()) -> str:
    """Front matter filled in, then a short guide for the admin. A standing page given by its slug
    (`opdgen new halaman --site S visi-misi`) gets its proper title, and its guidance if it has one."""
    is_slug = title == slugify(title)
    if kind is Kind.HALAMAN:
        guided = page_text(slugify(title), site, None if is_slug else title)
        if guided is not None:
            return guided
        if is_slug and title in standing:  # a page of the region's own list: its title, no guidance
            title = page_title(title)
    quoted = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if kind.is_public_service:
        spec = SPECS[kind.value]
        front = spec.new_front.format(title=quoted, date=f"{now:%Y-%m-%d %H:%M}", year=now.year)
        return f"---\n{front}---\n{spec.new_body}"
    if kind is Kind.HALAMAN:
        front = f"title: {quoted}\nsummary: \"\"\norder: 50\n"
    else:
        front = (
            f"title: {quoted}\ndate: {now:%Y-%m-%d %H:%M}\nauthor: \"\"\ntags: []\n"
            f"summary: \"\"\ndraft: false\n"
        )
    return f"---\n{front}---\n{GUIDE[kind]}"


def standing_gap(root: Path, site_dir: Path, pages: tuple[str, ...]) -> Gap | None:
    """`opdgen new halaman --site S`: the site's standing pages without a file, and those whose
    file is a draft, read from the files themselves (nothing is loaded or rendered)."""
    repo = Repo(root)
    on_disk = entries_on_disk(repo, site_dir)
    present = set(published_of(on_disk))
    for slug, kind in SECTION_PAGES.items():  # /layanan/ lists the published entries of layanan/
        if published_of(entries_on_disk(repo, site_dir, kind)):
            present.add(slug)
    return find_gap(site_dir.name, pages, present, drafts_of(on_disk))


def standing_lines(root: Path, site_dir: Path, pages: tuple[str, ...], lang: str) -> list[str]:
    """What `opdgen new halaman --site S` prints: each missing standing page and the command that
    creates it with guidance, the drafts still to finish, then how to make any other page."""
    site = site_dir.name
    gap = standing_gap(root, site_dir, pages) if pages else None
    if not pages:
        lines = [text("cli.new.standing.off", lang)]
    elif gap is None:
        lines = [text("cli.new.standing.complete", lang, site=site, count=len(pages))]
    else:
        on_disk = entries_on_disk(Repo(root), site_dir)
        lines = [text("cli.new.standing.header", lang, site=site)]
        lines += [text("cli.new.standing.item", lang, site=site, slug=slug, title=page_title(slug))
                  for slug in gap.to_create]
        lines += [text("cli.new.standing.draft", lang, slug=slug, path=on_disk[slug][0])
                  for slug in gap.drafts]
    return [*lines, text("cli.new.standing.other", lang, site=site)]


def configured_standing(root: Path) -> tuple[tuple[str, ...] | None, Problems]:
    """opdgen.yaml's standing pages; None (and the problems) when opdgen.yaml cannot be used."""
    problems = Problems()
    config = load_region_config(Repo(root), problems)
    return (config.standing_pages if config else None), problems
