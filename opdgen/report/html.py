"""The report as one static HTML page: summary, silent agencies, ranking, small multiples; pure.

No script, no <style> element, no style attribute (the portal's strict CSP): the stylesheet is a
separate file (report.css) whose address the caller gives. Tables are real tables with captions,
charts are inline SVG images with a title and a description; the page reads on a phone and prints.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from opdgen.records import record
from opdgen.report.model import AgencyFigures, Report, Status
from opdgen.report.svg import month_chart
from opdgen.report.words import dash, kinds_list, long_date, notes, say, short_date, status_word

STYLESHEET = Path(__file__).with_name("report.css")


def stylesheet() -> bytes:
    """The report's CSS, shipped beside this module."""
    return STYLESHEET.read_bytes()


@record
class PageLinks:
    """Addresses the page refers to; on the portal they are the portal's."""

    css: str  # the stylesheet
    home: str | None = None  # "back to the portal" (published report only)
    canonical: str | None = None  # absolute address of the published page
    icon: str | None = None  # the portal's favicon
    css_integrity: str | None = None  # Subresource Integrity of the stylesheet (on the portal)


def render_html(report: Report, lang: str, links: PageLinks) -> str:
    """The whole page."""
    e = escape
    title = say("title", lang)
    head = [
        "<!DOCTYPE html>", f'<html lang="{e(lang)}">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)} · {e(report.region)} · {e(long_date(report.today, lang))}</title>",
        f'<meta name="description" content="{e(description(report, lang))}">',
        '<meta name="color-scheme" content="light dark">',
    ]
    if links.canonical:
        head.append(f'<link rel="canonical" href="{e(links.canonical)}">')
    if links.icon:
        head.append(f'<link rel="icon" href="{e(links.icon)}" type="image/svg+xml">')
    sri = f' integrity="{e(links.css_integrity)}"' if links.css_integrity else ""
    head += [f'<link rel="stylesheet" href="{e(links.css)}"{sri}>', "</head>", "<body>"]
    body = [masthead(report, lang, links.home), '<main id="isi">', summary(report, lang),
            silent(report, lang), ranking(report, lang), charts(report, lang), "</main>",
            f'<footer class="colophon"><p>{e(say("generated", lang))}</p></footer>', "</body>",
            "</html>"]
    return "\n".join(head + body) + "\n"


def description(report: Report, lang: str) -> str:
    return say("description", lang, count=len(report.agencies), region=report.region,
               date=long_date(report.today, lang))


def masthead(report: Report, lang: str, home: str | None) -> str:
    e = escape
    back = f'<p class="back"><a href="{e(home)}">{e(say("back", lang))}</a></p>' if home else ""
    meta = " · ".join((
        say("as_of", lang, date=long_date(report.today, lang)),
        say("period", lang, start=long_date(report.since, lang), end=long_date(report.today, lang)),
        say("agencies", lang, count=len(report.agencies)),
    ))
    return (f'<header class="masthead">{back}<p class="region">{e(report.region)}</p>'
            f"<h1>{e(say('title', lang))}</h1><p class=\"meta\">{e(meta)}</p></header>")


def badge(status: Status, lang: str) -> str:
    return f'<span class="badge status-{status.css}">{escape(status_word(status, lang))}</span>'


def summary(report: Report, lang: str) -> str:
    """Counts per status (silent first), the rules behind the statuses, notes on gaps."""
    e = escape
    t = report.thresholds
    tally = "".join(
        f'<li class="tally-{s.css}"><span class="tally-count">{report.count(s)}</span> '
        f"{badge(s, lang)}</li>" for s in Status
    )
    rules = [
        say("rule.active", lang, days=t.active_days, posts=t.min_posts_per_month),
        say("rule.inactive", lang, days=t.inactive_days),
        say("rule.counted", lang, kinds=kinds_list(report, lang)),
        say("pages.expected", lang, pages=", ".join(t.standing_pages)),
    ]
    items = "".join(f"<li>{e(r)}</li>" for r in rules + notes(report, lang))
    return (f'<section aria-labelledby="ringkasan"><h2 id="ringkasan">{e(say("summary", lang))}</h2>'
            f'<ul class="tally">{tally}</ul><ul class="rules">{items}</ul></section>')


def when(a: AgencyFigures, lang: str) -> str:
    """`17 September 2026 (72 hari lalu)`, or `belum pernah` when it never published."""
    if a.last_published is None or a.days_since is None:
        return say("never", lang)
    ago = {0: say("today", lang), 1: say("yesterday", lang)}.get(a.days_since) or say(
        "days_ago", lang, days=a.days_since)
    return f"{short_date(a.last_published, lang)} ({ago})"


def silent(report: Report, lang: str) -> str:
    """The silent (tidak aktif) agencies, longest silence first: the ones to call."""
    e = escape
    heading = f'<h2 id="diam">{e(say("silent.heading", lang, count=len(report.silent)))}</h2>'
    if not report.silent:
        body = f'<p>{e(say("silent.none", lang))}</p>'
    else:
        body = '<ol class="silent">' + "".join(
            f'<li><a href="{e(a.url)}">{e(a.name)}</a>: {e(silent_words(a, lang))}</li>'
            for a in report.silent
        ) + "</ol>"
    return f'<section aria-labelledby="diam">{heading}{body}</section>'


def silent_words(a: AgencyFigures, lang: str) -> str:
    if a.last_published is None:
        return say("silent.never", lang)
    return say("silent.item", lang, last=when(a, lang))


RANKING_COLUMNS = ("no", "agency", "status", "last", "days", "period", "recent", "contributors",
                   "last_change", "pages", "ppid", "alt")
NUMERIC = frozenset({"no", "days", "period", "recent", "contributors", "ppid", "alt"})
NUM = ' class="num"'


def ranking(report: Report, lang: str) -> str:
    """Every agency in one table, silent first, in a keyboard-scrollable region on phones."""
    e = escape
    days = report.thresholds.active_days
    head = "".join(
        f'<th scope="col"{NUM if c in NUMERIC else ""}>{e(say(f"col.{c}", lang, days=days))}</th>'
        for c in RANKING_COLUMNS
    )
    rows = "".join(ranking_row(i, a, lang) for i, a in enumerate(report.agencies, 1))
    return (
        f'<section aria-labelledby="peringkat"><h2 id="peringkat">{e(say("ranking.heading", lang))}</h2>'
        f'<div class="table-scroll" role="region" aria-labelledby="peringkat-cap" tabindex="0">'
        f'<table class="ranking"><caption id="peringkat-cap">{e(say("ranking.caption", lang))}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div></section>"
    )


def ranking_row(number: int, a: AgencyFigures, lang: str) -> str:
    e = escape
    pages = ", ".join(f"<span>{e(p)}</span>" for p in a.missing_pages) or e(say("none", lang))
    last = short_date(a.last_published, lang) if a.last_published else say("never", lang)
    cells = [
        f'<td class="num">{number}</td>',
        f'<th scope="row"><a href="{e(a.url)}">{e(a.name)}</a></th>',
        f"<td>{badge(a.status, lang)}</td>",
        f'<td class="date">{e(last)}</td>',
        f'<td class="num">{dash(a.days_since)}</td>',
        f'<td class="num">{a.in_period}</td>',
        f'<td class="num">{a.recent}</td>',
        f'<td class="num">{dash(a.contributors)}</td>',
        f'<td class="date">{e(short_date(a.last_change, lang)) if a.last_change else "-"}</td>',
        f'<td class="pages">{pages}</td>',
        f'<td class="num">{dash(a.ppid_missing)}</td>',
        f'<td class="num">{a.images_without_alt}</td>',
    ]
    return f'<tr class="row-{a.status.css}">{"".join(cells)}</tr>'


def charts(report: Report, lang: str) -> str:
    """One card per agency, in ranking order: name, status, the chart, the key figures."""
    e = escape
    cards = []
    for a in report.agencies:
        figures = (
            (say("col.last", lang), when(a, lang)),
            (say("col.period", lang), str(a.in_period)),
            (say("col.contributors", lang), dash(a.contributors)),
        )
        dl = "".join(f"<div><dt>{e(k)}</dt><dd>{e(v)}</dd></div>" for k, v in figures)
        cards.append(
            f'<li class="card card-{a.status.css}"><h3>{e(a.name)}</h3>{badge(a.status, lang)}'
            f"<dl>{dl}</dl>{month_chart(report, a, lang, f'grafik-{a.slug}')}</li>"
        )
    intro = say("chart.intro", lang, peak=report.peak)
    return (f'<section aria-labelledby="grafik"><h2 id="grafik">{e(say("chart.heading", lang))}</h2>'
            f'<p>{e(intro)}</p><ul class="cards">{"".join(cards)}</ul></section>')
