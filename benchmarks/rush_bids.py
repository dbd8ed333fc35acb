"""The content of a bid in the deadline-rush benchmarks (in-process and through
gunicorn): one complete draft per bid, ready to submit."""

from __future__ import annotations

from decimal import Decimal

from bidding.services import bids as bid_services
from tests.bidding.round_helpers import pdf_upload


def fill_rush_bid(*, bid, user, index: int) -> None:
    """Give the draft a price, a plan, budget lines, targets and one attachment."""
    price = Decimal("250000.00") + index
    bid_services.bid_update(
        bid=bid,
        user=user,
        data={
            "price": price,
            "service_plan": "入户康复训练、社区康复活动与家属培训，每月服务不少于100人次。",
            "team": "康复治疗师3名，社会工作者2名，项目主管1名。",
            "schedule": "签约后12个月内分四个阶段实施。",
        },
        budget_lines=[
            {"item": "人员费用", "amount": price - Decimal("30000.00")},
            {"item": "活动物料", "amount": Decimal("30000.00"), "note": "康复器材"},
        ],
        targets=[
            {"kind": "output", "indicator": "服务人次", "target_value": 1200, "unit": "人次"},
            {"kind": "satisfaction", "indicator": "满意度", "target_value": 90, "unit": "%"},
        ],
    )
    bid_services.bid_attachment_add(
        bid=bid, user=user, file=pdf_upload(f"方案{index}.pdf", extra=str(index).encode())
    )
