"""What signing a contract or an amendment and approving a payment will do:
the confirmation pages shown before the act (``purchase_portal.confirm``), and
the drafts for signature the signers read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.selectors import organization_admins
from purchase_portal.confirm import Confirmation, Document, Fact, amount, confirm_page, people
from purchase_portal.errors import ApplicationError
from purchase_portal.pages import error_text, raise_for_status
from purchase_portal.roles import Role, users_with_role
from purchase_portal.uploads import file_response

from .. import selectors, services
from ..models import Contract, ContractAmendment, ContractSignature, PaymentTranche
from ..rules import may_approve_tranche, tranche_approval_slot, tranche_needs_approver
from ..services.amendments import amendment_digest
from ..terms import terms_digest

SIGNING_RULE = gettext_lazy(
    "The purchaser and the supplier sign the contract within 30 days of the award notice "
    "(Government Procurement Law Art 46)."
)


def _side(request, contract: Contract):
    """The side the user signs for, or a redirect with the reason they cannot."""
    try:
        return services.signing_side(
            contract=contract, user=request.user, side=request.GET.get("side") or None
        )
    except ApplicationError as exc:
        raise_for_status(exc)
        messages.error(request, error_text(exc))
        return None


def _contract_facts(contract: Contract) -> list[Fact]:
    return [
        Fact(_("Contract"), f"{contract.number} {contract.title}"),
        Fact(_("Purchaser"), contract.federation.name),
        Fact(_("Service provider"), contract.organization.name),
        Fact(_("Contract amount"), amount(contract.amount)),
        Fact(
            _("Period"),
            f"{contract.start_date:%Y-%m-%d} – {contract.end_date:%Y-%m-%d}",
        ),
    ]


def _signed_by(signatures) -> list[str]:
    return [f"{s.get_side_display()}: {s.user.display_name}" for s in signatures]


def _draft(label, url, sha256) -> list[Document]:
    return [Document(label, url, sha256)] if sha256 else []


def _completing_recipients(contract: Contract, extra_role: str, note: str) -> list[str]:
    return [
        people(
            _("The organization's administrators"), organization_admins(contract.organization_id)
        ),
        people(note, users_with_role(extra_role)),
    ]


def contract_sign_page(request, contract: Contract):
    if contract.status != Contract.Status.AWAITING_SIGNATURES:
        return redirect("contracts:detail", contract.pk)
    side = _side(request, contract)
    if side is None:
        return redirect("contracts:detail", contract.pk)
    signatures = list(
        contract.signatures.filter(amendment=None).select_related("user").order_by("signed_at")
    )
    if any(s.side == side for s in signatures):
        messages.error(request, _("This side has already signed."))
        return redirect("contracts:detail", contract.pk)
    completes = len(signatures) + 1 == len(ContractSignature.Side.values)
    side_label = ContractSignature.Side(side).label
    return confirm_page(
        request,
        Confirmation(
            title=_("Sign contract %(number)s for %(side)s?")
            % {"number": contract.number, "side": side_label},
            lead=_("Read the draft for signature before you sign."),
            action=reverse("contracts:action", args=[contract.pk, "sign"]),
            button=_("Sign the contract"),
            back=reverse("contracts:detail", args=[contract.pk]),
            hidden={"side": side},
            facts=[
                *_contract_facts(contract),
                Fact(_("Terms version"), contract.terms_version),
                Fact(_("SHA-256 of the terms you sign"), terms_digest(contract), digest=True),
                Fact(_("You sign for"), side_label),
                Fact(_("Signed so far"), _signed_by(signatures)),
            ],
            documents=_draft(
                _("Draft for signature (PDF)"),
                reverse("contracts:draft-pdf", args=[contract.pk]),
                contract.draft_pdf_sha256,
            ),
            consequences=[
                _(
                    "Your signature is recorded with the time, your address and the digest "
                    "of the terms above."
                ),
                _(
                    "Once both sides have signed, the contract is in force: payments due on "
                    "signing become payable and the signed PDF replaces the draft."
                )
                if not completes
                else _(
                    "Yours is the last signature: the contract comes into force now, payments "
                    "due on signing become payable and the signed PDF replaces the draft."
                ),
            ],
            recipients=_completing_recipients(contract, Role.OFFICER, _("The procurement officers"))
            if completes
            else [],
            legal=SIGNING_RULE,
        ),
    )


def amendment_sign_page(request, amendment: ContractAmendment):
    contract = (
        Contract.objects.select_related("federation", "organization")
        .filter(pk=amendment.contract_id)
        .get()
    )
    if amendment.status != ContractAmendment.Status.AWAITING_SIGNATURES:
        return redirect("contracts:detail", contract.pk)
    if amendment.authorized_at is None:
        messages.error(request, _("An approver must approve the amendment before it is signed."))
        return redirect("contracts:detail", contract.pk)
    side = _side(request, contract)
    if side is None:
        return redirect("contracts:detail", contract.pk)
    signatures = list(
        ContractSignature.objects.filter(amendment=amendment)
        .select_related("user")
        .order_by("signed_at")
    )
    if any(s.side == side for s in signatures):
        messages.error(request, _("This side has already signed."))
        return redirect("contracts:detail", contract.pk)
    completes = len(signatures) + 1 == len(ContractSignature.Side.values)
    side_label = ContractSignature.Side(side).label
    changes = []
    if amendment.new_amount is not None:
        changes.append(
            _("Amount: %(old)s → %(new)s")
            % {"old": amount(contract.amount), "new": amount(amendment.new_amount)}
        )
    if amendment.new_end_date:
        changes.append(
            _("End date: %(old)s → %(new)s")
            % {"old": f"{contract.end_date:%Y-%m-%d}", "new": f"{amendment.new_end_date:%Y-%m-%d}"}
        )
    if amendment.new_deliverables is not None:
        changes.append(_("Deliverables: %(new)s") % {"new": amendment.new_deliverables})
    if amendment.new_tranches:
        changes.append(
            _("Payment tranches: %(plan)s")
            % {"plan": ", ".join(f"#{t['order']} {t['share']}%" for t in amendment.new_tranches)}
        )
    return confirm_page(
        request,
        Confirmation(
            title=_("Sign amendment %(n)s of contract %(number)s for %(side)s?")
            % {"n": amendment.number, "number": contract.number, "side": side_label},
            lead=_("Read the draft for signature before you sign."),
            action=reverse("contracts:amendment-action", args=[amendment.pk, "sign"]),
            button=_("Sign the amendment"),
            back=reverse("contracts:detail", args=[contract.pk]) + "#amendments",
            hidden={"side": side},
            facts=[
                Fact(_("Contract"), f"{contract.number} {contract.title}"),
                Fact(_("Reason for the change"), amendment.reason),
                Fact(_("Changes"), changes),
                Fact(
                    _("SHA-256 of the amendment you sign"), amendment_digest(amendment), digest=True
                ),
                Fact(_("You sign for"), side_label),
                Fact(_("Signed so far"), _signed_by(signatures)),
            ],
            documents=_draft(
                _("Draft for signature of the amendment (PDF)"),
                reverse("contracts:amendment-draft-pdf", args=[amendment.pk]),
                amendment.draft_pdf_sha256,
            ),
            consequences=[
                _(
                    "Your signature is recorded with the time, your address and the digest "
                    "of the amendment above."
                ),
                _(
                    "Yours is the last signature: the amendment comes into force now, the "
                    "contract's terms change and a new signed PDF is generated."
                )
                if completes
                else _("The amendment comes into force once both sides have signed."),
            ],
            recipients=_completing_recipients(contract, Role.APPROVER, _("The approvers"))
            if completes
            else [],
            legal=_(
                "All supplementary amounts together stay within 10% of the original amount "
                "(Government Procurement Law Art 49)."
            ),
        ),
    )


def tranche_approve_page(request, tranche: PaymentTranche):
    contract = tranche.contract
    if tranche.status != PaymentTranche.Status.REQUESTED:
        return redirect(reverse("contracts:detail", args=[contract.pk]) + "#payments")
    if not may_approve_tranche(request.user, tranche):
        raise PermissionDenied
    slot = tranche_approval_slot(request.user, tranche)
    if slot is None:
        messages.error(
            request,
            _("You have already approved this payment; another person must approve it."),
        )
        return redirect(reverse("contracts:detail", args=[contract.pk]) + "#payments")
    above = tranche_needs_approver(tranche)
    given = [
        _("Finance: %(who)s") % {"who": tranche.finance_approved_by.display_name}
        if tranche.finance_approved_by_id
        else None,
        _("Approver: %(who)s") % {"who": tranche.approver_approved_by.display_name}
        if tranche.approver_approved_by_id
        else None,
    ]
    completes = (slot == "finance" or tranche.finance_approved_by_id is not None) and (
        not above or slot == "approver" or tranche.approver_approved_by_id is not None
    )
    if completes:
        recipients = [
            people(_("Finance staff, to record the payment"), users_with_role(Role.FINANCE)),
            people(
                _("The organization's administrators"),
                organization_admins(contract.organization_id),
            ),
        ]
    else:
        recipients = [
            people(
                _("The approvers, whose approval is still needed"), users_with_role(Role.APPROVER)
            )
        ]
    back = request.GET.get("next") == "payments"
    return confirm_page(
        request,
        Confirmation(
            title=_("Approve payment tranche %(order)s of %(number)s?")
            % {"order": tranche.order, "number": contract.number},
            action=reverse("contracts:tranche-action", args=[tranche.pk, "approve"]),
            button=_("Approve the payment"),
            back=reverse("contracts:payments")
            if back
            else reverse("contracts:detail", args=[contract.pk]) + "#payments",
            hidden={"next": "payments"} if back else {},
            facts=[
                Fact(_("Contract"), f"{contract.number} {contract.title}"),
                Fact(_("Payee"), contract.organization.name),
                Fact(_("Tranche"), f"#{tranche.order} · {tranche.share}%"),
                Fact(_("Amount to pay"), amount(tranche.amount)),
                Fact(_("Condition"), tranche.get_condition_display()),
                Fact(_("Approvals given"), [g for g in given if g]),
                Fact(
                    _("Your approval"),
                    _("Finance approval") if slot == "finance" else _("Approver's approval"),
                ),
            ],
            consequences=[
                _("The payment is approved: finance may now pay it and record the payment.")
                if completes
                else _("Your approval is recorded; an approver must approve it too."),
                _(
                    "One person gives one approval only; above the threshold both finance "
                    "and an approver approve (separation of duties, 财会〔2012〕21号 Art 12)."
                ),
            ],
            recipients=recipients,
        ),
    )


@login_required
def contract_draft_pdf(request, pk):
    contract = selectors.contract_get(user=request.user, pk=pk)
    if not contract.draft_pdf:
        raise Http404
    return file_response(
        contract.draft_pdf,
        filename=f"{contract.number}-draft.pdf",
        content_type="application/pdf",
    )


@login_required
def amendment_draft_pdf(request, pk):
    amendment = selectors.amendment_get(user=request.user, pk=pk)
    if not amendment.draft_pdf:
        raise Http404
    return file_response(
        amendment.draft_pdf,
        filename=f"{amendment.contract.number}-amendment-{amendment.number}-draft.pdf",
        content_type="application/pdf",
    )
