"""The agenda of the sample build: agenda.ics read by an independent parser (icalendar), the lists
(upcoming before past), the event pages with their schema.org Event, the home block, the portal,
and real nginx and Apache serving the calendars as text/calendar."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import icalendar
from click.testing import Result

from opdgen.outputs.headers import security_headers
from tests.conftest import PROJECT
from tests.e2e.test_apache import apache  # noqa: F401 - the fixture
from tests.e2e.test_apache import get as apache_get
from tests.e2e.test_nginx import Served, get, nginx  # noqa: F401 - the fixture

AGENCIES = ("dinkes", "diskominfo")


def events_of(path: Path) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def by_uid(events: list[icalendar.Event]) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in events}


def test_each_agency_calendar_holds_exactly_its_events(sample_output: Path) -> None:
    for site in AGENCIES:
        events = events_of(sample_output / site / "agenda.ics")
        slugs = {re.sub(r"^\d{4}-\d{2}-\d{2}-", "", p.stem) for p in (PROJECT / "content" / site / "agenda").glob("*.md")}
        assert len(slugs) >= 4
        assert set(by_uid(events)) == {f"{s}@{site}.sukamajukab.go.id" for s in slugs}
        starts = [e.decoded("DTSTART") for e in events]
        assert [s if isinstance(s, datetime) else datetime(s.year, s.month, s.day, tzinfo=UTC) for s in starts] \
            == sorted(s if isinstance(s, datetime) else datetime(s.year, s.month, s.day, tzinfo=UTC) for s in starts)


def test_times_are_right_in_utc(sample_output: Path) -> None:
    dinkes = by_uid(events_of(sample_output / "dinkes/agenda.ics"))
    webinar = dinkes["webinar-cegah-demam-berdarah-musim-hujan@dinkes.sukamajukab.go.id"]
    assert webinar.decoded("DTSTART").astimezone(UTC) == datetime(2026, 12, 3, 6, 0, tzinfo=UTC)  # 13.00 WIB
    assert webinar.decoded("DTEND").astimezone(UTC) == datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    assert "https://www.youtube.com/@dinkessukamaju/live" in str(webinar["DESCRIPTION"])
    assert str(webinar["URL"]) == "https://dinkes.sukamajukab.go.id/agenda/webinar-cegah-demam-berdarah-musim-hujan/"
    kominfo = by_uid(events_of(sample_output / "diskominfo/agenda.ics"))
    bimtek = kominfo["bimtek-pengelola-website-opd-angkatan-ii@diskominfo.sukamajukab.go.id"]
    assert bimtek.decoded("DTSTART").astimezone(UTC) == datetime(2026, 12, 9, 1, 30, tzinfo=UTC)  # 08.30 WIB
    assert bimtek.decoded("DTEND").astimezone(UTC) == datetime(2026, 12, 10, 9, 0, tzinfo=UTC)


def test_all_day_and_cancelled_events(sample_output: Path) -> None:
    dinkes = by_uid(events_of(sample_output / "dinkes/agenda.ics"))
    hpv = dinkes["vaksinasi-hpv-siswi-sd-tahap-ii@dinkes.sukamajukab.go.id"]
    assert hpv.decoded("DTSTART") == date(2026, 12, 7) and not isinstance(hpv.decoded("DTSTART"), datetime)
    assert hpv.decoded("DTEND") == date(2026, 12, 12)  # the admin wrote 2026-12-11, the last day
    cancelled = [e for e in dinkes.values() if str(e["STATUS"]) == "CANCELLED"]
    assert [str(e["SUMMARY"]) for e in cancelled] == ["Jalan Sehat Peringatan Hari Ibu"]
    raw = (sample_output / "dinkes/agenda.ics").read_bytes()
    assert b"BEGIN:VTIMEZONE\r\nTZID:Asia/Jakarta\r\n" in raw and b"DTSTART;TZID=Asia/Jakarta:20261203T130000" in raw


def test_the_portal_calendar_merges_every_agency(sample_output: Path) -> None:
    portal = by_uid(events_of(sample_output / "portal/agenda.ics"))
    agencies = {uid: e for site in AGENCIES for uid, e in by_uid(events_of(sample_output / site / "agenda.ics")).items()}
    assert set(portal) == set(agencies)
    for uid, event in portal.items():
        assert event.decoded("DTSTART") == agencies[uid].decoded("DTSTART")
    assert str(portal["forum-satu-data-sukamaju-2027@diskominfo.sukamajukab.go.id"]["SUMMARY"]) \
        == "Diskominfo: Forum Satu Data Sukamaju 2027"


def test_one_event_calendar_for_add_to_calendar(sample_output: Path) -> None:
    [event] = events_of(sample_output / "dinkes/agenda/kalender/rapat-koordinasi-program-kesehatan-2027.ics")
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2027, 1, 12, 1, 30, tzinfo=UTC)
    page = (sample_output / "dinkes/agenda/rapat-koordinasi-program-kesehatan-2027/index.html").read_text()
    assert 'href="/agenda/kalender/rapat-koordinasi-program-kesehatan-2027.ics"' in page


def titles_in(html: str, section_id: str) -> list[str]:
    part = html.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'class="event-title"><a href="[^"]+">([^<]+)</a>', part)


def test_the_list_shows_upcoming_soonest_first_then_past_newest_first(sample_output: Path) -> None:
    html = (sample_output / "dinkes/agenda/index.html").read_text()
    assert html.index('id="agenda-mendatang"') < html.index('id="agenda-lalu"')
    assert titles_in(html, "agenda-mendatang") == [
        "Webinar: Cegah Demam Berdarah di Musim Hujan", "Vaksinasi HPV Siswi SD Tahap II",
        "Jalan Sehat Peringatan Hari Ibu", "Rapat Koordinasi Program Kesehatan 2027"]
    assert titles_in(html, "agenda-lalu") == [
        "Peringatan Hari Kesehatan Nasional ke-62", "Pelatihan Kader Posyandu Angkatan III"]
    assert "Kamis, 3 Desember 2026, 13.00\u201315.00 WIB" in html
    assert "Senin, 7 Desember 2026 \u2013 Jumat, 11 Desember 2026" in html
    assert 'rel="external noopener">Ikuti daring di www.youtube.com<span class="visually-hidden"> (situs luar)' in html
    assert '<span class="status-label status-cancelled">Dibatalkan</span>' in html
    archive = (sample_output / "dinkes/agenda/lalu/index.html").read_text()
    assert titles_in(archive, "agenda-lalu") == titles_in(html, "agenda-lalu")


def test_event_page_has_a_schema_org_event(sample_output: Path) -> None:
    html = (sample_output / "dinkes/agenda/webinar-cegah-demam-berdarah-musim-hujan/index.html").read_text()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))  # type: ignore[union-attr]
    [event] = [item for item in data["@graph"] if item["@type"] == "Event"]
    assert event["startDate"] == "2026-12-03T13:00:00+07:00" and event["endDate"] == "2026-12-03T15:00:00+07:00"
    assert event["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert event["location"][1] == {"@type": "VirtualLocation", "url": "https://www.youtube.com/@dinkessukamaju/live"}
    cancelled = (sample_output / "dinkes/agenda/jalan-sehat-hari-ibu/index.html").read_text()
    assert "https://schema.org/EventCancelled" in cancelled and "Acara ini dibatalkan." in cancelled
    assert "Tambahkan ke kalender" not in cancelled and "Tambahkan ke kalender" in html


def test_home_shows_the_next_three_events_and_the_menu_links_the_agenda(sample_output: Path) -> None:
    html = (sample_output / "dinkes/index.html").read_text()
    panel = html.split('id="agenda-mendatang"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'class="post-row-title" href="([^"]+)"', panel) == [
        "/agenda/webinar-cegah-demam-berdarah-musim-hujan/", "/agenda/vaksinasi-hpv-siswi-sd-tahap-ii/",
        "/agenda/jalan-sehat-hari-ibu/"]
    assert '<a href="/agenda/"' in html.split("</header>", 1)[0]


def test_the_portal_lists_every_agencys_upcoming_events(sample_output: Path) -> None:
    html = (sample_output / "portal/agenda/index.html").read_text()
    links = re.findall(r'class="event-title"><a href="([^"]+)"', html)
    assert "https://dinkes.sukamajukab.go.id/agenda/vaksinasi-hpv-siswi-sd-tahap-ii/" in links
    assert "https://diskominfo.sukamajukab.go.id/agenda/forum-satu-data-sukamaju-2027/" in links
    assert not any("pelatihan-kader" in link for link in links)  # past events stay on the agency sites
    assert 'href="/agenda/"' in (sample_output / "portal/index.html").read_text().split("</header>", 1)[0]


def test_default_menu_gets_agenda_only_with_events(make_repo: Callable[..., Path], run_cli: Callable[..., Result]) -> None:
    repo = make_repo({"content/dinkes/berita/a.md": "---\ntitle: A\ndate: 2026-11-20 08:00\n---\nIsi.\n"})
    assert run_cli("build", "--root", repo).exit_code == 0
    assert not (repo / "output/dinkes/agenda").exists() and not (repo / "output/dinkes/agenda.ics").exists()
    (repo / "content/dinkes/agenda").mkdir()
    (repo / "content/dinkes/agenda/rapat.md").write_text(
        "---\ntitle: Rapat\nstart: 2026-12-01 09:00\nlocation: Aula\n---\nIsi.\n")
    assert run_cli("build", "--root", repo).exit_code == 0
    header = (repo / "output/dinkes/index.html").read_text().split("</header>", 1)[0]
    assert '<a href="/agenda/"' in header
    assert (repo / "output/dinkes/agenda.ics").read_bytes().count(b"BEGIN:VEVENT") == 1


def test_nginx_serves_calendars_as_text_calendar(nginx: Served) -> None:  # noqa: F811
    _, port, _ = nginx["dinkes"]
    for path in ("/agenda.ics", "/agenda/kalender/jalan-sehat-hari-ibu.ics"):
        status, headers, body = get(port, path)
        assert status == 200 and headers["content-type"] == "text/calendar; charset=utf-8", (path, headers)
        assert body.startswith(b"BEGIN:VCALENDAR\r\n")
        for name, _value in security_headers([]):
            assert name.lower() in headers
    _, port, _ = nginx["portal"]
    assert get(port, "/agenda.ics")[1]["content-type"] == "text/calendar; charset=utf-8"


def test_static_hosts_and_apache_are_told_the_type(sample_output: Path) -> None:
    headers = (sample_output / "dinkes/_headers").read_text()
    assert "/agenda.ics\n  Content-Type: text/calendar; charset=utf-8\n" in headers
    assert "/agenda/kalender/*\n  Content-Type: text/calendar; charset=utf-8\n" in headers
    htaccess = (sample_output / "dinkes/.htaccess").read_text()
    assert "AddType text/calendar .ics\nAddCharset utf-8 .ics\n" in htaccess


def test_apache_serves_calendars_as_text_calendar(apache: int) -> None:  # noqa: F811
    status, headers, body = apache_get(apache, "/agenda.ics")
    assert status == 200 and headers["content-type"] == "text/calendar; charset=utf-8"
    assert body.startswith(b"BEGIN:VCALENDAR\r\n")
