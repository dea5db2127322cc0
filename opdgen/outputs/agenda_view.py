"""What the agenda pages and calendars show of an event: its view for templates (date and time in
words), its schema.org Event and its iCalendar VEVENT. Pure functions; no pages rendered here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from typing import Any
from urllib.parse import urlsplit

from opdgen.outputs.ical import CalEvent
from opdgen.public.agenda import EventDetails
from opdgen.records import record
from opdgen.render import context as c
from opdgen.render.filters import MONTHS, zone_name

DAYS = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
DASH = "\u2013"  # en dash, for ranges: 09.00–12.00
SCHEMA_ORG = "https://schema.org/"


@record(kw_only=True)
class EventView:
    """One event for templates: the post (title, url, summary, body, image ...) and its details."""

    post: c.PostView
    start: datetime
    end: datetime | None
    all_day: bool
    when: str  # "Kamis, 3 Desember 2026, 09.00–12.00 WIB"
    start_iso: str  # for <time datetime>: a date alone for all-day events
    day: str  # "3": the calendar-leaf badge
    month: str  # "Des"
    location: str
    online: str | None
    online_host: str  # "zoom.us": the link's visible text
    organizer: str
    cancelled: bool
    is_upcoming: bool  # its last day is today or later (in the region's zone)
    ics_url: str  # this event alone as an .ics file (path)


def day_name(moment: date, lang: str) -> str:
    return DAYS[lang][moment.weekday()]


def _day(moment: date, lang: str) -> str:
    """Kamis, 3 Desember 2026"""
    return f"{day_name(moment, lang)}, {moment.day} {MONTHS[lang][moment.month - 1]} {moment.year}"


def _clock(moment: datetime, lang: str) -> str:
    sep = "." if lang == "id" else ":"
    return f"{moment.hour:02d}{sep}{moment.minute:02d}"


def when_text(d: EventDetails, lang: str) -> str:
    """The event's date and time in words, in the zone its start was written in."""
    if d.all_day:
        first, last = d.first_day, d.last_day
        return _day(first, lang) if last == first else f"{_day(first, lang)} {DASH} {_day(last, lang)}"
    start = d.start
    head = f"{_day(start.date(), lang)}, {_clock(start, lang)}"
    if d.end is None or d.end == start:
        return f"{head} {zone_name(start)}"
    end = d.end.astimezone(start.tzinfo)
    if end.date() == start.date():
        return f"{head}{DASH}{_clock(end, lang)} {zone_name(start)}"
    return f"{head} {zone_name(start)} {DASH} {_day(end.date(), lang)}, {_clock(end, lang)} {zone_name(end)}"


def is_upcoming(d: EventDetails, now: datetime, zone: tzinfo) -> bool:
    """Today's and later events, and those still running: the last day is not before today."""
    last = (d.end or d.start).astimezone(zone).date() if not d.all_day else d.last_day
    return last >= now.astimezone(zone).date()


def event_view(post: c.PostView, d: EventDetails, lang: str, now: datetime, zone: tzinfo,
               ics_url: str) -> EventView:
    return EventView(
        post=post, start=d.start, end=d.end, all_day=d.all_day, when=when_text(d, lang),
        start_iso=d.start.date().isoformat() if d.all_day else d.start.isoformat(timespec="seconds"),
        day=str(d.start.day), month=MONTHS[lang][d.start.month - 1][:3],
        location=d.location, online=d.online,
        online_host=(urlsplit(d.online).hostname or "") if d.online else "",
        organizer=d.organizer, cancelled=d.cancelled, is_upcoming=is_upcoming(d, now, zone), ics_url=ics_url,
    )


def upcoming_first(events: list[EventView]) -> tuple[list[EventView], list[EventView]]:
    """(upcoming soonest first, past newest first)."""
    upcoming = sorted((e for e in events if e.is_upcoming), key=lambda e: (e.start, e.post.abs_url))
    past = sorted((e for e in events if not e.is_upcoming), key=lambda e: (e.start, e.post.abs_url),
                  reverse=True)
    return upcoming, past


def _moment_ld(moment: datetime, all_day: bool) -> str:
    return moment.date().isoformat() if all_day else moment.isoformat(timespec="seconds")


def event_ld(ev: EventView, site: c.SiteView, lang: str) -> dict[str, Any]:
    """schema.org Event (what search engines show as an event), for the page's JSON-LD graph."""
    places: list[dict[str, Any]] = [{"@type": "Place", "name": ev.location, "address": ev.location}]
    if ev.online:
        places.append({"@type": "VirtualLocation", "url": ev.online})
    mode = "MixedEventAttendanceMode" if ev.online else "OfflineEventAttendanceMode"
    organizer: dict[str, Any] = (
        {"@type": "Organization", "name": ev.organizer} if ev.organizer
        else {"@type": "GovernmentOrganization", "name": site.name, "url": site.abs_url}
    )
    doc: dict[str, Any] = {
        "@type": "Event", "name": ev.post.title, "url": ev.post.abs_url,
        "startDate": _moment_ld(ev.start, ev.all_day),
        "eventStatus": SCHEMA_ORG + ("EventCancelled" if ev.cancelled else "EventScheduled"),
        "eventAttendanceMode": SCHEMA_ORG + mode,
        "location": places if len(places) > 1 else places[0], "organizer": organizer, "inLanguage": lang,
    }
    if ev.end is not None:
        doc["endDate"] = _moment_ld(ev.end, ev.all_day)
    if ev.post.summary:
        doc["description"] = ev.post.summary
    if ev.post.social_image_url:
        doc["image"] = [ev.post.social_image_url]
    return doc


def uid(slug: str, site: c.SiteView) -> str:
    """Stable and unique across the region: the event's slug at its site's host."""
    return f"{slug}@{urlsplit(site.abs_url).hostname}"


def cal_event(ev: EventView, slug: str, lang: str, *, prefix: str = "") -> CalEvent:
    """The event as a VEVENT. DTSTAMP is the file's `updated:`, else its `date:`, else its start:
    taken from the content, never the clock, so the same commit gives the same calendar bytes."""
    post = ev.post
    stamp = post.updated or post.date or ev.start
    lines = [post.summary] if post.summary else []
    if ev.organizer:
        lines.append(("Penyelenggara: " if lang == "id" else "Organizer: ") + ev.organizer)
    if ev.online:
        lines.append(("Ikuti daring: " if lang == "id" else "Join online: ") + ev.online)
    lines.append(post.abs_url)
    start: datetime | date = ev.start.date() if ev.all_day else ev.start
    end: datetime | date | None = ev.end
    if ev.all_day:
        last = (ev.end or ev.start).date()
        end = last + timedelta(days=1)  # DTEND;VALUE=DATE is exclusive; admins write the last day
    return CalEvent(
        uid=uid(slug, post.site), stamp=stamp, start=start, end=end, summary=prefix + post.title,
        location=ev.location, description="\n\n".join(lines), url=post.abs_url, cancelled=ev.cancelled,
        categories=tuple(t.name for t in post.tags),
    )
