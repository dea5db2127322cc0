"""Reading Lighthouse's JSON reports for `make audit`: scores, failing audits, the table, the verdict.

Pure: a parsed report (a dict) in, frozen values and text out. Running Lighthouse, nginx and the
build is benchmarks/audit.py's job; nothing here touches a process, a file or the network.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
HEADINGS = {"performance": "perf", "accessibility": "a11y", "best-practices": "best", "seo": "seo"}
TARGET = 100
# Display modes whose score is a verdict; "informative", "manual" and "notApplicable" carry none.
SCORED_MODES = ("binary", "numeric", "metricSavings")


@dataclass(frozen=True, slots=True)
class Failing:
    """An audit of one of the four categories that did not pass."""

    id: str
    title: str
    score: float | None  # None: the audit itself errored
    weight: float  # its weight in the category: 0 for diagnostics that do not move the score
    detail: str  # Lighthouse's explanation or error message, or the displayed value


@dataclass(frozen=True, slots=True)
class PageResult:
    """One audited page: its four displayed scores (0-100; None when Lighthouse gave none)."""

    name: str
    url: str
    scores: Mapping[str, int | None]
    failing: tuple[Failing, ...]
    error: str  # runtimeError of the whole run ("" when the page loaded)
    runs: tuple[int | None, ...] = ()  # the performance score of every run, when there were several

    @property
    def passes(self) -> bool:
        return not self.error and all(self.scores.get(c) == TARGET for c in CATEGORIES)


def displayed(score: float | None) -> int | None:
    """The score as Lighthouse shows it: round half up to a whole number out of 100."""
    if score is None:
        return None
    return int(score * 100 + 0.5)


def _failing(report: Mapping[str, Any]) -> tuple[Failing, ...]:
    """Every audit referenced by the four categories that errored or scored below 1, by id."""
    weights: dict[str, float] = {}
    for category in CATEGORIES:
        for ref in report.get("categories", {}).get(category, {}).get("auditRefs", []):
            weights[ref["id"]] = max(weights.get(ref["id"], 0.0), float(ref.get("weight", 0)))
    found = []
    for audit_id in sorted(weights):
        audit = report.get("audits", {}).get(audit_id)
        if audit is None:
            continue
        mode, score = audit.get("scoreDisplayMode"), audit.get("score")
        errored = mode == "error"
        if not errored and (mode not in SCORED_MODES or score is None or score >= 1):
            continue
        detail = audit.get("errorMessage") or audit.get("explanation") or audit.get("displayValue") or ""
        found.append(Failing(audit_id, str(audit.get("title", audit_id)), None if errored else float(score),
                             weights[audit_id], " ".join(str(detail).split())))
    return tuple(found)


def page_result(name: str, report: Mapping[str, Any]) -> PageResult:
    """Scores and failing audits of one Lighthouse JSON report."""
    categories = report.get("categories", {})
    scores = {c: displayed(categories.get(c, {}).get("score")) for c in CATEGORIES}
    runtime = report.get("runtimeError") or {}
    error = f"{runtime.get('code', '')}: {runtime.get('message', '')}" if runtime else ""
    url = str(report.get("finalDisplayedUrl") or report.get("requestedUrl") or "")
    return PageResult(name, url, scores, _failing(report), error)


def _performance(result: PageResult) -> int:
    score = result.scores.get("performance")
    return -1 if score is None or result.error else score


def median_run(runs: Sequence[PageResult]) -> PageResult:
    """The run with the median performance score (the lower one of an even count), as Lighthouse's
    docs advise for a verdict on a metric that varies from run to run; it remembers every run's score."""
    if not runs:
        raise ValueError("no runs")
    ranked = sorted(runs, key=_performance)
    chosen = ranked[(len(ranked) - 1) // 2]
    return replace(chosen, runs=tuple(r.scores.get("performance") for r in runs))


def table(results: Sequence[PageResult]) -> str:
    """A plain-text table: one row per page with the four scores, then each failing audit."""
    width = max([len(r.name) for r in results] + [4])
    head = f"{'page':<{width}}  " + "  ".join(f"{HEADINGS[c]:>5}" for c in CATEGORIES) + "  url"
    lines = [head, "-" * len(head)]
    for r in results:
        cells = "  ".join(f"{'-' if r.scores[c] is None else r.scores[c]:>5}" for c in CATEGORIES)
        runs = f"  (perf of {len(r.runs)} runs: {', '.join('-' if v is None else str(v) for v in r.runs)})"
        lines.append(f"{r.name:<{width}}  {cells}  {r.url}" + (runs if len(r.runs) > 1 else ""))
    for r in results:
        if r.error:
            lines.append(f"{r.name}: Lighthouse could not audit the page: {r.error}")
        for f in r.failing:
            score = "error" if f.score is None else f"{displayed(f.score)}"
            note = "" if f.weight else " (diagnostic: weight 0)"
            detail = f" -- {f.detail}" if f.detail else ""
            lines.append(f"{r.name}: {f.id} [{score}]{note}: {f.title}{detail}")
    return "\n".join(lines)


def verdict(results: Sequence[PageResult]) -> int:
    """The exit code of `make audit`: 0 when every page scores 100 in all four categories, else 1."""
    return 0 if results and all(r.passes for r in results) else 1
