"""What each default standing page is for: its proper title, order and guidance for the admin.

Data only. The guidance is the body `opdgen init` and `opdgen new halaman --site S <slug>` write
into content/<site>/halaman/<slug>.md, in Indonesian like the site itself: a note telling the admin
what the law and the assessments (Komisi Informasi, Ombudsman, SPBE) expect on the page, to be
deleted once the page is written, then headings to fill in.
"""

from __future__ import annotations

from opdgen.records import record


@record
class Guide:
    title: str  # the page's proper title ("Visi dan Misi" for visi-misi)
    summary: str  # front-matter summary: generic, any agency
    order: int  # menu order, as the sample agencies number their pages
    body: str  # Markdown: the guidance note, then the headings to fill in


NOTE = "> **Petunjuk untuk admin (hapus kutipan ini setelah halaman diisi).** "

GUIDES: dict[str, Guide] = {
    "profil": Guide(
        "Profil", "Sejarah, kedudukan, dan wilayah kerja perangkat daerah ini.", 1,
        NOTE + """\
Profil badan publik wajib diumumkan secara berkala (UU 14/2008 Pasal 9; Perki 1/2021): tulis
> kedudukan dinas (dasar hukumnya: Peraturan Daerah tentang Pembentukan dan Susunan Perangkat
> Daerah, sebutkan nomor dan tahunnya), sejarah singkat, wilayah kerja, alamat kantor, dan profil
> singkat pimpinan. Foto kantor atau pimpinan boleh, dengan teks alternatif (image_alt).

## Kedudukan

Dinas ini dibentuk berdasarkan Peraturan Daerah Nomor ... Tahun ... tentang ...

## Sejarah Singkat

Tulis kapan dinas dibentuk, perubahan nama atau struktur, dan capaian pentingnya.

## Pimpinan

Nama, jabatan, dan riwayat singkat Kepala Dinas.
"""),
    "visi-misi": Guide(
        "Visi dan Misi", "Visi, misi, tujuan, dan sasaran yang dilaksanakan perangkat daerah ini.", 2,
        NOTE + """\
Perangkat daerah tidak menyusun visi sendiri: tulis visi dan misi
> Bupati/Wali Kota persis seperti dalam RPJMD (sebutkan periodenya, mis. 2025-2029), lalu tujuan dan
> sasaran dinas dari Rencana Strategis (Renstra) dinas, dengan indikatornya bila ada. Visi dan misi
> dinilai pada evaluasi SAKIP dan keterbukaan informasi; pastikan sama dengan dokumen resminya.

## Visi

"..." (RPJMD Kabupaten ... Tahun ...)

## Misi

1. ...
2. ...

## Tujuan dan Sasaran Dinas

Kutip dari Renstra dinas: tujuan, sasaran, dan indikatornya.
"""),
    "tugas-fungsi": Guide(
        "Tugas dan Fungsi", "Tugas pokok dan fungsi perangkat daerah ini menurut Peraturan Bupati.", 3,
        NOTE + """\
Kutip tugas dan fungsi dari Peraturan Bupati/Wali Kota
> tentang Kedudukan, Susunan Organisasi, Tugas dan Fungsi serta Tata Kerja perangkat daerah: sebutkan
> nomor dan tahunnya, salin tugas pokok dan daftar fungsinya apa adanya, lalu tugas setiap
> sekretariat dan bidang. Tautkan salinan Perbup (PDF di folder media/) bila ada.

## Tugas

Berdasarkan Peraturan Bupati Nomor ... Tahun ..., dinas ini mempunyai tugas ...

## Fungsi

1. perumusan kebijakan di bidang ...;
2. pelaksanaan kebijakan di bidang ...;
3. ...

## Tugas Sekretariat dan Bidang

Tulis tugas setiap unit sesuai Perbup.
"""),
    "struktur-organisasi": Guide(
        "Struktur Organisasi", "Bagan organisasi dan nama pejabat perangkat daerah ini.", 4,
        NOTE + """\
Tampilkan bagan struktur organisasi (simpan gambarnya di folder
> media/, pasang dengan teks alternatif yang menyebut isinya) dan, sebagai teks, nama serta jabatan
> setiap pejabat: Kepala Dinas, Sekretaris, Kepala Bidang, Kepala Subbagian, Kepala UPTD. Struktur
> dan profil singkat pejabat termasuk informasi yang wajib diumumkan secara berkala (Perki
> 1/2021); perbarui setiap ada mutasi atau pelantikan.

## Pimpinan

| Jabatan | Nama |
|---|---|
| Kepala Dinas | ... |
| Sekretaris | ... |

## Bidang dan UPTD

| Unit | Kepala |
|---|---|
| Bidang ... | ... |
"""),
    "layanan": Guide(
        "Layanan", "Layanan yang diberikan perangkat daerah ini kepada masyarakat.", 5,
        NOTE + """\
Halaman ini menjadi pengantar daftar layanan di /layanan/. Tulis
> singkat siapa yang dilayani dan di mana. Rincian setiap layanan (persyaratan, prosedur, waktu,
> biaya, produk, pengaduan) ditulis sebagai berkas di folder layanan/, dibuat dengan perintah
> opdgen new layanan --site {site} "Nama Layanan", dan tampil sebagai daftar di bawah pengantar ini.

Dinas ini melayani ... di kantor dinas, Senin-Jumat pukul 08.00-15.00. Seluruh layanan tidak
dipungut biaya kecuali yang disebut pada rincian layanannya.
"""),
    "standar-pelayanan": Guide(
        "Standar Pelayanan", "Standar pelayanan setiap layanan perangkat daerah ini.", 6,
        NOTE + """\
Setiap penyelenggara wajib menetapkan dan mengumumkan Standar
> Pelayanan (UU 25/2009 Pasal 20-21; PermenPANRB 15/2014), dan Ombudsman menilainya setiap tahun.
> Sebutkan keputusan kepala dinas yang menetapkannya (nomor dan tahun), lalu untuk setiap layanan
> komponennya: dasar hukum, persyaratan, sistem/mekanisme/prosedur, jangka waktu, biaya/tarif,
> produk, sarana dan prasarana, kompetensi pelaksana, pengawasan internal, penanganan pengaduan,
> jumlah pelaksana, jaminan pelayanan, jaminan keamanan dan keselamatan, evaluasi kinerja pelaksana.

Ditetapkan dengan Keputusan Kepala Dinas Nomor ... Tahun ... tentang Standar Pelayanan.

## Nama Layanan

| Komponen | Uraian |
|---|---|
| Dasar hukum | ... |
| Persyaratan | ... |
| Prosedur | ... |
| Jangka waktu | ... hari kerja |
| Biaya/tarif | Gratis |
| Produk | ... |
| Penanganan pengaduan | ... |
"""),
    "maklumat-pelayanan": Guide(
        "Maklumat Pelayanan", "Janji dinas untuk melayani sesuai standar pelayanan.", 7,
        NOTE + """\
Maklumat Pelayanan adalah pernyataan tertulis kepala dinas bahwa
> dinas sanggup melayani sesuai standar pelayanan dan siap menerima sanksi bila tidak menepatinya
> (UU 25/2009 Pasal 22). Salin teksnya persis seperti yang ditandatangani, sebutkan nama dan
> jabatan penanda tangan, dan pasang foto/pindaian maklumat yang dipajang di ruang pelayanan
> (dengan teks alternatif). Ombudsman memeriksa maklumat ini saat menilai kepatuhan.

**MAKLUMAT PELAYANAN**

Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang telah
ditetapkan dan apabila tidak menepati janji ini, kami siap menerima sanksi sesuai peraturan
perundang-undangan yang berlaku.

Kepala Dinas ...

(nama dan NIP)
"""),
    "ppid": Guide(
        "PPID", "Pejabat Pengelola Informasi dan Dokumentasi: cara meminta informasi publik.", 8,
        NOTE + """\
Halaman ini menjadi pembuka halaman PPID; daftar informasi publik
> (DIP) dibuat otomatis dari folder dokumen/. UU 14/2008 dan Perki 1/2021 meminta: dasar penunjukan
> PPID (SK, nomor dan tahun), cara mengajukan permohonan informasi (formulir, saluran, jawaban paling
> lambat 10 hari kerja dan dapat diperpanjang 7 hari kerja), cara mengajukan keberatan kepada atasan
> PPID (dalam 30 hari kerja), penyelesaian sengketa di Komisi Informasi, biaya (gratis, kecuali
> biaya salinan), serta kontak dan jam layanan PPID.

## Permohonan Informasi

1. Ajukan permohonan ke PPID melalui ...
2. ...

## Keberatan

...

## Kontak PPID

Surel, telepon, alamat, dan jam layanan.
"""),
    "kontak": Guide(
        "Kontak", "Alamat, telepon, surel, dan jam layanan perangkat daerah ini.", 9,
        NOTE + """\
Tulis alamat lengkap kantor, telepon, surel resmi (domain
> go.id), WhatsApp layanan, jam layanan, petunjuk arah, akun media sosial resmi, dan kanal pengaduan
> (SP4N-LAPOR!). Kontak badan publik termasuk informasi yang wajib diumumkan (Perki 1/2021), dan
> isinya harus sama dengan site.yaml (address, phone, email, whatsapp).

## Alamat

Jl. ..., Kecamatan ..., Kabupaten ...

## Telepon dan Surel

- Telepon: ...
- Surel: ...@...go.id

## Jam Layanan

Senin-Kamis 08.00-15.30, Jumat 08.00-11.30.

## Pengaduan

Sampaikan pengaduan melalui SP4N-LAPOR! (https://www.lapor.go.id) atau ...
"""),
}
