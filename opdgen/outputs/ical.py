"""An iCalendar (RFC 5545) writer for published event calendars: values in, bytes out; no I/O.

Written from the RFC rather than taken from a library: CRLF line ends, lines folded at 75 octets
on UTF-8 character boundaries (3.1), TEXT escaping of backslash, semicolon, comma and newline
(3.3.11), DATE and DATE-TIME values (3.3.4, 3.3.5) with a VTIMEZONE for each Indonesian zone used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

from opdgen.records import record

CRLF = "\r\n"
MAX_OCTETS = 75  # RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break
# Indonesia's zones by UTC offset; none has had daylight saving time since 1964, so one STANDARD
# sub-component describes each of them completely.
ZONES = {7: ("Asia/Jakarta", "WIB"), 8: ("Asia/Makassar", "WITA"), 9: ("Asia/Jayapura", "WIT")}


@record(kw_only=True)
class CalEvent:
    """One VEVENT. A `date` start means an all-day event; then `end` is the exclusive end date."""

    uid: str
    stamp: datetime  # aware; DTSTAMP: when the event's information was last revised
    start: datetime | date
    end: datetime | date | None
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    categories: tuple[str, ...] = ()


@record(kw_only=True)
class CalInfo:
    """The calendar itself: its name and description as subscribers see it, and who made it."""

    name: str
    description: str
    prodid: str  # e.g. -//Pemerintah Kabupaten Sukamaju//opdgen agenda//ID
    url: str  # where the calendar is published
    timezone: str = "Asia/Jakarta"  # X-WR-TIMEZONE: the zone clients show the calendar in
    refresh: str = "PT12H"  # how often subscribers should fetch it again


def escape_text(value: str) -> str:
    """TEXT value (3.3.11): backslash, semicolon, comma and newlines escaped; other controls dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch in "\n\t" or (ord(ch) >= 0x20 and ord(ch) != 0x7F))
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def fold(line: str) -> str:
    """A content line folded into chunks of at most 75 octets, never inside a UTF-8 character;
    each continuation starts with one space (which counts towards its 75)."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    limit = MAX_OCTETS
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            chunks.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1
        current.append(ch)
        size += width
    chunks.append("".join(current))
    return (CRLF + " ").join(chunks)


def content_line(name: str, value: str, params: Sequence[tuple[str, str]] = ()) -> str:
    """NAME;PARAM=value:VALUE, folded, with its CRLF. The value must already be escaped/formatted."""
    head = name + "".join(f";{key}={val}" for key, val in params)
    return fold(f"{head}:{value}") + CRLF


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _zone_of(moment: datetime) -> str | None:
    """The TZID of an Indonesian zone for this moment's offset; None: write it in UTC."""
    offset = moment.utcoffset() or timedelta(0)
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    return ZONES[hours][0] if not rest and hours in ZONES else None


def _moment(name: str, value: datetime | date) -> str:
    if not isinstance(value, datetime):
        return content_line(name, f"{value:%Y%m%d}", [("VALUE", "DATE")])
    zone = _zone_of(value)
    if zone is None:
        return content_line(name, _utc(value))
    return content_line(name, f"{value:%Y%m%dT%H%M%S}", [("TZID", zone)])


def vtimezone(hours: int) -> str:
    """VTIMEZONE of one Indonesian zone: a fixed offset, named as people say it (WIB ...)."""
    tzid, name = ZONES[hours]
    offset = f"+{hours:02d}00"
    return "".join((
        content_line("BEGIN", "VTIMEZONE"), content_line("TZID", tzid),
        content_line("X-LIC-LOCATION", tzid), content_line("BEGIN", "STANDARD"),
        content_line("TZOFFSETFROM", offset), content_line("TZOFFSETTO", offset),
        content_line("TZNAME", name), content_line("DTSTART", "19700101T000000"),
        content_line("END", "STANDARD"), content_line("END", "VTIMEZONE"),
    ))


def vevent(event: CalEvent) -> str:
    lines = [content_line("BEGIN", "VEVENT"), content_line("UID", escape_text(event.uid)),
             content_line("DTSTAMP", _utc(event.stamp)), _moment("DTSTART", event.start)]
    if event.end is not None:
        lines.append(_moment("DTEND", event.end))
    lines.append(content_line("SUMMARY", escape_text(event.summary)))
    if event.location:
        lines.append(content_line("LOCATION", escape_text(event.location)))
    if event.description:
        lines.append(content_line("DESCRIPTION", escape_text(event.description)))
    if event.url:
        lines.append(content_line("URL", event.url, [("VALUE", "URI")]))
    if event.categories:
        lines.append(content_line("CATEGORIES", ",".join(escape_text(c) for c in event.categories)))
    lines.append(content_line("STATUS", "CANCELLED" if event.cancelled else "CONFIRMED"))
    lines.append(content_line("TRANSP", "TRANSPARENT" if event.cancelled else "OPAQUE"))
    lines.append(content_line("END", "VEVENT"))
    return "".join(lines)


def _zones_used(events: Iterable[CalEvent]) -> list[int]:
    used: set[int] = set()
    for event in events:
        for value in (event.start, event.end):
            if isinstance(value, datetime) and _zone_of(value) is not None:
                offset = value.utcoffset() or timedelta(0)
                used.add(int(offset.total_seconds()) // 3600)
    return sorted(used)


def calendar(info: CalInfo, events: Sequence[CalEvent]) -> bytes:
    """A whole VCALENDAR: header, one VTIMEZONE per zone the events use, the events in order."""
    head = [
        content_line("BEGIN", "VCALENDAR"), content_line("VERSION", "2.0"),
        content_line("PRODID", escape_text(info.prodid)), content_line("CALSCALE", "GREGORIAN"),
        content_line("NAME", escape_text(info.name)),  # RFC 7986
        content_line("X-WR-CALNAME", escape_text(info.name)),
        content_line("DESCRIPTION", escape_text(info.description)),
        content_line("X-WR-CALDESC", escape_text(info.description)),
        content_line("X-WR-TIMEZONE", info.timezone),
        content_line("URL", info.url, [("VALUE", "URI")]),
        content_line("SOURCE", info.url, [("VALUE", "URI")]),
        content_line("REFRESH-INTERVAL", info.refresh, [("VALUE", "DURATION")]),
        content_line("X-PUBLISHED-TTL", info.refresh),
    ]
    body = [vtimezone(hours) for hours in _zones_used(events)] + [vevent(e) for e in events]
    return "".join([*head, *body, content_line("END", "VCALENDAR")]).encode("utf-8")
