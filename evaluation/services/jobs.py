"""Documents built in the background: a ZIP of filtered evaluation reports
for auditors, and the annual programme report (PDF and Excel)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _t

from contracts.models import PaymentTranche, ReportBeneficiaryCount, ReportOutput
from organizations.models import User
from purchase_portal.errors import PermissionDeniedError, invalid
from purchase_portal.outbox import enqueue
from purchase_portal.pdf import render_pdf

from ..models import AnnualReport, Evaluation, Grade, ReportArchive
from ..rules import can_order_archive
from ..workflows import ANNUAL_REPORT_WORKFLOW, ARCHIVE_WORKFLOW

J = ReportArchive.Status
ARCHIVE_MAX_REPORTS = 2000


def _set_progress(model, pk: int, progress: int) -> None:
    model.objects.filter(pk=pk).update(progress=min(100, max(0, progress)))


# --- ZIP of reports -----------------------------------------------------------


@transaction.atomic
def archive_request(*, user: User, filters: dict) -> ReportArchive:
    """An auditor (or officer) asks for a ZIP of the reports matching ``filters``."""
    from ..filters import ReportFilter
    from ..selectors import report_list

    if not can_order_archive(user):
        raise PermissionDeniedError()
    clean = {k: str(v) for k, v in (filters or {}).items() if k in ReportFilter.base_filters and v}
    form = ReportFilter(clean, queryset=report_list(user=user)).form
    if not form.is_valid():
        raise invalid({k: list(v) for k, v in form.errors.items()})
    archive = ReportArchive.objects.create(requested_by=user, filters=clean)
    from ..tasks import build_report_archive

    pk = archive.pk
    enqueue(build_report_archive, pk)
    return archive


def archive_build(*, archive_id: int) -> bool:
    from ..filters import ReportFilter
    from ..selectors import report_list

    archive = ReportArchive.objects.select_related("requested_by").filter(pk=archive_id).first()
    if archive is None or archive.status == J.DONE:
        return False
    archive = ARCHIVE_WORKFLOW.run("run", obj=archive, user=None, system=True)
    try:
        qs = ReportFilter(archive.filters, queryset=report_list(user=archive.requested_by)).qs
        reports = list(qs.order_by("evaluation_id", "version")[:ARCHIVE_MAX_REPORTS])
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
            for i, report in enumerate(reports, start=1):
                with report.file.open("rb") as handle:
                    bundle.writestr(
                        f"{report.evaluation.contract.number}-{report.evaluation.stage}"
                        f"-v{report.version}.pdf",
                        handle.read(),
                    )
                if i % 10 == 0:
                    _set_progress(ReportArchive, archive.pk, int(95 * i / len(reports)))
        with transaction.atomic():
            locked = ReportArchive.objects.select_for_update().get(pk=archive.pk)
            locked.file.save(
                f"reports-{archive.pk}.zip", ContentFile(buffer.getvalue()), save=False
            )
            locked.save(update_fields=["file"])
            ARCHIVE_WORKFLOW.run(
                "finish",
                obj=locked,
                user=None,
                system=True,
                changes={
                    "progress": 100,
                    "report_count": len(reports),
                    "finished_at": timezone.now(),
                },
            )
    except OSError as exc:
        ARCHIVE_WORKFLOW.run(
            "fail", obj=archive, user=None, system=True, changes={"error": str(exc)[:500]}
        )
        raise
    return True


# --- Annual programme report --------------------------------------------------


@transaction.atomic
def annual_report_request(*, user: User, year) -> AnnualReport:
    from purchase_portal.roles import is_officer

    if not is_officer(user):
        raise PermissionDeniedError()
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise invalid({"year": [_t("Enter a year.")]}) from None
    if not 2000 <= year <= timezone.localdate().year:
        raise invalid({"year": [_t("Enter a year between 2000 and this year.")]})
    report = AnnualReport.objects.create(year=year, requested_by=user)
    from ..tasks import build_annual_report

    pk = report.pk
    enqueue(build_annual_report, pk)
    return report


def annual_figures(year: int) -> dict:
    """The year's evaluation summary. Beneficiaries are aggregates only."""
    from projects.models import DisabilityCategory

    approved = Evaluation.objects.filter(
        status=Evaluation.Status.APPROVED, decided_at__year=year
    ).select_related("contract__organization")
    total = approved.count()
    passed = approved.filter(passed=True).count()
    grades = dict(approved.values_list("grade").annotate(n=Count("id")))
    contract_ids = list(approved.values_list("contract_id", flat=True).distinct())
    paid = PaymentTranche.objects.filter(
        status=PaymentTranche.Status.PAID, paid_on__year=year
    ).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    held = PaymentTranche.objects.filter(
        contract_id__in=contract_ids, status=PaymentTranche.Status.PENDING
    ).exclude(blocked_reason="").aggregate(s=Sum("amount"))["s"] or Decimal(0)
    counted = ["submitted", "accepted"]
    beneficiaries = (
        ReportBeneficiaryCount.objects.filter(
            report__period_end__year=year, report__status__in=counted
        )
        .values("disability_category", "street__name")
        .annotate(n=Sum("count"))
        .order_by("disability_category", "street__name")
    )
    categories = dict(DisabilityCategory.choices)
    outputs = (
        ReportOutput.objects.filter(report__period_end__year=year, report__status__in=counted)
        .values(
            "report__contract__award__lot__category__name_zh", "target__indicator", "target__unit"
        )
        .annotate(achieved=Sum("achieved_value"))
        .order_by("report__contract__award__lot__category__name_zh", "target__indicator")
    )
    targets = {}
    from contracts.models import ContractTarget

    for row in (
        ContractTarget.objects.filter(
            contract__start_date__year__lte=year, contract__end_date__year__gte=year
        )
        .values("contract__award__lot__category__name_zh", "indicator", "unit")
        .annotate(target=Sum("target_value"))
    ):
        targets[(row["contract__award__lot__category__name_zh"], row["indicator"], row["unit"])] = (
            row["target"]
        )
    failing = [
        {
            "organization": e.contract.organization.name,
            "contract": e.contract.number,
            "stage": str(e.get_stage_display()),
            "total": str(e.total_score),
            "follow_up": str(e.get_follow_up_display()),
            "note": e.follow_up_note,
        }
        for e in approved.filter(passed=False).order_by("contract__organization__name")
    ]
    return {
        "year": year,
        "evaluations": total,
        "contracts": len(contract_ids),
        "passed": passed,
        "pass_rate": str((Decimal(passed) * 100 / total).quantize(Decimal("0.1"))) if total else "",
        "grades": [
            {"grade": str(label), "count": grades.get(value, 0)} for value, label in Grade.choices
        ],
        "paid": str(paid),
        "held_back": str(held),
        "beneficiaries": [
            {
                "category": str(categories.get(r["disability_category"], r["disability_category"])),
                "street": r["street__name"],
                "count": r["n"],
            }
            for r in beneficiaries
        ],
        "outputs": [
            {
                "category": r["report__contract__award__lot__category__name_zh"] or "",
                "indicator": r["target__indicator"],
                "unit": r["target__unit"],
                "achieved": str(r["achieved"]),
                "target": str(
                    targets.get(
                        (
                            r["report__contract__award__lot__category__name_zh"],
                            r["target__indicator"],
                            r["target__unit"],
                        ),
                        "",
                    )
                ),
            }
            for r in outputs
        ],
        "failing": failing,
    }


def annual_xlsx(figures: dict) -> bytes:
    from openpyxl import Workbook

    from purchase_portal.xlsx import MONEY_FORMAT, bold

    book = Workbook()
    sheet = book.active
    sheet.title = _t("Summary")[:31]
    rows = [
        (_t("Year"), figures["year"]),
        (_t("Evaluations approved"), figures["evaluations"]),
        (_t("Contracts evaluated"), figures["contracts"]),
        (_t("Passed"), figures["passed"]),
        (_t("Pass rate (%)"), figures["pass_rate"]),
        (_t("Paid in the year (CNY)"), Decimal(figures["paid"])),
        (_t("Held back (CNY)"), Decimal(figures["held_back"])),
    ]
    for row in rows:
        sheet.append(row)
        if isinstance(row[1], Decimal):
            sheet.cell(row=sheet.max_row, column=2).number_format = MONEY_FORMAT
    sheet.append([])
    sheet.append([_t("Grade"), _t("Evaluations")])
    for g in figures["grades"]:
        sheet.append([g["grade"], g["count"]])
    for title, header, keys, data in (
        (
            _t("Beneficiaries"),
            [_t("Disability category"), _t("Street or town"), _t("Beneficiaries served")],
            ["category", "street", "count"],
            figures["beneficiaries"],
        ),
        (
            _t("Outputs"),
            [_t("Service category"), _t("Indicator"), _t("Unit"), _t("Target"), _t("Achieved")],
            ["category", "indicator", "unit", "target", "achieved"],
            figures["outputs"],
        ),
        (
            _t("Failed evaluations"),
            [_t("Organization"), _t("Contract"), _t("Stage"), _t("Total"), _t("Follow-up")],
            ["organization", "contract", "stage", "total", "follow_up"],
            figures["failing"],
        ),
    ):
        ws = book.create_sheet(title[:31])
        ws.append(header)
        bold(ws[1])
        for item in data:
            ws.append([item[k] for k in keys])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def annual_report_build(*, report_id: int) -> bool:
    report = AnnualReport.objects.filter(pk=report_id).first()
    if report is None or report.status == AnnualReport.Status.DONE:
        return False
    report = ANNUAL_REPORT_WORKFLOW.run("run", obj=report, user=None, system=True)
    with translation.override(settings.LANGUAGE_CODE):
        figures = annual_figures(report.year)
        _set_progress(AnnualReport, report.pk, 40)
        pdf = render_pdf("evaluation/pdf/annual.html", {"f": figures})
        _set_progress(AnnualReport, report.pk, 80)
        xlsx = annual_xlsx(figures)
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
        locked.pdf.save(f"evaluation-{report.year}.pdf", ContentFile(pdf), save=False)
        locked.xlsx.save(f"evaluation-{report.year}.xlsx", ContentFile(xlsx), save=False)
        locked.save(update_fields=["pdf", "xlsx"])
        ANNUAL_REPORT_WORKFLOW.run(
            "finish",
            obj=locked,
            user=None,
            system=True,
            changes={
                "progress": 100,
                "summary": figures,
                "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
                "finished_at": timezone.now(),
            },
        )
    return True
