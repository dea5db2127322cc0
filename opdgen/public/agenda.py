"""content/<site>/agenda/: events (start, end, location, online link), checked into EventDetails.

Pure: checked front-matter values in, typed details out; every fault is a path:line problem.
Pages and agenda.ics are made by opdgen.outputs.agenda.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from opdgen import schema as s
from opdgen.content.frontmatter import DateError, parse_date, slug_from_filename
from opdgen.public.spec import DetailsInput, KindSpec
from opdgen.records import record

SCHEMA = (
    s.Field("title", s.text(200), required=True, example="title: Bimtek Pengelola Website OPD"),
    s.Field("start", s.text(40), required=True, example="start: 2026-12-03 09:00"),
    s.Field("end", s.text(40)),
    s.Field("location", s.text(300), required=True, example="location: Aula Setda Kabupaten, Lantai 2"),
    s.Field("online", s.url()),
    s.Field("organizer", s.text(200), default=""),
    s.Field("summary", s.text(400), default=""),
    s.Field("tags", s.text_list(20, 60), default=()),
    s.Field("image", s.text(200)),
    s.Field("image_alt", s.text(300), default=""),
    s.Field("image_decorative", s.boolean, default=False),
    s.Field("cancelled", s.boolean, default=False),
    s.Field("date", s.text(40)),  # when the event was announced (publication), not when it happens
    s.Field("updated", s.text(40)),
    s.Field("draft", s.boolean, default=False),
)
# Paths of /agenda/ that an event's slug may not take: the past-events archive, page numbers and
# the folder of the one-event calendar files.
RESERVED_SLUGS = frozenset({"lalu", "page", "kalender"})
_DATE_ONLY = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_TIME_ONLY = re.compile(r"^(?P<H>\d{1,2})[:.](?P<M>\d{2})$")
MAX_DAYS = 366  # an "event" longer than a year is a typo in the year


@record(kw_only=True)
class EventDetails:
    start: datetime  # aware; all-day events: 00:00 of the first day in the region's zone
    end: datetime | None  # aware, not before start; all-day events: 00:00 of the last day (inclusive)
    all_day: bool
    location: str
    online: str | None  # https URL of the online meeting or stream
    organizer: str  # may be empty: the agency itself
    cancelled: bool

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        """The day the event ends (in the zone its times were written in)."""
        end = self.end or self.start
        return end.astimezone(self.start.tzinfo).date()

    @property
    def end_exclusive(self) -> date:
        """All-day events: the day after the last one (iCalendar's DTEND;VALUE=DATE)."""
        return self.last_day + timedelta(days=1)


def build(given: DetailsInput) -> EventDetails | None:
    """The event's typed details, or None after recording why the file cannot be used."""
    v, where = given.values, given.where
    before = len(where.problems.errors)
    slug = slug_from_filename(where.path.stem)
    if slug in RESERVED_SLUGS:
        where.problems.add(where.path, None, "agenda.slug.reserved", slug=slug)
    raw_start = str(v.get("start") or "")
    all_day = bool(_DATE_ONLY.match(raw_start))
    start = _parse(given, "start", raw_start)
    end = None
    if start is not None and v.get("end"):
        end = _end(given, str(v["end"]), start, all_day)
    if v.get("location") == "":  # `location: ""`: a place is what makes an event findable
        where.problems.add(where.path, given.line("location"), "schema.empty", key="location",
                           example=SCHEMA[3].example)
    online = v.get("online")
    if online and urlsplit(online).scheme != "https":
        where.problems.add(where.path, given.line("online"), "agenda.online.https", value=online)
    if start is None or len(where.problems.errors) > before:
        return None
    return EventDetails(start=start, end=end, all_day=all_day, location=v["location"], online=online,
                        organizer=v.get("organizer") or "", cancelled=bool(v.get("cancelled")))


def _parse(given: DetailsInput, key: str, raw: str) -> datetime | None:
    try:
        return parse_date(raw, given.timezone)
    except DateError as exc:
        given.where.problems.add(given.where.path, given.line(key), exc.code, value=raw, key=key)
        return None


def _end(given: DetailsInput, raw: str, start: datetime, all_day: bool) -> datetime | None:
    """`end:` as a date (all-day events), a date and time, or a time alone (the start's day)."""
    path, line = given.where.path, given.line("end")
    problems = given.where.problems
    time_only = _TIME_ONLY.match(raw.strip())
    if time_only and not all_day:
        hour, minute = int(time_only["H"]), int(time_only["M"])
        if hour > 23 or minute > 59:
            problems.add(path, line, "frontmatter.date.invalid", value=raw, key="end")
            return None
        end: datetime | None = start.replace(hour=hour, minute=minute)
    elif bool(_DATE_ONLY.match(raw.strip())) != all_day:
        problems.add(path, line, "agenda.end.kind" if all_day else "agenda.end.kind_timed", value=raw)
        return None
    else:
        end = _parse(given, "end", raw)
    if end is None:
        return None
    if end < start:
        problems.add(path, line, "agenda.end.before_start", value=raw, start=_show(start, all_day))
        return None
    if end - start > timedelta(days=MAX_DAYS):
        problems.add(path, line, "agenda.end.too_far", value=raw, days=MAX_DAYS)
        return None
    return end


def _show(moment: datetime, all_day: bool) -> str:
    return f"{moment:%Y-%m-%d}" if all_day else f"{moment:%Y-%m-%d %H:%M}"


SPEC = KindSpec(
    schema=SCHEMA,
    build=build,
    # `date:` is when the event was announced; it never holds an event back: admins mistake it for
    # the event's day, and an upcoming event must be visible before it happens.
    schedulable=False,
    dated_filename=True,
    new_front=(
        "title: {title}\n"
        "start: {date}  # mulai: tanggal dan jam (WIB); tanggal saja = sehari penuh\n"
        "end:                     # selesai (boleh kosong), mis. 12:00 atau 2026-12-04 15:00\n"
        "location:                # wajib: tempat acara, mis. Aula Dinas, Jl. Siliwangi No. 45\n"
        "online:                  # tautan rapat daring (https://...), bila ada\n"
        "organizer:               # penyelenggara, bila bukan dinas ini sendiri\n"
        "summary: \"\"\n"
        "tags: []\n"
        "date: {date}   # kapan agenda ini diumumkan\n"
        "cancelled: false         # true bila acara dibatalkan (tetap tampil, bertanda DIBATALKAN)\n"
        "draft: false\n"
    ),
    new_body=(
        "Tulis keterangan acara di sini: tujuan, peserta, susunan acara, dan apa yang perlu dibawa.\n"
        "\n"
        "## Susunan acara\n"
        "\n"
        "| Jam | Kegiatan |\n"
        "|---|---|\n"
        "| 09.00 | Pembukaan |\n"
    ),
)
