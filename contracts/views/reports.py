from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchase_portal.pages import refusals, run_action
from purchase_portal.paging import keyset_page
from purchase_portal.selectors import can_read_audit
from purchase_portal.uploads import file_response

from .. import selectors, services
from ..filters import ReportPageFilter
from ..forms import BeneficiaryFormSet, CommentsForm, EvidenceForm, ReportForm
from ..models import ProgressReport
from ..rules import is_contract_org_member
from ..workflows import REPORT_WORKFLOW

#: The columns of the progress reports list that sort the rows; each ordering
#: ends with the unique id.
REPORT_SORTS = {
    "created": ("id",),
    "organization": ("contract__organization__name", "contract_id", "number", "id"),
    "period": ("period_start", "id"),
    "due": ("due_date", "id"),
    "status": ("status", "due_date", "id"),
}


#: What a row of the reports list reads: its number and contract, the
#: provider, the period, the due date and the status.
REPORT_ROW_FIELDS = (
    "id",
    "number",
    "period_start",
    "period_end",
    "due_date",
    "status",
    "contract__number",
    "contract__status",
    "contract__organization__name",
)


@login_required
def report_list(request):
    base = selectors.report_list(user=request.user)
    filterset = ReportPageFilter(request.GET or None, queryset=base)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    # The columns the rows show (and sort by); a report's text stays in the table.
    qs = qs.only(*REPORT_ROW_FIELDS)
    page = keyset_page(qs, request, sorts=REPORT_SORTS, default_sort="-created")
    return render(
        request,
        "contracts/reports.html",
        {"filter": filterset, "reports": page.rows, "page": page},
    )


def _beneficiary_initial(report: ProgressReport) -> list[dict]:
    return [
        {"disability_category": b.disability_category, "street": b.street, "count": b.count}
        for b in report.beneficiaries.all()
    ]


@login_required
def report_detail(request, pk):
    user = request.user
    report = selectors.report_get(user=user, pk=pk)
    editable = is_contract_org_member(user, report) and report.status in services.reports.EDITABLE
    form = formset = None
    warnings: list[str] = []
    if editable:
        data = request.POST if request.method == "POST" else None
        form = ReportForm(
            data,
            report=report,
            initial={"activities": report.activities, "activity_count": report.activity_count},
        )
        formset = BeneficiaryFormSet(
            data, initial=_beneficiary_initial(report), prefix="beneficiaries"
        )
        if request.method == "POST" and form.is_valid() & formset.is_valid():
            rows = [
                {
                    "disability_category": f.cleaned_data["disability_category"],
                    "street": f.cleaned_data["street"],
                    "count": f.cleaned_data["count"],
                }
                for f in formset
                if f.cleaned_data.get("disability_category")
            ]
            content = form.content(rows)
            with refusals(
                request,
                form=form,
            ) as call:
                if "submit" in request.POST:
                    _r, warnings = services.report_submit(report=report, user=user, data=content)
                else:
                    warnings = services.report_save(report=report, user=user, data=content)
            if call.ok:
                for warning in warnings:
                    messages.warning(request, warning)
                messages.success(
                    request,
                    _("The report has been submitted.")
                    if "submit" in request.POST
                    else _("The report has been saved."),
                )
                return redirect("contracts:report-detail", report.pk)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "contracts/report_detail.html",
        {
            "report": report,
            "status_label": selectors.report_status_label(report.display_status),
            "form": form,
            "formset": formset,
            "evidence_form": EvidenceForm() if editable else None,
            "show_evidence_downloads": can_read_audit(user),
            "evidence_downloads": selectors.evidence_downloads(user=user, report=report)[:50],
            "transitions": [
                t for t in REPORT_WORKFLOW.available(report, user) if t.name != "submit"
            ],
            "comments_form": CommentsForm(),
        },
    )


@login_required
@require_POST
def report_action(request, pk, action):
    report = selectors.report_get(user=request.user, pk=pk)
    if action == "evidence":
        form = EvidenceForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(
                request, " ".join(str(e) for errors in form.errors.values() for e in errors)
            )
            return redirect("contracts:report-detail", report.pk)
        run_action(
            request,
            lambda: services.report_add_evidence(
                report=report,
                user=request.user,
                file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            ),
            _("The file has been added."),
        )
        return redirect("contracts:report-detail", report.pk)
    handlers = {
        "accept": lambda: services.report_accept(report=report, user=request.user),
        "return": lambda: services.report_return(
            report=report, user=request.user, comments=request.POST.get("comments", "")
        ),
    }
    if action not in handlers:
        raise Http404
    run_action(request, handlers[action], _("Done."))
    return redirect("contracts:report-detail", report.pk)


@login_required
def evidence_download(request, pk):
    evidence = selectors.evidence_get(user=request.user, pk=pk)
    services.evidence_record_download(evidence=evidence, user=request.user)
    return file_response(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )
