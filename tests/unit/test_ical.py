"""The iCalendar writer against RFC 5545, checked by an independent parser (icalendar from PyPI)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar
import pytest

from opdgen.outputs.ical import CalEvent, CalInfo, calendar, escape_text, fold

WIB = ZoneInfo("Asia/Jakarta")
WITA = timezone(timedelta(hours=8))
INFO = CalInfo(name="Agenda Dinkes", description="Agenda Dinas Kesehatan", prodid="-//Kab. Uji//opdgen//ID",
               url="https://dinkes.ujikab.go.id/agenda.ics")
STAMP = datetime(2026, 11, 20, 10, 0, tzinfo=WIB)


def event(**changes: object) -> CalEvent:
    values: dict[str, object] = {
        "uid": "posyandu@dinkes.ujikab.go.id", "stamp": STAMP,
        "start": datetime(2026, 12, 3, 9, 0, tzinfo=WIB), "end": datetime(2026, 12, 3, 12, 0, tzinfo=WIB),
        "summary": "Posyandu Serentak", "location": "Balai Desa Sukamaju",
        "url": "https://dinkes.ujikab.go.id/agenda/posyandu/",
    }
    values.update(changes)
    return CalEvent(**values)  # type: ignore[arg-type]


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def only_event(data: bytes) -> icalendar.Event:
    events = parse(data).walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_lines_end_with_crlf_and_fit_75_octets() -> None:
    long = "Sosialisasi " * 30 + "Ibu-ibu PKK — " * 10 + "😀" * 20
    data = calendar(INFO, [event(summary=long, description=long, location=long)])
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
        line.decode("utf-8")  # never split inside a character
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")


@pytest.mark.parametrize("text", [
    "a" * 200,
    "é" * 100,  # two octets each: a fold may not fall between them
    "x" + "€" * 60,  # three octets, shifted by one
    "📅" * 40,  # four octets
], ids=["ascii", "two-octet", "three-octet", "four-octet"])
def test_fold_keeps_characters_whole_and_unfolds_back(text: str) -> None:
    folded = fold("SUMMARY:" + text)
    physical = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in physical)
    assert all(p.startswith(" ") for p in physical[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(physical)) == "SUMMARY:" + text


def test_text_escaping() -> None:
    assert escape_text('a\\b;c,d\ne\r\nf\x07g') == "a\\\\b\\;c\\,d\\ne\\nfg"


ODD = 'Rapat; "evaluasi", tahap\\II\nBaris kedua, dengan koma; titik koma — dan é ü 漢字 😀 ' + "panjang " * 20


def test_odd_text_round_trips_through_an_independent_parser() -> None:
    ev = only_event(calendar(INFO, [event(summary=ODD, location=ODD, description=ODD,
                                          categories=("a,b", "c;d"))]))
    assert str(ev["SUMMARY"]) == ODD
    assert str(ev["LOCATION"]) == ODD
    assert str(ev["DESCRIPTION"]) == ODD
    assert ev["CATEGORIES"].cats == ["a,b", "c;d"]


def test_a_0900_wib_event_is_0200_utc() -> None:
    data = calendar(INFO, [event()])
    assert b"DTSTART;TZID=Asia/Jakarta:20261203T090000\r\n" in data
    ev = only_event(data)
    start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
    assert start.astimezone(UTC) == datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2026, 12, 3, 5, 0, tzinfo=UTC)
    assert ev.decoded("DTSTAMP") == datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def test_the_calendar_carries_a_vtimezone_for_each_zone_used() -> None:
    wita = event(uid="b@x", start=datetime(2026, 12, 4, 10, 0, tzinfo=WITA), end=None)
    cal = parse(calendar(INFO, [event(), wita]))
    zones = {str(tz["TZID"]): tz for tz in cal.walk("VTIMEZONE")}
    assert set(zones) == {"Asia/Jakarta", "Asia/Makassar"}
    standard = zones["Asia/Jakarta"].walk("STANDARD")[0]
    assert standard.decoded("TZOFFSETTO") == timedelta(hours=7) and str(standard["TZNAME"]) == "WIB"
    second = cal.walk("VEVENT")[1]
    assert second.decoded("DTSTART").astimezone(UTC) == datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    assert "DTEND" not in second


def test_other_offsets_are_written_in_utc() -> None:
    ev = event(start=datetime(2026, 12, 3, 9, 0, tzinfo=timezone(timedelta(hours=5, minutes=30))), end=None)
    data = calendar(INFO, [ev])
    assert b"DTSTART:20261203T033000Z\r\n" in data and b"VTIMEZONE" not in data
    assert only_event(data).decoded("DTSTART") == datetime(2026, 12, 3, 3, 30, tzinfo=UTC)


def test_all_day_events_are_dates_with_an_exclusive_end() -> None:
    data = calendar(INFO, [event(start=date(2026, 12, 7), end=date(2026, 12, 12))])
    assert b"DTSTART;VALUE=DATE:20261207\r\n" in data and b"VTIMEZONE" not in data
    ev = only_event(data)
    assert ev.decoded("DTSTART") == date(2026, 12, 7) and ev.decoded("DTEND") == date(2026, 12, 12)


def test_status_url_and_calendar_properties() -> None:
    cal = parse(calendar(INFO, [event(cancelled=True)]))
    ev = cal.walk("VEVENT")[0]
    assert str(ev["STATUS"]) == "CANCELLED" and str(ev["URL"]) == "https://dinkes.ujikab.go.id/agenda/posyandu/"
    assert str(cal["X-WR-CALNAME"]) == "Agenda Dinkes" and str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//Kab. Uji//opdgen//ID"
