"""The per-site SHA-256 manifest: deterministic, only the web root, and read back safely."""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePosixPath

import pytest

from opdgen.outputs.files import OutputFile
from opdgen.outputs.manifest import ManifestError, manifest_file, parse_manifest


def f(path: str, data: bytes) -> OutputFile:
    return OutputFile(PurePosixPath(path), data)


FILES = [f("dinkes/index.html", b"<p>home</p>"), f("dinkes/assets/a.css", b"a{}"),
         f("portal/index.html", b"portal"), f(".opdgen/dinkes/nginx.conf", b"server {}")]


def test_manifest_lists_the_web_root_with_sha256() -> None:
    out = manifest_file("dinkes", "https://dinkes.ujikab.go.id/", FILES, ["go.id", "youtube.com", "go.id"])
    assert out.path == PurePosixPath(".opdgen/dinkes/manifest.json")
    doc = json.loads(out.data)
    assert doc["files"] == {"assets/a.css": hashlib.sha256(b"a{}").hexdigest(),
                            "index.html": hashlib.sha256(b"<p>home</p>").hexdigest()}
    assert doc["link_domains"] == ["go.id", "youtube.com"] and doc["site"] == "dinkes"


def test_manifest_bytes_do_not_depend_on_order() -> None:
    a = manifest_file("dinkes", "https://d/", FILES, ["b", "a"]).data
    b = manifest_file("dinkes", "https://d/", list(reversed(FILES)), ["a", "b"]).data
    assert a == b and b"20" not in a.split(b'"files"')[0]  # no timestamps


def test_parse_round_trip() -> None:
    manifest = parse_manifest(manifest_file("dinkes", "https://d/", FILES, ["go.id"]).data)
    assert manifest.site == "dinkes" and set(manifest.files) == {"index.html", "assets/a.css"}
    assert manifest.link_domains == ("go.id",)


@pytest.mark.parametrize("data", [
    b"not json", b"[]", b'{"format": 2, "algorithm": "sha256", "files": {}}',
    b'{"format": 1, "algorithm": "md5", "files": {}}',
    b'{"format": 1, "algorithm": "sha256", "files": {"a": "short"}}',
    b'{"format": 1, "algorithm": "sha256", "files": {"../etc/passwd": "' + b"0" * 64 + b'"}}',
    b'{"format": 1, "algorithm": "sha256", "files": {"/etc/passwd": "' + b"0" * 64 + b'"}}',
], ids=["garbage", "list", "format", "algorithm", "hash", "dotdot", "absolute"])
def test_parse_refuses_what_opdgen_did_not_write(data: bytes) -> None:
    with pytest.raises(ManifestError):
        parse_manifest(data)
