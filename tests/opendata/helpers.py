"""Building published data for the open-data tests, through the services."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.utils import timezone

from bidding.models import Bid, Notice
from contracts import services as contract_services
from contracts.models import ContractSignature, PaymentTranche
from opendata import packages
from opendata.models import Release
from opendata.services import releases_refresh
from tests.contracts.helpers import active_contract
from tests.factories import BidFactory, LotFactory, OrganizationFactory, RoundFactory


def sealed_lot(*, round_status: str = "published", bidders: int = 3, opened: bool = False):
    """A published lot with submitted bids from ``bidders`` organizations."""
    rnd = RoundFactory(status=round_status, opened_at=timezone.now() if opened else None)
    lot = LotFactory(round=rnd)
    bids = [
        BidFactory(
            lot=lot,
            organization=OrganizationFactory(),
            status=Bid.Status.SUBMITTED,
            price=Decimal("271234.56"),
            proposal_title="密封方案标题",
            service_plan="密封的服务方案内容",
            submitted_at=timezone.now() - dt.timedelta(days=1),
        )
        for _ in range(bidders)
    ]
    return lot, bids


def signed_contract(*, org, org_admin, officer, approver):
    """A contract signed by both sides, with the award's notice published."""
    contract = active_contract(
        organization=org, org_admin=org_admin, officer=officer, approver=approver
    )
    award = contract.award
    award.lot.project.approved_at = timezone.now() - dt.timedelta(days=60)
    award.lot.project.save(update_fields=["approved_at"])
    award.confirmed_at = timezone.now() - dt.timedelta(days=20)
    award.save(update_fields=["confirmed_at"])
    Notice.objects.create(
        round=award.lot.round,
        published_at=timezone.now() - dt.timedelta(days=19),
        ends_at=timezone.now() - dt.timedelta(days=12),
        status=Notice.Status.ENDED,
        content={
            "round": {"code": award.lot.round.code, "title": award.lot.round.title},
            "notice_days": 1,
            "working_days": True,
            "objection_answer_workdays": 7,
            "lots": [],
            "panel": [],
        },
    )
    return contract


def pay_first_tranche(contract, *, org_admin, finance, cashier) -> PaymentTranche:
    """Requested by the organization, approved by ``finance`` and recorded as paid by
    ``cashier`` (who approved a payment does not record it)."""
    tranche = contract.tranches.order_by("order").first()
    contract_services.tranche_request(tranche=tranche, user=org_admin)
    contract_services.tranche_approve(tranche=tranche, user=finance)
    return contract_services.tranche_pay(
        tranche=tranche, user=cashier, paid_on=timezone.localdate(), reference="BANK-REF-998877"
    )


def amend_amount(contract, *, officer, org_admin, approver, amount: Decimal, reason: str):
    amendment = contract_services.amendment_create(
        contract=contract, user=officer, reason=reason, amount=amount
    )
    contract_services.amendment_authorize(amendment=amendment, user=approver)
    contract_services.amendment_sign(
        amendment=amendment, user=org_admin, side=ContractSignature.Side.ORGANIZATION
    )
    return contract_services.amendment_sign(
        amendment=amendment, user=approver, side=ContractSignature.Side.FEDERATION
    )


def releases_of(ocid: str) -> list[dict]:
    return list(
        Release.objects.filter(ocid=ocid).order_by("date", "id").values_list("data", flat=True)
    )


def refreshed_text(ocid: str | None = None) -> str:
    """Every stored release (of ``ocid``) as one JSON text, after a refresh."""
    releases_refresh()
    qs = Release.objects.all() if ocid is None else Release.objects.filter(ocid=ocid)
    return json.dumps(list(qs.values_list("data", flat=True)), ensure_ascii=False)


def package_errors(ocid: str) -> list[str]:
    """Schema errors of the release package and the record package of ``ocid``."""
    releases = releases_of(ocid)
    release_pkg = packages.release_package(uri="https://example.org/p", releases=releases)
    record_pkg = packages.record_package(
        uri="https://example.org/r", records=[packages.record(ocid=ocid, releases=releases)]
    )
    return packages.errors(release_pkg, "release") + packages.errors(record_pkg, "record")


def stored_release(n: int, *, ocid: str = "ocds-demo00-R-1", when=None) -> Release:
    """A release row stored as it is, ``n`` hours old unless ``when`` is given."""
    when = when or timezone.now() - dt.timedelta(hours=n)
    data = {
        "ocid": ocid,
        "id": f"{ocid}-event-{n}",
        "date": when.isoformat(),
        "tag": ["tender"],
        "initiationType": "tender",
        "tender": {"id": "1", "status": "active"},
    }
    return Release.objects.create(
        release_id=data["id"], ocid=ocid, date=when, tags=data["tag"], data=data, digest=str(n)
    )
