from decimal import Decimal

import pytest
from django.db import transaction

from bidding.models import TranchePlanItem
from contracts import services
from contracts.models import Contract, ContractTarget, PaymentTranche
from contracts.services.common import allocate
from organizations.models import Organization
from purchase_portal import events
from purchase_portal.models import AuditEvent

from .helpers import federation, final_award

pytestmark = pytest.mark.django_db


def test_final_award_event_creates_one_contract_draft(fed, org):
    award = final_award(organization=org)
    with transaction.atomic():
        events.publish("award.final", award_id=award.pk)
    events.publish("award.final", award_id=award.pk)
    contract = Contract.objects.get(award=award)
    assert contract.status == Contract.Status.DRAFT
    assert contract.organization == org and contract.federation == fed
    assert contract.amount == award.amount == contract.original_amount
    assert Contract.objects.filter(award=award).count() == 1
    assert AuditEvent.objects.filter(action="contract.create", object_id=str(contract.pk)).exists()


def test_contract_copies_bid_targets_budget_lines_and_tranche_plan(fed, org):
    award = final_award(
        organization=org,
        price=Decimal("100000.01"),
        plan=[
            (Decimal("33.33"), TranchePlanItem.Condition.ON_SIGNING),
            (Decimal("33.33"), TranchePlanItem.Condition.MIDTERM_PASSED),
            (Decimal("33.34"), TranchePlanItem.Condition.FINAL_PASSED),
        ],
    )
    contract = services.contract_create_from_award(award=award)
    targets = list(contract.targets.all())
    assert [t.indicator for t in targets] == ["康复训练人次", "满意度"]
    assert {t.source for t in targets} == {ContractTarget.Source.BID}
    assert contract.budget_lines.count() == 2
    tranches = list(contract.tranches.order_by("order"))
    assert [t.share for t in tranches] == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert sum(t.amount for t in tranches) == Decimal("100000.01")
    assert all(t.status == PaymentTranche.Status.PENDING for t in tranches)
    assert org.name in contract.data_protection_clause
    assert fed.name in contract.data_protection_clause


def test_project_targets_are_used_when_the_bid_has_none(fed, org):
    contract = services.contract_create_from_award(
        award=final_award(organization=org, bid_targets=False)
    )
    assert [t.indicator for t in contract.targets.all()] == ["项目目标"]
    assert contract.targets.get().source == ContractTarget.Source.PROJECT


def test_round_without_a_valid_plan_gets_the_default_tranches(fed, org):
    contract = services.contract_create_from_award(award=final_award(organization=org, plan=[]))
    assert [t.share for t in contract.tranches.order_by("order")] == [50, 30, 20]


def test_default_dates_follow_the_project_duration(fed, org):
    contract = services.contract_create_from_award(award=final_award(organization=org))
    assert (contract.end_date - contract.start_date).days in range(360, 366)


def test_contract_numbers_are_sequential_and_unique(fed, org, other_org):
    first = services.contract_create_from_award(award=final_award(organization=org))
    second = services.contract_create_from_award(award=final_award(organization=other_org))
    year = first.start_date.year
    assert first.number == f"HT-{year}-0001"
    assert second.number == f"HT-{year}-0002"


@pytest.mark.parametrize(
    "total,shares",
    [
        ("100000.01", ["33.33", "33.33", "33.34"]),
        ("0.05", ["50", "30", "20"]),
        ("99999.99", ["10", "20", "30", "40"]),
    ],
)
def test_allocation_sums_exactly_to_the_total(total, shares):
    parts = allocate(Decimal(total), [Decimal(s) for s in shares])
    assert sum(parts) == Decimal(total)
    assert all(p == p.quantize(Decimal("0.01")) for p in parts)


def test_without_a_federation_the_draft_waits_for_create_missing(org, officer, api):
    award = final_award(organization=org)
    events.publish("award.final", award_id=award.pk)
    assert not Contract.objects.exists()
    federation()
    api.force_authenticate(officer)
    response = api.post("/api/v1/contracts/create_missing/")
    assert response.status_code == 200, response.content
    assert len(response.json()["created"]) == 1
    assert api.post("/api/v1/contracts/create_missing/").json()["created"] == []


def test_only_officers_create_missing_drafts(fed, org, org_admin, auditor, api):
    final_award(organization=org)
    for user in (org_admin, auditor):
        api.force_authenticate(user)
        assert api.post("/api/v1/contracts/create_missing/").status_code == 403
    assert not Contract.objects.exists()


def test_create_missing_task_is_idempotent(fed, org):
    from contracts.tasks import create_missing_contracts

    final_award(organization=org)
    assert create_missing_contracts() == 1
    assert create_missing_contracts() == 0


def test_an_award_that_is_not_final_makes_no_contract(fed, org):
    award = final_award(organization=org)
    type(award).objects.filter(pk=award.pk).update(status="confirmed")
    with pytest.raises(Exception) as exc:
        services.contract_create_from_award(award=award)
    assert getattr(exc.value, "code", "") == "award_not_final"
    assert not Contract.objects.exists()


def test_the_federation_is_the_purchaser(fed, org):
    contract = services.contract_create_from_award(award=final_award(organization=org))
    assert contract.federation.category == Organization.Category.FEDERATION
