"""content/<site>/layanan/: public services: the Standar Pelayanan components
(UU 25/2009, PermenPANRB 15/2014), one service per file; pure checks, no rendering.

The six service-delivery components a citizen reads (persyaratan, prosedur, jangka waktu, biaya,
produk, pengaduan) are required: a missing one is an error naming that component, so the
published standard is complete. The body (Markdown) is further description.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opdgen import schema as s
from opdgen.public.spec import DetailsInput, KindSpec
from opdgen.records import record

# front-matter key -> the component's problem code suffix, in the order of PermenPANRB 15/2014
COMPONENTS = ("requirements", "procedure", "time", "cost", "product", "complaints")

SCHEMA = (
    s.Field("title", s.text(200), required=True, example='title: "Surat Keterangan Sehat"'),
    s.Field("summary", s.text(400), default=""),
    s.Field("requirements", s.text_list(40, 300)),
    s.Field("procedure", s.text_list(40, 400)),
    s.Field("time", s.text(200)),
    s.Field("cost", s.text(300)),
    s.Field("product", s.text(300)),
    s.Field("complaints", s.text(800)),
    s.Field("legal_basis", s.text_list(30, 300), default=()),
    s.Field("updated", s.text(40)),
    s.Field("order", s.integer, default=100),
    s.Field("draft", s.boolean, default=False),
)


@record(kw_only=True)
class ServiceDetails:
    """The standard's service-delivery components, as the admin wrote them (plain text)."""

    requirements: tuple[str, ...]  # persyaratan
    procedure: tuple[str, ...]  # sistem, mekanisme dan prosedur: steps in order
    time: str  # jangka waktu penyelesaian
    cost: str  # biaya/tarif ("Gratis" is common)
    product: str  # produk pelayanan
    complaints: str  # penanganan pengaduan, saran dan masukan
    legal_basis: tuple[str, ...] = ()  # dasar hukum


def missing_components(values: Mapping[str, Any]) -> list[str]:
    """The required components that are absent or empty, in the standard's order."""
    return [key for key in COMPONENTS if not values.get(key)]


def build(given: DetailsInput) -> ServiceDetails | None:
    v = given.values
    missing = missing_components(v)
    for key in missing:  # at the key when it is there but empty, else at the opening ---
        given.where.problems.add(given.where.path, given.line(key) or 1, f"layanan.missing.{key}")
    if missing:
        return None
    return ServiceDetails(
        requirements=v["requirements"], procedure=v["procedure"], time=v["time"], cost=v["cost"],
        product=v["product"], complaints=v["complaints"], legal_basis=v["legal_basis"] or (),
    )


NEW_FRONT = """\
title: {title}
summary: ""                  # satu kalimat: layanan ini untuk apa dan untuk siapa
# Komponen Standar Pelayanan (PermenPANRB 15/2014). Enam komponen pertama wajib diisi.
requirements:                # PERSYARATAN: dokumen/syarat yang harus dibawa pemohon, satu per baris
  - Fotokopi KTP pemohon
  - Surat permohonan
procedure:                   # SISTEM, MEKANISME DAN PROSEDUR: langkah-langkah berurutan
  - Pemohon mengambil nomor antrean dan menyerahkan berkas di loket.
  - Petugas memeriksa kelengkapan berkas.
  - Dokumen diproses dan ditandatangani pejabat berwenang.
  - Pemohon menerima dokumen di loket pengambilan.
time: 3 hari kerja           # JANGKA WAKTU: sejak berkas dinyatakan lengkap sampai produk diterima
cost: Gratis                 # BIAYA/TARIF: "Gratis", atau besarnya tarif beserta dasar hukumnya
product: Surat ...           # PRODUK PELAYANAN: apa yang diterima pemohon
complaints: >-               # PENANGANAN PENGADUAN, SARAN DAN MASUKAN: ke mana dan bagaimana mengadu
  Sampaikan pengaduan di kotak pengaduan kantor, melalui WhatsApp layanan,
  atau SP4N-LAPOR! (www.lapor.go.id); ditanggapi paling lambat 3 hari kerja.
legal_basis:                 # DASAR HUKUM (boleh dikosongkan): peraturan yang mendasari layanan
  - Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik
order: 10                    # urutan pada daftar layanan (kecil tampil lebih dulu)
draft: true                  # hapus baris ini (atau tulis false) bila siap terbit
"""

NEW_BODY = """\
Tulis keterangan tambahan di sini (boleh dikosongkan): siapa yang dapat memohon layanan ini,
lokasi dan jam loket, formulir yang dapat diunduh, atau hal lain yang perlu diketahui pemohon.
Komponen standar pelayanan di atas tampil otomatis dengan judulnya masing-masing.
"""

SPEC = KindSpec(
    schema=SCHEMA,
    build=build,
    schedulable=False,
    dated_filename=False,
    new_front=NEW_FRONT,
    new_body=NEW_BODY,
)
