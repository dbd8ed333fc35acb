"""Builders for round and bid tests: everything goes through the services, at
chosen moments (``now=``), so each test starts from a state the rules allow."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bidding.models import Bid, Round
from bidding.services import bids as bid_services
from bidding.services import opening as opening_services
from bidding.services import rounds as round_services
from bidding.services import sealing as sealing_services
from bidding.services import terms as term_services
from bidding.services.submission import bid_submit
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PurchaseProjectFactory,
    UserFactory,
    service_category,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

BIDDING_RUBRIC = [
    {"name": "服务方案", "kind": "technical", "max_points": Decimal("40"), "guidance": "完整性"},
    {"name": "团队与经验", "kind": "technical", "max_points": Decimal("30")},
    {"name": "价格", "kind": "price", "max_points": Decimal("30")},
]
VENTURE_RUBRIC = [
    {"name": "需求分析", "kind": "technical", "max_points": Decimal("30")},
    {"name": "项目设计", "kind": "technical", "max_points": Decimal("40")},
    {"name": "可持续性", "kind": "technical", "max_points": Decimal("30")},
]
TRANCHES = [
    {"share": Decimal("50"), "condition": "on_signing"},
    {"share": Decimal("30"), "condition": "midterm_passed"},
    {"share": Decimal("20"), "condition": "final_passed"},
]


def pdf_upload(name: str = "方案.pdf", extra: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES + extra, content_type="application/pdf")


KEY_PASSWORD = "opening-key-password"


def officer_user():
    return UserFactory(roles=["officer"])


def key_holder(user=None):
    """An officer (``user`` or a new one) with an opening key protected by ``KEY_PASSWORD``."""
    user = user or officer_user()
    if not hasattr(user, "opening_key"):
        sealing_services.opening_key_create(
            user=user, password=KEY_PASSWORD, password_again=KEY_PASSWORD
        )
    return user


def name_key_holders(round_, officer, *, holders: int = 3, threshold: int = 2) -> list:
    """The officer and ``holders - 1`` other officers hold the round's key, ``threshold`` of them open it."""
    users = [key_holder(officer)] + [key_holder() for _ in range(holders - 1)]
    sealing_services.round_key_holders_set(
        round=round_, user=officer, holders=users, threshold=threshold
    )
    return users


def present_shares(round_, *, count: int | None = None, now=None) -> list:
    """The first ``count`` holders (default: as many as needed) present their shares."""
    seal = round_.seal if hasattr(round_, "seal") else None
    seal = seal or type(round_).objects.get(pk=round_.pk).seal
    shares = list(seal.shares.select_related("holder").order_by("order"))
    holders = [s.holder for s in shares[: seal.threshold if count is None else count]]
    for holder in holders:
        sealing_services.share_present(round=round_, user=holder, password=KEY_PASSWORD, now=now)
    return holders


def open_round(round_, officer, *, now=None):
    """Present k shares and open the round's bids."""
    present_shares(round_, now=now)
    return opening_services.round_open(round=round_, user=officer, now=now)


def timeline(start, *, kind: str = Round.Kind.BIDDING) -> dict:
    """A valid timeline for a round published at ``start``."""
    days = 25 if kind == Round.Kind.BIDDING else 15
    deadline = start + timedelta(days=days)
    return {
        "questions_until": start + timedelta(days=days - 5),
        "submission_deadline": deadline,
        # Public bidding opens at the deadline (87号令 Art 40).
        "opening_at": deadline if kind == Round.Kind.BIDDING else deadline + timedelta(hours=1),
    }


def draft_round(
    *,
    officer,
    kind: str = Round.Kind.BIDDING,
    lots: int = 1,
    start=None,
    rubric=None,
    tranches=None,
    **fields,
) -> Round:
    start = start or timezone.now()
    data = {
        "title": "2026年社区康复服务采购",
        "kind": kind,
        "year": 2026,
        **timeline(start, kind=kind),
        # The officer has checked the dates against the holiday calendar (the
        # calendar's own tests leave this unticked).
        "timeline_acknowledged": True,
    }
    if kind == Round.Kind.VENTURE:
        data.update({"venture_cap": Decimal("150000.00"), "min_submission_days": 10})
    data.update(fields)
    round_ = round_services.round_create(user=officer, data=data)
    name_key_holders(round_, officer)
    for i in range(lots):
        if kind == Round.Kind.BIDDING:
            project = PurchaseProjectFactory(budget_ceiling=Decimal("300000.00"))
            term_services.lot_add(round=round_, user=officer, project=project)
        else:
            codes = ["rehabilitation", "employment", "day-care", "education"]
            term_services.lot_add(
                round=round_, user=officer, category=service_category(codes[i]), max_awards=2
            )
    term_services.rubric_set(
        round=round_,
        user=officer,
        criteria=rubric
        if rubric is not None
        else (BIDDING_RUBRIC if kind == Round.Kind.BIDDING else VENTURE_RUBRIC),
    )
    term_services.tranche_plan_set(
        round=round_, user=officer, items=tranches if tranches is not None else TRANCHES
    )
    return round_


def published_round(*, officer, start=None, **kwargs) -> Round:
    """A round published at ``start`` (default: now), open for bids until start + 25 days."""
    start = start or timezone.now()
    round_ = draft_round(officer=officer, start=start, **kwargs)
    return round_services.round_publish(round=round_, user=officer, now=start)


def past_round(*, officer, days_ago: int = 30, **kwargs) -> Round:
    """A round published ``days_ago`` days ago, so its deadline has passed (for 25-day rounds)."""
    return published_round(
        officer=officer, start=timezone.now() - timedelta(days=days_ago), **kwargs
    )


def bidder(org=None):
    """An organization admin (and the organization)."""
    org = org or OrganizationFactory()
    return MembershipFactory(organization=org, role="admin").user, org


def filled_bid(
    *,
    lot,
    user,
    org,
    price: Decimal = Decimal("280000.00"),
    now=None,
    lines=None,
    attachments: int = 1,
) -> Bid:
    bid = bid_services.bid_create(lot=lot, user=user, organization=org, now=now)
    return enter_content(
        bid=bid, user=user, price=price, now=now, lines=lines, attachments=attachments
    )


def enter_content(
    *,
    bid,
    user,
    price: Decimal = Decimal("280000.00"),
    now=None,
    lines=None,
    attachments: int = 1,
    team: str = "康复师3名",
) -> Bid:
    """Fill a draft (or withdrawn, hence emptied) bid so that it can be submitted."""
    lot = bid.lot
    data = {
        "price": price,
        "service_plan": "入户康复训练方案",
        "team": team,
        "schedule": "12个月",
    }
    if not lot.round.is_bidding:
        data["proposal_title"] = "阳光助残创投项目"
    bid_services.bid_update(
        bid=bid,
        user=user,
        data=data,
        budget_lines=lines
        if lines is not None
        else [
            {"item": "人员费用", "amount": price - Decimal("30000.00")},
            {"item": "活动物料", "amount": Decimal("30000.00"), "note": "康复器材"},
        ],
        targets=[
            {
                "kind": "output",
                "indicator": "服务人次",
                "target_value": Decimal("1200"),
                "unit": "人次",
            }
        ],
        now=now,
    )
    for i in range(attachments):
        bid_services.bid_attachment_add(
            bid=bid, user=user, file=pdf_upload(f"附件{i}.pdf", extra=str(i).encode()), now=now
        )
    bid.refresh_from_db()
    return bid


def submitted_bid(*, lot, user=None, org=None, now=None, **kwargs) -> Bid:
    if user is None:
        user, org = bidder(org)
    bid = filled_bid(lot=lot, user=user, org=org, now=now, **kwargs)
    bid_submit(bid=bid, user=user, now=now)
    bid.refresh_from_db()
    return bid


def round_with_bids(
    *, officer, bids: int = 3, kind: str = Round.Kind.BIDDING, open_it: bool = False
):
    """A round published 30 days ago with ``bids`` bids submitted on its first lot
    (while it was open); closed, and opened if ``open_it``."""
    start = timezone.now() - timedelta(days=30)
    round_ = published_round(officer=officer, start=start, kind=kind)
    lot = round_.lots.get(number=1)
    lot.round = round_
    base = Decimal("200000.00") if kind == Round.Kind.BIDDING else Decimal("100000.00")
    submitted = [
        submitted_bid(lot=lot, now=start + timedelta(days=1, minutes=i), price=base + i * 1000)
        for i in range(bids)
    ]
    if open_it:
        open_round(round_, officer)
    round_.refresh_from_db()
    return round_, lot, submitted


CHECKS_OK = {
    "registration_valid": True,
    "annual_inspection_passed": True,
    "no_serious_violation": True,
    "documents_complete": True,
    "credit_code_checked": True,
}


def pdf_bytes() -> bytes:
    return io.BytesIO(PDF_BYTES).getvalue()
