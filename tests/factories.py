"""factory_boy factories for the whole suite."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from organizations.credit_code import make_code
from organizations.models import Membership, Organization, Street, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            self.groups.add(Group.objects.get_or_create(name=role)[0])


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"310104{n:03d}")
    name = factory.Sequence(lambda n: f"测试街道{n}")
    district = "徐汇区"


def valid_code(n: int) -> str:
    return make_code(f"52310104MJ{n:07d}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试社会组织{n}")
    credit_code = factory.Sequence(lambda n: valid_code(n + 100))
    legal_representative = "张三"
    address = "上海市徐汇区测试路1号"
    street = factory.SubFactory(StreetFactory)
    contact_name = "李四"
    contact_phone = "021-64000000"
    status = Organization.Status.VERIFIED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


# Projects -------------------------------------------------------------------

import datetime as _dt  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.utils import timezone  # noqa: E402

from bidding.models import Award, Bid, BidBudgetLine, Lot, Round, RubricCriterion, TranchePlanItem  # noqa: E402
from organizations.models import ServiceCategory  # noqa: E402
from projects.models import CatalogueItem, ProjectTarget, PurchaseProject  # noqa: E402


def service_category(code: str = "rehabilitation") -> ServiceCategory:
    return ServiceCategory.objects.get(code=code)


class CatalogueItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogueItem

    year = factory.LazyFunction(lambda: timezone.localdate().year)
    code = factory.Sequence(lambda n: f"C{n:03d}")
    name = factory.Sequence(lambda n: f"目录项目{n}")
    category = factory.LazyFunction(service_category)
    budget = Decimal("2000000.00")
    budget_approved_at = factory.LazyFunction(timezone.now)


class PurchaseProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseProject

    code = factory.Sequence(lambda n: f"P-TEST-{n:04d}")
    title = factory.Sequence(lambda n: f"测试购买项目{n}")
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    catalogue_item = factory.SubFactory(CatalogueItemFactory)
    category = factory.LazyAttribute(lambda p: p.catalogue_item.category)
    need = "社区康复服务需求"
    target_disability_categories = ["4", "5"]
    target_grades = ["1", "2"]
    planned_beneficiaries = 120
    budget_ceiling = Decimal("300000.00")
    duration_months = 12
    created_by = factory.SubFactory(UserFactory)
    status = PurchaseProject.Status.APPROVED


class ProjectTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectTarget

    project = factory.SubFactory(PurchaseProjectFactory)
    kind = "output"
    indicator = "服务人次"
    target_value = Decimal("1200")
    unit = "人次"


# Rounds and bids -------------------------------------------------------------


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

from bidding.models import ExpertProfile  # noqa: E402


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
