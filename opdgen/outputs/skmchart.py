"""SKM charts as inline SVG: the nine element scores, and the index over the years; pure, no script.

Bars start at zero, so their heights are proportional to the values. Colours come from the
stylesheet through classes (presentation attributes are only the no-CSS fallback; no style
attributes under the strict CSP). A chart is an image to assistive technology, named by its
<title> and read out by its <desc>; the page shows the same figures in a table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape

from markupsafe import Markup

SLOT = 40  # width of one bar's column
BAR = 26  # width of a bar
AXIS = 26  # room left of the bars for the scale
TOP = 18  # room above the tallest bar for its value
PLOT = 120  # height of a bar at the top of the scale
BOTTOM = 20  # room below the baseline for the names
SCALE = 1.4  # CSS pixels per unit: every chart's text shows at the same size
FALLBACK_BAR = "#1f5f8b"  # no-CSS fallback; the stylesheet uses the site's colour


def _num(value: float | Decimal) -> str:
    """A coordinate with at most two decimals, without trailing zeros (stable bytes)."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def bar_chart(
    bars: Sequence[tuple[str, Decimal]], top: Decimal, ticks: Sequence[Decimal], *,
    title: str, desc: str, chart_id: str, show: Callable[[Decimal], str], cls: str = "",
) -> Markup:
    """A column chart: one (name, value) per bar, the scale from 0 to `top`, grid lines at `ticks`.

    Args:
        show: formats a value for the label above its bar and the scale (decimal comma in Indonesian).
    """
    width = AXIS + SLOT * max(len(bars), 3) + 4
    base = TOP + PLOT
    shapes = []
    for tick in ticks:
        y = _num(base - PLOT * float(tick / top))
        shapes.append(f'<line class="skm-grid" x1="{AXIS}" y1="{y}" x2="{width - 4}" y2="{y}" '
                      f'stroke="#c4cbd3" stroke-width="1"/>')
        shapes.append(f'<text class="skm-tick" x="{AXIS - 4}" y="{y}" dy="4" text-anchor="end">'
                      f'{int(tick)}</text>')
    for i, (name, value) in enumerate(bars):
        height = PLOT * float(value / top)
        x, mid = AXIS + i * SLOT + (SLOT - BAR) / 2, AXIS + i * SLOT + SLOT / 2
        shapes.append(f'<rect class="skm-bar" x="{_num(x)}" y="{_num(base - height)}" width="{BAR}" '
                      f'height="{_num(height)}" fill="{FALLBACK_BAR}"/>')
        shapes.append(f'<text class="skm-value" x="{_num(mid)}" y="{_num(base - height - 5)}" '
                      f'text-anchor="middle">{escape(show(value))}</text>')
        shapes.append(f'<text class="skm-name" x="{_num(mid)}" y="{base + BOTTOM - 5}" '
                      f'text-anchor="middle">{escape(name)}</text>')
    shapes.append(f'<line class="skm-axis" x1="{AXIS}" y1="{base}" x2="{width - 4}" y2="{base}" '
                  f'stroke="#4f5b67" stroke-width="1.5"/>')
    height_all = base + BOTTOM
    return Markup(
        f'<svg class="skm-chart{" " + cls if cls else ""}" viewBox="0 0 {width} {height_all}" '
        f'width="{_num(width * SCALE)}" height="{_num(height_all * SCALE)}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'font-size="11" font-family="sans-serif">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>'
        + "".join(shapes) + "</svg>"
    )


NRR_TICKS = tuple(Decimal(n) for n in (1, 2, 3, 4))
INDEX_TICKS = tuple(Decimal(n) for n in (25, 50, 75, 100))


def elements_chart(names: Sequence[str], values: Sequence[Decimal], *, title: str, desc: str,
                   chart_id: str, show: Callable[[Decimal], str]) -> Markup:
    """The nine element scores (NRR) of one year on a 0-4 scale."""
    return bar_chart(list(zip(names, values, strict=True)), Decimal(4), NRR_TICKS, title=title,
                     desc=desc, chart_id=chart_id, show=show, cls="skm-chart-elements")


def trend_chart(years: Sequence[tuple[int, Decimal]], *, title: str, desc: str, chart_id: str,
                show: Callable[[Decimal], str]) -> Markup:
    """The index (IKM) of each year, oldest first, on a 0-100 scale."""
    return bar_chart([(str(year), index) for year, index in years], Decimal(100), INDEX_TICKS,
                     title=title, desc=desc, chart_id=chart_id, show=show, cls="skm-chart-trend")
