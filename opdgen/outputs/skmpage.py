"""The /skm/ page of an agency: each year's Survei Kepuasan Masyarakat result, newest first, with
the nine elements and the index over the years as inline SVG charts and as tables. Pure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import PurePosixPath

from markupsafe import Markup

from opdgen.outputs import skmchart
from opdgen.problems import Problem, ProblemError
from opdgen.public.skm import ELEMENTS, SurveyDetails
from opdgen.records import record
from opdgen.render import context as c


@record
class ElementRow:
    code: str  # "U1"
    name: str  # "Persyaratan"
    nrr: str  # "3,25" (formatted for the page language)
    converted: str  # NRR x 25, "81,25"
    grade: str  # A-D


@record(kw_only=True)
class SurveyView:
    """One year's result, figures formatted for the page."""

    post: c.PostView  # title, body (analysis and follow-up), summary, draft status
    year: int
    period: str
    respondents: str  # "1.234"
    index: str  # "82,47"
    grade: str  # A-D
    grade_label: str  # "Baik"
    elements: tuple[ElementRow, ...]
    chart: Markup  # the nine elements as SVG


def decimal_text(value: Decimal, lang: str) -> str:
    """3.25 -> "3,25" in Indonesian, "3.25" in English; always two decimals."""
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "id" else text


def count_text(value: int, lang: str) -> str:
    """1234 -> "1.234" in Indonesian, "1,234" in English."""
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "id" else text


def survey_views(surveys: Sequence[tuple[c.PostView, SurveyDetails]], label: Callable[[str], str],
                 lang: str) -> list[SurveyView]:
    """Each year's view, newest first; two files for one year stop the build (which to show?)."""
    check_unique_years(surveys)
    ordered = sorted(surveys, key=lambda pair: (-pair[1].year, pair[0].url))
    return [survey_view(view, d, label, lang) for view, d in ordered]


def check_unique_years(surveys: Sequence[tuple[c.PostView, SurveyDetails]]) -> None:
    seen: dict[int, str] = {}
    problems = []
    for view, d in sorted(surveys, key=lambda pair: pair[0].source):
        first = seen.setdefault(d.year, view.source)
        if first != view.source:
            problems.append(Problem(PurePosixPath(view.source), None, "skm.year.duplicate",
                                    {"year": str(d.year), "other": first}))
    if problems:
        raise ProblemError(problems)


def survey_view(view: c.PostView, d: SurveyDetails, label: Callable[[str], str], lang: str) -> SurveyView:
    names = [label(f"skm_{key}") for key in ELEMENTS]
    rows = tuple(
        ElementRow(key.upper(), name, decimal_text(nrr, lang), decimal_text(nrr * 25, lang), grade)
        for key, name, nrr, grade in zip(ELEMENTS, names, d.elements, d.element_grades, strict=True)
    )
    desc = "; ".join(f"{r.code} {r.name}: {r.nrr}" for r in rows)
    chart = skmchart.elements_chart(
        [r.code for r in rows], d.elements, title=f"{label('skm_chart_elements')} {d.year}",
        desc=desc + ".", chart_id=f"skm-unsur-{d.year}", show=lambda v: decimal_text(v, lang),
    )
    return SurveyView(
        post=view, year=d.year, period=d.period, respondents=count_text(d.respondents, lang),
        index=decimal_text(d.index, lang), grade=d.grade, grade_label=label(f"skm_grade_{d.grade}"),
        elements=rows, chart=chart,
    )


def trend(surveys: Sequence[tuple[c.PostView, SurveyDetails]], label: Callable[[str], str],
          lang: str) -> Markup:
    """The index of every year, oldest first."""
    years = sorted((d.year, d.index) for _, d in surveys)
    desc = "; ".join(f"{year}: {decimal_text(index, lang)}" for year, index in years)
    return skmchart.trend_chart(years, title=label("skm_chart_trend"), desc=desc + ".",
                                chart_id="skm-tren", show=lambda v: decimal_text(v, lang))
