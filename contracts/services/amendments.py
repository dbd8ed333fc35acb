"""Amendments: the only way a signed contract's terms change.

An officer proposes what changes (amount, end date, deliverables, tranches)
and why; an approver approves it (never its proposer); then both sides sign
it with the same mechanism as the contract, the federation only through an
approver; when the second signature is given it comes into force and the
contract's current terms become the original terms plus every amendment in
force, in order.

Limits (``amendment_limit_problems``): all supplementary amounts together stay
within 10 % of the original contract amount (政府采购法 Art 49); the new amount
stays within the project's budget ceiling, which itself is held within the
catalogue item's budget; the new end date stays within the project's duration
(≤ 12 months, ≤ 36 for recurring services).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import User
from organizations.selectors import organization_admins
from projects.models import PurchaseProject
from purchase_portal import audit
from purchase_portal.duties import require_other_person
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError, invalid
from purchase_portal.notifications import notify
from purchase_portal.parsing import require_reason
from purchase_portal.roles import Role, is_approver, is_officer, users_with_role

from ..models import Contract, ContractAmendment, ContractSignature, PaymentTranche
from ..terms import terms_digest
from ..workflows import AMENDMENT_WORKFLOW, TRANCHE_WORKFLOW
from .common import add_months, allocate, contract_url
from .documents import schedule_pdf, schedule_signing_draft
from .signatures import record_signature, signing_side

T = PaymentTranche.Status


def _tranche_rows(contract: Contract) -> list[dict]:
    return [
        {"order": t.order, "share": str(t.share), "condition": t.condition, "amount": str(t.amount)}
        for t in contract.tranches.order_by("order")
    ]


def plan_tranches(*, contract: Contract, amount: Decimal, spec: list[dict] | None) -> list[dict]:
    """The tranches after a change of amount and/or plan, or an error.

    Tranches already requested, approved or paid keep their share, condition
    and amount; the rest of the new amount is spread over the other tranches
    in proportion to their shares, to the cent, so the amounts still sum to
    the contract amount exactly. Shares must sum to 100 %.
    """
    existing = {t.order: t for t in contract.tranches.order_by("order")}
    if spec is None:
        spec = [
            {"order": t.order, "share": t.share, "condition": t.condition}
            for t in existing.values()
        ]
    errors: list[str] = []
    rows: list[dict] = []
    seen: set[int] = set()
    for item in spec:
        try:
            order = int(item["order"])
            share = Decimal(str(item["share"]))
            condition = str(item["condition"])
        except (KeyError, TypeError, ValueError, InvalidOperation):
            errors.append(_t("Each tranche needs an order, a share and a condition."))
            continue
        if order in seen or order < 1:
            errors.append(_t("Tranche %(n)s appears twice or has no valid order.") % {"n": order})
        seen.add(order)
        if not (Decimal("0") < share <= Decimal("100")) or share != share.quantize(Decimal("0.01")):
            errors.append(_t("Tranche %(n)s: a share is between 0.01 and 100.") % {"n": order})
        if condition not in PaymentTranche.Condition.values:
            errors.append(_t("Tranche %(n)s: choose a valid condition.") % {"n": order})
        current = existing.get(order)
        if (
            current is not None
            and current.status in PaymentTranche.FIXED_STATUSES
            and (share != current.share or condition != current.condition)
        ):
            errors.append(
                _t("Tranche %(n)s is already requested or paid; it cannot change.") % {"n": order}
            )
        if current is not None and current.status == T.ELIGIBLE and condition != current.condition:
            errors.append(
                _t("Tranche %(n)s is already eligible; its condition cannot change.") % {"n": order}
            )
        rows.append({"order": order, "share": share, "condition": condition, "current": current})
    missing = sorted(set(existing) - seen)
    if missing:
        errors.append(
            _t("Every existing tranche must stay in the plan (missing: %(orders)s).")
            % {"orders": ", ".join(map(str, missing))}
        )
    if not errors and sum((r["share"] for r in rows), Decimal(0)) != 100:
        errors.append(_t("The shares must sum to 100%."))
    if errors:
        raise invalid({"tranches": errors})
    fixed = [
        r for r in rows if r["current"] and r["current"].status in PaymentTranche.FIXED_STATUSES
    ]
    open_rows = [r for r in rows if r not in fixed]
    fixed_sum = sum((r["current"].amount for r in fixed), Decimal(0))
    if amount < fixed_sum:
        raise invalid(
            {
                "amount": [
                    _t("The amount cannot be less than the %(sum)s already requested or paid.")
                    % {"sum": fixed_sum}
                ]
            }
        )
    if not open_rows and amount != fixed_sum:
        raise invalid({"tranches": [_t("Add a tranche for the rest of the amount.")]})
    for row, part in zip(
        open_rows, allocate(amount - fixed_sum, [r["share"] for r in open_rows]), strict=True
    ):
        row["amount"] = part
    for row in fixed:
        row["amount"] = row["current"].amount
    return sorted(rows, key=lambda r: r["order"])


#: All supplementary amounts together: at most this share of the original amount
#: (政府采购法 Art 49).
SUPPLEMENT_LIMIT = Decimal("0.10")


def supplemented_so_far(contract: Contract) -> Decimal:
    """The sum of the increases that amendments in force added to the amount."""
    total = Decimal(0)
    for previous, new in contract.amendments.filter(
        status=ContractAmendment.Status.APPROVED, new_amount__isnull=False
    ).values_list("previous_amount", "new_amount"):
        if previous is not None and new > previous:
            total += new - previous
    return total


def term_limit(contract: Contract) -> dt.date:
    """The last day a contract of this project may run: its duration from the start."""
    project = PurchaseProject.objects.filter(pk=contract.project_id).only("duration_months").first()
    months = project.duration_months if project is not None else 12
    return add_months(contract.start_date, months) - dt.timedelta(days=1)


def amendment_limit_problems(
    *, contract: Contract, amount: Decimal | None, end_date: dt.date | None
) -> dict[str, list[str]]:
    """What an amendment may not do: supplements over 10 % of the original amount
    (政府采购法 Art 49), an amount over the project's budget ceiling (and so over the
    catalogue budget that holds it), a term beyond the project's duration."""
    errors: dict[str, list[str]] = {}
    if amount is not None and amount > contract.amount:
        limit = (contract.original_amount * SUPPLEMENT_LIMIT).quantize(Decimal("0.01"))
        total = supplemented_so_far(contract) + (amount - contract.amount)
        if total > limit:
            errors.setdefault("amount", []).append(
                _t(
                    "All supplementary amounts together may not exceed 10%% of the original "
                    "amount (%(limit)s CNY; Government Procurement Law Art 49): this would make "
                    "%(total)s CNY."
                )
                % {"limit": limit, "total": total}
            )
    if amount is not None and contract.project_id is not None:
        ceiling = (
            PurchaseProject.objects.filter(pk=contract.project_id)
            .values_list("budget_ceiling", flat=True)
            .first()
        )
        if ceiling is not None and amount > ceiling:
            errors.setdefault("amount", []).append(
                _t(
                    "The amount may not exceed the project's budget ceiling of %(ceiling)s CNY "
                    "(held within the catalogue budget)."
                )
                % {"ceiling": ceiling}
            )
    if end_date is not None:
        last = term_limit(contract)
        if end_date > last:
            errors.setdefault("end_date", []).append(
                _t("The contract may not run past %(date)s: the project's duration.")
                % {"date": last.isoformat()}
            )
    return errors


@transaction.atomic
def amendment_create(
    *,
    contract: Contract,
    user: User,
    reason: str,
    amount: Decimal | None = None,
    end_date: dt.date | None = None,
    deliverables: str | None = None,
    tranches: list[dict] | None = None,
) -> ContractAmendment:
    if not is_officer(user):
        raise PermissionDeniedError()
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    if locked.status != Contract.Status.ACTIVE:
        raise ConflictError(_("Only a contract in force can be amended."), code="not_active")
    if locked.amendments.filter(status=ContractAmendment.Status.AWAITING_SIGNATURES).exists():
        raise ConflictError(
            _("This contract already has an amendment to sign."), code="amendment_open"
        )
    errors: dict = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_t("Say why the contract changes.")]
    if deliverables is not None:
        deliverables = deliverables.strip()
        if not deliverables:
            errors["deliverables"] = [_t("The deliverables cannot be empty.")]
    if amount is not None and amount <= 0:
        errors["amount"] = [_t("The amount must be positive.")]
    if end_date is not None and end_date < locked.start_date:
        errors["end_date"] = [_t("The end date cannot be before the start date.")]
    if amount is None and end_date is None and deliverables is None and tranches is None:
        errors.setdefault("reason", []).append(_t("Change at least one term."))
    if not errors:
        errors.update(amendment_limit_problems(contract=locked, amount=amount, end_date=end_date))
    if errors:
        raise invalid(errors)
    if amount is not None or tranches is not None:
        plan_tranches(
            contract=locked, amount=amount if amount is not None else locked.amount, spec=tranches
        )
    number = (locked.amendments.aggregate(n=Max("number"))["n"] or 0) + 1
    amendment = ContractAmendment.objects.create(
        contract=locked,
        number=number,
        reason=reason,
        new_amount=amount,
        new_end_date=end_date,
        new_deliverables=deliverables,
        new_tranches=(
            [
                {"order": int(t["order"]), "share": str(t["share"]), "condition": t["condition"]}
                for t in tranches
            ]
            if tranches is not None
            else None
        ),
        created_by=user,
    )
    audit.record(
        actor=user, action="amendment.create", obj=amendment, after=audit.snapshot(amendment)
    )
    notify(
        recipients=users_with_role(Role.APPROVER),
        kind="amendment.to_approve",
        title=lambda: (
            _t("Amendment %(n)s of contract %(number)s awaits your approval")
            % {"n": number, "number": locked.number}
        ),
        body=reason,
        url=contract_url(locked),
        obj=amendment,
    )
    return amendment


def can_authorize_amendment(user, amendment: ContractAmendment) -> bool:
    """An approver other than the proposer approves an amendment awaiting approval."""
    return (
        bool(is_approver(user))
        and amendment.status == ContractAmendment.Status.AWAITING_SIGNATURES
        and amendment.authorized_at is None
        and user.pk != amendment.created_by_id
    )


@transaction.atomic
def amendment_authorize(*, amendment: ContractAmendment, user: User) -> ContractAmendment:
    """An approver approves the amendment before either side signs it (never the
    person who proposed it: separation of duties, 财会〔2012〕21号 Art 12). The
    limits are checked again against the contract as it is now."""
    if not is_approver(user):
        raise PermissionDeniedError()
    contract = Contract.objects.select_for_update().get(pk=amendment.contract_id)
    locked = ContractAmendment.objects.select_for_update().get(pk=amendment.pk)
    require_other_person(
        user,
        locked.created_by_id,
        message=_("You proposed this amendment; another approver must approve it."),
    )
    if locked.status != ContractAmendment.Status.AWAITING_SIGNATURES or locked.authorized_at:
        raise ConflictError(
            _("This amendment is not awaiting approval."), code="invalid_transition"
        )
    problems = amendment_limit_problems(
        contract=contract, amount=locked.new_amount, end_date=locked.new_end_date
    )
    if problems:
        raise ConflictError(
            _("The amendment no longer fits the contract's limits."),
            code="amendment_over_limits",
            fields=problems,
        )
    before = audit.snapshot(locked, ["authorized_by", "authorized_at"])
    locked.authorized_by = user
    locked.authorized_at = timezone.now()
    locked.save(update_fields=["authorized_by", "authorized_at"])
    audit.record(
        actor=user,
        action="amendment.authorize",
        obj=locked,
        before=before,
        after=audit.snapshot(locked, ["authorized_by", "authorized_at"]),
    )
    notify(
        recipients=[
            *organization_admins(contract.organization_id),
            *users_with_role(Role.APPROVER),
        ],
        kind="amendment.to_sign",
        title=lambda: (
            _t("Amendment %(n)s of contract %(number)s awaits your signature")
            % {"n": locked.number, "number": contract.number}
        ),
        body=locked.reason,
        url=contract_url(contract),
        obj=locked,
    )
    schedule_signing_draft(amendment=locked)
    return locked


def amendment_digest(amendment: ContractAmendment) -> str:
    return terms_digest(
        amendment.contract,
        {
            "amendment": {
                "number": amendment.number,
                "reason": amendment.reason,
                "new_amount": str(amendment.new_amount) if amendment.new_amount else None,
                "new_end_date": amendment.new_end_date.isoformat()
                if amendment.new_end_date
                else None,
                "new_deliverables": amendment.new_deliverables,
                "new_tranches": amendment.new_tranches,
            }
        },
    )


@transaction.atomic
def amendment_sign(
    *, amendment: ContractAmendment, user: User, side: str | None = None
) -> ContractAmendment:
    """Sign an approved amendment for one side; the federation signs only through an
    approver."""
    contract = Contract.objects.select_for_update().get(pk=amendment.contract_id)
    side = signing_side(contract=contract, user=user, side=side)
    if side == ContractSignature.Side.FEDERATION and not is_approver(user):
        raise PermissionDeniedError(
            _("The federation signs an amendment only through an approver."),
            code="approver_signs",
        )
    locked = ContractAmendment.objects.select_for_update().get(pk=amendment.pk)
    if locked.status != ContractAmendment.Status.AWAITING_SIGNATURES:
        raise ConflictError(
            _("This amendment is not awaiting signatures."), code="invalid_transition"
        )
    if locked.authorized_at is None:
        raise ConflictError(
            _("An approver must approve the amendment before it is signed."),
            code="amendment_not_approved",
        )
    locked.contract = contract
    _signature, complete = record_signature(
        contract=contract, user=user, side=side, amendment=locked, digest=amendment_digest(locked)
    )
    if complete:
        _bring_into_force(locked, contract, user)
    amendment.refresh_from_db()
    return amendment


def _bring_into_force(amendment: ContractAmendment, contract: Contract, user: User) -> None:
    from .reports import report_schedule_sync

    if contract.status != Contract.Status.ACTIVE:
        raise ConflictError(_("Only a contract in force can be amended."), code="not_active")
    new_amount = amendment.new_amount if amendment.new_amount is not None else contract.amount
    plan = None
    if amendment.new_amount is not None or amendment.new_tranches is not None:
        try:
            plan = plan_tranches(contract=contract, amount=new_amount, spec=amendment.new_tranches)
        except ApplicationError as exc:
            raise ConflictError(
                _("The amendment no longer fits the payments made since it was proposed."),
                code="amendment_stale",
                fields=exc.fields,
            ) from None
    before_terms = {
        "amount": contract.amount,
        "end_date": contract.end_date,
        "deliverables": contract.deliverables,
        "tranches": _tranche_rows(contract),
    }
    version = contract.terms_version + 1
    AMENDMENT_WORKFLOW.run(
        "approve",
        obj=amendment,
        user=user,
        changes={
            "approved_at": timezone.now(),
            "terms_version": version,
            "previous_amount": before_terms["amount"],
            "previous_end_date": before_terms["end_date"],
            "previous_deliverables": before_terms["deliverables"],
            "previous_tranches": before_terms["tranches"],
        },
    )
    contract_before = audit.snapshot(
        contract, ["amount", "end_date", "deliverables", "terms_version"]
    )
    contract.amount = new_amount
    if amendment.new_end_date is not None:
        contract.end_date = amendment.new_end_date
    if amendment.new_deliverables is not None:
        contract.deliverables = amendment.new_deliverables
    contract.terms_version = version
    new_tranches = []
    if plan is not None:
        for row in plan:
            current = row["current"]
            if current is None:
                new_tranches.append(
                    PaymentTranche.objects.create(
                        contract=contract,
                        order=row["order"],
                        share=row["share"],
                        amount=row["amount"],
                        condition=row["condition"],
                        status=T.PENDING,
                    )
                )
            elif (current.share, current.amount, current.condition) != (
                row["share"],
                row["amount"],
                row["condition"],
            ):
                current.share, current.amount = row["share"], row["amount"]
                current.condition = row["condition"]
                current.save(update_fields=["share", "amount", "condition"])
    contract.save(
        update_fields=["amount", "end_date", "deliverables", "terms_version", "updated_at"]
    )
    audit.record(
        actor=user,
        action="contract.amend",
        obj=contract,
        before={**contract_before, "tranches": before_terms["tranches"]},
        after={
            **audit.snapshot(contract, ["amount", "end_date", "deliverables", "terms_version"]),
            "tranches": _tranche_rows(contract),
            "amendment": amendment.pk,
        },
    )
    for tranche in new_tranches:
        if tranche.condition == PaymentTranche.Condition.ON_SIGNING:
            TRANCHE_WORKFLOW.run(
                "make_eligible", obj=tranche, user=user, changes={"eligible_at": timezone.now()}
            )
    if amendment.new_end_date is not None:
        report_schedule_sync(contract=contract)
    notify(
        recipients=[
            *organization_admins(contract.organization_id),
            *users_with_role(Role.APPROVER),
        ],
        kind="amendment.approved",
        title=lambda: (
            _t("Amendment %(n)s of contract %(number)s is in force")
            % {"n": amendment.number, "number": contract.number}
        ),
        url=contract_url(contract),
        obj=amendment,
    )
    schedule_pdf(contract)


def amendment_withdraw(*, amendment: ContractAmendment, user: User, reason: str):
    reason = require_reason(reason)
    return AMENDMENT_WORKFLOW.run(
        "withdraw", obj=amendment, user=user, changes={"withdrawal_reason": reason}
    )
