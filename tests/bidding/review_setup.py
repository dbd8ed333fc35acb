"""Building blocks for the review tests: rounds already opened with qualified
bids, an expert pool, and helpers that walk a lot through declarations,
scores, signatures, award and notice with the real services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from bidding.models import Bid, Lot, LotAssignment, Round, RubricCriterion, ScoreSheet
from bidding.services import award as award_services
from bidding.services import notices as notice_services
from bidding.services import panels as panel_services
from bidding.services import scores as score_services
from tests.factories import (
    BidFactory,
    ExpertProfileFactory,
    LotFactory,
    OrganizationFactory,
    RoundFactory,
    RubricCriterionFactory,
    service_category,
)

PASSWORD = "correct-horse-battery"


def pool(n: int, *, categories=()) -> list:
    """``n`` active experts; returns their users."""
    return [ExpertProfileFactory(specialities=list(categories)).user for _ in range(n)]


def opened_round(
    *,
    kind: str = Round.Kind.BIDDING,
    lots: int = 1,
    prices=(Decimal("200000.00"), Decimal("250000.00"), Decimal("280000.00")),
    panel_size: int | None = None,
    technical=(("服务方案", Decimal("40")), ("团队与经验", Decimal("30"))),
    price_points: Decimal | None = Decimal("30"),
    status: str = Round.Status.OPENED,
    max_awards: int = 1,
    welfare: tuple[bool, ...] = (),
) -> Round:
    """A round after its opening: every lot has one qualified bid per price."""
    now = timezone.now()
    round_ = RoundFactory(
        kind=kind,
        status=status,
        published_at=now - dt.timedelta(days=40),
        questions_until=now - dt.timedelta(days=20),
        submission_deadline=now - dt.timedelta(days=10),
        opening_at=now - dt.timedelta(days=10),
        opened_at=now - dt.timedelta(days=10),
        panel_size=panel_size or (5 if kind == Round.Kind.BIDDING else 3),
        notice_days=1 if kind == Round.Kind.BIDDING else 15,
    )
    for order, (name, points) in enumerate(technical):
        RubricCriterionFactory(round=round_, order=order, name=name, max_points=points)
    if price_points is not None and kind == Round.Kind.BIDDING:
        RubricCriterionFactory(
            round=round_,
            order=99,
            name="价格",
            kind=RubricCriterion.Kind.PRICE,
            max_points=price_points,
        )
    lot_status = Lot.Status.IN_REVIEW if status == Round.Status.IN_REVIEW else Lot.Status.OPEN
    for number in range(1, lots + 1):
        lot = LotFactory(
            round=round_,
            number=number,
            status=lot_status,
            max_awards=max_awards,
            **({} if kind == Round.Kind.BIDDING else {"project": None}),
        )
        for index, price in enumerate(prices):
            is_welfare = welfare[index] if index < len(welfare) else False
            BidFactory(
                lot=lot,
                organization=OrganizationFactory(is_welfare_unit=is_welfare),
                welfare_unit=is_welfare,
                price_deduction=round_.welfare_price_deduction if is_welfare else 0,
                status=Bid.Status.QUALIFIED,
                price=price,
                submitted_at=now - dt.timedelta(days=12, minutes=len(prices) - index),
            )
    return round_


def in_review_round(**kwargs) -> Round:
    return opened_round(status=Round.Status.IN_REVIEW, **kwargs)


def draw_panel(round_: Round, officer, *, extra: int = 2):
    """Fill the pool (panel size + ``extra``) and draw the panel."""
    pool(round_.panel_size + extra, categories=[service_category()])
    return panel_services.panel_draw(round=round_, user=officer)


def assignments(lot: Lot, status: str | None = None) -> list[LotAssignment]:
    qs = LotAssignment.objects.filter(lot=lot).select_related("expert", "lot__round")
    if status:
        qs = qs.filter(status=status)
    return list(qs.order_by("id"))


def declare_none(lot: Lot) -> list[LotAssignment]:
    declared = []
    for assignment in assignments(lot, LotAssignment.Status.PENDING):
        declared.append(
            panel_services.assignment_declare(
                assignment=assignment, user=assignment.expert, conflict="none"
            )
        )
    return declared


def technical_criteria(round_: Round) -> list[RubricCriterion]:
    return list(round_.criteria.filter(kind=RubricCriterion.Kind.TECHNICAL).order_by("order"))


def qualified_bids(lot: Lot) -> list[Bid]:
    return list(lot.bids.filter(status=Bid.Status.QUALIFIED).order_by("id"))


def score(assignment: LotAssignment, points, *, submit: bool = True) -> ScoreSheet:
    """Score every qualified bid on every technical criterion: ``points(bid_index,
    criterion_index, expert_index)`` or a constant."""
    lot = assignment.lot
    experts = [a.pk for a in assignments(lot, LotAssignment.Status.ACTIVE)]
    position = experts.index(assignment.pk)
    entries = []
    for b, bid in enumerate(qualified_bids(lot)):
        for c, criterion in enumerate(technical_criteria(lot.round)):
            value = points(b, c, position) if callable(points) else points
            entries.append({"bid": bid.pk, "criterion": criterion.pk, "points": Decimal(value)})
    sheet = score_services.scores_save(
        assignment=assignment, user=assignment.expert, entries=entries
    )
    if submit:
        sheet = score_services.sheet_submit(sheet=sheet, user=assignment.expert)
    return sheet


def score_all(lot: Lot, points=Decimal("20")) -> None:
    for assignment in assignments(lot, LotAssignment.Status.ACTIVE):
        score(assignment, points)


def sign_all(lot: Lot) -> None:
    for sheet in ScoreSheet.objects.filter(lot=lot, status=ScoreSheet.Status.SUBMITTED):
        score_services.sheet_sign(sheet=sheet, user=sheet.expert, password=PASSWORD)


def reviewed_lot(round_: Round, officer, points=None) -> Lot:
    """Draw (if needed), declare, score and sign every lot; return the first lot."""
    if not round_.panel_draws.exists():
        draw_panel(round_, officer)
    for lot in round_.lots.order_by("number"):
        declare_none(lot)
        score_all(lot, points or (lambda b, c, e: Decimal(25 - 5 * b + c)))
        sign_all(lot)
    return round_.lots.order_by("number").first()


def awarded_round(officer, approver, **kwargs) -> Round:
    round_ = in_review_round(**kwargs)
    reviewed_lot(round_, officer)
    for lot in round_.lots.order_by("number"):
        award_services.award_propose(lot=lot, user=officer)
        award_services.lot_confirm(lot=lot, user=approver)
    round_.refresh_from_db()
    return round_


def noticed_round(officer, approver, **kwargs):
    round_ = awarded_round(officer, approver, **kwargs)
    notice = notice_services.notice_publish(round=round_, user=officer)
    round_.refresh_from_db()
    return round_, notice
