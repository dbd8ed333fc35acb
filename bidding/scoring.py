"""The arithmetic of the review (综合评分法), as pure functions over plain data.

- Evaluated price = bid price, less the round's price deduction for a welfare
  unit for persons with disabilities (残疾人福利性单位), which is treated as a
  small or micro enterprise (财库〔2017〕141号; 10–20 % for services under
  财库〔2022〕19号). The flag and the percentage are frozen on the bid when it is
  submitted.
- Price score = lowest evaluated price ÷ evaluated price × the price criterion's
  points, over the qualified bids of the lot; computed, never typed. Venture
  rounds have no price criterion.
- An expert's total for a bid = their technical points + the price score.
- Final score = mean of the experts' totals; with 5 or more experts the highest
  and the lowest total are dropped first.
- Rounding happens once: every published score (price, technical, final) is the
  exact value rounded half up to 2 decimals (``publish``), and the ranking uses
  the published final score.
- A criterion is flagged when the experts' points on it for one bid differ by
  more than 30% of its maximum.
- Ranking (政府采购货物和服务招标投标管理办法, 财政部令第87号, Art 55): final score,
  high first; equal final scores by bid price, lowest first; then by technical
  score, high first. Bids equal on all three are tied and share a rank until the
  draw the officer records decides their order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
DISAGREEMENT_SHARE = Decimal("0.30")
DROP_EXTREMES_FROM = 5

RANKING_RULE = _(
    "Bids are ranked by final score, highest first. Equal final scores are ordered by bid "
    "price, lowest first (Measures for Bidding in Government Procurement of Goods and "
    "Services, MOF Order No. 87, Art 55: 得分相同的，按投标报价由低到高顺序排列), then by "
    "technical score, highest first. Bids equal on all three are tied: their order is "
    "decided by a draw that the officer records with the result."
)
ROUNDING_RULE = _(
    "Scores are computed exactly and rounded once, half up to 2 decimals; the ranking uses "
    "the published final score."
)
SCORING_RULE = _(
    "Price score = lowest evaluated price ÷ evaluated price × the price criterion's points, "
    "over the qualified bids of the lot (the evaluated price is the bid price less any "
    "preference deduction). Each expert's total = their technical points + the price "
    "score. The final score is the mean of the experts' totals; with 5 or more experts the "
    "highest and the lowest total are left out. A criterion is flagged when the experts' "
    "points on it differ by more than 30% of its maximum. Scores are computed exactly and "
    "rounded once, half up to 2 decimals."
)
SCORING_RULE_WITHOUT_PRICE = _(
    "There is no price criterion: each expert's total is the sum of their points. The final "
    "score is the mean of the experts' totals; with 5 or more experts the highest and the "
    "lowest total are left out. A criterion is flagged when the experts' points on it differ "
    "by more than 30% of its maximum. Scores are computed exactly and rounded once, half up "
    "to 2 decimals."
)


def publish(value: Decimal) -> Decimal:
    """The one rounding of a published score: half up to 2 decimals."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def evaluated_price(price: Decimal, deduction: Decimal) -> Decimal:
    """The price used for the price score: the bid price less ``deduction`` percent
    (the welfare-unit preference, 财库〔2017〕141号 and 财库〔2022〕19号)."""
    if not deduction:
        return price
    return price * (HUNDRED - deduction) / HUNDRED


def scoring_rule(*, priced: bool):
    """The scoring rule to show, with or without the price criterion."""
    return SCORING_RULE if priced else SCORING_RULE_WITHOUT_PRICE


@dataclass(frozen=True)
class CriterionInput:
    id: int
    name: str
    max_points: Decimal
    is_price: bool = False


@dataclass(frozen=True)
class BidInput:
    id: int
    organization: str
    price: Decimal | None
    submitted_at: dt.datetime | None
    is_welfare_unit: bool = False
    #: percent deducted from the price for the price score, frozen at submission
    price_deduction: Decimal = Decimal(0)


@dataclass(frozen=True)
class SheetInput:
    expert_id: int
    expert_name: str
    #: ``{(bid_id, criterion_id): points}`` for technical criteria
    points: dict[tuple[int, int], Decimal]


@dataclass
class BidResult:
    bid_id: int
    organization: str
    is_welfare_unit: bool
    price: Decimal | None
    submitted_at: dt.datetime | None
    #: published (rounded) price score
    price_score: Decimal | None
    #: ``{expert_id: technical total}``
    technical_by_expert: dict[int, Decimal]
    #: ``{expert_id: technical total + price score}``
    total_by_expert: dict[int, Decimal]
    dropped: list[int]
    technical_score: Decimal
    final_score: Decimal
    #: ``{criterion_id: mean points}`` over all experts
    criterion_means: dict[int, Decimal]
    #: criteria on which the experts disagree by more than 30% of the maximum
    flagged: list[int]
    price_deduction: Decimal = Decimal(0)
    evaluated_price: Decimal | None = None
    rank: int = 0
    #: equal final score, price and technical score with another bid
    tied: bool = False
    #: the tie was ordered by the recorded draw
    drawn: bool = False


@dataclass
class LotResult:
    criteria: list[CriterionInput]
    experts: list[SheetInput]
    rows: list[BidResult] = field(default_factory=list)
    lowest_price: Decimal | None = None
    #: groups of bid ids tied at the same rank that no recorded draw orders
    unresolved_ties: list[list[int]] = field(default_factory=list)

    @property
    def price_criterion(self) -> CriterionInput | None:
        return next((c for c in self.criteria if c.is_price), None)

    @property
    def technical_criteria(self) -> list[CriterionInput]:
        return [c for c in self.criteria if not c.is_price]

    @property
    def drops_extremes(self) -> bool:
        return len(self.experts) >= DROP_EXTREMES_FROM

    @property
    def has_flags(self) -> bool:
        return any(row.flagged for row in self.rows)

    @property
    def has_ties(self) -> bool:
        return any(row.tied for row in self.rows)

    def unresolved_within(self, count: int) -> bool:
        """Whether an undrawn tie straddles or sits inside the first ``count`` places."""
        ids = {row.bid_id for row in self.rows[:count]}
        return any(ids.intersection(group) for group in self.unresolved_ties)


def exact_price_score(*, lowest: Decimal, price: Decimal, max_points: Decimal) -> Decimal:
    """(lowest evaluated price ÷ evaluated price) × price points, unrounded."""
    if price <= 0:
        raise ValueError("a bid price must be positive")
    return lowest / price * max_points


def price_score(*, lowest: Decimal, price: Decimal, max_points: Decimal) -> Decimal:
    """(lowest evaluated price ÷ evaluated price) × price points, as published."""
    return publish(exact_price_score(lowest=lowest, price=price, max_points=max_points))


def mean_dropping_extremes(values: Sequence[Decimal]) -> tuple[Decimal, list[int]]:
    """The exact mean of the values and the positions dropped (highest and lowest once
    each when there are 5 or more values); the caller rounds once with ``publish``."""
    if not values:
        raise ValueError("no values")
    dropped: list[int] = []
    if len(values) >= DROP_EXTREMES_FROM:
        order = sorted(range(len(values)), key=lambda i: (values[i], i))
        dropped = [order[-1], order[0]]
    kept = [v for i, v in enumerate(values) if i not in dropped]
    return sum(kept, Decimal(0)) / len(kept), dropped


def disagrees(points: Sequence[Decimal], max_points: Decimal) -> bool:
    return bool(points) and (max(points) - min(points)) > max_points * DISAGREEMENT_SHARE


def _merit_key(row: BidResult):
    """What Art 55 of MOF Order No. 87 ranks by: final score, price, technical score."""
    price = row.price if row.price is not None else Decimal("Infinity")
    return (-row.final_score, price, -row.technical_score)


def _rank(rows: list[BidResult], draw: Sequence[int]) -> list[list[int]]:
    """Sort and number the rows; return the tied groups the draw leaves unordered."""
    position = {bid_id: i for i, bid_id in enumerate(draw)}
    rows.sort(key=lambda r: (_merit_key(r), position.get(r.bid_id, len(position)), r.bid_id))
    unresolved: list[list[int]] = []
    index = 0
    while index < len(rows):
        end = index
        while end + 1 < len(rows) and _merit_key(rows[end + 1]) == _merit_key(rows[index]):
            end += 1
        group = rows[index : end + 1]
        drawn = len(group) > 1 and all(r.bid_id in position for r in group)
        for offset, row in enumerate(group):
            row.tied = len(group) > 1
            row.drawn = drawn
            row.rank = index + 1 + (offset if drawn else 0)
        if len(group) > 1 and not drawn:
            unresolved.append([r.bid_id for r in group])
        index = end + 1
    return unresolved


def compute(
    *,
    criteria: Sequence[CriterionInput],
    bids: Sequence[BidInput],
    sheets: Sequence[SheetInput],
    draw: Sequence[int] = (),
) -> LotResult:
    """Aggregate the submitted sheets of a lot into a ranked result. ``draw`` is the
    order of bid ids a recorded draw gave to tied bids."""
    result = LotResult(criteria=list(criteria), experts=list(sheets))
    price_criterion = result.price_criterion
    technical = result.technical_criteria
    evaluated = {
        b.id: evaluated_price(b.price, b.price_deduction if b.is_welfare_unit else Decimal(0))
        if b.price is not None
        else None
        for b in bids
    }
    if price_criterion is not None:
        prices = [p for p in evaluated.values() if p is not None]
        result.lowest_price = min(prices) if prices else None
    for bid in bids:
        exact_price_points = None
        if price_criterion is not None:
            if evaluated[bid.id] is None or result.lowest_price is None:
                raise ValueError(f"bid {bid.id} has no price")
            exact_price_points = exact_price_score(
                lowest=result.lowest_price,
                price=evaluated[bid.id],
                max_points=price_criterion.max_points,
            )
        technical_by_expert: dict[int, Decimal] = {}
        for sheet in sheets:
            technical_by_expert[sheet.expert_id] = sum(
                (sheet.points.get((bid.id, c.id), Decimal(0)) for c in technical), Decimal(0)
            )
        total_by_expert = {
            expert: total + (exact_price_points or Decimal(0))
            for expert, total in technical_by_expert.items()
        }
        experts = list(total_by_expert)
        final, technical_score, dropped_positions = Decimal(0), Decimal(0), []
        if experts:
            final, dropped_positions = mean_dropping_extremes([total_by_expert[e] for e in experts])
            # The technical score leaves out the same experts as the final score.
            kept = [
                technical_by_expert[e] for i, e in enumerate(experts) if i not in dropped_positions
            ]
            technical_score = sum(kept, Decimal(0)) / len(kept)
        means: dict[int, Decimal] = {}
        flagged: list[int] = []
        for criterion in technical:
            points = [s.points.get((bid.id, criterion.id), Decimal(0)) for s in sheets]
            if points:
                means[criterion.id] = publish(sum(points, Decimal(0)) / len(points))
            if disagrees(points, criterion.max_points):
                flagged.append(criterion.id)
        result.rows.append(
            BidResult(
                bid_id=bid.id,
                organization=bid.organization,
                is_welfare_unit=bid.is_welfare_unit,
                price=bid.price,
                submitted_at=bid.submitted_at,
                price_score=None if exact_price_points is None else publish(exact_price_points),
                technical_by_expert=technical_by_expert,
                total_by_expert={e: publish(t) for e, t in total_by_expert.items()},
                dropped=[experts[i] for i in dropped_positions],
                technical_score=publish(technical_score),
                final_score=publish(final),
                criterion_means=means,
                flagged=flagged,
                price_deduction=bid.price_deduction if bid.is_welfare_unit else Decimal(0),
                evaluated_price=None if evaluated[bid.id] is None else publish(evaluated[bid.id]),
            )
        )
    result.unresolved_ties = _rank(result.rows, draw)
    return result
