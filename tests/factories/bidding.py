"""Factories of rounds, lots, bids and awards."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

import factory
from django.utils import timezone

from bidding.models import (
    Award,
    Bid,
    BidBudgetLine,
    ExpertProfile,
    Lot,
    Round,
    RubricCriterion,
    TranchePlanItem,
)
from projects.services import project_round_entered

from .organizations import OrganizationFactory, UserFactory
from .projects import PurchaseProjectFactory, service_category


class RoundFactory(factory.django.DjangoModelFactory):
    """A bidding round open for bids: published 30 days ago, deadline in 5 days."""

    class Meta:
        model = Round

    code = factory.Sequence(lambda n: f"R-TEST-{n:04d}")
    title = factory.Sequence(lambda n: f"测试采购轮次{n}")
    kind = Round.Kind.BIDDING
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    status = Round.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - _dt.timedelta(days=30))
    questions_until = factory.LazyFunction(lambda: timezone.now() + _dt.timedelta(days=2))
    submission_deadline = factory.LazyFunction(lambda: timezone.now() + _dt.timedelta(days=5))
    opening_at = factory.LazyAttribute(lambda r: r.submission_deadline + _dt.timedelta(hours=1))
    notice_days = 1
    panel_size = 5
    created_by = factory.SubFactory(UserFactory)


#: Lot outcomes that no longer buy their project (it may be bought again).
LOT_NOT_BUYING = (Lot.Status.FAILED, Lot.Status.CANCELLED)


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    round = factory.SubFactory(RoundFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"标段{n}")
    project = factory.SubFactory(PurchaseProjectFactory)
    category = factory.LazyAttribute(
        lambda lot: lot.project.category if lot.project else service_category()
    )
    cap = factory.LazyAttribute(
        lambda lot: lot.project.budget_ceiling if lot.project else Decimal("150000.00")
    )

    @factory.post_generation
    def report_to_project(lot, create, extracted, **kwargs):
        """Tell the project it is in a round, as ``bidding.services.lot_create`` does."""
        if create and lot.project_id is not None and lot.status not in LOT_NOT_BUYING:
            project_round_entered(project_id=lot.project_id)


class RubricCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RubricCriterion

    round = factory.SubFactory(RoundFactory)
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"评分项{n}")
    kind = RubricCriterion.Kind.TECHNICAL
    max_points = Decimal("30")


class TranchePlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TranchePlanItem

    round = factory.SubFactory(RoundFactory)
    order = factory.Sequence(lambda n: n + 1)
    share = Decimal("50")
    condition = TranchePlanItem.Condition.ON_SIGNING


class BidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bid

    lot = factory.SubFactory(LotFactory)
    organization = factory.SubFactory(OrganizationFactory)
    status = Bid.Status.DRAFT
    price = Decimal("280000.00")
    service_plan = "服务方案"
    team = "项目团队"
    created_by = factory.SubFactory(UserFactory)


class BidBudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BidBudgetLine

    bid = factory.SubFactory(BidFactory)
    item = "人员费用"
    amount = Decimal("280000.00")


class AwardFactory(factory.django.DjangoModelFactory):
    """A final award (what contracts are created from)."""

    class Meta:
        model = Award

    bid = factory.SubFactory(BidFactory, status=Bid.Status.AWARDED)
    lot = factory.LazyAttribute(lambda a: a.bid.lot)
    organization = factory.LazyAttribute(lambda a: a.bid.organization)
    amount = factory.LazyAttribute(lambda a: a.bid.price)
    status = Award.Status.FINAL
    final_at = factory.LazyFunction(timezone.now)


# Review: expert pool -----------------------------------------------------------


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    """An active expert of the pool (the user holds the expert role)."""

    class Meta:
        model = ExpertProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, roles=["expert"])
    employer = "上海某高校社会工作系"
    active = True

    @factory.post_generation
    def specialities(self, create, extracted, **kwargs):
        for category in extracted or ():
            self.specialities.add(category)
