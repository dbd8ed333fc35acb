"""Approved projects offered to rounds, and the dashboard's lists."""

from __future__ import annotations

import pytest

from projects.selectors import approved_projects_for_lots
from tests.factories import CatalogueItemFactory, LotFactory, PurchaseProjectFactory, RoundFactory

from .helpers import S

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lot_status", "available"),
    [
        ("open", False),
        ("in_review", False),
        ("awarded", False),
        ("final", False),
        ("failed", True),
        ("cancelled", True),
    ],
)
def test_a_project_is_offered_to_rounds_unless_a_lot_is_buying_it(lot_status, available):
    project = PurchaseProjectFactory(status=S.APPROVED)
    LotFactory(project=project, round=RoundFactory(), status=lot_status)
    assert (project in approved_projects_for_lots()) is available


def test_only_approved_projects_are_offered():
    approved = PurchaseProjectFactory(status=S.APPROVED)
    for status in (S.DRAFT, S.SUBMITTED, S.RETURNED, S.CANCELLED):
        PurchaseProjectFactory(status=status)
    assert list(approved_projects_for_lots()) == [approved]


def test_a_retendered_project_appears_once():
    project = PurchaseProjectFactory(status=S.APPROVED)
    LotFactory(project=project, round=RoundFactory(), status="failed")
    LotFactory(project=project, round=RoundFactory(), status="cancelled")
    assert list(approved_projects_for_lots()) == [project]


def test_projects_for_lots_can_be_limited_to_a_year():
    this_year = PurchaseProjectFactory(status=S.APPROVED)
    next_item = CatalogueItemFactory(year=this_year.year + 1)
    next_year = PurchaseProjectFactory(
        status=S.APPROVED, catalogue_item=next_item, year=next_item.year
    )
    assert list(approved_projects_for_lots(year=this_year.year)) == [this_year]
    assert set(approved_projects_for_lots()) == {this_year, next_year}
