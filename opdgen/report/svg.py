"""One small-multiple chart: an agency's posts per month as inline SVG bars; pure, no script.

Every chart of a report shares one scale (the report's peak month), so bars compare across
agencies. Colours come from the stylesheet through classes: no style attributes (strict CSP).
The chart is an image to assistive technology, named by its <title> and read out by its <desc>.
"""

from __future__ import annotations

from html import escape

from opdgen.report.model import AgencyFigures, Report
from opdgen.report.words import long_date, month_abbr, month_name, say

SLOT = 20  # width of one month
PAD = 4  # left and right margin
TOP = 14  # room for the count above the tallest bar
BARS = 56  # height of the tallest bar (the report's peak)
BOTTOM = 14  # room for the month names
BAR = 14  # width of a bar


def _num(value: float) -> str:
    """A coordinate with at most one decimal, without a trailing .0 (stable bytes)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def month_chart(report: Report, agency: AgencyFigures, lang: str, chart_id: str) -> str:
    """The <svg> of one agency: a bar and its count per month, month names below, a baseline."""
    n = len(report.months)
    width, base = PAD * 2 + SLOT * n, TOP + BARS
    peak = max(report.peak, 1)
    shapes = [f'<line class="baseline" x1="{PAD}" y1="{base}" x2="{width - PAD}" y2="{base}"/>']
    for i, (month, count) in enumerate(zip(report.months, agency.per_month, strict=True)):
        x = PAD + i * SLOT + (SLOT - BAR) / 2
        mid = _num(PAD + i * SLOT + SLOT / 2)
        if count:
            height = BARS * count / peak
            y = base - height
            shapes.append(f'<rect class="bar" x="{_num(x)}" y="{_num(y)}" width="{BAR}" '
                          f'height="{_num(height)}"/>')
            shapes.append(f'<text class="count" x="{mid}" y="{_num(y - 3)}">{count}</text>')
        else:
            shapes.append(f'<rect class="zero" x="{_num(x)}" y="{base - 2}" width="{BAR}" height="2"/>')
        shapes.append(f'<text class="month" x="{mid}" y="{base + BOTTOM - 3}">'
                      f'{escape(month_abbr(month, lang))}</text>')
    title = say("chart.label", lang, agency=agency.name,
                start=month_name(report.months[0], lang), end=month_name(report.months[-1], lang))
    desc = "; ".join(f"{month_name(m, lang)}: {c}"
                     for m, c in zip(report.months, agency.per_month, strict=True))
    desc += ". " + say("chart.until", lang, date=long_date(report.today, lang))
    return (
        f'<svg class="chart" viewBox="0 0 {width} {base + BOTTOM}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>'
        + "".join(shapes) + "</svg>"
    )
