"""Words and dates of the report in Indonesian or English; the words themselves live in messages/."""

from __future__ import annotations

from datetime import date

from opdgen.messages import text
from opdgen.render.filters import MONTHS
from opdgen.report.model import Month, Report, Status


def say(key: str, lang: str, **params: object) -> str:
    """The report's label `report.<key>` in lang."""
    return text(f"report.{key}", lang, **params)


def status_word(status: Status, lang: str) -> str:
    return say(f"status.{status.css}", lang)


def long_date(day: date, lang: str) -> str:
    """28 November 2026"""
    return f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"


def short_date(day: date, lang: str) -> str:
    """17 Sep 2026, for tables and cards"""
    return f"{day.day} {MONTHS[lang][day.month - 1][:3]} {day.year}"


def month_name(month: Month, lang: str) -> str:
    """November 2026"""
    return f"{MONTHS[lang][month.month - 1]} {month.year}"


def month_abbr(month: Month, lang: str) -> str:
    """Nov, Des / Dec: the first three letters, as both languages abbreviate."""
    return MONTHS[lang][month.month - 1][:3]


def kinds_list(report: Report, lang: str) -> str:
    """`berita dan pengumuman` / `news and announcements`."""
    names = [say(f"kind.{k}", lang) for k in report.kinds]
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + say("and", lang) + names[-1]


def dash(value: object) -> str:
    """A figure for display: "-" where it is not known (None)."""
    return "-" if value is None else str(value)


def notes(report: Report, lang: str) -> list[str]:
    """What the figures cannot say: missing or shallow git history, PPID documents."""
    out = []
    if not report.has_history:
        out.append(say("history.none", lang))
    elif report.is_shallow:
        out.append(say("history.shallow", lang))
    out.append(say("ppid.counted", lang))  # opdgen.public.freshness: what `opdgen check` advises
    return out
