from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from opdgen.sosmed import X_LIMIT, hashtag, two_sentences, x_length
from tests.conftest import POST


def test_hashtags() -> None:
    assert hashtag("kesehatan-anak") == "#KesehatanAnak"
    assert hashtag("Dinkes") == "#Dinkes"
    assert hashtag("Ibu & Anak 2026") == "#IbuAnak2026"
    assert hashtag("---") == ""


def test_two_sentences() -> None:
    text = "Satu dua tiga. Empat lima! Enam tujuh? Delapan."
    assert two_sentences(text) == "Satu dua tiga. Empat lima!"
    assert two_sentences("Pada 17,4 persen. Turun 2.3 poin. Lagi.") == "Pada 17,4 persen. Turun 2.3 poin."


@pytest.mark.parametrize("title_words", [5, 16])
def test_captions_fit_each_network(make_repo: Callable[..., Path], run_cli: Callable[..., Result], title_words: int) -> None:
    title = " ".join(["Pemeriksaan"] * title_words)
    summary = "Kalimat pertama yang cukup panjang untuk diuji. " * 7 + "Akhir."
    post = POST.replace("2026-11-20", "2026-11-25").replace("title: Pekan Imunisasi Dimulai", f"title: {title}").replace(
        "author: Humas", f"author: Humas\nsummary: {summary}")
    repo = make_repo({"content/dinkes/berita/2026-11-25-uji.md": post})
    result = run_cli("sosmed", "--site", "dinkes", "--root", repo, "--format", "json")
    assert result.exit_code == 0, result.output
    [item] = json.loads(result.stdout)
    assert item["url"] == "https://dinkes.ujikab.go.id/berita/uji/"
    assert x_length(item["x"], item["url"]) <= X_LIMIT and item["url"] in item["x"]
    assert len(item["instagram"]) <= 2200 and item["url"] in item["facebook"]
    assert "#Imunisasi" in item["facebook"] and "#Dinkes" in item["facebook"]


def test_since_and_default_window(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = make_repo({"content/dinkes/berita/2026-11-25-baru.md": POST.replace("2026-11-20", "2026-11-25"),
                      "content/dinkes/berita/2026-10-01-lama.md": POST.replace("2026-11-20", "2026-10-01")})
    recent = run_cli("sosmed", "--site", "dinkes", "--root", repo)
    assert "berita/baru/" in recent.stdout and "berita/lama/" not in recent.stdout
    everything = run_cli("sosmed", "--site", "dinkes", "--root", repo, "--since", "2026-09-01")
    assert everything.stdout.index("berita/baru/") < everything.stdout.index("berita/lama/")
    none = run_cli("sosmed", "--site", "dinkes", "--root", repo, "--since", "2026-12-01")
    assert none.exit_code == 0 and "Tidak ada tulisan" in none.output
    assert run_cli("sosmed", "--site", "dinkes", "--root", repo, "--since", "kemarin").exit_code == 2
    assert run_cli("sosmed", "--site", "nope", "--root", repo).exit_code == 1
