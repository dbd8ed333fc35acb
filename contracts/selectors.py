"""Reads scoped to what the user may see.

Federation staff (officers, approvers, finance, auditors) see every contract;
an organization's members see their organization's contracts; anyone else
sees none. What a user may not see is answered 404.

A progress report still ``due`` after its due date is *overdue*. That is
computed here (``with_display_status``) from the server's date, and the page,
the API, the filters and the export all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from organizations.models import User
from organizations.rules import memberships_of
from purchase_portal.models import AuditEvent
from purchase_portal.roles import is_federation_staff
from purchase_portal.selectors import audit_event_list

from .models import (
    Contract,
    ContractAmendment,
    ContractSignature,
    ContractTarget,
    PaymentTranche,
    ProgressReport,
    Rectification,
    RectificationResponse,
    ReportEvidence,
    SiteVisit,
)
from .rules import payment_threshold


def _scope(qs: QuerySet, user: User, path: str = "organization_id") -> QuerySet:
    if is_federation_staff(user):
        return qs
    return qs.filter(**{f"{path}__in": list(memberships_of(user))})


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def contract_list(*, user: User) -> QuerySet[Contract]:
    qs = Contract.objects.select_related("organization", "federation", "project")
    return _scope(qs, user)


def contract_get(*, user: User, pk) -> Contract:
    return _get(contract_list(user=user), pk)


def overdue_q(prefix: str = "") -> Q:
    """Due, past its date, on a contract still running (a completed or
    terminated contract's unsubmitted reports are no longer expected)."""
    return (
        Q(**{f"{prefix}status": ProgressReport.Status.DUE})
        & Q(**{f"{prefix}due_date__lt": timezone.localdate()})
        & Q(**{f"{prefix}contract__status": "active"})
    )


def with_display_status(qs: QuerySet[ProgressReport]) -> QuerySet[ProgressReport]:
    return qs.annotate(
        display_status=Case(
            When(overdue_q(), then=Value(ProgressReport.OVERDUE)),
            default=F("status"),
            output_field=CharField(),
        )
    )


def report_status_label(value: str) -> str:
    if value == ProgressReport.OVERDUE:
        return str(ProgressReport.OVERDUE_LABEL)
    return str(ProgressReport.Status(value).label)


def report_list(*, user: User) -> QuerySet[ProgressReport]:
    qs = ProgressReport.objects.select_related("contract__organization")
    return with_display_status(_scope(qs, user, "contract__organization_id"))


def report_get(*, user: User, pk) -> ProgressReport:
    qs = report_list(user=user).prefetch_related(
        "beneficiaries__street",
        "outputs__target",
        "spending__budget_line",
        Prefetch("evidence", queryset=ReportEvidence.objects.select_related("uploaded_by")),
    )
    return _get(qs, pk)


def evidence_get(*, user: User, pk) -> ReportEvidence:
    qs = ReportEvidence.objects.select_related("report")
    return _get(_scope(qs, user, "report__contract__organization_id"), pk)


def evidence_downloads(*, user: User, report: ProgressReport) -> QuerySet[AuditEvent]:
    """Who downloaded which evidence file of the report, and when, newest first:
    for the audit trail's readers (auditors, officers) only."""
    ids = [str(pk) for pk in report.evidence.values_list("pk", flat=True)]
    return (
        audit_event_list(user=user)
        .filter(action="evidence.download", object_type="contracts.reportevidence")
        .filter(object_id__in=ids)
        .select_related("actor")
        .order_by("-seq")
    )


def tranche_list(*, user: User) -> QuerySet[PaymentTranche]:
    qs = PaymentTranche.objects.select_related("contract__organization")
    return _scope(qs, user, "contract__organization_id")


def tranche_get(*, user: User, pk) -> PaymentTranche:
    return _get(tranche_list(user=user), pk)


def amendment_list(*, user: User) -> QuerySet[ContractAmendment]:
    qs = ContractAmendment.objects.select_related("contract__organization", "created_by")
    return _scope(qs, user, "contract__organization_id")


def amendment_get(*, user: User, pk) -> ContractAmendment:
    return _get(amendment_list(user=user), pk)


def visit_list(*, user: User) -> QuerySet[SiteVisit]:
    qs = SiteVisit.objects.select_related("contract__organization", "inspector")
    return _scope(qs, user, "contract__organization_id")


def visit_get(*, user: User, pk) -> SiteVisit:
    return _get(visit_list(user=user).prefetch_related("rectifications"), pk)


def rectification_list(*, user: User) -> QuerySet[Rectification]:
    qs = Rectification.objects.select_related("contract__organization", "visit")
    return _scope(qs, user, "contract__organization_id")


def rectification_get(*, user: User, pk) -> Rectification:
    return _get(rectification_list(user=user).prefetch_related("responses__responded_by"), pk)


def target_progress(contract: Contract) -> QuerySet[ContractTarget]:
    """Targets with the sum achieved over accepted reports."""
    return contract.targets.annotate(
        achieved=Sum(
            "outputs__achieved_value",
            filter=Q(outputs__report__status=ProgressReport.Status.ACCEPTED),
        )
    ).order_by("order", "id")


def budget_progress(contract: Contract):
    return contract.budget_lines.annotate(
        spent=Sum("spending__amount", filter=Q(spending__report__submission_count__gt=0))
    ).order_by("order", "id")


@dataclass
class TermsVersion:
    version: int
    amount: Decimal
    end_date: object
    deliverables: str
    tranches: list
    amendment: ContractAmendment | None


def terms_history(
    contract: Contract,
    *,
    amendments: list[ContractAmendment] | None = None,
    tranches: list[PaymentTranche] | None = None,
) -> list[TermsVersion]:
    """Every version of the terms: the original, then one per amendment in
    force, in order. The last one equals the contract's current terms.

    A page that has read the contract's amendments and tranches already passes
    them (``amendments``: all of them, in any order; ``tranches``: the current
    ones) rather than have them read again."""
    if amendments is None:
        amendments = list(contract.amendments.filter(status=ContractAmendment.Status.APPROVED))
    amendments = sorted(
        (a for a in amendments if a.status == ContractAmendment.Status.APPROVED),
        key=lambda a: (a.terms_version is None, a.terms_version or 0, a.pk),
    )

    def current_tranches() -> list[dict]:
        rows = tranches if tranches is not None else contract.tranches.all()
        return [
            {
                "order": t.order,
                "share": str(t.share),
                "condition": t.condition,
                "amount": str(t.amount),
            }
            for t in sorted(rows, key=lambda t: t.order)
        ]

    if amendments and amendments[0].previous_tranches is not None:
        original_tranches = amendments[0].previous_tranches
    else:
        original_tranches = current_tranches()
    current = TermsVersion(
        0,
        contract.original_amount,
        contract.original_end_date,
        contract.original_deliverables,
        original_tranches,
        None,
    )
    versions = [current]
    for i, amendment in enumerate(amendments):
        following = amendments[i + 1].previous_tranches if i + 1 < len(amendments) else None
        if following is None:
            following = current_tranches()
        current = TermsVersion(
            amendment.terms_version or i + 1,
            amendment.new_amount if amendment.new_amount is not None else current.amount,
            amendment.new_end_date or current.end_date,
            amendment.new_deliverables
            if amendment.new_deliverables is not None
            else current.deliverables,
            following,
            amendment,
        )
        versions.append(current)
    return versions


def signatures_of(contract: Contract) -> list[ContractSignature]:
    return list(contract.signatures.select_related("user", "amendment").order_by("signed_at", "id"))


def report_counts(contract: Contract) -> dict[str, int]:
    rows = (
        with_display_status(contract.reports.all()).values("display_status").annotate(n=Count("id"))
    )
    return {row["display_status"]: row["n"] for row in rows}


#: The most progress reports the contract page lists: a contract of a city
#: holds about a hundred, and a page's rows must not grow with them.
CONTRACT_PAGE_REPORTS = 12

#: Reports someone still has to act on: the organization (due, overdue,
#: returned for correction) or the federation (submitted, to review).
NEEDS_ACTION = (
    ProgressReport.Status.DUE,
    ProgressReport.Status.SUBMITTED,
    ProgressReport.Status.RETURNED,
)

#: The order of the statuses in a contract's report summary.
SUMMARY_ORDER = (
    ProgressReport.OVERDUE,
    ProgressReport.Status.DUE,
    ProgressReport.Status.RETURNED,
    ProgressReport.Status.SUBMITTED,
    ProgressReport.Status.ACCEPTED,
)


@dataclass(frozen=True)
class ContractReports:
    """The progress reports the contract page shows, in number order, and the
    contract's due report with the soonest date (overdue ones included)."""

    rows: list[ProgressReport]
    next_due: ProgressReport | None


def contract_page_reports(
    contract: Contract, *, limit: int = CONTRACT_PAGE_REPORTS
) -> ContractReports:
    """At most ``limit`` reports in one query: first those someone still has to
    act on, soonest due first, then the latest others, newest first.

    The next due report is read from those rows when they can hold it, with one
    more query only when every row is a submitted or returned report."""
    acting = Q(status__in=NEEDS_ACTION)
    picked = list(
        with_display_status(contract.reports.all()).order_by(
            Case(When(acting, then=Value(0)), default=Value(1)),
            Case(When(acting, then=F("due_date"))).asc(),
            Case(When(acting, then=F("number"))).asc(),
            "-number",
        )[:limit]
    )
    # The rows needing action come first in (due date, number) order and every
    # due report needs action, so the first due row is the soonest of the
    # contract. Without one, there is no due report unless the rows were all
    # taken by earlier submitted or returned reports.
    due = [r for r in picked if r.status == ProgressReport.Status.DUE]
    if due:
        next_due = due[0]
    elif len(picked) == limit and all(r.status in NEEDS_ACTION for r in picked):
        next_due = (
            contract.reports.filter(status=ProgressReport.Status.DUE)
            .order_by("due_date", "number")
            .first()
        )
    else:
        next_due = None
    return ContractReports(sorted(picked, key=lambda r: r.number), next_due)


def report_summary(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(status, label, count) of each display status the contract has."""
    return [(s, report_status_label(s), counts[s]) for s in SUMMARY_ORDER if counts.get(s)]


# Dashboard reads ---------------------------------------------------------------
# Each panel checks the role first; these return what needs that role's action.


def _signed(side: str, *, amendment: bool = False) -> Exists:
    if amendment:
        return Exists(ContractSignature.objects.filter(amendment=OuterRef("pk"), side=side))
    return Exists(
        ContractSignature.objects.filter(contract=OuterRef("pk"), amendment__isnull=True, side=side)
    )


def _tranches() -> QuerySet[PaymentTranche]:
    return PaymentTranche.objects.select_related("contract__organization")


def tranches_awaiting_finance() -> QuerySet[PaymentTranche]:
    return (
        _tranches()
        .filter(status=PaymentTranche.Status.REQUESTED, finance_approved_by__isnull=True)
        .order_by("requested_at", "id")
    )


def tranches_to_pay() -> QuerySet[PaymentTranche]:
    return _tranches().filter(status=PaymentTranche.Status.APPROVED).order_by("id")


def tranches_awaiting_approver(*, user: User) -> QuerySet[PaymentTranche]:
    """Requests above the threshold the approver may still approve (not one the
    same person approved as finance)."""
    return (
        _tranches()
        .filter(
            status=PaymentTranche.Status.REQUESTED,
            amount__gt=payment_threshold(),
            approver_approved_by__isnull=True,
        )
        .exclude(finance_approved_by=user)
        .order_by("requested_at", "id")
    )


def amendments_to_sign(*, side: str, organization_ids=None) -> QuerySet[ContractAmendment]:
    """Amendments awaiting ``side``'s signature (of these organizations, when given)."""
    qs = ContractAmendment.objects.select_related("contract").filter(
        status=ContractAmendment.Status.AWAITING_SIGNATURES
    )
    if organization_ids is not None:
        qs = qs.filter(contract__organization_id__in=organization_ids)
    return qs.filter(~_signed(side, amendment=True)).order_by("id")


def contracts_to_sign(*, side: str, organization_ids=None) -> QuerySet[Contract]:
    """Contracts awaiting ``side``'s signature (of these organizations, when given)."""
    qs = Contract.objects.filter(status=Contract.Status.AWAITING_SIGNATURES)
    if organization_ids is not None:
        qs = qs.filter(organization_id__in=organization_ids)
    return qs.filter(~_signed(side)).order_by("id")


def reports_due_soon(*, organization_ids) -> QuerySet[ProgressReport]:
    """What is late or falls due within a month, not the whole schedule."""
    return (
        ProgressReport.objects.select_related("contract")
        .filter(
            contract__organization_id__in=organization_ids,
            contract__status=Contract.Status.ACTIVE,
            status__in=[ProgressReport.Status.DUE, ProgressReport.Status.RETURNED],
            due_date__lte=timezone.localdate() + timedelta(days=31),
        )
        .order_by("due_date", "id")
    )


def tranches_to_request(*, organization_ids) -> QuerySet[PaymentTranche]:
    return (
        _tranches()
        .filter(
            contract__organization_id__in=organization_ids, status=PaymentTranche.Status.ELIGIBLE
        )
        .order_by("id")
    )


def open_rectifications(*, organization_ids) -> QuerySet[Rectification]:
    return (
        Rectification.objects.select_related("contract")
        .filter(contract__organization_id__in=organization_ids, status=Rectification.Status.OPEN)
        .order_by("deadline", "id")
    )


def contract_drafts() -> QuerySet[Contract]:
    return Contract.objects.filter(status=Contract.Status.DRAFT).order_by("id")


def reports_submitted() -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.select_related("contract")
        .filter(status=ProgressReport.Status.SUBMITTED)
        .order_by("submitted_at")
    )


def reports_overdue() -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.select_related("contract")
        .filter(overdue_q(), contract__status=Contract.Status.ACTIVE)
        .order_by("due_date", "id")
    )


def rectifications_responded() -> QuerySet[Rectification]:
    return (
        Rectification.objects.select_related("contract")
        .filter(status=Rectification.Status.RESPONDED)
        .order_by("deadline", "id")
    )


def rectification_response_file(*, user: User, pk) -> RectificationResponse | None:
    """A response with a file, on a rectification the user may see; None otherwise."""
    try:
        return (
            RectificationResponse.objects.filter(
                pk=int(pk), rectification__in=rectification_list(user=user)
            )
            .exclude(file="")
            .first()
        )
    except (ValueError, TypeError, OverflowError):
        return None


def contract_site_visits(contract: Contract) -> list[SiteVisit]:
    """The contract's site visits with their inspectors and rectifications (by deadline)."""
    return list(
        contract.site_visits.select_related("inspector").prefetch_related(
            Prefetch("rectifications", queryset=Rectification.objects.order_by("deadline", "id"))
        )
    )


@dataclass(frozen=True)
class ContractDocument:
    """A contract PDF found by a digest printed in it or by its own SHA-256."""

    contract: Contract
    #: "signed" or "draft"
    kind: str
    amendment: ContractAmendment | None = None

    @property
    def is_draft(self) -> bool:
        return self.kind == "draft"


def contract_document_by_digest(digest: str) -> ContractDocument | None:
    """Public: which contract PDF this digest belongs to, if any."""
    if not digest:
        return None
    contracts = Contract.objects.select_related("organization", "federation")
    signed = contracts.filter(Q(pdf_sha256=digest) | Q(pdf_terms_digest=digest)).first()
    if signed is not None:
        return ContractDocument(signed, "signed")
    draft = contracts.filter(Q(draft_pdf_sha256=digest) | Q(draft_terms_digest=digest)).first()
    if draft is not None:
        return ContractDocument(draft, "draft")
    amendment = (
        ContractAmendment.objects.select_related("contract__organization", "contract__federation")
        .filter(Q(draft_pdf_sha256=digest) | Q(draft_digest=digest))
        .first()
    )
    if amendment is not None:
        return ContractDocument(amendment.contract, "draft", amendment)
    return None
