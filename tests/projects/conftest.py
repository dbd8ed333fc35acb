"""Fixtures for project tests: a funded catalogue item, complete project data,
and projects brought to each state through the services."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import CatalogueItemFactory, StreetFactory, service_category

from .helpers import S, make_project


@pytest.fixture
def item(db):
    return CatalogueItemFactory(budget=Decimal("1000000.00"))


@pytest.fixture
def streets(db):
    return [StreetFactory(), StreetFactory()]


@pytest.fixture
def draft(officer, approver, item, streets):
    return make_project(officer, approver, item, streets)


@pytest.fixture
def submitted(officer, approver, item, streets):
    return make_project(officer, approver, item, streets, S.SUBMITTED)


@pytest.fixture
def approved(officer, approver, item, streets):
    return make_project(officer, approver, item, streets, S.APPROVED)


@pytest.fixture
def plan_data(officer, approver, streets):
    rehab = CatalogueItemFactory(budget=Decimal("1000000.00"), category=service_category())
    jobs = CatalogueItemFactory(
        budget=Decimal("500000.00"), category=service_category("employment")
    )
    CatalogueItemFactory(budget=Decimal("80000.00"), category=service_category("accessibility"))
    CatalogueItemFactory(budget=Decimal("70000.00"), year=rehab.year + 1)  # another year
    made = {}
    for name, item, amount, state in [
        ("a", rehab, "100000.00", S.APPROVED),
        ("b", rehab, "200000.00", S.APPROVED),
        ("c", rehab, "50000.00", S.DRAFT),
        ("d", rehab, "70000.00", S.CANCELLED),
        ("e", jobs, "120000.00", S.SUBMITTED),
        ("f", jobs, "30000.00", S.RETURNED),
    ]:
        made[name] = make_project(
            officer, approver, item, streets, state, budget_ceiling=Decimal(amount), title=name
        )
    return {"year": rehab.year, "rehab": rehab, "jobs": jobs, **made}
