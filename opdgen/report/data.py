"""The report as CSV (one row per agency, for spreadsheets) and JSON (for dashboards); pure.

Keys and status values are the same in every language: scripts depend on them. A figure that is
not known (no git history; PPID documents until the Public service work) is an empty cell / null.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from opdgen.report.model import AgencyFigures, Report


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def agency_record(report: Report, a: AgencyFigures) -> dict[str, Any]:
    """One agency's figures under their stable keys."""
    return {
        "slug": a.slug,
        "name": a.name,
        "url": a.url,
        "status": a.status.value,
        "last_published": _day(a.last_published),
        "days_since": a.days_since,
        "posts_in_period": a.in_period,
        "posts_by_kind": dict(a.by_kind),
        "recent_posts": a.recent,
        "posts_per_month": {m.key: n for m, n in zip(report.months, a.per_month, strict=True)},
        "contributors": a.contributors,
        "last_change": _day(a.last_change),
        "missing_pages": list(a.missing_pages),
        "ppid_missing": a.ppid_missing,
        "images_without_alt": a.images_without_alt,
    }


def render_json(report: Report) -> str:
    """The whole report: its date, period, thresholds and every agency, silent first."""
    t = report.thresholds
    data = {
        "region": report.region,
        "report_date": report.today.isoformat(),
        "since": report.since.isoformat(),
        "months": [m.key for m in report.months],
        "kinds": list(report.kinds),
        "thresholds": {"active_days": t.active_days, "inactive_days": t.inactive_days,
                       "min_posts_per_month": t.min_posts_per_month},
        "standing_pages": list(t.standing_pages),
        "git_history": report.has_history,
        "shallow_history": report.is_shallow,
        "agencies": [agency_record(report, a) for a in report.agencies],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_csv(report: Report) -> str:
    """A header row, then one row per agency (silent first); a column per kind and per month."""
    head = ["report_date", "slug", "name", "url", "status", "last_published", "days_since",
            "posts_in_period", *(f"{k}_in_period" for k in report.kinds), "recent_posts",
            "contributors", "last_change", "missing_pages", "ppid_missing", "images_without_alt",
            *(m.key for m in report.months)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow(head)
    for a in report.agencies:
        r = agency_record(report, a)
        writer.writerow([
            report.today.isoformat(), a.slug, a.name, a.url, r["status"], r["last_published"],
            r["days_since"], a.in_period, *(n for _, n in a.by_kind), a.recent, r["contributors"],
            r["last_change"], " ".join(a.missing_pages), r["ppid_missing"], a.images_without_alt,
            *a.per_month,
        ])
    return out.getvalue()
