"""Progress reports: the schedule, the content, submission and review.

Content is aggregate only: activities, beneficiaries served as counts per
disability category and street, outputs per performance target, spending per
budget line, and evidence files. No names or certificate numbers.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t

from organizations.models import Street, User
from organizations.selectors import organization_members
from projects.models import DisabilityCategory
from purchase_portal import audit
from purchase_portal.errors import ConflictError, PermissionDeniedError, invalid
from purchase_portal.notifications import notify
from purchase_portal.parsing import integer
from purchase_portal.parsing import number as parse_number
from purchase_portal.roles import Role, users_with_role

from ..models import (
    Contract,
    ProgressReport,
    ReportBeneficiaryCount,
    ReportEvidence,
    ReportOutput,
    ReportSpending,
)
from ..rules import is_contract_org_member
from ..workflows import REPORT_WORKFLOW
from .common import add_months, checked_file

R = ProgressReport.Status
#: Days after the end of a period by which its report is due.
REPORT_DUE_DAYS = 10
EDITABLE = (R.DUE, R.RETURNED)


def report_url(report: ProgressReport) -> str:
    return reverse("contracts:report-detail", args=[report.pk])


def report_periods(contract: Contract) -> list[tuple[dt.date, dt.date]]:
    step = 1 if contract.report_frequency == Contract.ReportFrequency.MONTHLY else 3
    periods, n = [], 0
    while True:
        start = add_months(contract.start_date, n * step)
        if start > contract.end_date:
            return periods
        end = min(
            add_months(contract.start_date, (n + 1) * step) - dt.timedelta(days=1),
            contract.end_date,
        )
        periods.append((start, end))
        n += 1


def report_schedule_sync(*, contract: Contract) -> list[ProgressReport]:
    """Make the ``due`` rows match the contract's period and frequency: create
    the missing ones, fit never-submitted ones to a changed end date, and drop
    never-submitted ones that fall after it. Idempotent."""
    periods = report_periods(contract)
    existing = {r.number: r for r in contract.reports.all()}
    created = []
    for number, (start, end) in enumerate(periods, start=1):
        due = end + dt.timedelta(days=REPORT_DUE_DAYS)
        report = existing.get(number)
        if report is None:
            created.append(
                ProgressReport(
                    contract=contract,
                    number=number,
                    period_start=start,
                    period_end=end,
                    due_date=due,
                    status=R.DUE,
                )
            )
        elif report.submission_count == 0 and (report.period_end, report.due_date) != (end, due):
            report.period_start, report.period_end, report.due_date = start, end, due
            report.save(update_fields=["period_start", "period_end", "due_date"])
    ProgressReport.objects.bulk_create(created)
    stale = [
        r.pk
        for n, r in existing.items()
        if n > len(periods) and r.submission_count == 0 and r.status == R.DUE
    ]
    if stale:
        ProgressReport.objects.filter(pk__in=stale).delete()
    if created or stale:
        audit.record(
            actor=None,
            action="contract.report_schedule",
            obj=contract,
            after={
                "frequency": contract.report_frequency,
                "created": [r.number for r in created],
                "removed": sorted(n for n, r in existing.items() if r.pk in stale),
            },
        )
    return created


def _check_content(report: ProgressReport, data: dict) -> tuple[dict, list[str]]:
    """Validate the report's content; return clean values and warnings."""
    errors: dict = {}
    clean: dict = {}
    if "activities" in data:
        clean["activities"] = (data.get("activities") or "").strip()
    if "activity_count" in data:
        count = integer(data.get("activity_count"))
        if count is None or count < 0:
            errors["activity_count"] = [_t("Enter a whole number, 0 or more.")]
        clean["activity_count"] = count
    if "beneficiaries" in data:
        rows, seen, problems = [], set(), []
        streets = set(Street.objects.values_list("pk", flat=True))
        for i, row in enumerate(data.get("beneficiaries") or [], start=1):
            category = str(row.get("disability_category", ""))
            street = row.get("street")
            street_id = getattr(street, "pk", street)
            count = integer(row.get("count"))
            if category not in DisabilityCategory.values:
                problems.append(_t("Row %(i)s: choose a disability category.") % {"i": i})
            if integer(street_id) not in streets:
                problems.append(_t("Row %(i)s: choose a street or town.") % {"i": i})
            if count is None or count < 0:
                problems.append(_t("Row %(i)s: the count is a whole number, 0 or more.") % {"i": i})
            if (category, street_id) in seen:
                problems.append(_t("Row %(i)s repeats a category and street.") % {"i": i})
            seen.add((category, street_id))
            rows.append((category, integer(street_id), count))
        if problems:
            errors["beneficiaries"] = problems
        clean["beneficiaries"] = rows
    warnings: list[str] = []
    if "outputs" in data:
        targets = {t.pk: t for t in report.contract.targets.all()}
        rows, problems = {}, []
        for row in data.get("outputs") or []:
            target_id = integer(getattr(row.get("target"), "pk", row.get("target")))
            value = parse_number(row.get("achieved_value"))
            if target_id not in targets:
                problems.append(_t("An output refers to a target of another contract."))
                continue
            if value is None or value < 0:
                problems.append(
                    _t("%(target)s: the achieved value is 0 or more.")
                    % {"target": targets[target_id].indicator}
                )
                continue
            rows[target_id] = value
        if problems:
            errors["outputs"] = problems
        clean["outputs"] = rows
    if "spending" in data:
        lines = {b.pk: b for b in report.contract.budget_lines.all()}
        earlier = dict(
            ReportSpending.objects.filter(
                report__contract=report.contract, report__submission_count__gt=0
            )
            .exclude(report=report)
            .values("budget_line")
            .annotate(total=Sum("amount"))
            .values_list("budget_line", "total")
        )
        rows, problems = {}, []
        for row in data.get("spending") or []:
            line_id = integer(getattr(row.get("budget_line"), "pk", row.get("budget_line")))
            amount = parse_number(row.get("amount"))
            reason = (row.get("over_budget_reason") or "").strip()
            if line_id not in lines:
                problems.append(_t("Spending refers to a budget line of another contract."))
                continue
            line = lines[line_id]
            if amount is None or amount < 0 or amount != amount.quantize(Decimal("0.01")):
                problems.append(
                    _t("%(item)s: enter an amount in yuan, 0 or more.") % {"item": line.item}
                )
                continue
            total = (earlier.get(line_id) or Decimal(0)) + amount
            if total > line.amount:
                message = _t(
                    "%(item)s: spending so far (%(total)s) exceeds the budget line (%(budget)s)."
                ) % {"item": line.item, "total": total, "budget": line.amount}
                if not reason:
                    problems.append(message + " " + _t("Give a reason to go over it."))
                    continue
                warnings.append(message)
            rows[line_id] = (amount, reason if total > line.amount else "")
        if problems:
            errors["spending"] = problems
        clean["spending"] = rows
    if errors:
        raise invalid(errors)
    return clean, warnings


def _lock_editable(report: ProgressReport, user: User) -> ProgressReport:
    locked = ProgressReport.objects.select_for_update().select_related("contract").get(pk=report.pk)
    if not is_contract_org_member(user, locked):
        raise PermissionDeniedError()
    if locked.status not in EDITABLE:
        raise ConflictError(
            _t("This report cannot be changed in its current status."), code="not_editable"
        )
    return locked


@transaction.atomic
def report_save(*, report: ProgressReport, user: User, data: dict) -> list[str]:
    """Save the organization's content of a due or returned report; returns
    warnings (spending over a budget line, accepted with a reason)."""
    locked = _lock_editable(report, user)
    clean, warnings = _check_content(locked, data)
    before = _content_snapshot(locked)
    for name in ("activities", "activity_count"):
        if name in clean:
            setattr(locked, name, clean[name])
    locked.save(update_fields=["activities", "activity_count"])
    if "beneficiaries" in clean:
        locked.beneficiaries.all().delete()
        ReportBeneficiaryCount.objects.bulk_create(
            ReportBeneficiaryCount(report=locked, disability_category=c, street_id=s, count=n)
            for c, s, n in clean["beneficiaries"]
            if n
        )
    if "outputs" in clean:
        locked.outputs.all().delete()
        ReportOutput.objects.bulk_create(
            ReportOutput(report=locked, target_id=t, achieved_value=v)
            for t, v in clean["outputs"].items()
        )
    if "spending" in clean:
        locked.spending.all().delete()
        ReportSpending.objects.bulk_create(
            ReportSpending(report=locked, budget_line_id=b, amount=a, over_budget_reason=r)
            for b, (a, r) in clean["spending"].items()
        )
    old, new = audit.changed_fields(before, _content_snapshot(locked))
    if new:
        audit.record(actor=user, action="report.save", obj=locked, before=old, after=new)
    return warnings


def _content_snapshot(report: ProgressReport) -> dict:
    return {
        "activities": report.activities,
        "activity_count": report.activity_count,
        "beneficiaries": sorted(
            [c, s, n]
            for c, s, n in report.beneficiaries.values_list(
                "disability_category", "street_id", "count"
            )
        ),
        "outputs": sorted(
            [t, str(v)] for t, v in report.outputs.values_list("target_id", "achieved_value")
        ),
        "spending": sorted(
            [b, str(a), r]
            for b, a, r in report.spending.values_list(
                "budget_line_id", "amount", "over_budget_reason"
            )
        ),
    }


@transaction.atomic
def report_submit(
    *, report: ProgressReport, user: User, data: dict | None = None
) -> tuple[ProgressReport, list[str]]:
    warnings = report_save(report=report, user=user, data=data) if data else []

    def guard(locked: ProgressReport) -> None:
        if not locked.activities.strip():
            raise invalid({"activities": [_t("Describe the activities held.")]})
        if not data:
            # Re-check spending over budget lines against what is stored now.
            _check_content(
                locked,
                {
                    "spending": [
                        {
                            "budget_line": s.budget_line_id,
                            "amount": s.amount,
                            "over_budget_reason": s.over_budget_reason,
                        }
                        for s in locked.spending.all()
                    ]
                },
            )

    submitted = REPORT_WORKFLOW.run(
        "submit",
        obj=report,
        user=user,
        guard=guard,
        changes=lambda locked: {
            "submitted_at": timezone.now(),
            "submitted_by": user,
            "submission_count": locked.submission_count + 1,
        },
        notify=lambda locked: notify(
            recipients=users_with_role(Role.OFFICER),
            kind="report.submitted",
            title=lambda: (
                _t("Progress report %(report)s submitted for review") % {"report": locked}
            ),
            url=report_url(locked),
            obj=locked,
        ),
    )
    return submitted, warnings


def report_accept(*, report: ProgressReport, user: User) -> ProgressReport:
    return REPORT_WORKFLOW.run(
        "accept",
        obj=report,
        user=user,
        changes={"reviewed_at": timezone.now(), "reviewed_by": user, "review_comments": ""},
        notify=lambda locked: notify(
            recipients=organization_members(locked.contract.organization_id),
            kind="report.accepted",
            title=lambda: _t("Progress report %(report)s accepted") % {"report": locked},
            url=report_url(locked),
            obj=locked,
        ),
    )


def report_return(*, report: ProgressReport, user: User, comments: str) -> ProgressReport:
    comments = (comments or "").strip()
    if not comments:
        raise invalid({"comments": [_t("Say what must be corrected.")]})
    return REPORT_WORKFLOW.run(
        "return",
        obj=report,
        user=user,
        changes={"reviewed_at": timezone.now(), "reviewed_by": user, "review_comments": comments},
        notify=lambda locked: notify(
            recipients=organization_members(locked.contract.organization_id),
            kind="report.returned",
            title=lambda: (
                _t("Progress report %(report)s returned for correction") % {"report": locked}
            ),
            body=comments,
            url=report_url(locked),
            obj=locked,
        ),
    )


#: Audit action of a download of progress-report evidence.
EVIDENCE_DOWNLOAD = "evidence.download"


@transaction.atomic
def evidence_record_download(*, evidence: ReportEvidence, user: User) -> None:
    """Log who downloaded which evidence file, and when, before the file is served.

    Evidence may show beneficiaries, whose personal information is handled only as far
    as needed and with a record of its use (个人信息保护法 Arts 6, 51; 残疾人保障法
    Art 3): every download is an audit event that auditors read."""
    audit.record(
        actor=user,
        action=EVIDENCE_DOWNLOAD,
        obj=evidence,
        after={
            "file": evidence.original_name,
            "report": evidence.report_id,
            "size": evidence.size,
        },
    )


@transaction.atomic
def report_add_evidence(
    *, report: ProgressReport, user: User, file, title: str = ""
) -> ReportEvidence:
    locked = _lock_editable(report, user)
    if file is None:
        raise invalid({"file": [_t("Attach the file.")]})
    checked = checked_file(file)
    evidence = ReportEvidence(
        report=locked,
        title=(title or "").strip()[:200],
        original_name=checked.safe_name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=user,
    )
    evidence.file.save(file.name, file, save=False)
    evidence.save()
    audit.record(actor=user, action="report.evidence", obj=locked, after=audit.snapshot(evidence))
    return evidence
