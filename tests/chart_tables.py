"""Reading a chart of a page as the tests check it: the table that the kernel's
``includes/chart_figure.html`` puts beside the SVG."""

from __future__ import annotations

import re


def chart_figure(html: str, chart_id: str) -> str:
    start = html.index(f'<figure class="chart" aria-labelledby="{chart_id}-caption">')
    return html[start : html.index("</figure>", start)]


def chart_rows(html: str, chart_id: str) -> list[list[str]]:
    """Each row of the chart's table: its heading, then its cells, as text."""
    figure = chart_figure(html, chart_id)
    body = figure[figure.index("<tbody>") : figure.index("</tbody>")]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]
