"""Split a content file into front matter and Markdown, and parse dates and slugs; no I/O."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from opdgen.records import record

FENCE = "---"
_DATE_RE = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|WIB|WITA|WIT)?$",
    re.IGNORECASE,
)
# Indonesia's three zones, so an admin can write "2026-11-27 09:30 WITA".
_ZONES = {"WIB": 7, "WITA": 8, "WIT": 9}


@record
class Split:
    front: str  # the YAML text between the fences
    body: str  # the Markdown after the closing fence
    body_line: int  # 1-based line of the file where the body starts


class FrontMatterError(ValueError):
    def __init__(self, code: str, line: int | None) -> None:
        super().__init__(code)
        self.code = code
        self.line = line


def split(text: str) -> Split:
    """Split `---` front matter from the body; raises FrontMatterError when the fences are wrong."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        raise FrontMatterError("frontmatter.missing", 1)
    for i in range(1, len(lines)):
        if lines[i].rstrip() in (FENCE, "..."):
            return Split("\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2)
    raise FrontMatterError("frontmatter.unclosed", 1)


class DateError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_date(value: str, default_tz: tzinfo) -> datetime:
    """Parse `2026-11-27`, `2026-11-27 09:30`, with an optional offset, Z, WIB, WITA or WIT."""
    match = _DATE_RE.match(value.strip())
    if not match:
        raise DateError("frontmatter.date.format")
    g = match.groupdict()
    zone = g["tz"]
    tz: tzinfo = default_tz
    if zone:
        upper = zone.upper()
        if upper in _ZONES:
            tz = timezone(timedelta(hours=_ZONES[upper]))
        elif upper == "Z":
            tz = UTC
        else:
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        return datetime(
            int(g["y"]), int(g["m"]), int(g["d"]),
            int(g["H"] or 0), int(g["M"] or 0), int(g["S"] or 0), tzinfo=tz,
        )
    except ValueError:
        raise DateError("frontmatter.date.invalid") from None


_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")


def slugify(text: str) -> str:
    """Lower-case ASCII letters, digits and single hyphens: safe as a path segment."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def slug_from_filename(stem: str) -> str:
    """`2026-11-27-bimtek-admin` -> `bimtek-admin` (DESIGN: a leading date is dropped)."""
    return slugify(_DATE_PREFIX.sub("", stem))
