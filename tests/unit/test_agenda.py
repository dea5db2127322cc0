"""Agenda entries: the front-matter checks (path:line and code), the typed details, the date words,
upcoming vs past, and `opdgen new agenda`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import Result

from opdgen.content.loader import LoadOptions, load_region
from opdgen.content.model import Kind
from opdgen.outputs.agenda_view import is_upcoming, when_text
from opdgen.public.agenda import EventDetails

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=WIB)
A = "content/dinkes/agenda/"
GOOD = """\
---
title: Posyandu Serentak
start: 2026-12-03 09:00
end: 12:00
location: Balai Desa Sukamaju
online: https://vicon.ujikab.go.id/posyandu
summary: Penimbangan dan imunisasi.
---
Bawa buku KIA.
"""


def load(make_repo: Callable[..., Path], files: dict[str, str]) -> tuple[list[EventDetails], list[tuple[str, int | None, str]]]:
    repo = make_repo(files)
    region, problems = load_region(repo, LoadOptions(now=NOW, jobs=1, use_cache=False))
    found = [(str(p.path), p.line, p.code) for p in problems.errors]
    events = [] if region is None else [
        p.details for s in region.sites for p in s.of_kind(Kind.AGENDA) if isinstance(p.details, EventDetails)]
    return events, found


def event(front: str, body: str = "Isi.\n") -> str:
    return f"---\n{front}---\n{body}"


def test_a_good_event_has_typed_details(make_repo: Callable[..., Path]) -> None:
    events, found = load(make_repo, {A + "2026-11-20-posyandu.md": GOOD})
    assert found == []
    [ev] = events
    assert ev.start == datetime(2026, 12, 3, 9, 0, tzinfo=WIB) and ev.start.utcoffset() == timedelta(hours=7)
    assert ev.end == datetime(2026, 12, 3, 12, 0, tzinfo=WIB)  # a time alone: the start's day
    assert not ev.all_day and ev.location == "Balai Desa Sukamaju" and not ev.cancelled
    assert ev.online == "https://vicon.ujikab.go.id/posyandu" and ev.organizer == ""


def test_a_date_alone_is_an_all_day_event_with_an_inclusive_end(make_repo: Callable[..., Path]) -> None:
    text = event("title: Vaksinasi HPV\nstart: 2026-12-07\nend: 2026-12-11\nlocation: Sekolah\ncancelled: true\n")
    [ev], found = load(make_repo, {A + "hpv.md": text})
    assert found == [] and ev.all_day and ev.cancelled
    assert (ev.first_day, ev.last_day, ev.end_exclusive) == (date(2026, 12, 7), date(2026, 12, 11), date(2026, 12, 12))


def test_offsets_and_indonesian_zones_are_kept(make_repo: Callable[..., Path]) -> None:
    text = event("title: Rakor\nstart: 2026-12-03 10:00 WITA\nend: 2026-12-03 12:00 WITA\nlocation: Makassar\n")
    [ev], found = load(make_repo, {A + "rakor.md": text})
    assert found == [] and ev.start.utcoffset() == timedelta(hours=8)
    assert ev.start == datetime(2026, 12, 3, 9, 0, tzinfo=WIB)


BAD = [
    ("end-before-start", "title: X\nstart: 2026-12-03 09:00\nend: 2026-12-03 08:00\nlocation: Aula\n",
     [(4, "agenda.end.before_start")]),
    ("end-time-before-start", "title: X\nstart: 2026-12-03 09:00\nend: 08:30\nlocation: Aula\n",
     [(4, "agenda.end.before_start")]),
    ("all-day-end-before", "title: X\nstart: 2026-12-07\nend: 2026-12-06\nlocation: Aula\n",
     [(4, "agenda.end.before_start")]),
    ("bad-online-url", "title: X\nstart: 2026-12-03 09:00\nlocation: Aula\nonline: zoom.us/j/123\n",
     [(5, "schema.url")]),
    ("http-online", "title: X\nstart: 2026-12-03 09:00\nlocation: Aula\nonline: http://vicon.ujikab.go.id/a\n",
     [(5, "agenda.online.https")]),
    ("missing-location", "title: X\nstart: 2026-12-03 09:00\n", [(1, "schema.missing")]),
    ("empty-location", 'title: X\nstart: 2026-12-03 09:00\nlocation: ""\n', [(4, "schema.empty")]),
    ("missing-start", "title: X\nlocation: Aula\n", [(1, "schema.missing")]),
    ("bad-start", "title: X\nstart: 3 Desember 2026\nlocation: Aula\n", [(3, "frontmatter.date.format")]),
    ("impossible-start", "title: X\nstart: 2026-13-03 09:00\nlocation: Aula\n", [(3, "frontmatter.date.invalid")]),
    ("impossible-end-time", "title: X\nstart: 2026-12-03 09:00\nend: 25:00\nlocation: Aula\n",
     [(4, "frontmatter.date.invalid")]),
    ("all-day-timed-end", "title: X\nstart: 2026-12-07\nend: 2026-12-08 15:00\nlocation: Aula\n",
     [(4, "agenda.end.kind")]),
    ("timed-date-end", "title: X\nstart: 2026-12-07 09:00\nend: 2026-12-08\nlocation: Aula\n",
     [(4, "agenda.end.kind_timed")]),
    ("end-years-later", "title: X\nstart: 2026-12-07 09:00\nend: 2028-12-08 09:00\nlocation: Aula\n",
     [(4, "agenda.end.too_far")]),
    ("typo-key", "title: X\nstart: 2026-12-03 09:00\nlocation: Aula\norganiser: Dinkes\n",
     [(5, "schema.unknown_key_near")]),
    ("cancelled-not-bool", "title: X\nstart: 2026-12-03 09:00\nlocation: Aula\ncancelled: batal\n",
     [(5, "schema.type.bool")]),
]


@pytest.mark.parametrize(("front", "expected"), [(f, e) for _, f, e in BAD], ids=[i for i, _, _ in BAD])
def test_faults_are_reported_with_path_line_and_code(make_repo: Callable[..., Path], front: str,
                                                     expected: list[tuple[int, str]]) -> None:
    events, found = load(make_repo, {A + "acara.md": event(front)})
    assert events == []
    assert found == [(A + "acara.md", line, code) for line, code in expected]


@pytest.mark.parametrize("name", ["lalu", "page", "kalender"])
def test_slugs_of_the_agenda_pages_are_refused(make_repo: Callable[..., Path], name: str) -> None:
    _, found = load(make_repo, {A + f"2026-11-20-{name}.md": GOOD})
    assert found == [(A + f"2026-11-20-{name}.md", None, "agenda.slug.reserved")]


def details(start: datetime, end: datetime | None = None, *, all_day: bool = False) -> EventDetails:
    return EventDetails(start=start, end=end, all_day=all_day, location="Aula", online=None, organizer="",
                        cancelled=False)


def at(day: int, hour: int = 0, minute: int = 0, month: int = 12, tz: object = WIB) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=tz)  # type: ignore[arg-type]


@pytest.mark.parametrize(("d", "lang", "text"), [
    (details(at(3, 9), at(3, 12)), "id", "Kamis, 3 Desember 2026, 09.00\u201312.00 WIB"),
    (details(at(3, 9), at(3, 12)), "en", "Thursday, 3 December 2026, 09:00\u201312:00 WIB"),
    (details(at(3, 9)), "id", "Kamis, 3 Desember 2026, 09.00 WIB"),
    (details(at(9, 8, 30), at(10, 16)), "id",
     "Rabu, 9 Desember 2026, 08.30 WIB \u2013 Kamis, 10 Desember 2026, 16.00 WIB"),
    (details(at(7), all_day=True), "id", "Senin, 7 Desember 2026"),
    (details(at(7), at(11), all_day=True), "id", "Senin, 7 Desember 2026 \u2013 Jumat, 11 Desember 2026"),
    (details(at(3, 10, tz=timezone(timedelta(hours=8)))), "id", "Kamis, 3 Desember 2026, 10.00 WITA"),
], ids=["range", "english", "no-end", "two-days", "all-day", "all-day-range", "wita"])
def test_date_and_time_in_words(d: EventDetails, lang: str, text: str) -> None:
    assert when_text(d, lang) == text


def test_upcoming_means_the_last_day_is_today_or_later() -> None:
    now = at(28, 12, month=11)
    assert is_upcoming(details(at(28, 8, month=11), at(28, 10, month=11)), now, WIB)  # earlier today
    assert not is_upcoming(details(at(27, 9, month=11)), now, WIB)  # yesterday
    assert is_upcoming(details(at(26, month=11), at(29, month=11), all_day=True), now, WIB)  # still running
    assert is_upcoming(details(at(3, 9)), now, WIB)


def test_new_agenda_writes_a_starter_that_passes_once_the_place_is_filled(
    make_repo: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    repo = make_repo()
    result = run_cli("new", "agenda", "--site", "dinkes", "--root", repo, "Bimtek Website OPD")
    assert result.exit_code == 0, result.output
    path = repo / A / "2026-11-28-bimtek-website-opd.md"
    assert str(path.relative_to(repo)) in result.output
    text = path.read_text()
    assert "start: 2026-11-28 12:00" in text and "location:" in text and "online:" in text
    checked = run_cli("check", "--root", repo)
    assert checked.exit_code == 1 and "agenda/2026-11-28-bimtek-website-opd.md:5:" in checked.output
    path.write_text(text.replace("location:   ", "location: Aula Diskominfo  "))
    checked = run_cli("check", "--root", repo)
    assert checked.exit_code == 0, checked.output
