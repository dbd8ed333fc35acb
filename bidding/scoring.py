"""The arithmetic of the review (综合评分法), as pure functions over plain data.

- Price score = lowest valid price ÷ bid price × the price criterion's points,
  over the qualified bids of the lot; computed, never typed. Venture rounds
  have no price criterion.
- An expert's total for a bid = their technical points + the price score.
- Final score = mean of the experts' totals; with 5 or more experts the highest
  and the lowest total are dropped first.
- A criterion is flagged when the experts' points on it for one bid differ by
  more than 30% of its maximum.
- Ranking: final score (high first); equal final scores by technical score;
  on exactly equal scores a welfare unit for persons with disabilities
  (残疾人福利性单位, 残疾人保障法 Art 36) first; then the earlier submission.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
MILLI = Decimal("0.001")
DISAGREEMENT_SHARE = Decimal("0.30")
DROP_EXTREMES_FROM = 5

RANKING_RULE = _(
    "Bids are ranked by final score. Equal final scores are ordered by technical score; "
    "where the scores are exactly equal, a welfare unit for persons with disabilities "
    "(残疾人福利性单位) ranks first (preference on equal terms, Law on the Protection of "
    "Persons with Disabilities Art 36); then the earlier submission ranks first."
)
SCORING_RULE = _(
    "Price score = lowest valid price ÷ bid price × the price criterion's points, over the "
    "qualified bids of the lot. Each expert's total = their technical points + the price "
    "score. The final score is the mean of the experts' totals; with 5 or more experts the "
    "highest and the lowest total are left out. A criterion is flagged when the experts' "
    "points on it differ by more than 30% of its maximum."
)
SCORING_RULE_WITHOUT_PRICE = _(
    "There is no price criterion: each expert's total is the sum of their points. The final "
    "score is the mean of the experts' totals; with 5 or more experts the highest and the "
    "lowest total are left out. A criterion is flagged when the experts' points on it differ "
    "by more than 30% of its maximum."
)


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
    rank: int = 0


@dataclass
class LotResult:
    criteria: list[CriterionInput]
    experts: list[SheetInput]
    rows: list[BidResult] = field(default_factory=list)
    lowest_price: Decimal | None = None

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


def price_score(*, lowest: Decimal, price: Decimal, max_points: Decimal) -> Decimal:
    """(lowest valid price ÷ bid price) × price points, to the cent."""
    if price <= 0:
        raise ValueError("a bid price must be positive")
    return (lowest / price * max_points).quantize(CENT, rounding=ROUND_HALF_UP)


def mean_dropping_extremes(values: Sequence[Decimal]) -> tuple[Decimal, list[int]]:
    """The mean of the values and the positions dropped (highest and lowest once each
    when there are 5 or more values)."""
    if not values:
        raise ValueError("no values")
    dropped: list[int] = []
    if len(values) >= DROP_EXTREMES_FROM:
        order = sorted(range(len(values)), key=lambda i: (values[i], i))
        dropped = [order[-1], order[0]]
    kept = [v for i, v in enumerate(values) if i not in dropped]
    return (sum(kept, Decimal(0)) / len(kept)).quantize(MILLI, rounding=ROUND_HALF_UP), dropped


def disagrees(points: Sequence[Decimal], max_points: Decimal) -> bool:
    return bool(points) and (max(points) - min(points)) > max_points * DISAGREEMENT_SHARE


def _rank_key(row: BidResult):
    submitted = row.submitted_at or dt.datetime.max.replace(tzinfo=dt.UTC)
    return (-row.final_score, -row.technical_score, not row.is_welfare_unit, submitted, row.bid_id)


def compute(
    *,
    criteria: Sequence[CriterionInput],
    bids: Sequence[BidInput],
    sheets: Sequence[SheetInput],
) -> LotResult:
    """Aggregate the submitted sheets of a lot into a ranked result."""
    result = LotResult(criteria=list(criteria), experts=list(sheets))
    price_criterion = result.price_criterion
    technical = result.technical_criteria
    if price_criterion is not None:
        prices = [b.price for b in bids if b.price is not None]
        result.lowest_price = min(prices) if prices else None
    for bid in bids:
        price_points = None
        if price_criterion is not None:
            if bid.price is None or result.lowest_price is None:
                raise ValueError(f"bid {bid.id} has no price")
            price_points = price_score(
                lowest=result.lowest_price, price=bid.price, max_points=price_criterion.max_points
            )
        technical_by_expert: dict[int, Decimal] = {}
        for sheet in sheets:
            technical_by_expert[sheet.expert_id] = sum(
                (sheet.points.get((bid.id, c.id), Decimal(0)) for c in technical), Decimal(0)
            )
        total_by_expert = {
            expert: total + (price_points or Decimal(0))
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
            technical_score = (sum(kept, Decimal(0)) / len(kept)).quantize(
                MILLI, rounding=ROUND_HALF_UP
            )
        means: dict[int, Decimal] = {}
        flagged: list[int] = []
        for criterion in technical:
            points = [s.points.get((bid.id, criterion.id), Decimal(0)) for s in sheets]
            if points:
                means[criterion.id] = (sum(points, Decimal(0)) / len(points)).quantize(
                    CENT, rounding=ROUND_HALF_UP
                )
            if disagrees(points, criterion.max_points):
                flagged.append(criterion.id)
        result.rows.append(
            BidResult(
                bid_id=bid.id,
                organization=bid.organization,
                is_welfare_unit=bid.is_welfare_unit,
                price=bid.price,
                submitted_at=bid.submitted_at,
                price_score=price_points,
                technical_by_expert=technical_by_expert,
                total_by_expert=total_by_expert,
                dropped=[experts[i] for i in dropped_positions],
                technical_score=technical_score,
                final_score=final,
                criterion_means=means,
                flagged=flagged,
            )
        )
    result.rows.sort(key=_rank_key)
    for position, row in enumerate(result.rows, start=1):
        row.rank = position
    return result
