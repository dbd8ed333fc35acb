"""Bidding tells projects when a project enters or leaves a round: a lot added
for it puts it in a round; the lot failing, being cancelled or removed takes it
out, so it may be bought again or cancelled."""

from pathlib import Path

import pytest
from django.conf import settings

from bidding.models import Bid, Lot
from bidding.services import opening as opening_services
from bidding.services import rounds as round_services
from bidding.services import terms as term_services
from projects.models import PurchaseProject
from projects.selectors import approved_projects_for_lots
from tests.factories import PurchaseProjectFactory

from .round_helpers import CHECKS_OK, draft_round, present_shares, round_with_bids

pytestmark = pytest.mark.django_db


def _in_round(project) -> bool:
    project.refresh_from_db()
    return project.in_round


def test_adding_a_lot_puts_its_project_in_a_round(officer):
    round_ = draft_round(officer=officer, lots=0)
    project = PurchaseProjectFactory()
    assert not _in_round(project)
    assert approved_projects_for_lots().filter(pk=project.pk).exists()
    term_services.lot_add(round=round_, user=officer, project=project)
    assert _in_round(project)
    assert not approved_projects_for_lots().filter(pk=project.pk).exists()


def test_removing_the_lot_takes_the_project_out_of_the_round(officer):
    round_ = draft_round(officer=officer, lots=1)
    lot = round_.lots.get()
    project = lot.project
    assert _in_round(project)
    term_services.lot_remove(lot=lot, user=officer)
    assert not _in_round(project)
    assert approved_projects_for_lots().filter(pk=project.pk).exists()


def test_cancelling_the_round_takes_its_projects_out(officer):
    round_ = draft_round(officer=officer, lots=2)
    projects = [lot.project for lot in round_.lots.all()]
    assert all(_in_round(p) for p in projects)
    round_services.round_cancel(round=round_, user=officer, reason="预算调整")
    assert not any(_in_round(p) for p in projects)


def test_a_lot_failing_unopened_takes_its_project_out(officer):
    round_, lot, _bids = round_with_bids(officer=officer, bids=2)
    assert _in_round(lot.project)
    present_shares(round_)
    opening_services.round_open(round=round_, user=officer)
    lot.refresh_from_db()
    assert lot.status == Lot.Status.FAILED
    assert not _in_round(lot.project)
    assert approved_projects_for_lots().filter(pk=lot.project_id).exists()


def test_a_lot_failing_at_qualification_takes_its_project_out(officer):
    round_, lot, bids = round_with_bids(officer=officer, bids=3)
    present_shares(round_)
    opening_services.round_open(round=round_, user=officer)
    bids = list(Bid.objects.filter(pk__in=[b.pk for b in bids]).order_by("pk"))
    opening_services.bid_qualify(bid=bids[0], user=officer, checks=CHECKS_OK)
    opening_services.bid_qualify(bid=bids[1], user=officer, checks=CHECKS_OK)
    opening_services.bid_disqualify(bid=bids[2], user=officer, reason="材料不全")
    assert _in_round(lot.project)
    failed = opening_services.lot_complete_qualification(lot=lot, user=officer)
    assert failed.status == Lot.Status.FAILED
    assert not _in_round(lot.project)


def test_a_lot_going_on_to_review_keeps_its_project_in_the_round(officer):
    round_, lot, _bids = round_with_bids(officer=officer, bids=3)
    present_shares(round_)
    opening_services.round_open(round=round_, user=officer)
    assert _in_round(lot.project)


def test_no_projects_module_knows_the_lot_states():
    """Projects learn of rounds from bidding's calls, not from bidding's states
    (migrations are frozen history and are not counted; a value that is also a
    project status, such as "cancelled", is the project's own)."""
    root = Path(settings.BASE_DIR) / "projects"
    lot_only = set(Lot.Status.values) - set(PurchaseProject.Status.values)
    states = [f'"{value}"' for value in sorted(lot_only)] + [
        f"'{value}'" for value in sorted(lot_only)
    ]
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {state}"
        for path in sorted(root.rglob("*.py"))
        if "migrations" not in path.parts
        for state in states
        if state in path.read_text(encoding="utf-8")
    ]
    assert found == []
