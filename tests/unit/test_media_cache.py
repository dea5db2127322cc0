"""The image cache: entries checked on every read (a corrupt or foreign one is a miss and is rebuilt),
keys that change with everything that changes the result, and the store's count of work done."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from opdgen.media.cache import (
    ImageCache,
    ImageStore,
    PreviewFiles,
    decode_entry,
    encode_entry,
    entry_key,
    file_stamp,
)
from opdgen.media.images import LOGO, PHOTO, Derived, Encoded, ImageSettings, derive

DERIVED = Derived(width=40, height=30, animated=False, variants=(
    Encoded(width=20, height=15, format="webp", data=b"webp-bytes"),
    Encoded(width=20, height=15, format="jpeg", data=b"jpeg-bytes"),
))
SHA = "a" * 64


def test_an_entry_round_trips() -> None:
    key = entry_key(SHA, ".jpg", PHOTO)
    assert decode_entry(encode_entry(DERIVED, key), key) == DERIVED


@pytest.mark.parametrize("damage", [
    lambda raw: raw[:-3],  # truncated
    lambda raw: raw[:-1] + b"X",  # a flipped byte in the pixels
    lambda raw: raw + b"extra",
    lambda raw: b"garbage" + raw,
    lambda raw: raw.replace(b'"width": 40', b'"width": "x"'),
    lambda raw: b"",
], ids=["truncated", "flipped-byte", "trailing", "bad-magic", "bad-header", "empty"])
def test_a_damaged_entry_is_a_miss(damage: object) -> None:
    key = entry_key(SHA, ".jpg", PHOTO)
    assert decode_entry(damage(encode_entry(DERIVED, key)), key) is None  # type: ignore[operator]


def test_a_foreign_entry_is_a_miss() -> None:
    other = entry_key("b" * 64, ".jpg", PHOTO)
    assert decode_entry(encode_entry(DERIVED, other), entry_key(SHA, ".jpg", PHOTO)) is None


def test_the_key_changes_with_format_settings_and_bytes() -> None:
    keys = {entry_key(SHA, ".jpg", PHOTO), entry_key(SHA, ".png", PHOTO), entry_key(SHA, ".jpg", LOGO),
            entry_key(SHA, ".jpg", ImageSettings(webp_quality=80)), entry_key("b" * 64, ".jpg", PHOTO)}
    assert len(keys) == 5


def counting_store(folder: Path) -> tuple[ImageStore, list[int]]:
    calls: list[int] = []

    def fake_derive(data: bytes, suffix: str, settings: ImageSettings) -> Derived:
        calls.append(len(data))
        return DERIVED

    return ImageStore(ImageCache(folder), fake_derive), calls


def test_the_store_derives_once_and_then_reads_the_cache(tmp_path: Path) -> None:
    store, calls = counting_store(tmp_path)
    assert store.get(SHA, ".jpg", PHOTO, lambda: b"source") == DERIVED
    assert (store.stats.processed, store.stats.reused, calls) == (1, 0, [6])
    again, calls_again = counting_store(tmp_path)  # the next build
    assert again.get(SHA, ".jpg", PHOTO, lambda: pytest.fail("source read on a cache hit")) == DERIVED
    assert (again.stats.processed, again.stats.reused, calls_again) == (0, 1, [])


def test_a_corrupt_entry_is_rebuilt(tmp_path: Path) -> None:
    store, _ = counting_store(tmp_path)
    store.get(SHA, ".jpg", PHOTO, lambda: b"source")
    entry = next(tmp_path.rglob("*.bin"))
    entry.write_bytes(entry.read_bytes()[:50])
    again, calls = counting_store(tmp_path)
    assert again.get(SHA, ".jpg", PHOTO, lambda: b"source") == DERIVED and calls == [6]
    assert decode_entry(entry.read_bytes(), entry.stem) == DERIVED  # rewritten whole


def test_an_unwritable_cache_costs_only_time(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = ImageStore(ImageCache(blocker / "images"), derive)
    from tests.imagegen import encode, photo

    data = encode(photo(100, 80, texture=False), "JPEG")
    assert store.get("c" * 64, ".jpg", PHOTO, lambda: data).variants
    assert store.stats.processed == 1


def test_source_stamps_remember_the_hash(tmp_path: Path) -> None:
    cache = ImageCache(tmp_path / "cache")
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(b"one")
    stamp = file_stamp(photo)
    assert cache.known_sha(photo, stamp) is None
    cache.remember_sha(photo, stamp, SHA)
    assert cache.known_sha(photo, stamp) == SHA
    photo.write_bytes(b"other bytes")
    assert cache.known_sha(photo, file_stamp(photo)) is None


def test_put_gives_the_digests_of_what_get_gives_back(tmp_path: Path) -> None:
    cache = ImageCache(tmp_path)
    key = entry_key(SHA, ".jpg", PHOTO)
    digests = cache.put(key, DERIVED)
    assert digests == tuple(hashlib.sha256(v.data).hexdigest() for v in DERIVED.variants)
    assert cache.get(key) == DERIVED
    assert cache.get(entry_key("b" * 64, ".jpg", PHOTO)) is None  # no such entry
    assert ImageCache(None).put(key, DERIVED) == digests and ImageCache(None).get(key) is None


def test_a_kept_preview_is_given_only_when_its_bytes_match_its_digest(tmp_path: Path) -> None:
    files = PreviewFiles(tmp_path)
    digest = files.write("ab" * 32, b"jpeg bytes")
    assert files.read("ab" * 32, digest) == b"jpeg bytes"
    path = files.checked("ab" * 32, digest)
    assert path is not None and path.read_bytes() == b"jpeg bytes"
    path.write_bytes(b"jpeg bytez")  # damaged (or hand-edited through a link in output/)
    assert files.read("ab" * 32, digest) is None
    assert files.checked("ab" * 32, digest) == path  # this build wrote it: not read again
    later = PreviewFiles(tmp_path)  # the next build reads and hashes it
    assert later.read("ab" * 32, digest) is None and later.checked("ab" * 32, digest) is None
    assert later.checked("../" * 3 + "x" * 55, digest) is None  # a key is never a path
    assert PreviewFiles(None).write("cd" * 32, b"x") and PreviewFiles(None).read("cd" * 32) is None
