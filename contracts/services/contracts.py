"""Contracts: creation from a final award, completing the draft, completion and
termination. Signing is in ``signatures``, the PDF in ``documents``."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bidding.models import Award, Notice, TranchePlanItem
from organizations.models import Organization, User
from organizations.selectors import organization_admins
from purchase_portal import audit
from purchase_portal.calendar import local_date
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError, invalid
from purchase_portal.notifications import notify
from purchase_portal.parsing import require_reason
from purchase_portal.roles import Role, is_officer, users_with_role

from ..models import (
    Contract,
    ContractBudgetLine,
    ContractNumberSequence,
    ContractSignature,
    ContractTarget,
    PaymentTranche,
    ProgressReport,
    Rectification,
)
from ..workflows import CONTRACT_WORKFLOW
from .common import add_months, allocate, contract_url

logger = logging.getLogger(__name__)

C = Contract.Status
Side = ContractSignature.Side


#: The data-protection clause every contract carries (个人信息保护法 Art 21, 28).
DATA_PROTECTION_CLAUSE = _(
    "Data protection. %(organization)s processes the personal information of the "
    "beneficiaries of this contract on behalf of %(federation)s, only for the services "
    "of this contract and only as %(federation)s instructs. Disability information is "
    "sensitive personal information: %(organization)s collects no more than the services "
    "need, keeps it confidential and secure, restricts access to the staff who deliver "
    "the services, reports to %(federation)s only aggregate figures unless an individual "
    "record is required by law, notifies %(federation)s at once of any breach, does not "
    "pass it to anyone else, and returns or deletes it when the contract ends."
)

#: The plan used when a round carries no valid tranche plan (DESIGN §2.3).
DEFAULT_TRANCHE_PLAN = [
    (Decimal("50"), TranchePlanItem.Condition.ON_SIGNING),
    (Decimal("30"), TranchePlanItem.Condition.MIDTERM_PASSED),
    (Decimal("20"), TranchePlanItem.Condition.FINAL_PASSED),
]


class NoFederationError(ApplicationError):
    pass


def federation_organization() -> Organization | None:
    return (
        Organization.objects.filter(category=Organization.Category.FEDERATION)
        .order_by("id")
        .first()
    )


def _next_number(year: int) -> str:
    """The next contract number of the year. The year's sequence row is locked,
    so concurrent creations wait for each other and never share a number."""
    ContractNumberSequence.objects.get_or_create(year=year)
    sequence = ContractNumberSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"HT-{year}-{sequence.last:04d}"


def _tranche_plan(round_) -> tuple[list[tuple[Decimal, str]], str]:
    plan = [(item.share, item.condition) for item in round_.tranche_plan.order_by("order")]
    if plan and sum((share for share, _c in plan), Decimal(0)) == 100:
        return plan, "round"
    return list(DEFAULT_TRANCHE_PLAN), "default"


#: Days from the award notice within which the contract is signed (政府采购法 Art 46).
SIGNING_DAYS = 30


def signing_deadline(award: Award) -> dt.date | None:
    """The last day to sign the contract of an award: 30 days from the award notice
    (政府采购法 Art 46: 自中标、成交通知书发出之日起三十日内)."""
    published = (
        Notice.objects.filter(round_id=award.lot.round_id)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    if published is None:
        return None
    return local_date(published) + dt.timedelta(days=SIGNING_DAYS)


@transaction.atomic
def contract_create_from_award(*, award: Award, user: User | None = None) -> Contract:
    """Create the contract draft of a final award; idempotent (one per award). The
    draft carries its signing deadline (30 days from the award notice, 政府采购法
    Art 46)."""
    award = (
        Award.objects.select_for_update(of=("self",))
        .select_related("lot__round", "lot__project", "bid", "organization")
        .get(pk=award.pk)
    )
    existing = Contract.objects.filter(award=award).first()
    if existing is not None:
        return existing
    if award.status != Award.Status.FINAL:
        raise ConflictError(_("Only a final award leads to a contract."), code="award_not_final")
    federation = federation_organization()
    if federation is None:
        raise NoFederationError(
            _("Register the federation as an organization first."), code="no_federation"
        )
    lot, bid, project = award.lot, award.bid, award.lot.project
    start = timezone.localdate()
    months = project.duration_months if project is not None else 12
    end = add_months(start, months) - dt.timedelta(days=1)
    with translation.override(settings.LANGUAGE_CODE):
        clause = str(DATA_PROTECTION_CLAUSE) % {
            "organization": award.organization.name,
            "federation": federation.name,
        }
    title = (project.title if project is not None else "") or bid.proposal_title or lot.title
    contract = Contract.objects.create(
        number=_next_number(start.year),
        award=award,
        project=project,
        federation=federation,
        organization=award.organization,
        title=title[:200],
        amount=award.amount,
        original_amount=award.amount,
        start_date=start,
        end_date=end,
        original_end_date=end,
        deliverables="",
        original_deliverables="",
        data_protection_clause=clause,
        status=C.DRAFT,
        sign_by=signing_deadline(award),
        created_by=user,
    )
    targets = list(bid.targets.all())
    source = ContractTarget.Source.BID
    if not targets and project is not None:
        targets, source = list(project.targets.all()), ContractTarget.Source.PROJECT
    ContractTarget.objects.bulk_create(
        ContractTarget(
            contract=contract,
            order=i,
            kind=t.kind,
            indicator=t.indicator,
            target_value=t.target_value,
            unit=t.unit,
            source=source,
        )
        for i, t in enumerate(targets, start=1)
    )
    ContractBudgetLine.objects.bulk_create(
        ContractBudgetLine(contract=contract, order=i, item=line.item, amount=line.amount)
        for i, line in enumerate(bid.budget_lines.all(), start=1)
    )
    plan, plan_source = _tranche_plan(lot.round)
    amounts = allocate(contract.amount, [share for share, _c in plan])
    PaymentTranche.objects.bulk_create(
        PaymentTranche(
            contract=contract,
            order=i,
            share=share,
            amount=amount,
            condition=condition,
            status=PaymentTranche.Status.PENDING,
        )
        for i, ((share, condition), amount) in enumerate(zip(plan, amounts, strict=True), start=1)
    )
    audit.record(
        actor=user,
        action="contract.create",
        obj=contract,
        after={
            **audit.snapshot(contract),
            "targets": len(targets),
            "target_source": source,
            "tranche_plan": plan_source,
            "tranches": [[str(s), c, str(a)] for (s, c), a in zip(plan, amounts, strict=True)],
        },
    )
    notify(
        recipients=users_with_role(Role.OFFICER),
        kind="contract.draft",
        title=lambda: (
            _t("Contract draft %(number)s to complete: %(title)s")
            % {"number": contract.number, "title": contract.title}
        ),
        url=contract_url(contract),
        obj=contract,
    )
    return contract


def on_award_final(*, award_id: int, **_payload) -> None:
    """Subscriber of ``award.final``: runs in the publisher's transaction.

    Without a registered federation the draft cannot be made; the award is
    still final, and ``contract_create_missing`` (a daily task and an
    officer's action) creates the draft once the federation exists.
    """
    award = Award.objects.get(pk=award_id)
    try:
        with transaction.atomic():
            contract_create_from_award(award=award)
    except NoFederationError:
        logger.warning("No federation organization: contract for award %s postponed", award_id)


def contract_create_missing(*, user: User | None = None) -> list[Contract]:
    """Create the drafts of final awards that have none (idempotent)."""
    if user is not None and not is_officer(user):
        raise PermissionDeniedError()
    awards = Award.objects.filter(status=Award.Status.FINAL, contract__isnull=True).order_by("id")
    return [contract_create_from_award(award=a, user=user) for a in awards[:500]]


EDITABLE_FIELDS = ("start_date", "end_date", "deliverables", "report_frequency")


@transaction.atomic
def contract_update(*, contract: Contract, user: User, data: dict) -> Contract:
    """The officer completes the draft. Once sent for signature the terms change
    only through an amendment."""
    if not is_officer(user):
        raise PermissionDeniedError()
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    if locked.status != C.DRAFT:
        raise ConflictError(
            _("The terms of a contract sent for signature change only through an amendment."),
            code="amendment_required",
        )
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise invalid({name: [_t("This field cannot be changed here.")] for name in unknown})
    before = audit.snapshot(locked)
    errors: dict = {}
    for name, value in data.items():
        if name == "deliverables":
            value = (value or "").strip()
        if name == "report_frequency" and value not in Contract.ReportFrequency.values:
            errors[name] = [_t("Choose a valid value.")]
            continue
        if name in ("start_date", "end_date") and not isinstance(value, dt.date):
            errors[name] = [_t("Enter a valid date.")]
            continue
        setattr(locked, name, value)
    if not errors and locked.end_date < locked.start_date:
        errors["end_date"] = [_t("The end date cannot be before the start date.")]
    if not errors:
        from .amendments import term_limit

        last = term_limit(locked)
        if locked.end_date > last:
            errors["end_date"] = [
                _t(
                    "The contract may not run longer than the project (%(months)s months): "
                    "end on %(date)s at the latest."
                )
                % {"months": _project_months(locked), "date": last.isoformat()}
            ]
    if errors:
        raise invalid(errors)
    locked.original_end_date = locked.end_date
    locked.original_deliverables = locked.deliverables
    locked.save()
    old, new = audit.changed_fields(before, audit.snapshot(locked))
    if new:
        audit.record(actor=user, action="contract.update", obj=locked, before=old, after=new)
    return locked


def _project_months(contract: Contract) -> int:
    return contract.project.duration_months if contract.project_id else 12


def _open_work(contract: Contract) -> dict:
    return {
        "payments": contract.tranches.filter(
            status__in=[PaymentTranche.Status.REQUESTED, PaymentTranche.Status.APPROVED]
        ).exists(),
        "reports": contract.reports.filter(status=ProgressReport.Status.SUBMITTED).exists(),
        "rectifications": contract.rectifications.filter(
            status__in=Rectification.OPEN_STATUSES
        ).exists(),
    }


def contract_complete(*, contract: Contract, user: User) -> Contract:
    def guard(locked: Contract) -> None:
        work = _open_work(locked)
        if work["payments"]:
            raise ConflictError(_("Settle or return the open payment requests first."))
        if work["reports"]:
            raise ConflictError(_("Review the submitted progress reports first."))
        if work["rectifications"]:
            raise ConflictError(_("Close the open rectifications first."))

    return CONTRACT_WORKFLOW.run(
        "complete",
        obj=contract,
        user=user,
        guard=guard,
        changes={"completed_at": timezone.now()},
        notify=lambda locked: notify(
            recipients=organization_admins(locked.organization_id),
            kind="contract.completed",
            title=lambda: _t("Contract %(number)s is completed") % {"number": locked.number},
            url=contract_url(locked),
            obj=locked,
        ),
    )


def contract_terminate(*, contract: Contract, user: User, reason: str) -> Contract:
    reason = require_reason(reason)

    def guard(locked: Contract) -> None:
        if _open_work(locked)["payments"]:
            raise ConflictError(_("Settle or return the open payment requests first."))

    return CONTRACT_WORKFLOW.run(
        "terminate",
        obj=contract,
        user=user,
        guard=guard,
        changes=lambda locked: {
            "terminated_at": timezone.now(),
            "termination_reason": reason,
            "terminated_amount_paid": locked.paid_total,
        },
        notify=lambda locked: notify(
            recipients=[
                *organization_admins(locked.organization_id),
                *users_with_role(Role.APPROVER),
            ],
            kind="contract.terminated",
            title=lambda: _t("Contract %(number)s has been terminated") % {"number": locked.number},
            body=reason,
            url=contract_url(locked),
            obj=locked,
        ),
    )
