"""Factories of the purchase catalogue and projects."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.utils import timezone

from organizations.models import ServiceCategory
from projects.models import CatalogueItem, ProjectTarget, PurchaseProject

from .organizations import UserFactory


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
