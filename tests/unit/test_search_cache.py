"""Search bundles kept in the persistent cache (opdgen.outputs.search.BundleStore): what is put is
what comes back, a value that is not a bundle is a miss, and a folder keeps one bundle, the one its
tree makes (CacheDB.keep_only)."""

from __future__ import annotations

import sqlite3
from pathlib import Path, PurePosixPath

import pytest

from opdgen.cachedb import CacheDB
from opdgen.outputs.files import OutputFile
from opdgen.outputs.search import SEARCH_CACHE, BundleStore, SearchRoot

ROOT = SearchRoot("dinkes", (), "dinkes")
SHARD = SearchRoot("portal", (), "", "pagefind-1", ("agam", "bone"))


def bundle(sr: SearchRoot, key: str, *names: str) -> list[OutputFile]:
    return [OutputFile(PurePosixPath(sr.root) / sr.bundle / name, f"{key} {name}".encode() * 3,
                       frozenset({"search"}), key=key) for name in names]


def test_a_bundle_put_comes_back_as_it_was(tmp_path: Path) -> None:
    files = bundle(SHARD, "k1", "pagefind.js", "fragment/a.pf_fragment", "index/b.pf_index", "empty")
    files[-1] = OutputFile(files[-1].path, b"", frozenset({"search"}), key="k1")  # an empty file too
    with BundleStore(tmp_path / "cache.sqlite") as store:
        store.put(SHARD, "k1", files)
    with BundleStore(tmp_path / "cache.sqlite") as store:
        assert store.get(SHARD, "k1") == files
        assert store.get(SHARD, "k2") is None  # another key: other documents
        assert store.get(ROOT, "k1") is None  # another folder
    with BundleStore(None) as store:  # no cache file: nothing kept, nothing found
        store.put(SHARD, "k1", files)
        assert store.get(SHARD, "k1") is None


@pytest.mark.parametrize("value", [
    b"not json\nxx",
    b'[["../escape", 0, 2]]\nxx',  # a path out of the bundle
    b'[["/etc/passwd", 0, 2]]\nxx',
    b'[["a", 0, 3]]\nxx',  # sizes that do not add up
    b'[["a", 1, 1]]\nxx',  # a gap
    b'[["a", 0, 1], ["b", 1, 2]]\nxx',
    b'[["a", 0, -1]]\n',
    b'[]\n',  # no files at all
    b'[["a", 0, 2]]',  # no data part
    b'{"a": 1}\nxx',
    b'[[1, 0, 2]]\nxx',
])
def test_a_value_that_is_not_a_bundle_is_a_miss(tmp_path: Path, value: bytes) -> None:
    db = CacheDB(tmp_path / "cache.sqlite")
    db.put_many(SEARCH_CACHE, {"dinkes/pagefind:k1": value})  # a sound entry (its sum agrees)
    db.close()
    with BundleStore(tmp_path / "cache.sqlite") as store:
        assert store.get(ROOT, "k1") is None


def test_a_folder_keeps_only_the_bundle_its_tree_makes(tmp_path: Path) -> None:
    with BundleStore(tmp_path / "cache.sqlite") as store:
        for key in ("old", "new"):
            store.put(ROOT, key, bundle(ROOT, key, "pagefind.js"))
            store.put(SHARD, key, bundle(SHARD, key, "pagefind.js"))
        store.put(SearchRoot("dinkes2", (), "dinkes2"), "old", bundle(ROOT, "old", "pagefind.js"))
        store.keep_only([(ROOT, "new")])
        assert store.get(ROOT, "old") is None and store.get(ROOT, "new") is not None
        # other folders (a longer name with the same start among them) keep theirs
        assert store.get(SHARD, "old") is not None
        assert store.get(SearchRoot("dinkes2", (), "dinkes2"), "old") is not None


def test_keep_only_touches_its_namespace_alone(tmp_path: Path) -> None:
    db = CacheDB(tmp_path / "cache.sqlite")
    db.put_many("search", {"a/x:1": b"1", "a/x:2": b"2", "a/y:1": b"3"})
    db.put_many("body", {"a/x:1": b"4"})
    db.keep_only("search", {"a/x:": "a/x:2"})
    rows = sqlite3.connect(tmp_path / "cache.sqlite").execute("SELECT ns, key FROM entry ORDER BY ns, key")
    assert list(rows) == [("body", "a/x:1"), ("search", "a/x:2"), ("search", "a/y:1")]
    db.close()
