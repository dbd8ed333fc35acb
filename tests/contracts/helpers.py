"""Building contracts for tests through the services, from a final award."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from bidding.models import BidTarget, TranchePlanItem
from contracts import services
from contracts.models import Contract, ContractSignature
from organizations.models import Organization
from tests.factories import (
    AwardFactory,
    BidBudgetLineFactory,
    BidFactory,
    LotFactory,
    OrganizationFactory,
    ProjectTargetFactory,
    RoundFactory,
    TranchePlanItemFactory,
    UserFactory,
)

PLAN = [
    (Decimal("50"), TranchePlanItem.Condition.ON_SIGNING),
    (Decimal("30"), TranchePlanItem.Condition.MIDTERM_PASSED),
    (Decimal("20"), TranchePlanItem.Condition.FINAL_PASSED),
]


def federation() -> Organization:
    existing = Organization.objects.filter(category=Organization.Category.FEDERATION).first()
    return existing or OrganizationFactory(
        name="区残疾人联合会", category=Organization.Category.FEDERATION
    )


def final_award(
    *,
    organization: Organization,
    price: Decimal = Decimal("200000.00"),
    plan=PLAN,
    bid_targets: bool = True,
    budget: list[tuple[str, Decimal]] | None = None,
):
    round_ = RoundFactory()
    for i, (share, condition) in enumerate(plan, start=1):
        TranchePlanItemFactory(round=round_, order=i, share=share, condition=condition)
    lot = LotFactory(round=round_)
    ProjectTargetFactory(project=lot.project, indicator="项目目标", target_value=Decimal("500"))
    bid = BidFactory(lot=lot, organization=organization, price=price, status="awarded")
    if bid_targets:
        BidTarget.objects.create(
            bid=bid,
            order=1,
            kind="output",
            indicator="康复训练人次",
            target_value=Decimal("1200"),
            unit="人次",
        )
        BidTarget.objects.create(
            bid=bid,
            order=2,
            kind="satisfaction",
            indicator="满意度",
            target_value=Decimal("90"),
            unit="%",
        )
    if budget is None:
        budget = [("人员费用", price * Decimal("0.6")), ("活动费用", price * Decimal("0.4"))]
    for i, (item, amount) in enumerate(budget, start=1):
        BidBudgetLineFactory(bid=bid, order=i, item=item, amount=amount)
    return AwardFactory(bid=bid)


def draft_contract(*, organization: Organization, **kwargs) -> Contract:
    federation()
    return services.contract_create_from_award(
        award=final_award(organization=organization, **kwargs)
    )


def staff(role: str, username: str):
    return UserFactory(username=username, roles=[role])


def complete_and_send(
    contract: Contract, officer, *, start: dt.date | None = None, months=12, frequency="monthly"
) -> Contract:
    start = start or timezone.localdate()
    from contracts.services.common import add_months

    services.contract_update(
        contract=contract,
        user=officer,
        data={
            "start_date": start,
            "end_date": add_months(start, months) - dt.timedelta(days=1),
            "deliverables": "每月开展康复训练，全年服务 1200 人次。",
            "report_frequency": frequency,
        },
    )
    return services.contract_send_for_signature(contract=contract, user=officer)


def active_contract(*, organization: Organization, org_admin, officer, approver, **kwargs):
    send_kwargs = {k: kwargs.pop(k) for k in ("start", "months", "frequency") if k in kwargs}
    contract = draft_contract(organization=organization, **kwargs)
    complete_and_send(contract, officer, **send_kwargs)
    services.contract_sign(
        contract=contract, user=org_admin, side=ContractSignature.Side.ORGANIZATION
    )
    services.contract_sign(contract=contract, user=approver, side=ContractSignature.Side.FEDERATION)
    contract.refresh_from_db()
    return contract
