"""The numbers behind a lot's charts; ``purchase_portal.charts`` draws them."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _t

from purchase_portal import charts

from .. import scoring
from ..models import Lot


def score_spread_chart(*, lot: Lot, result: scoring.LotResult | None) -> charts.Chart | None:
    """The lowest, median and highest total each bid got from the experts.

    It reads the lot's result, which exists only once every active expert has
    submitted (``review.lot_result``) on a page only staff and the panel's
    experts who have submitted reach (``review.lot_for_results``): no score is
    shown before the scoring rules let anyone see it."""
    if result is None or not result.rows:
        return None
    maximum = sum((c.max_points for c in result.criteria), Decimal(0)) or Decimal(100)
    spreads = [charts.spread(list(row.total_by_expert.values())) for row in result.rows]
    lowest = min((s.low for s in spreads if s is not None), default=Decimal(0))
    # The axis starts at the tens below the lowest total, so close totals stay apart.
    minimum = min(Decimal(int(lowest // 10) * 10), maximum - 10).max(Decimal(0))
    return charts.range_chart(
        id=f"lot-{lot.pk}-spread",
        title=_t("Spread of the experts' totals per bid"),
        description=_t(
            "For each of %(n)d bids, the lowest, median and highest total given by "
            "%(experts)d experts, out of %(max)s points."
        )
        % {
            "n": len(result.rows),
            "experts": len(result.experts),
            "max": f"{maximum.normalize():f}",
        },
        categories=[row.organization for row in result.rows],
        spreads=spreads,
        columns=(_t("Lowest"), _t("Median"), _t("Highest")),
        maximum=maximum,
        minimum=minimum,
        note=_t(
            "Every expert's total counts here, those dropped from the aggregate too; a long "
            "line shows experts who disagree. The axis runs from %(low)s to %(high)s points."
        )
        % {"low": charts.format_number(minimum), "high": charts.format_number(maximum)},
    )
