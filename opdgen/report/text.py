"""The report as a terminal table (plain text, columns two spaces apart); pure."""

from __future__ import annotations

from collections.abc import Sequence

from opdgen.report.model import AgencyFigures, Report, Status
from opdgen.report.words import dash, kinds_list, long_date, month_abbr, notes, say, status_word

GAP = "  "  # columns are at least two spaces apart, so a reader (or a test) can split on it


def render_text(report: Report, lang: str) -> str:
    """Heading, summary, the ranking, monthly posts and missing standing pages."""
    lines = [say("title", lang), header_line(report, lang), ""]
    lines += summary_lines(report, lang)
    lines += ["", *ranking_lines(report, lang), ""]
    lines += [say("chart.heading", lang), *monthly_lines(report, lang)]
    missing = [a for a in report.agencies if a.missing_pages]
    if missing:
        lines += ["", say("col.pages", lang) + ":"]
        lines += [f"- {a.short_name}: {', '.join(a.missing_pages)}" for a in missing]
    return "\n".join(lines) + "\n"


def header_line(report: Report, lang: str) -> str:
    return " · ".join((
        report.region,
        say("as_of", lang, date=long_date(report.today, lang)),
        say("period", lang, start=long_date(report.since, lang), end=long_date(report.today, lang)),
    ))


def summary_lines(report: Report, lang: str) -> list[str]:
    """Counts per status, the rules behind them and notes on what could not be counted."""
    t = report.thresholds
    counts = ", ".join(f"{report.count(s)} {status_word(s, lang)}" for s in Status)
    lines = [
        f"{say('summary', lang)}: {counts} ({say('agencies', lang, count=len(report.agencies))})",
        say("rule.active", lang, days=t.active_days, posts=t.min_posts_per_month),
        say("rule.inactive", lang, days=t.inactive_days),
        say("rule.counted", lang, kinds=kinds_list(report, lang)),
    ]
    return lines + notes(report, lang)


def _row(a: AgencyFigures, number: int, lang: str) -> list[str]:
    return [
        str(number), a.short_name, status_word(a.status, lang),
        a.last_published.isoformat() if a.last_published else "-", dash(a.days_since),
        str(a.in_period), str(a.recent), dash(a.contributors),
        a.last_change.isoformat() if a.last_change else "-",
        str(len(a.missing_pages)), dash(a.ppid_missing), str(a.images_without_alt),
    ]


COLUMNS = ("no", "agency", "status", "last", "days", "period", "recent", "contributors",
           "last_change", "pages", "ppid", "alt")
LEFT = frozenset({"agency", "status", "last", "last_change"})


def ranking_lines(report: Report, lang: str) -> list[str]:
    """The ranking table, silent first, then a legend of the abbreviated column names."""
    days = report.thresholds.active_days
    head = [say(f"abbr.{c}", lang, days=days) for c in COLUMNS]
    rows = [_row(a, i, lang) for i, a in enumerate(report.agencies, 1)]
    lines = table([head, *rows], [c in LEFT for c in COLUMNS])
    legend = [f"  {say(f'abbr.{c}', lang, days=days)}: {say(f'col.{c}', lang, days=days)}"
              for c in COLUMNS[3:]]
    return [say("ranking.heading", lang), *lines, "", *legend]


def monthly_lines(report: Report, lang: str) -> list[str]:
    """Agencies by months: a row of years (at the first month and each January), then months."""
    years = ["" for _ in report.months]
    for i, m in enumerate(report.months):
        if i == 0 or m.month == 1:
            years[i] = str(m.year)
    months = [month_abbr(m, lang) for m in report.months]
    rows = [["", *years], [say("abbr.agency", lang), *months]]
    rows += [[a.short_name, *map(str, a.per_month)] for a in report.agencies]
    return table(rows, [True] + [False] * len(report.months))


def table(rows: Sequence[Sequence[str]], left: Sequence[bool]) -> list[str]:
    """Columns padded to their widest cell; text left-aligned, numbers right-aligned."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(left))]
    return [
        GAP.join(c.ljust(w) if is_left else c.rjust(w)
                 for c, w, is_left in zip(cells, widths, left, strict=True)).rstrip()
        for cells in rows
    ]
