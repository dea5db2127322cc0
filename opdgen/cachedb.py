"""A persistent key-value cache in one SQLite file under .opdgen-cache/; never trusted blindly.

Each value is stored with the SHA-256 of its bytes and checked on read: a corrupt or foreign entry
is a miss, and a file SQLite cannot open is set aside and started afresh. Keys carry everything
that affects a value (opdgen version, settings, source hash), so a stale entry is simply not found.
It knows nothing of what it stores. One instance may be used from several threads (one lock).
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

from opdgen import cacheuse

SCHEMA = "CREATE TABLE IF NOT EXISTS entry (ns TEXT, key TEXT, sum TEXT, value BLOB, PRIMARY KEY (ns, key))"


def _sum(value: bytes) -> str:
    return hashlib.sha256(value).hexdigest()[:32]


class CacheDB:
    """Get and put many values of one namespace at a time (one transaction per batch)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._lock = threading.RLock()

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is not None:
            return self._db
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = self._open()
        except (sqlite3.DatabaseError, OSError):
            self._db = self._start_afresh()
        return self._db

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(SCHEMA)
        return db

    def _start_afresh(self) -> sqlite3.Connection | None:
        """The file is not a usable database: move it aside (kept for inspection) and begin anew."""
        try:
            if self.path.exists():
                self.path.replace(self.path.with_suffix(".corrupt"))
            return self._open()
        except (sqlite3.DatabaseError, OSError):
            return None  # no cache at all: every lookup misses, the build still works

    def get_many(self, ns: str, keys: Iterable[str]) -> dict[str, bytes]:
        keys = list(keys)
        cacheuse.note(ns, keys)
        with self._lock:
            return self._get_many(ns, keys)

    def _get_many(self, ns: str, keys: Iterable[str]) -> dict[str, bytes]:
        db = self._connect()
        wanted = sorted(set(keys))
        found: dict[str, bytes] = {}
        if db is None or not wanted:
            return found
        try:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT key, sum, value FROM entry WHERE ns = ? AND key IN ({marks})", [ns, *chunk]
                )
                for key, checksum, value in rows:
                    if isinstance(value, bytes) and _sum(value) == checksum:
                        found[key] = value
        except sqlite3.DatabaseError:
            self.close()
            self._db = self._start_afresh()
            return {}
        return found

    def put_many(self, ns: str, values: Mapping[str, bytes]) -> None:
        cacheuse.note(ns, values)
        with self._lock:
            self._put_many(ns, values)

    def _put_many(self, ns: str, values: Mapping[str, bytes]) -> None:
        db = self._connect()
        if db is None or not values:
            return
        self._batch(db, "INSERT OR REPLACE INTO entry VALUES (?, ?, ?, ?)",
                    [(ns, key, _sum(value), value) for key, value in sorted(values.items())])

    def _batch(self, db: sqlite3.Connection, statement: str, rows: list[tuple[str | bytes, ...]]) -> None:
        """One statement over many rows, in one transaction; a database error closes the cache."""
        try:
            db.execute("BEGIN")
            db.executemany(statement, rows)
            db.execute("COMMIT")
        except sqlite3.DatabaseError:
            self.close()

    def keep_only(self, ns: str, current: Mapping[str, str]) -> None:
        """For each prefix of `current`, drop the entries of `ns` whose key starts with it but the
        one given: values that replace each other (a site's search bundle) do not pile up."""
        with self._lock:
            db = self._connect()
            if db is None or not current:
                return
            # the keys with a prefix are those from the prefix up to the prefix with its last
            # character's successor
            self._batch(db, "DELETE FROM entry WHERE ns = ? AND key >= ? AND key < ? AND key != ?",
                        [(ns, prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1), key)
                         for prefix, key in sorted(current.items()) if prefix])

    def keep_used(self, used: Mapping[str, Iterable[str]]) -> tuple[int, int]:
        """Remove every entry whose key is not among `used` for its namespace (a namespace not
        named loses all); give back the pages freed when they are a quarter of the file or more
        (VACUUM). The number of entries removed, and the bytes the file shrank by."""
        with self._lock:
            db = self._connect()
            if db is None:
                return 0, 0
            before = self.path.stat().st_size if self.path.exists() else 0
            try:
                db.execute("CREATE TEMP TABLE IF NOT EXISTS used (ns TEXT, key TEXT, PRIMARY KEY (ns, key))")
                db.execute("BEGIN")
                db.execute("DELETE FROM used")
                db.executemany("INSERT OR IGNORE INTO used VALUES (?, ?)",
                               ((ns, key) for ns, keys in used.items() for key in keys))
                removed = db.execute("DELETE FROM entry WHERE NOT EXISTS (SELECT 1 FROM used "
                                     "WHERE used.ns = entry.ns AND used.key = entry.key)").rowcount
                db.execute("DELETE FROM used")
                db.execute("COMMIT")
                free, pages = (db.execute(f"PRAGMA {name}").fetchone()[0]
                               for name in ("freelist_count", "page_count"))
                if removed and free * 4 >= pages:
                    db.execute("VACUUM")
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.DatabaseError:
                self.close()
                return 0, 0
            return removed, max(0, before - (self.path.stat().st_size if self.path.exists() else 0))

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                with contextlib.suppress(sqlite3.DatabaseError):
                    self._db.close()
                self._db = None
