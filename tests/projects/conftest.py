"""Fixtures for project tests: a funded catalogue item, complete project data,
and projects brought to each state through the services."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import CatalogueItemFactory, StreetFactory

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
