"""The word and sentence bank of the benchmark corpus: agencies, places, people, topics, templates.

Data only. The generator (benchmarks/corpus.py) draws from it with a seeded random source.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Domain:
    topics: tuple[str, ...]  # noun phrases a title or sentence is about
    items: tuple[str, ...]  # bullet-list items
    tags: tuple[str, ...]  # the domain's share of the tag pool
    unit: str  # what the agency counts in its tables


@dataclass(frozen=True, slots=True)
class Agency:
    slug: str
    name: str
    short: str
    domain: str


DOMAINS: dict[str, Domain] = {
    "kesehatan": Domain(
        ("imunisasi dasar lengkap", "pencegahan stunting", "pemberantasan sarang nyamuk",
         "layanan puskesmas keliling", "posyandu remaja", "skrining tuberkulosis",
         "pemeriksaan kesehatan gratis", "akreditasi puskesmas"),
        ("penimbangan balita setiap bulan di posyandu", "pemberian tablet tambah darah bagi remaja putri",
         "kunjungan rumah oleh kader kesehatan", "pemeriksaan ibu hamil minimal enam kali",
         "pemantauan jentik nyamuk oleh juru pemantau jentik", "rujukan berjenjang ke rumah sakit"),
        ("kesehatan", "imunisasi", "stunting", "puskesmas", "posyandu", "dbd", "jkn"),
        "puskesmas",
    ),
    "pendidikan": Domain(
        ("penerimaan peserta didik baru", "asesmen nasional berbasis komputer", "beasiswa siswa berprestasi",
         "rehabilitasi ruang kelas", "gerakan literasi sekolah", "pelatihan guru penggerak",
         "kurikulum merdeka", "festival tunas bahasa ibu"),
        ("pendaftaran secara daring melalui laman resmi", "verifikasi berkas oleh operator sekolah",
         "pengumuman hasil seleksi secara terbuka", "pendampingan bagi siswa berkebutuhan khusus",
         "pelatihan pembelajaran berdiferensiasi", "pengadaan buku bacaan bermutu"),
        ("pendidikan", "sekolah", "guru", "literasi", "ppdb", "beasiswa"),
        "sekolah",
    ),
    "infrastruktur": Domain(
        ("peningkatan jalan kabupaten", "pemeliharaan jembatan", "normalisasi saluran irigasi",
         "penataan trotoar kota", "pembangunan drainase lingkungan", "rumah tidak layak huni",
         "penerangan jalan umum", "persetujuan bangunan gedung"),
        ("pengaspalan ulang ruas jalan yang rusak berat", "penggantian lantai jembatan gantung",
         "pengerukan sedimen pada saluran primer", "pemasangan rambu dan marka jalan",
         "pengawasan mutu beton oleh konsultan", "serah terima pekerjaan kepada desa"),
        ("infrastruktur", "jalan", "jembatan", "irigasi", "perumahan", "konstruksi"),
        "ruas jalan",
    ),
    "sosial": Domain(
        ("penyaluran bantuan sosial", "pemutakhiran data kesejahteraan sosial", "rehabilitasi sosial lansia",
         "perlindungan perempuan dan anak", "pelatihan kerja bagi pencari kerja", "bursa kerja terbuka",
         "kampung keluarga berkualitas", "layanan pengaduan kekerasan"),
        ("pendataan ulang keluarga penerima manfaat", "pendampingan oleh pekerja sosial",
         "penyaluran bantuan melalui kantor pos", "konseling keluarga di pusat layanan",
         "pelatihan keterampilan menjahit dan tata boga", "penempatan tenaga kerja lokal"),
        ("sosial", "bansos", "perempuan-dan-anak", "tenaga-kerja", "disabilitas", "lansia"),
        "desa",
    ),
    "pertanian": Domain(
        ("gerakan tanam padi serentak", "distribusi pupuk bersubsidi", "vaksinasi ternak",
         "cadangan pangan pemerintah", "pasar tani", "budidaya ikan air tawar",
         "pekarangan pangan lestari", "gerakan pangan murah"),
        ("penyuluhan oleh petugas penyuluh pertanian lapangan", "bantuan benih unggul bersertifikat",
         "perbaikan jaringan irigasi tersier", "pemeriksaan kesehatan hewan kurban",
         "pendampingan kelompok wanita tani", "penjualan beras medium di bawah harga pasar"),
        ("pertanian", "pangan", "petani", "peternakan", "perikanan", "pupuk"),
        "kelompok tani",
    ),
    "ekonomi": Domain(
        ("pendampingan pelaku UMKM", "perizinan berusaha terintegrasi", "pemantauan harga bahan pokok",
         "revitalisasi pasar rakyat", "pameran produk unggulan daerah", "koperasi desa",
         "tera ulang alat ukur", "investasi daerah"),
        ("pendaftaran nomor induk berusaha tanpa biaya", "pelatihan pemasaran digital bagi UMKM",
         "sertifikasi halal gratis bagi usaha mikro", "operasi pasar di kecamatan",
         "kurasi produk untuk etalase daerah", "pendampingan laporan keuangan koperasi"),
        ("umkm", "ekonomi", "perizinan", "pasar", "koperasi", "investasi"),
        "pasar",
    ),
    "lingkungan": Domain(
        ("pengelolaan sampah berbasis desa", "bank sampah", "penanaman pohon di daerah aliran sungai",
         "pengujian kualitas udara", "ruang terbuka hijau", "kampung iklim",
         "pengawasan limbah industri", "gerakan kali bersih"),
        ("pemilahan sampah organik dan anorganik dari rumah", "pengangkutan sampah terjadwal",
         "pengolahan kompos di tempat pengolahan sampah terpadu", "penanaman bibit di bantaran sungai",
         "uji emisi kendaraan dinas", "pemasangan tempat sampah terpilah"),
        ("lingkungan", "sampah", "penghijauan", "iklim", "sungai"),
        "titik pantau",
    ),
    "pemerintahan": Domain(
        ("musyawarah perencanaan pembangunan", "pelayanan administrasi kependudukan",
         "pembinaan pemerintahan desa", "penyusunan APBD", "reformasi birokrasi",
         "evaluasi kinerja perangkat daerah", "pengelolaan aset daerah", "pajak daerah"),
        ("perekaman KTP elektronik jemput bola", "penerbitan akta kelahiran dalam satu hari",
         "pembinaan administrasi keuangan desa", "rekonsiliasi aset dengan perangkat daerah",
         "pendampingan penyusunan laporan kinerja", "pembayaran pajak melalui kanal digital"),
        ("pemerintahan", "musrenbang", "adminduk", "desa", "anggaran", "pajak-daerah"),
        "desa",
    ),
    "ketertiban": Domain(
        ("kesiapsiagaan bencana", "simulasi evakuasi gempa", "penertiban reklame",
         "patroli ketenteraman", "pemadaman kebakaran", "desa tangguh bencana",
         "wawasan kebangsaan", "pengamanan hari besar"),
        ("pemetaan daerah rawan longsor dan banjir", "penyiapan jalur evakuasi dan titik kumpul",
         "pemeriksaan alat pemadam api ringan", "patroli gabungan pada malam hari",
         "sosialisasi peraturan daerah kepada pedagang", "pelatihan relawan tanggap darurat"),
        ("bencana", "kebakaran", "ketertiban", "kebangsaan", "relawan"),
        "kecamatan",
    ),
    "digital": Domain(
        ("satu data daerah", "jaringan internet desa", "pengelolaan website perangkat daerah",
         "layanan informasi publik", "perpustakaan digital", "pariwisata berbasis desa",
         "festival budaya daerah", "kompetisi olahraga pelajar"),
        ("pemutakhiran konten website setiap pekan", "pelatihan pengelola informasi dan dokumentasi",
         "pemasangan titik akses internet di balai desa", "digitalisasi arsip daerah",
         "promosi destinasi melalui media sosial", "pembinaan sanggar seni dan komunitas"),
        ("digital", "informasi-publik", "website", "pariwisata", "budaya", "olahraga"),
        "desa",
    ),
}

# Tags every agency may use, on top of its domain's.
GENERIC_TAGS = (
    "pelayanan-publik", "sosialisasi", "rapat-koordinasi", "inovasi", "kunjungan-kerja", "bimtek",
    "monev", "kolaborasi", "anggaran", "hari-jadi",
)

_OFFICES = (
    ("dinkes", "Dinas Kesehatan", "Dinkes", "kesehatan"),
    ("disdik", "Dinas Pendidikan dan Kebudayaan", "Disdikbud", "pendidikan"),
    ("dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", "infrastruktur"),
    ("disperkim", "Dinas Perumahan dan Kawasan Permukiman", "Disperkim", "infrastruktur"),
    ("dinsos", "Dinas Sosial", "Dinsos", "sosial"),
    ("disnaker", "Dinas Tenaga Kerja", "Disnaker", "sosial"),
    ("dp3akb", "Dinas Pemberdayaan Perempuan, Perlindungan Anak dan Keluarga Berencana",
     "DP3AKB", "sosial"),
    ("distan", "Dinas Pertanian", "Distan", "pertanian"),
    ("dkp", "Dinas Ketahanan Pangan", "DKP", "pertanian"),
    ("diskan", "Dinas Perikanan", "Diskan", "pertanian"),
    ("disnakkeswan", "Dinas Peternakan dan Kesehatan Hewan", "Disnakkeswan", "pertanian"),
    ("diskopukm", "Dinas Koperasi dan Usaha Kecil Menengah", "Diskop UKM", "ekonomi"),
    ("disdagin", "Dinas Perdagangan dan Perindustrian", "Disdagin", "ekonomi"),
    ("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", "ekonomi"),
    ("dlh", "Dinas Lingkungan Hidup", "DLH", "lingkungan"),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", "pemerintahan"),
    ("dpmd", "Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", "pemerintahan"),
    ("dishub", "Dinas Perhubungan", "Dishub", "infrastruktur"),
    ("diskominfo", "Dinas Komunikasi, Informatika, Statistik dan Persandian", "Diskominfo", "digital"),
    ("dispusip", "Dinas Perpustakaan dan Kearsipan", "Dispusip", "digital"),
    ("disparbud", "Dinas Pariwisata dan Kebudayaan", "Disparbud", "digital"),
    ("dispora", "Dinas Pemuda dan Olahraga", "Dispora", "digital"),
    ("damkar", "Dinas Pemadam Kebakaran dan Penyelamatan", "Damkar", "ketertiban"),
    ("satpolpp", "Satuan Polisi Pamong Praja", "Satpol PP", "ketertiban"),
    ("bappeda", "Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah", "Bapperida", "pemerintahan"),
    ("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", "pemerintahan"),
    ("bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", "pemerintahan"),
    ("bapenda", "Badan Pendapatan Daerah", "Bapenda", "pemerintahan"),
    ("bpbd", "Badan Penanggulangan Bencana Daerah", "BPBD", "ketertiban"),
    ("kesbangpol", "Badan Kesatuan Bangsa dan Politik", "Kesbangpol", "ketertiban"),
    ("inspektorat", "Inspektorat Daerah", "Inspektorat", "pemerintahan"),
    ("setda", "Sekretariat Daerah", "Setda", "pemerintahan"),
    ("rsud", "Rumah Sakit Umum Daerah Sukamaju", "RSUD", "kesehatan"),
)

# Kecamatan (districts) of the fictional Kabupaten Sukamaju: also the places news happens in.
KECAMATAN = (
    "Sukamaju", "Cibeureum", "Margaluyu", "Sukaresmi", "Cibodas", "Cikahuripan", "Cisanggiri",
    "Karangtengah", "Pasirjambu", "Cigugur", "Sindangbarang", "Cimanggu", "Talagasari", "Jatiluhur",
    "Mekarmukti", "Sirnagalih", "Cipanas", "Sukawangi", "Tanjungsari", "Cileunyi", "Wanaraja",
    "Pameungpeuk", "Bojongsoang", "Ciherang", "Mandalawangi", "Sagalaherang", "Gununghalu",
)
AGENCIES: tuple[Agency, ...] = (
    *(Agency(slug, f"{name} Kabupaten Sukamaju" if slug != "rsud" else name, short, domain)
      for slug, name, short, domain in _OFFICES),
    *(Agency(f"kec-{k.lower()}", f"Kecamatan {k}", f"Kec. {k}", "pemerintahan") for k in KECAMATAN),
)
assert len(AGENCIES) == 60 and len({a.slug for a in AGENCIES}) == 60

DESA = (
    "Mekarsari", "Sukasari", "Cikondang", "Pasirhalang", "Sindanglaya", "Bojongherang", "Ciburial",
    "Girimukti", "Cijambe", "Sukajadi", "Neglasari", "Sirnarasa", "Margamulya", "Babakan",
    "Karyamukti", "Cibadak", "Sukamulya", "Padasuka", "Cimahpar", "Kertajaya",
)
FIRST = (
    "Ratna", "Asep", "Dedi", "Euis", "Hendra", "Lina", "Agus", "Siti", "Budi", "Rina", "Yayan",
    "Nining", "Ujang", "Wawan", "Dewi", "Iwan", "Tati", "Cecep", "Yuli", "Rahmat", "Neneng", "Dadang",
)
LAST = (
    "Herlina", "Suhendar", "Kurniawan", "Nurhayati", "Wijaksana", "Permana", "Rahayu", "Hidayat",
    "Setiawan", "Sulastri", "Gunawan", "Maulana", "Anggraeni", "Saputra", "Fauzi", "Lestari",
)
DEGREES = ("S.Sos., M.Si.", "S.T., M.T.", "S.E., M.M.", "S.H., M.H.", "S.Pd., M.Pd.", "dr.", "S.IP.",
           "Ir.", "S.Kom.", "M.A.P.")
ROLES = ("Kepala {short}", "Sekretaris {short}", "Kepala Bidang Pelayanan", "Kepala Seksi Perencanaan",
         "Camat {place}", "Kepala Desa {desa}", "Ketua Tim Penggerak PKK", "Bupati Sukamaju",
         "Wakil Bupati Sukamaju", "Sekretaris Daerah")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

TITLES = (
    "{Short} Gelar {Topic} di Kecamatan {place}",
    "{Topic} Jangkau {n} {unit} di Sukamaju",
    "Capaian {Topic} Tahun {year} Lampaui Target",
    "Bupati Tinjau {Topic} di Desa {desa}",
    "{n} {Unit} Ikuti Sosialisasi {Topic}",
    "Warga {place} Sambut Baik Program {Topic}",
    "{Short} Perkuat Koordinasi {Topic} Bersama Kecamatan",
    "Evaluasi {Topic} Semester {half} Tahun {year}",
    "Inovasi {Topic} Raih Penghargaan Tingkat Provinsi",
    "Rapat Koordinasi {Topic} Hadirkan {n} Peserta",
    "Desa {desa} Jadi Percontohan {Topic}",
    "Anggaran {Topic} {year} Naik Menjadi Rp{money} Miliar",
)
NOTICE_TITLES = (
    "Jadwal {Topic} Bulan {month} {year}",
    "Pendaftaran {Topic} Dibuka hingga {day} {month}",
    "Perubahan Jam Layanan {Short} Selama {Topic}",
    "Hasil Seleksi {Topic} Tahun {year}",
)
SENTENCES = (
    "{Agency} terus mendorong {topic} agar manfaatnya dirasakan langsung oleh masyarakat.",
    "Kegiatan tersebut diikuti oleh {n} peserta dari {n2} desa di Kecamatan {place}.",
    "Menurut {person}, program ini merupakan bagian dari prioritas pembangunan daerah tahun {year}.",
    "Pelaksanaan {topic} dilakukan secara bertahap mulai {day} {month} hingga akhir tahun.",
    "Pemerintah Kabupaten Sukamaju mengalokasikan anggaran sebesar Rp{money} miliar untuk kegiatan ini.",
    "Masyarakat diimbau untuk memanfaatkan layanan tersebut tanpa dipungut biaya apa pun.",
    "Data yang dihimpun menunjukkan kenaikan capaian sebesar {pct} persen dibandingkan tahun lalu.",
    "Di Desa {desa}, warga bergotong royong menyiapkan lokasi kegiatan sejak pagi hari.",
    "Petugas juga melakukan pendataan agar bantuan tepat sasaran dan tidak tumpang tindih.",
    "Koordinasi lintas sektor melibatkan kecamatan, desa, puskesmas, dan sekolah di wilayah tersebut.",
    "Seluruh tahapan kegiatan diawasi bersama oleh inspektorat daerah dan perwakilan masyarakat.",
    "Hingga {month} {year}, sebanyak {n} {unit} telah menerima pendampingan secara langsung.",
    "Kendala yang masih dihadapi antara lain akses jalan menuju desa terpencil dan cuaca yang tidak menentu.",
    "Untuk itu, {short} menyiapkan tim pendamping yang bertugas di setiap kecamatan.",
    "Informasi lebih lanjut dapat diperoleh melalui kantor {short} pada jam kerja.",
    "Kegiatan ditutup dengan penandatanganan komitmen bersama oleh para kepala desa.",
    "Ke depan, program serupa akan diperluas ke {n2} kecamatan lain secara bertahap.",
    "Laporan kegiatan disampaikan secara berkala kepada Bupati melalui Sekretaris Daerah.",
    "Warga yang belum terjangkau dapat mendaftar melalui kantor desa masing-masing.",
    "Hasil evaluasi akan menjadi dasar penyusunan rencana kerja tahun {next_year}.",
    "Selain itu, petugas membuka layanan konsultasi bagi warga yang membutuhkan pendampingan.",
    "Pelibatan tokoh masyarakat dan tokoh agama dinilai efektif untuk menjangkau warga.",
    "Sejumlah {unit} di Kecamatan {place} mencatat capaian tertinggi pada triwulan ini.",
    "Pemerintah daerah berharap partisipasi masyarakat terus meningkat pada tahun-tahun mendatang.",
)
QUOTES = (
    "Kami ingin layanan ini benar-benar sampai ke warga yang paling membutuhkan",
    "Tidak boleh ada warga yang tertinggal hanya karena tinggal jauh dari pusat kota",
    "Kerja sama semua pihak menjadi kunci keberhasilan program ini",
    "Kami membuka pintu seluas-luasnya bagi masukan dan pengaduan masyarakat",
    "Target kami tahun depan adalah menjangkau seluruh desa tanpa kecuali",
)
HEADINGS = (
    "Latar Belakang", "Sasaran Kegiatan", "Capaian Sementara", "Tahapan Pelaksanaan", "Kendala di Lapangan",
    "Langkah Selanjutnya", "Peran Masyarakat", "Dukungan Anggaran", "Jadwal Kegiatan", "Tanggapan Warga",
)
STEPS = (
    "warga datang ke kantor desa dengan membawa KTP dan KK",
    "petugas desa memverifikasi kelengkapan berkas",
    "berkas diteruskan ke kecamatan untuk diperiksa",
    "perangkat daerah menetapkan daftar penerima",
    "hasil penetapan diumumkan di papan informasi desa",
    "penyerahan dilakukan langsung kepada penerima",
)
COLOURS = ("#1f5f8b", "#0e7c66", "#8b1f3f", "#5b3f8b", "#2f5d1f", "#6b4a12", "#1f3f8b", "#7b2d26")
