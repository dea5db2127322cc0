"""The manifest's text is exactly what json.dumps(indent=1, sort_keys=True) writes, only faster."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import PurePosixPath

from opdgen.outputs.files import OutputFile
from opdgen.outputs.manifest import manifest_file


def expected(root: str, base_url: str, files: dict[str, bytes], domains: list[str]) -> bytes:
    doc = {"format": 1, "site": root, "base_url": base_url, "algorithm": "sha256",
           "link_domains": sorted(set(domains)),
           "files": {k: hashlib.sha256(v).hexdigest() for k, v in sorted(files.items())}}
    return (json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def test_same_text_as_the_indenting_encoder() -> None:
    rng = random.Random(3)
    alphabet = ["a", "b", "/", ".", "é", "ß", "\u3000", '"', "\\", "\t", "\x01", "\u2028", "漢"]
    for size in (0, 1, 2, 17):
        files = {"p" + "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))): rng.randbytes(5)
                 for _ in range(size)}
        domains = [f"d{n}.go.id" for n in range(rng.randint(0, 3))]
        made = manifest_file("dinkes", "https://dinkes.example.go.id/",
                             [OutputFile(PurePosixPath("dinkes") / k, v) for k, v in files.items()], domains)
        # PurePosixPath normalises some names ("a//b"): compare with what it kept
        kept = {str(PurePosixPath("dinkes") / k)[len("dinkes/"):]: v for k, v in files.items()}
        assert made.data == expected("dinkes", "https://dinkes.example.go.id/", kept, domains)
