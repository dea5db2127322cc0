"""What `opdgen verify` found: the outcome of one verification and the spam scan of a differing file.

Values and one scanning helper; no I/O beyond what the caller hands in.
"""

from __future__ import annotations

from opdgen.problems import Problem, Problems
from opdgen.records import record
from opdgen.spam import scan_text

MAX_SCAN = 5 * 1024 * 1024  # bytes of a differing file searched for spam

# summary groups: codes counted (by path) under each
KINDS = {
    "changed": ("verify.changed", "verify.status", "verify.redirect"),
    "missing": ("verify.missing",),
    "unexpected": ("verify.unexpected", "verify.catch_all"),
    "cloaked": ("verify.cloaked", "verify.cloaked_redirect"),
}


@record
class Outcome:
    site: str
    target: str
    files: int  # files of the manifest looked for
    matched: int
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, kind: str) -> int:
        """Files with a finding of one kind: changed, missing, unexpected, cloaked."""
        return len({p.path for p in self.problems if p.code in KINDS[kind]})


def scan_into(problems: Problems, rel: str, data: bytes, allowed: tuple[str, ...]) -> None:
    """Point out gambling terms and foreign links in a file that differs (text files only)."""
    head = data[:MAX_SCAN]
    if b"\0" in head[:8192]:
        return
    for hit in scan_text(head.decode("utf-8", "replace"), allowed):
        if hit.kind == "term":
            problems.add(rel, hit.line, "verify.term", term=hit.value)
        else:
            problems.add(rel, hit.line, "verify.link", domain=hit.value)
