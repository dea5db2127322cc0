"""The per-site manifest: SHA-256 of every published file, for `opdgen verify`; and reading it back.

Pure: OutputFile values in, one OutputFile out (under output/.opdgen/<site>/, outside the web root).
Deterministic: sorted keys, no timestamps. Reading is the only parsing; nothing here touches disk.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath

from opdgen.outputs.files import SERVER_DIR as SERVER_DIR  # output/.opdgen/<site>/: never published
from opdgen.outputs.files import OutputFile
from opdgen.records import record

MANIFEST = "manifest.json"
FORMAT = 1


@record
class Manifest:
    site: str
    base_url: str
    files: Mapping[str, str]  # path inside the web root -> sha256 hex
    link_domains: tuple[str, ...]  # links to other hosts in a changed page are pointed out


class ManifestError(ValueError):
    """The manifest file is not one opdgen wrote."""


def server_path(root: str, name: str) -> PurePosixPath:
    """Where a server-side file of web root `root` lives: .opdgen/<root>/<name>."""
    return PurePosixPath(SERVER_DIR) / root / name


def manifest_file(root: str, base_url: str, files: Iterable[OutputFile],
                  link_domains: Iterable[str]) -> OutputFile:
    """The manifest of web root `root` (files outside it, under .opdgen/, are left out)."""
    prefix = f"{root}/"
    hashes = {path[len(prefix):]: f.sha256() for f in files if (path := str(f.path)).startswith(prefix)}
    doc = {
        "format": FORMAT,
        "site": root,
        "base_url": base_url,
        "algorithm": "sha256",
        "link_domains": sorted(set(link_domains)),
        "files": _FILES,
    }
    text = json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False)
    data = (text.replace(json.dumps(_FILES), _files_block(hashes), 1) + "\n").encode("utf-8")
    return OutputFile(server_path(root, MANIFEST), data, frozenset({"manifest"}))


_FILES = "\0files\0"  # where the file list goes in the document's text


def _files_block(hashes: Mapping[str, str]) -> str:
    """The files mapping as json.dumps(indent=1) writes it one level down, one file a line, without
    its pure-Python indenting encoder (tens of thousands of lines at every build)."""
    if not hashes:
        return "{}"
    quote = json.encoder.encode_basestring  # as ensure_ascii=False quotes
    lines = ",\n".join(f"  {quote(path)}: {quote(digest)}" for path, digest in sorted(hashes.items()))
    return "{\n" + lines + "\n }"


def parse_manifest(data: bytes) -> Manifest:
    """Read a manifest written by manifest_file; ManifestError when it is not one."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(str(exc)) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("algorithm") != "sha256":
        raise ManifestError("not an opdgen manifest (format 1, sha256)")
    files = doc.get("files")
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and len(v) == 64 for k, v in files.items()
    ):
        raise ManifestError("files: expected path -> sha256")
    for path in files:
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or path != pure.as_posix():
            raise ManifestError(f"files: {path!r} leaves the web root")
    domains = doc.get("link_domains") or []
    return Manifest(site=str(doc.get("site", "")), base_url=str(doc.get("base_url", "")),
                    files=files, link_domains=tuple(str(d) for d in domains))
