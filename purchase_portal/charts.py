"""Charts drawn on the server as SVG, each with the table that says the same.

A page never depends on JavaScript to show a figure: the SVG is in the HTML,
carries ``role="img"`` with a ``<title>`` and a ``<desc>`` that
``aria-labelledby`` names, and the same numbers are in a table beside it
(WCAG 2.1 1.1.1, 1.3.1). Series are told apart by a pattern and a label as well
as by colour (1.4.1); every colour has at least 3:1 contrast on white (1.4.11)
and the value of each bar is written next to it.

Three shapes cover the records' figures: grouped bars (budget, awarded, paid;
planned and paid per tranche; target and achieved), stacked bars (beneficiaries
by disability category, split by street) and ranges (lowest, median and highest
score). The apps build the numbers in their selectors; this module only draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

#: Colours with ≥ 3:1 contrast on white, and the pattern that goes with each.
PALETTE = ("#0b4f8a", "#a34800", "#1e6b34", "#6a3d9a", "#4a5560", "#8a1c5a")
PATTERNS = ("solid", "diagonal", "dots", "cross", "horizontal", "vertical")

WIDTH = 640
LABEL_HEIGHT = 22
BAR_HEIGHT = 18
GAP = 14
LEFT = 8
RIGHT = 110  # room for the value written after the longest bar


@dataclass(frozen=True)
class TableRow:
    label: str
    values: list[str]


@dataclass
class Chart:
    """What a page shows: the SVG and the equivalent table."""

    id: str
    title: str
    description: str
    svg: SafeString
    columns: list[str]
    rows: list[TableRow]
    legend: list[tuple[str, int, str]] = field(default_factory=list)  # name, colour, pattern
    note: str = ""

    @property
    def title_id(self) -> str:
        return f"{self.id}-title"

    @property
    def desc_id(self) -> str:
        return f"{self.id}-desc"


def format_number(value: Decimal | int | float | None) -> str:
    """A figure with thousands separators and at most two decimals."""
    if value is None:
        return "—"
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.quantize(Decimal('0.01')):,}"


def _text(value) -> str:
    return escape(str(value), {'"': "&quot;"})


def _defs(chart_id: str, count: int) -> str:
    """One fill per series: the colour, with a pattern over it for the 2nd series on."""
    parts = []
    for i in range(count):
        colour, pattern = PALETTE[i % len(PALETTE)], PATTERNS[i % len(PATTERNS)]
        pid = f"{chart_id}-p{i}"
        if pattern == "solid":
            continue
        marks = {
            "diagonal": '<path d="M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6" stroke="#fff" stroke-width="2"/>',
            "dots": '<circle cx="4" cy="4" r="1.8" fill="#fff"/>',
            "cross": '<path d="M0,0 L8,8 M8,0 L0,8" stroke="#fff" stroke-width="1.5"/>',
            "horizontal": '<path d="M0,4 L8,4" stroke="#fff" stroke-width="2"/>',
            "vertical": '<path d="M4,0 L4,8" stroke="#fff" stroke-width="2"/>',
        }[pattern]
        parts.append(
            f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{colour}"/>{marks}</pattern>'
        )
    return f"<defs>{''.join(parts)}</defs>" if parts else ""


def _fill(chart_id: str, i: int) -> str:
    if PATTERNS[i % len(PATTERNS)] == "solid":
        return PALETTE[i % len(PALETTE)]
    return f"url(#{chart_id}-p{i})"


def _svg(chart_id: str, title: str, description: str, height: int, body: str, series: int) -> str:
    return (
        f'<svg class="chart-svg" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg" focusable="false">'
        f'<title id="{chart_id}-title">{_text(title)}</title>'
        f'<desc id="{chart_id}-desc">{_text(description)}</desc>'
        f"{_defs(chart_id, series)}{body}</svg>"
    )


def _scale(maximum: Decimal) -> Decimal:
    return maximum if maximum > 0 else Decimal(1)


def _bar(x: float, y: float, width: float, fill: str, value_text: str, name: str) -> str:
    width = max(width, 0)
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{fill}" '
        f'stroke="#1b1f23" stroke-width="0.5"><title>{_text(name)}: {_text(value_text)}</title></rect>'
        f'<text x="{x + width + 6:.1f}" y="{y + BAR_HEIGHT - 4:.1f}" class="chart-value">'
        f"{_text(value_text)}</text>"
    )


def bar_chart(
    *,
    id: str,
    title: str,
    description: str,
    categories: list[str],
    series: list[str],
    values: list[list[Decimal | None]],
    unit: str = "",
    note: str = "",
) -> Chart:
    """Grouped horizontal bars: one group per category, one bar per series.

    ``values[c][s]`` is the value of series ``s`` in category ``c``; ``None`` is
    "not known" (no bar, a dash in the table)."""
    numbers = [Decimal(str(v)) for row in values for v in row if v is not None]
    scale = _scale(max(numbers, default=Decimal(0)))
    span = WIDTH - LEFT - RIGHT
    y, body = 4, []
    for label, row in zip(categories, values, strict=True):
        body.append(f'<text x="{LEFT}" y="{y + 15}" class="chart-label">{_text(label)}</text>')
        y += LABEL_HEIGHT
        for i, (name, value) in enumerate(zip(series, row, strict=True)):
            if value is not None:
                width = float(Decimal(str(value)) / scale) * span
                text = f"{format_number(value)}{(' ' + unit) if unit else ''}"
                body.append(_bar(LEFT, y, width, _fill(id, i), text, name))
            y += BAR_HEIGHT + 2
        y += GAP
    svg = _svg(id, title, description, y, "".join(body), len(series))
    return Chart(
        id=id,
        title=title,
        description=description,
        svg=mark_safe(svg),  # noqa: S308 - every text above is escaped
        columns=list(series),
        rows=[
            TableRow(label, [format_number(v) for v in row])
            for label, row in zip(categories, values, strict=True)
        ],
        legend=[
            (name, i % len(PALETTE), PATTERNS[i % len(PATTERNS)]) for i, name in enumerate(series)
        ],
        note=note,
    )


def stacked_chart(
    *,
    id: str,
    title: str,
    description: str,
    categories: list[str],
    series: list[str],
    values: list[list[int | Decimal]],
    total_label: str,
    note: str = "",
) -> Chart:
    """One horizontal bar per category, split into the series; the total is written
    after the bar and each segment names its series and value in its tooltip."""
    totals = [sum((Decimal(str(v)) for v in row), Decimal(0)) for row in values]
    scale = _scale(max(totals, default=Decimal(0)))
    span = WIDTH - LEFT - RIGHT
    y, body = 4, []
    for label, row, total in zip(categories, values, totals, strict=True):
        body.append(f'<text x="{LEFT}" y="{y + 15}" class="chart-label">{_text(label)}</text>')
        y += LABEL_HEIGHT
        x = float(LEFT)
        for i, (name, value) in enumerate(zip(series, row, strict=True)):
            if not value:
                continue
            width = float(Decimal(str(value)) / scale) * span
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{_fill(id, i)}" stroke="#1b1f23" stroke-width="0.5">'
                f"<title>{_text(name)}: {format_number(value)}</title></rect>"
            )
            x += width
        body.append(
            f'<text x="{x + 6:.1f}" y="{y + BAR_HEIGHT - 4}" class="chart-value">'
            f"{format_number(total)}</text>"
        )
        y += BAR_HEIGHT + GAP
    svg = _svg(id, title, description, y, "".join(body), len(series))
    return Chart(
        id=id,
        title=title,
        description=description,
        svg=mark_safe(svg),  # noqa: S308 - every text above is escaped
        columns=[*series, total_label],
        rows=[
            TableRow(label, [*(format_number(v) for v in row), format_number(total)])
            for label, row, total in zip(categories, values, totals, strict=True)
        ],
        legend=[
            (name, i % len(PALETTE), PATTERNS[i % len(PATTERNS)]) for i, name in enumerate(series)
        ],
        note=note,
    )


@dataclass(frozen=True)
class Spread:
    low: Decimal
    middle: Decimal
    high: Decimal


def spread(values: list[Decimal]) -> Spread | None:
    """Lowest, median and highest of some numbers (None when there are none)."""
    numbers = sorted(Decimal(str(v)) for v in values if v is not None)
    if not numbers:
        return None
    return Spread(numbers[0], Decimal(str(median(numbers))), numbers[-1])


def range_chart(
    *,
    id: str,
    title: str,
    description: str,
    categories: list[str],
    spreads: list[Spread | None],
    columns: tuple[str, str, str],
    maximum: Decimal,
    minimum: Decimal = Decimal(0),
    note: str = "",
) -> Chart:
    """One line per category from the lowest to the highest value, with a mark at
    the median; the three numbers are written beside the line. The axis runs from
    ``minimum`` to ``maximum`` (both written under the drawing), so close values
    stay apart."""
    minimum = Decimal(str(minimum))
    scale = _scale(Decimal(str(maximum)) - minimum)
    span = WIDTH - LEFT - 190
    y, body = 4, []
    axis = f'<line x1="{LEFT}" x2="{LEFT + span}" y1="{{y}}" y2="{{y}}" stroke="#4a5560"/>'
    for label, item in zip(categories, spreads, strict=True):
        body.append(f'<text x="{LEFT}" y="{y + 15}" class="chart-label">{_text(label)}</text>')
        y += LABEL_HEIGHT
        mid = y + BAR_HEIGHT / 2
        body.append(axis.format(y=f"{mid:.1f}").replace('stroke="#4a5560"', 'stroke="#c5ced6"'))
        if item is not None:
            x1 = LEFT + float((item.low - minimum) / scale) * span
            x2 = LEFT + float((item.high - minimum) / scale) * span
            xm = LEFT + float((item.middle - minimum) / scale) * span
            text = f"{format_number(item.low)} / {format_number(item.middle)} / {format_number(item.high)}"
            body.append(
                f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="{mid:.1f}" y2="{mid:.1f}" '
                f'stroke="{PALETTE[0]}" stroke-width="6" stroke-linecap="round"/>'
                f'<rect x="{xm - 4:.1f}" y="{y:.1f}" width="8" height="{BAR_HEIGHT}" '
                f'fill="{PALETTE[1]}" stroke="#1b1f23" stroke-width="0.5">'
                f"<title>{_text(columns[1])}: {format_number(item.middle)}</title></rect>"
                f'<text x="{LEFT + span + 10}" y="{y + BAR_HEIGHT - 4:.1f}" class="chart-value">'
                f"{_text(text)}</text>"
            )
        y += BAR_HEIGHT + GAP
    body.append(
        f'<text x="{LEFT}" y="{y + 4}" class="chart-value">{format_number(minimum)}</text>'
        f'<text x="{LEFT + span}" y="{y + 4}" class="chart-value" text-anchor="end">'
        f"{format_number(maximum)}</text>"
    )
    y += 12
    svg = _svg(id, title, description, y, "".join(body), 0)
    return Chart(
        id=id,
        title=title,
        description=description,
        svg=mark_safe(svg),  # noqa: S308 - every text above is escaped
        columns=list(columns),
        rows=[
            TableRow(
                label,
                [format_number(s.low), format_number(s.middle), format_number(s.high)]
                if s is not None
                else ["—", "—", "—"],
            )
            for label, s in zip(categories, spreads, strict=True)
        ],
        legend=[
            (f"{columns[0]} – {columns[2]}", 0, "line"),
            (columns[1], 1, "solid"),
        ],
        note=note,
    )


# Charts that a later app adds to an earlier app's page -----------------------------

#: The pages that show registered charts.
PROJECT = "project"
CATALOGUE = "catalogue"

_providers: dict[str, list] = {}


def register(*, on: str):
    """Register ``provider(request, obj) -> Chart | None`` for the pages of ``on``:
    a project's page knows nothing of awards and payments, so the app that does
    draws the chart (like ``purchase_portal.profile`` for links)."""

    def add(func):
        providers = _providers.setdefault(on, [])
        if func not in providers:
            providers.append(func)
        return func

    return add


def charts_for(request, obj, *, on: str) -> list[Chart]:
    return [chart for provider in _providers.get(on, []) if (chart := provider(request, obj))]
