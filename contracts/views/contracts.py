from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchase_portal.forms import ReasonForm
from purchase_portal.pages import refusals, run_action
from purchase_portal.paging import keyset_page
from purchase_portal.roles import is_officer
from purchase_portal.uploads import file_response
from purchase_portal.xlsx import workbook_response

from .. import figures, selectors, services
from ..exports import payments_workbook, reports_workbook
from ..filters import ContractPageFilter, TranchePageFilter
from ..forms import AmendmentForm, ContractForm, PayForm, SideForm
from ..models import Contract, ContractSignature, Rectification
from ..rules import (
    can_sign_for_federation,
    is_contract_org_admin,
    may_approve_tranche,
    payment_threshold,
    tranche_approval_slot,
    tranche_needs_approver,
)
from ..services.deadlines import is_signing_late
from ..workflows import CONTRACT_WORKFLOW, TRANCHE_WORKFLOW
from .confirmations import amendment_sign_page, contract_sign_page, tranche_approve_page

#: The columns of the contracts and payments lists that sort the rows; each
#: ordering ends with a unique field.
CONTRACT_SORTS = {
    "created": ("id",),
    "number": ("number",),
    "title": ("title", "id"),
    "organization": ("organization__name", "organization_id", "id"),
    "amount": ("amount", "id"),
    "start": ("start_date", "id"),
    "status": ("status", "-id"),
}
PAYMENT_SORTS = {
    "created": ("id",),
    "contract": ("contract__number", "order", "id"),
    "organization": ("contract__organization__name", "contract__number", "order", "id"),
    "amount": ("amount", "id"),
    "status": ("status", "-id"),
}

#: What a row of the contracts list reads (and sorts by): not the terms, the
#: federation or the project of each contract.
CONTRACT_ROW_FIELDS = (
    "id",
    "number",
    "title",
    "amount",
    "paid_total",
    "start_date",
    "end_date",
    "status",
    "organization__name",
)
#: What a row of the payments list reads (and sorts by).
PAYMENT_ROW_FIELDS = (
    "id",
    "order",
    "share",
    "amount",
    "condition",
    "status",
    "contract__number",
    "contract__organization__name",
)


@login_required
def contract_list(request):
    base = selectors.contract_list(user=request.user)
    filterset = ContractPageFilter(request.GET or None, queryset=base)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    qs = qs.select_related(None).select_related("organization").only(*CONTRACT_ROW_FIELDS)
    page = keyset_page(qs, request, sorts=CONTRACT_SORTS, default_sort="-created")
    return render(
        request,
        "contracts/list.html",
        {
            "filter": filterset,
            "contracts": page.rows,
            "page": page,
            "can_create_missing": is_officer(request.user),
        },
        # A filter that does not validate shows its field messages with a 400.
        status=400 if filterset.is_bound and filterset.errors else 200,
    )


def _tranche_actions(user, contract: Contract, tranches) -> list[tuple]:
    """Each tranche with whether it needs an approver and the buttons the user
    gets: the transitions the workflow allows, approval only where the user has
    an approval to give (``contracts.rules``), a request only on an active contract."""
    threshold = payment_threshold()
    rows = []
    for t in tranches:
        t.contract = contract
        actions = [
            transition.name
            for transition in TRANCHE_WORKFLOW.available(t, user)
            if transition.permission is not None  # the others are the services' own
        ]
        if "approve" in actions and (
            not may_approve_tranche(user, t, threshold=threshold)
            or tranche_approval_slot(user, t, threshold=threshold) is None
        ):
            actions.remove("approve")
        if "request" in actions and contract.status != Contract.Status.ACTIVE:
            actions.remove("request")
        rows.append((t, tranche_needs_approver(t, threshold=threshold), actions))
    return rows


@login_required
def contract_detail(request, pk):
    user = request.user
    contract = selectors.contract_get(user=user, pk=pk)
    tranches = list(contract.tranches.all())
    signatures = selectors.signatures_of(contract)
    contract_signatures = [s for s in signatures if s.amendment_id is None]
    signed_sides = {s.side for s in contract_signatures}
    amendments = list(
        contract.amendments.select_related("created_by", "authorized_by").order_by("-number")
    )
    amendment_signatures: dict[int, set] = {}
    for s in signatures:
        if s.amendment_id:
            amendment_signatures.setdefault(s.amendment_id, set()).add(s.side)
    for a in amendments:
        a.signed_sides = amendment_signatures.get(a.pk, set())
    visits = selectors.contract_site_visits(contract)
    reports = selectors.contract_page_reports(contract)
    report_counts = selectors.report_counts(contract)
    report_total = sum(report_counts.values())
    may_sign_org = is_contract_org_admin(user, contract)
    may_sign_fed = can_sign_for_federation(user)
    sides = []
    if may_sign_fed:
        sides.append(ContractSignature.Side.FEDERATION)
    if may_sign_org:
        sides.append(ContractSignature.Side.ORGANIZATION)
    context = {
        "contract": contract,
        "transitions": [
            t for t in CONTRACT_WORKFLOW.available(contract, user) if t.name != "activate"
        ],
        "versions": selectors.terms_history(contract, amendments=amendments, tranches=tranches),
        "signatures": signatures,
        "contract_signatures": contract_signatures,
        "unsigned_sides": [s for s in sides if s not in signed_sides],
        "side_form": SideForm(),
        "tranche_rows": _tranche_actions(user, contract, tranches),
        "threshold": payment_threshold(),
        "amendments": amendments,
        "amendment_sides": sides,
        "reports": reports.rows,
        "report_counts": report_counts,
        "report_summary": selectors.report_summary(report_counts),
        "report_total": report_total,
        "more_reports": report_total > len(reports.rows),
        "targets": list(selectors.target_progress(contract)),
        "budget": list(selectors.budget_progress(contract)),
        "visits": visits,
        "open_rectifications": [
            r
            for v in visits
            for r in v.rectifications.all()
            if r.status in Rectification.OPEN_STATUSES
        ],
        "can_edit": is_officer(user) and contract.status == Contract.Status.DRAFT,
        "can_amend": is_officer(user) and contract.status == Contract.Status.ACTIVE,
        "can_visit": is_officer(user) and contract.status == Contract.Status.ACTIVE,
        "can_withdraw_amendment": is_officer(user),
        "signing_late": is_signing_late(contract),
        "authorizable": {a.pk for a in amendments if services.can_authorize_amendment(user, a)},
        "reason_form": ReasonForm(),
        "pay_form": PayForm(),
        "milestones": figures.contract_lifecycle(
            contract=contract, tranches=tranches, next_report=reports.next_due
        ),
        "tranche_chart": figures.tranche_chart(contract=contract, tranches=tranches),
        "beneficiary_chart": figures.beneficiary_chart(user=user, contract=contract),
    }
    return render(request, "contracts/detail.html", context)


@login_required
def contract_edit(request, pk):
    contract = selectors.contract_get(user=request.user, pk=pk)
    if not is_officer(request.user):
        raise PermissionDenied
    if contract.status != Contract.Status.DRAFT:
        messages.error(
            request,
            _("The terms of a contract sent for signature change only through an amendment."),
        )
        return redirect("contracts:detail", contract.pk)
    initial = {k: getattr(contract, k) for k in services.contracts.EDITABLE_FIELDS}
    form = ContractForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals(
            request,
            form=form,
        ) as call:
            services.contract_update(contract=contract, user=request.user, data=form.cleaned_data)
        if call.ok:
            messages.success(request, _("The draft has been saved."))
            return redirect("contracts:detail", contract.pk)
    return render(request, "contracts/edit.html", {"form": form, "contract": contract})


@login_required
def contract_action(request, pk, action):
    """A GET of "sign" shows what it will do; only a POST acts."""
    contract = selectors.contract_get(user=request.user, pk=pk)
    if request.method != "POST":
        if action != "sign":
            return HttpResponseNotAllowed(["POST"])
        return contract_sign_page(request, contract)
    user = request.user
    handlers = {
        "send_for_signature": lambda: services.contract_send_for_signature(
            contract=contract, user=user
        ),
        "sign": lambda: services.contract_sign(
            contract=contract, user=user, side=request.POST.get("side") or None
        ),
        "complete": lambda: services.contract_complete(contract=contract, user=user),
        "terminate": lambda: services.contract_terminate(
            contract=contract, user=user, reason=request.POST.get("reason", "")
        ),
    }
    if action not in handlers:
        raise Http404
    run_action(request, handlers[action], _("Done."))
    return redirect("contracts:detail", contract.pk)


@login_required
@require_POST
def contract_create_missing(request):
    with refusals(request) as call:
        created = services.contract_create_missing(user=request.user)
    if call.ok:
        messages.success(request, _("Contract drafts created: %(n)s.") % {"n": len(created)})
    return redirect("contracts:list")


@login_required
def contract_pdf(request, pk):
    contract = selectors.contract_get(user=request.user, pk=pk)
    if not contract.pdf:
        raise Http404
    return file_response(
        contract.pdf, filename=f"{contract.number}.pdf", content_type="application/pdf"
    )


@login_required
def contract_export_payments(request, pk):
    contract = selectors.contract_get(user=request.user, pk=pk)
    return workbook_response(payments_workbook(contract), f"{contract.number}-payments.xlsx")


@login_required
def contract_export_reports(request, pk):
    contract = selectors.contract_get(user=request.user, pk=pk)
    return workbook_response(reports_workbook(contract), f"{contract.number}-reports.xlsx")


@login_required
def amendment_create(request, pk):
    contract = selectors.contract_get(user=request.user, pk=pk)
    if not is_officer(request.user):
        raise PermissionDenied
    form = AmendmentForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        with refusals(
            request,
            form=form,
        ) as call:
            services.amendment_create(contract=contract, user=request.user, **form.changes())
        if call.ok:
            messages.success(request, _("The amendment has been sent to both sides to sign."))
            return redirect("contracts:detail", contract.pk)
    return render(request, "contracts/amendment_form.html", {"form": form, "contract": contract})


@login_required
def amendment_action(request, pk, action):
    """A GET of "sign" shows what it will do; only a POST acts."""
    amendment = selectors.amendment_get(user=request.user, pk=pk)
    if request.method != "POST":
        if action != "sign":
            return HttpResponseNotAllowed(["POST"])
        return amendment_sign_page(request, amendment)
    handlers = {
        "approve": lambda: services.amendment_authorize(amendment=amendment, user=request.user),
        "sign": lambda: services.amendment_sign(
            amendment=amendment, user=request.user, side=request.POST.get("side") or None
        ),
        "withdraw": lambda: services.amendment_withdraw(
            amendment=amendment, user=request.user, reason=request.POST.get("reason", "")
        ),
    }
    if action not in handlers:
        raise Http404
    run_action(request, handlers[action], _("Done."))
    return redirect("contracts:detail", amendment.contract_id)


@login_required
def tranche_action(request, pk, action):
    """A GET of "approve" shows what it will do; only a POST acts."""
    tranche = selectors.tranche_get(user=request.user, pk=pk)
    if request.method != "POST":
        if action != "approve":
            return HttpResponseNotAllowed(["POST"])
        return tranche_approve_page(request, tranche)
    user = request.user

    def pay():
        form = PayForm(request.POST)
        if not form.is_valid():
            raise services.common.invalid({k: [str(e) for e in v] for k, v in form.errors.items()})
        services.tranche_pay(
            tranche=tranche,
            user=user,
            paid_on=form.cleaned_data["paid_on"],
            reference=form.cleaned_data["reference"],
        )

    handlers = {
        "request": lambda: services.tranche_request(tranche=tranche, user=user),
        "approve": lambda: services.tranche_approve(tranche=tranche, user=user),
        "reject": lambda: services.tranche_reject(
            tranche=tranche, user=user, reason=request.POST.get("reason", "")
        ),
        "pay": pay,
    }
    if action not in handlers:
        raise Http404
    run_action(request, handlers[action], _("Done."))
    if request.POST.get("next") == "payments":
        return redirect("contracts:payments")
    return redirect(f"{_detail_url(tranche.contract_id)}#payments")


def _detail_url(pk) -> str:
    from django.urls import reverse

    return reverse("contracts:detail", args=[pk])


@login_required
def payment_list(request):
    base = selectors.tranche_list(user=request.user)
    filterset = TranchePageFilter(request.GET or None, queryset=base)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    qs = qs.only(*PAYMENT_ROW_FIELDS)
    page = keyset_page(qs, request, sorts=PAYMENT_SORTS, default_sort="-created")
    threshold = payment_threshold()
    return render(
        request,
        "contracts/payments.html",
        {
            "filter": filterset,
            "rows": [(t, tranche_needs_approver(t, threshold=threshold)) for t in page],
            "page": page,
            "threshold": threshold,
        },
    )
