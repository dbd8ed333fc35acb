"""Rows for every section of the contract and evaluation dashboard panels.

One contract is built through the services (``base``); the rows are copies
of its records with the status each section lists, written straight to the
tables so that thirty of each take a moment."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import Model
from django.utils import timezone

from contracts import services
from contracts.models import Contract, PaymentTranche, ProgressReport, Rectification
from evaluation.models import Evaluation
from tests.factories import AwardFactory

C = Contract.Status
E = Evaluation.Status


def _copy(obj: Model, **changes) -> Model:
    """A new row with ``obj``'s values and ``changes``."""
    obj = type(obj).objects.get(pk=obj.pk)
    obj.pk = None
    obj.id = None
    obj._state.adding = True
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()
    return obj


def copy_contract(base: Contract, *, status: str | None = None) -> Contract:
    """A new contract like ``base`` (of its organization, from a new award)."""
    changes = {"status": status} if status is not None else {}
    return _copy(
        base,
        number=f"{base.number}-{Contract.objects.count()}",
        award=AwardFactory(bid__organization=base.organization),
        **changes,
    )


class DashboardRows:
    """``add(n)`` adds ``n`` rows to each section a role's dashboard lists:
    contracts to complete, to sign and with amendments to sign; reports
    submitted, overdue and due soon; payments requested (above the approver's
    threshold, which must be below the first tranche's amount), approved and
    eligible; rectifications open and responded; evaluations submitted, not
    yet assigned and failed without a follow-up."""

    def __init__(self, base: Contract, *, officer, org_admin):
        self.base = base
        self.officer = officer
        services.amendment_create(contract=base, user=officer, reason="延期", deliverables="新")
        services.site_visit_create(
            contract=base,
            user=officer,
            visit_date=timezone.localdate(),
            findings="检查",
            rating="good",
            rectifications=[{"description": "整改事项", "deadline": timezone.localdate()}],
        )
        self.report = base.reports.order_by("number").first()
        self.tranches = list(base.tranches.order_by("order"))
        self.amendment = base.amendments.get()
        self.rectification = base.rectifications.get()
        self.evaluation = base.evaluations.get(stage=Evaluation.Stage.MIDTERM)

    def _contract(self, status) -> Contract:
        return copy_contract(self.base, status=status)

    def add(self, n: int) -> None:
        today = timezone.localdate()
        for _ in range(n):
            active = self._contract(C.ACTIVE)
            self._contract(C.DRAFT)
            to_sign = self._contract(C.AWAITING_SIGNATURES)
            _copy(self.amendment, contract=active)
            for number, status, due in (
                (1, ProgressReport.Status.SUBMITTED, today),
                (2, ProgressReport.Status.DUE, today - timedelta(days=3)),
                (3, ProgressReport.Status.DUE, today + timedelta(days=5)),
            ):
                _copy(
                    self.report,
                    contract=active,
                    number=number,
                    status=status,
                    due_date=due,
                    submitted_at=timezone.now() if status != ProgressReport.Status.DUE else None,
                )
            # The base contract's schedule with other statuses: shares and amounts
            # still sum to the contract's (PostgreSQL checks them).
            for tranche, (status, finance) in zip(
                self.tranches,
                [
                    (PaymentTranche.Status.REQUESTED, None),
                    (PaymentTranche.Status.APPROVED, self.officer),
                    (PaymentTranche.Status.ELIGIBLE, None),
                ],
                strict=True,
            ):
                _copy(
                    tranche,
                    contract=active,
                    status=status,
                    requested_at=timezone.now(),
                    finance_approved_by=finance,
                    approver_approved_by=None,
                )
            for status in (Rectification.Status.OPEN, Rectification.Status.RESPONDED):
                _copy(self.rectification, contract=active, status=status)
            _copy(
                self.evaluation,
                contract=active,
                status=E.SUBMITTED,
                submitted_at=timezone.now(),
                submitted_by=None,
            )
            _copy(
                self.evaluation,
                contract=active,
                stage=Evaluation.Stage.FINAL,
                status=E.PLANNED,
                evaluator_organization=None,
            )
            _copy(
                self.evaluation,
                contract=to_sign,
                status=E.APPROVED,
                total_score=Decimal("50"),
                grade="failed",
                passed=False,
                follow_up="",
                responded_at=None,
                decided_at=timezone.now(),
            )
