"""The agenda section (issue 8): upcoming and past lists, one page per event, agenda.ics (RFC 5545)
on each agency site, and the portal's merged upcoming list and calendar.

Pure: sections in, OutputFile values out. Upcoming means the event's last day is the build's
"now" day or later (region zone), so the lists move by themselves with the nightly build.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import PurePosixPath

from opdgen.content.model import Kind, Post, Region, Site
from opdgen.outputs import agenda_view as av
from opdgen.outputs.files import OutputFile, PageRenderer
from opdgen.outputs.ical import CalInfo, calendar
from opdgen.outputs.public import HomeBlock, PortalSection, SiteSection
from opdgen.outputs.site import brand_file
from opdgen.public.agenda import EventDetails
from opdgen.render import context as c

CLAIMS: frozenset[str] = frozenset()  # no halaman: /agenda/ is generated (its slug is reserved)
HOME_EVENTS = 3
RECENT_PAST = 3  # past events shown under the upcoming ones on /agenda/; the rest in /agenda/lalu/
ICS = "agenda.ics"
ONE_ICS = "agenda/kalender/{slug}.ics"  # one event, for "add to calendar" (headers.CALENDAR_PATHS)


def _has_events(site: Site) -> bool:
    return bool(site.of_kind(Kind.AGENDA))


def menu(site: Site, label: Callable[[str], str]) -> list[tuple[str, str]]:
    """Default-menu entries (label, site-relative URL) when the site has this section."""
    return [(label("agenda"), "/agenda/")] if _has_events(site) else []


def portal_menu(region: Region, label: Callable[[str], str]) -> list[tuple[str, str]]:
    return [(label("agenda"), "/agenda/")] if any(_has_events(s) for s in region.sites) else []


def _lang(r: PageRenderer) -> str:
    return str(r.env.globals.get("lang", "id"))


def _events(posts: Sequence[Post], views: Sequence[c.PostView], region: Region, lang: str,
            ics_path: Callable[[str], str]) -> list[tuple[av.EventView, Post]]:
    out = []
    for post, view in zip(posts, views, strict=True):
        if isinstance(post.details, EventDetails):  # always, for a loaded agenda post
            out.append((av.event_view(view, post.details, lang, region.now, region.config.timezone,
                                      ics_path(post.slug)), post))
    return out


def _site_events(s: SiteSection) -> list[tuple[av.EventView, Post]]:
    return _events(s.site.of_kind(Kind.AGENDA), s.views.get(Kind.AGENDA, []), s.region, _lang(s.r),
                   lambda slug: s.r.urls.path(ONE_ICS.format(slug=slug)))


def home(s: SiteSection) -> HomeBlock:
    """The next three events for the home page (an empty list when there are none)."""
    pairs = _site_events(s)
    upcoming, _ = av.upcoming_first([ev for ev, _ in pairs])
    # every event decides which three come next: all of them are sources of the home page
    return HomeBlock({"upcoming_events": upcoming[:HOME_EVENTS], "agenda_url": s.r.urls.path("agenda/")},
                     frozenset({s.site_yaml, *(ev.post.source for ev, _ in pairs)}))


def site_files(s: SiteSection) -> list[OutputFile]:
    pairs = _site_events(s)
    if not pairs:
        return []
    r, label, lang = s.r, s.label, _lang(s.r)
    section = c.Crumb(label("agenda"), r.urls.path("agenda/"))
    every = frozenset({s.site_yaml, *(ev.post.source for ev, _ in pairs)})
    upcoming, past = av.upcoming_first([ev for ev, _ in pairs])
    files = _lists(r, s.region, upcoming, past, [s.home, section], every, label, portal=False)
    for ev, post in pairs:
        files.append(r.render(
            "agenda_event.html", f"agenda/{post.slug}/", title=post.title,
            description=ev.post.summary or r.site.description, kind="event",
            crumbs=[s.home, section, c.Crumb(post.title, ev.post.url)],
            deps={s.site_yaml, ev.post.source}, event=ev, post=ev.post,
            json_ld=(av.event_ld(ev, r.site, lang),), ics_all_url=r.urls.path(ICS),
        ))
        one = _info(r, label, post.title, ONE_ICS.format(slug=post.slug))
        files.append(OutputFile(PurePosixPath(r.root) / ONE_ICS.format(slug=post.slug),
                                calendar(one, [av.cal_event(ev, post.slug, lang)]),
                                frozenset({s.site_yaml, ev.post.source})))
    ordered = sorted(pairs, key=lambda pair: (pair[0].start, pair[0].post.abs_url))
    files.append(OutputFile(PurePosixPath(r.root) / ICS,
                            calendar(_info(r, label), [av.cal_event(ev, p.slug, lang) for ev, p in ordered]),
                            every))
    return files


def _info(r: PageRenderer, label: Callable[[str], str], title: str = "", rel: str = ICS) -> CalInfo:
    name = f"{label('agenda')} {r.site.name}"
    return CalInfo(name=title or name, description=r.site.description or name,
                   prodid=f"-//{r.region.name}//opdgen {label('agenda')}//{_lang(r).upper()}",
                   url=r.urls.abs(rel))


def _lists(r: PageRenderer, region: Region, upcoming: list[av.EventView], past: list[av.EventView],
           crumbs: list[c.Crumb], deps: frozenset[str], label: Callable[[str], str], *,
           portal: bool) -> list[OutputFile]:
    """/agenda/ (upcoming, paginated, with the latest past events under page 1) and, on agency
    sites, the past-events archive /agenda/lalu/, paginated: no page of unbounded length."""
    per_page = region.config.per_page
    archive = r.urls.path("agenda/lalu/") if past and not portal else None
    out = []
    pages = c.paginate(len(upcoming), per_page, "agenda/", r.urls)
    for number, rel, part in pages:
        heading = label("agenda") if number == 1 else f"{label('agenda')} ({label('page')} {number})"
        out.append(r.render(
            "agenda_list.html", rel, title=heading, description=f"{label('agenda')} - {r.site.name}",
            kind="portal-agenda" if portal else "agenda", crumbs=crumbs, deps=deps, heading=heading,
            upcoming=upcoming[part], past=past[:RECENT_PAST] if number == 1 and not portal else None,
            archive_url=archive, pagination=c.pagination(pages, number, r.urls), portal=portal,
            ics_url=r.urls.path(ICS), ics_abs_url=r.urls.abs(ICS),
        ))
    if archive is None:
        return out
    archive_crumb = c.Crumb(label("agenda_past"), archive)
    pages = c.paginate(len(past), per_page, "agenda/lalu/", r.urls)
    for number, rel, part in pages:
        heading = label("agenda_past")
        heading = heading if number == 1 else f"{heading} ({label('page')} {number})"
        out.append(r.render(
            "agenda_list.html", rel, title=heading, description=f"{heading} - {r.site.name}",
            kind="agenda-past", crumbs=[*crumbs, archive_crumb], deps=deps, heading=heading,
            upcoming=None, past=past[part], archive_url=None, pagination=c.pagination(pages, number, r.urls),
            portal=False, ics_url=r.urls.path(ICS), ics_abs_url=r.urls.abs(ICS),
        ))
    return out


def _abs_ics(urls: c.Urls) -> Callable[[str], str]:
    return lambda slug: urls.abs(ONE_ICS.format(slug=slug))


def portal_files(p: PortalSection) -> list[OutputFile]:
    """The portal's /agenda/ (every agency's upcoming events, linking to the agency pages) and
    agenda.ics (every event of every agency, titled with the agency's short name)."""
    r, label, lang = p.r, p.label, _lang(p.r)
    pairs: list[tuple[av.EventView, Post]] = []
    for site in p.region.sites:
        posts = site.of_kind(Kind.AGENDA)
        if not posts:
            continue
        urls = c.Urls(site.config.base_url)
        sv = c.site_view(site.config, urls, brand_file(site.slug, site.config.colour, "")[1], None)
        views = [c.post_view(post, sv, urls, lambda k: label(k.value), shown_at=r.urls) for post in posts]
        pairs += _events(posts, views, p.region, lang, _abs_ics(urls))
    if not pairs:
        return []
    every = p.sources | {ev.post.source for ev, _ in pairs}
    upcoming, _ = av.upcoming_first([ev for ev, _ in pairs])
    files = _lists(r, p.region, upcoming, [], [p.home, c.Crumb(label("agenda"), r.urls.path("agenda/"))],
                   every, label, portal=True)
    ordered = sorted(pairs, key=lambda pair: (pair[0].start, pair[0].post.abs_url))
    events = [av.cal_event(ev, post.slug, lang, prefix=f"{ev.post.site.short_name}: ")
              for ev, post in ordered]
    files.append(OutputFile(PurePosixPath(r.root) / ICS, calendar(_info(r, label), events), every))
    return files
