"""The kernel's SVG charts: accessible names, the same figures as the table,
escaped labels, series told apart by more than colour."""

import re
from decimal import Decimal

from purchase_portal import charts


def test_bar_chart_names_itself_and_its_table_carries_the_same_figures():
    chart = charts.bar_chart(
        id="c1",
        title="Budget against paid",
        description="Budget 300,000; paid 150,000.",
        categories=["P-1", "P-2"],
        series=["Budget", "Paid"],
        values=[[Decimal("300000"), Decimal("150000.50")], [Decimal("1000"), None]],
    )
    svg = str(chart.svg)
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Budget against paid</title>' in svg
    assert '<desc id="c1-desc">Budget 300,000; paid 150,000.</desc>' in svg
    # Each value is written beside its bar and in the table.
    for text in ("300,000", "150,000.50", "1,000"):
        assert f">{text}</text>" in svg
    assert [row.values for row in chart.rows] == [["300,000", "150,000.50"], ["1,000", "—"]]
    assert chart.columns == ["Budget", "Paid"]
    # Three bars: the unknown value draws none; the longest bar spans the drawing.
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)]
    assert len(widths) == 3 and max(widths) == charts.WIDTH - charts.LEFT - charts.RIGHT
    # The second series is patterned, not only coloured.
    assert 'fill="url(#c1-p1)"' in svg and '<pattern id="c1-p1"' in svg
    assert [pattern for _name, _colour, pattern in chart.legend] == ["solid", "diagonal"]


def test_labels_are_escaped():
    chart = charts.bar_chart(
        id="c2",
        title='<script>alert("x")</script>',
        description="&",
        categories=["<b>A</b>"],
        series=["S"],
        values=[[Decimal(1)]],
    )
    svg = str(chart.svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;b&gt;A&lt;/b&gt;" in svg


def test_stacked_chart_totals_each_bar():
    chart = charts.stacked_chart(
        id="s",
        title="Beneficiaries",
        description="d",
        categories=["肢体", "智力"],
        series=["街道甲", "街道乙"],
        values=[[30, 12], [0, 8]],
        total_label="Total",
    )
    assert [row.values for row in chart.rows] == [["30", "12", "42"], ["0", "8", "8"]]
    assert chart.columns == ["街道甲", "街道乙", "Total"]
    svg = str(chart.svg)
    assert ">42</text>" in svg and ">8</text>" in svg
    # A zero segment draws nothing: three segments in all.
    assert svg.count("<rect x=") == 3


def test_range_chart_shows_lowest_median_and_highest():
    spreads = [charts.spread([Decimal(70), Decimal(90), Decimal(80)]), None]
    chart = charts.range_chart(
        id="r",
        title="Spread",
        description="d",
        categories=["甲", "乙"],
        spreads=spreads,
        columns=("Lowest", "Median", "Highest"),
        maximum=Decimal(100),
    )
    assert spreads[0] == charts.Spread(Decimal(70), Decimal(80), Decimal(90))
    assert [row.values for row in chart.rows] == [["70", "80", "90"], ["—", "—", "—"]]
    assert ">70 / 80 / 90</text>" in str(chart.svg)


def test_spread_of_an_even_count_is_the_middle_mean():
    assert charts.spread([Decimal(1), Decimal(2), Decimal(3), Decimal(10)]).middle == Decimal("2.5")
    assert charts.spread([]) is None
