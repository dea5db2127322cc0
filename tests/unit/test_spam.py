"""The spam tripwire: gambling terms (with their disguises) and foreign links, each on its line."""

from __future__ import annotations

import pytest

from opdgen import spam
from opdgen.spam import DEFAULT_LINK_DOMAINS, find_links, find_terms, is_allowed, link_host, scan_text

ALLOWED = (*DEFAULT_LINK_DOMAINS, "sukamajukab.go.id")

SPAM = [
    ("plain", "Situs slot gacor hari ini", "slot gacor"),
    ("upper", "SLOT GACOR MAXWIN", "max win"),
    ("hyphen", "link slot-gacor terpercaya", "slot gacor"),
    ("no-space", "slotgacor", "slot gacor"),
    ("leet", "s1ot g4c0r m4xw1n", "max win"),
    ("dotted", "s.l.o.t g-a-c-o-r", "slot gacor"),
    ("zero-width", "slot\u200bgacor", "slot gacor"),
    ("fullwidth", "ｓｌｏｔ ｇａｃｏｒ", "slot gacor"),
    ("cyrillic", "ѕlоt gacor", "slot gacor"),
    ("entity", "&#115;lot gacor", "slot gacor"),
    ("tags", "<b>slot</b> <i>gacor</i>", "slot gacor"),
    ("leet-l", "s1ot g4c0r", "slot gacor"),
    ("brand-number", "Daftar SLOT88 sekarang", "slot88"),
    ("brand-number-7", "situs slot777 resmi", "slot777"),
    ("scatter", "pola scatter hitam", "scatter hitam"),
    ("rtp", "bocoran rtp live", "rtp live"),
    ("deposit", "bisa deposit pulsa tanpa potongan", "deposit pulsa"),
    ("depo", "depo 10k", "depo 10k"),
    ("togel", "keluaran togel terlengkap", "togel"),
    ("situs-judi", "situs judi terpercaya", "situs judi"),
    ("toto", "toto macau", "toto macau"),
    ("mahjong", "main mahjong ways", "mahjong ways"),
]


@pytest.mark.parametrize(("text", "found"), [(t, f) for _, t, f in SPAM], ids=[i for i, _, _ in SPAM])
def test_gambling_terms_are_found(text: str, found: str) -> None:
    assert found in [h.value for h in find_terms(text)]


CLEAN = [
    ("slot-waktu", "Slot waktu layanan dibuka pukul 08.00."),
    ("slot-imunisasi", "Tersedia slot imunisasi untuk 50 anak."),
    ("slot-number", "Masih ada slot 20 peserta untuk pelatihan."),
    ("daftar-slot", "Daftar slot waktu kunjungan dapat dilihat di loket."),
    ("bandar-udara", "Bus Damri melayani rute ke bandar udara."),
    ("bandar-lampung", "Rapat koordinasi di Bandar Lampung."),
    ("bandar-narkoba", "BNN menangkap bandar narkoba."),
    ("depo-sampah", "Depo sampah di Jalan Merdeka dikosongkan 2 kali sepekan."),
    ("burung", "Lomba burung kicau: murai paling gacor menang."),
    ("scatter-plot", "Diagram scatter menunjukkan hubungan dua variabel."),
    ("rtp-plan", "Penyusunan RTRW dan RTP kawasan."),
    ("pulsa", "Bantuan pulsa data untuk guru."),
    ("toto-name", "Bapak Toto Sugiarto membuka acara."),
    ("anti-gambling", "Satgas memberantas judi online dan togel di desa."),
    ("anti-gambling-elsewhere", "Judi online merusak keluarga.\n\nPolres mengajak warga melapor."),
]


@pytest.mark.parametrize("text", [t for _, t in CLEAN], ids=[i for i, _ in CLEAN])
def test_ordinary_government_text_is_not_spam(text: str) -> None:
    assert find_terms(text) == []


def test_promotion_terms_count_even_in_news_against_gambling() -> None:
    hits = find_terms("Polres memberantas judi online.\n\nDaftar slot gacor maxwin!")
    assert {h.value for h in hits} == {"slot gacor", "max win"}


def test_each_term_is_reported_once_at_its_first_line() -> None:
    text = "---\ntitle: Berita\n---\nParagraf biasa.\n\nMain slot gacor\nlagi slot gacor\n\nmaxwin"
    hits = {h.value: h.line for h in find_terms(text)}
    assert hits == {"slot gacor": 6, "max win": 9}


def test_a_term_across_a_line_break_is_found_on_its_first_line() -> None:
    assert [(h.line, h.value) for h in find_terms("Ayo main slot\ngacor sekarang")] == [(1, "slot gacor")]


LINKS = [
    ("foreign", "[daftar](https://gacor88.example/)", "gacor88.example"),
    ("protocol-relative", '<a href="//evil.example/x">x</a>', "evil.example"),
    ("www", "kunjungi www.evil.example/promo", "www.evil.example"),
    ("userinfo", "[kemkes](https://kemkes.go.id@evil.example/)", "evil.example"),
    ("backslash", "[x](https:\\\\evil.example\\x)", "evil.example"),
    ("suffix-trick", "[x](https://evilgo.id/)", "evilgo.id"),
    ("subdomain-trick", "[x](https://go.id.evil.example/)", "go.id.evil.example"),
    ("entity", '<a href="https&#58;//evil.example/">x</a>', "evil.example"),
]


@pytest.mark.parametrize(("text", "host"), [(t, h) for _, t, h in LINKS], ids=[i for i, _, _ in LINKS])
def test_links_outside_the_allowlist_are_found(text: str, host: str) -> None:
    assert [h.value for h in find_links(text, ALLOWED)] == [host]


@pytest.mark.parametrize("url", [
    "https://www.kemkes.go.id/", "https://ugm.ac.id/", "https://sdn1.sch.id/", "https://sukamaju.desa.id/",
    "https://www.youtube.com/watch?v=x", "https://dinkes.sukamajukab.go.id/berita/", "/berita/x/",
    "mailto:humas@sukamajukab.go.id", "https://WWW.KEMKES.GO.ID./",
])
def test_allowed_links_pass(url: str) -> None:
    assert find_links(f"[x]({url})", ALLOWED) == []


def test_link_host_reads_urls_like_a_browser() -> None:
    assert link_host("https://user:pw@Example.COM:8443/x") == "example.com"
    assert link_host("//cdn.example/x.js") == "cdn.example"
    assert link_host("https://[::1") is None
    assert is_allowed("a.b.go.id", ["go.id"]) and not is_allowed("notgo.id", ["go.id"])


def test_scan_text_sorts_by_line() -> None:
    hits = scan_text("a\n[x](https://evil.example/)\nslot gacor", ALLOWED)
    assert [(h.line, h.kind) for h in hits] == [(2, "link"), (3, "term")]


def test_a_pool_of_processes_finds_what_one_process_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [f"Berita {i}.\n\nDaftar slot gacor di https://judi{i}.example/ sekarang." if i % 3 == 0
             else f"Berita biasa {i} dari https://sukamajukab.go.id/." for i in range(12)]
    allowed = ("sukamajukab.go.id",)
    alone = spam._scan_with(None, 1, texts, allowed)
    monkeypatch.setattr(spam, "_POOL_FROM", 2)
    pool = spam._pool(2, len(texts))
    assert pool is not None
    try:
        assert spam._scan_with(pool, 2, texts, allowed) == alone
    finally:
        pool.shutdown()
    one = spam._pool(1, len(texts), apart=True)  # one worker beside the build's search thread
    assert one is not None
    try:
        assert spam._scan_with(one, 1, texts, allowed) == alone
    finally:
        one.shutdown()
    assert sum(b"slot gacor" in found for found in alone) == 4
