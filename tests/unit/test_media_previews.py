"""Social previews of a whole load: made in worker processes that write the image cache themselves, so
only names and digests reach the loading process; the same bytes with one process or two; nothing made
again by the next load."""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath

import pytest

from opdgen.cachedb import CacheDB
from opdgen.config import SiteConfig
from opdgen.fsguard import Repo
from opdgen.media.cache import PreviewFiles
from opdgen.media.collect import MediaCollector, PreviewTask, make_previews
from opdgen.media.model import NO_MEDIA
from opdgen.problems import Problems

REGION = "Kabupaten Uji"
TITLES = [f"Musyawarah Desa ke-{i} Bahas Jalan Usaha Tani dan Irigasi Sawah" for i in range(100)]


def site(slug: str, colour: str) -> SiteConfig:
    return SiteConfig(slug=slug, source=PurePosixPath(f"content/{slug}/site.yaml"), name=f"Dinas {slug}",
                      short_name=slug, base_url=f"https://{slug}.ujikab.go.id/", description="", logo=None,
                      colour=colour, address="", phone="", email="", whatsapp="", office_hours="",
                      social=(), menu=None)


SITES = (site("dinkes", "#0e7c66"), site("disdik", "#283593"))


def collector(root: Path, cache: Path) -> MediaCollector:
    return MediaCollector(Repo(root), "id", Problems(), cache_dir=cache)


def tasks(media: MediaCollector) -> dict[str, PreviewTask]:
    return dict(media.preview_task(NO_MEDIA, title, SITES[i % 2], REGION, None)
                for i, title in enumerate(TITLES))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_workers_write_the_cache_and_send_back_only_digests(tmp_path: Path) -> None:
    media = collector(tmp_path, tmp_path / "cache")
    work = tasks(media)
    media.warm_previews(work, jobs=2)
    assert media.stats.previews == len(work) == len(TITLES)
    files = PreviewFiles(tmp_path / "cache")
    for key in work:
        kept = files.read(key)
        assert kept is not None and files.read(key, sha(kept)) == kept and kept.startswith(b"\xff\xd8")
    made = make_previews(None, list(work.items())[:2])  # what goes back through the pipe
    assert all(isinstance(key, str) and len(digest) == 64 for key, digest in made)


def test_a_post_gets_its_preview_by_name_and_digest_and_the_bytes_when_written(tmp_path: Path) -> None:
    media = collector(tmp_path, tmp_path / "cache")
    media.warm_previews(tasks(media), jobs=2)
    preview = media.with_preview(NO_MEDIA, TITLES[0], "musdes", SITES[0], REGION, None).social
    assert preview is not None and preview.data == b"" and preview.load is not None
    assert preview.rel == f"media/og-musdes.{preview.digest[:10]}.jpg"
    assert sha(preview.load()) == preview.digest


def test_one_process_or_two_make_the_same_bytes(tmp_path: Path) -> None:
    alone, pooled = collector(tmp_path, tmp_path / "one"), collector(tmp_path, tmp_path / "two")
    alone.warm_previews(tasks(alone), jobs=1)
    pooled.warm_previews(tasks(pooled), jobs=2)
    one, two = PreviewFiles(tmp_path / "one"), PreviewFiles(tmp_path / "two")
    for key in tasks(alone):
        first, second = one.read(key), two.read(key)
        assert first is not None and first == second


def test_the_next_load_makes_none_and_names_them_the_same(tmp_path: Path) -> None:
    first = collector(tmp_path, tmp_path / "cache")
    first.warm_previews(tasks(first), jobs=2)
    again = collector(tmp_path, tmp_path / "cache")
    again.warm_previews(tasks(again), jobs=2)
    assert again.stats.previews == 0
    for title, config in ((TITLES[1], SITES[1]), (TITLES[2], SITES[0])):
        names = [m.with_preview(NO_MEDIA, title, "x", config, REGION, None).social for m in (first, again)]
        assert names[0] == names[1]


def test_the_next_load_takes_the_digests_from_the_index_and_remakes_a_lost_entry(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index = CacheDB(tmp_path / "cache" / "cache.sqlite")
    first = MediaCollector(Repo(tmp_path), "id", Problems(), cache_dir=tmp_path / "cache", index=index)
    first.warm_previews(tasks(first), jobs=1)
    preview = first.with_preview(NO_MEDIA, TITLES[0], "musdes", SITES[0], REGION, None).social
    assert preview is not None and preview.load is not None
    written = preview.load()

    def no_reads(self: PreviewFiles, key: str, digest: str | None = None) -> None:
        raise AssertionError("read from the kept file, not the index")

    monkeypatch.setattr(PreviewFiles, "read", no_reads)
    for entry in (tmp_path / "cache").rglob("*"):  # every image entry lost; the index kept
        if entry.is_file() and entry.suffix != ".sqlite" and "sqlite" not in entry.name:
            entry.unlink()
    second = MediaCollector(Repo(tmp_path), "id", Problems(), cache_dir=tmp_path / "cache", index=index)
    second.warm_previews(tasks(second), jobs=1)
    assert second.stats.previews == 0  # nothing drawn while loading
    monkeypatch.undo()
    again = second.with_preview(NO_MEDIA, TITLES[0], "musdes", SITES[0], REGION, None).social
    assert again is not None and again.rel == preview.rel and again.load is not None
    assert again.load() == written  # drawn again when written: the same bytes under the same name
