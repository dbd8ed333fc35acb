from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from organizations.selectors import organization_find
from purchase_portal.pages import refusals
from purchase_portal.paging import keyset_page
from purchase_portal.roles import is_federation_staff, is_officer
from purchase_portal.uploads import file_response
from purchase_portal.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE

from .. import selectors, services
from ..filters import ReportFilter
from ..forms import AnnualReportForm, VerifyUploadForm
from ..rules import can_order_archive

#: The columns of the reports list that sort the rows; each ordering ends with
#: the unique id.
REPORT_SORTS = {
    "issued": ("created_at", "id"),
    "contract": ("evaluation__contract__number", "evaluation__stage", "version", "id"),
    "organization": ("evaluation__contract__organization__name", "evaluation_id", "version", "id"),
}


@login_required
def report_list(request):
    """Every report the user may see, filtered; auditors may order a ZIP."""
    base = selectors.report_list(user=request.user)
    filterset = ReportFilter(request.GET or None, queryset=base)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    if request.method == "POST":
        with refusals(request) as call:
            archive = services.archive_request(
                user=request.user, filters=request.GET.dict() if request.GET else {}
            )
        if not call.ok:
            return redirect(request.get_full_path())
        return redirect("evaluation:archive-detail", pk=archive.pk)
    page = keyset_page(qs, request, sorts=REPORT_SORTS, default_sort="-issued")
    return render(
        request,
        "evaluation/reports/list.html",
        {
            "filter": filterset,
            "reports": page.rows,
            "page": page,
            "can_archive": can_order_archive(request.user),
            "archives": list(selectors.archive_list(user=request.user)[:5]),
        },
    )


@login_required
def report_download(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    name = f"{report.evaluation.contract.number}-{report.evaluation.stage}-v{report.version}.pdf"
    return file_response(report.file, filename=name, content_type="application/pdf")


@login_required
def archive_detail(request, pk):
    archive = selectors.archive_list(user=request.user).filter(pk=pk).first()
    if archive is None:
        raise Http404
    return render(request, "evaluation/reports/archive.html", {"archive": archive})


@login_required
def archive_download(request, pk):
    archive = selectors.archive_list(user=request.user).filter(pk=pk).first()
    if archive is None or not archive.file:
        raise Http404
    return file_response(
        archive.file,
        filename=f"evaluation-reports-{archive.pk}.zip",
        content_type="application/zip",
    )


@login_required
def annual_report_list(request):
    if not is_federation_staff(request.user):
        raise PermissionDenied
    form = AnnualReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request) as call:
            report = services.annual_report_request(
                user=request.user, year=form.cleaned_data["year"]
            )
        if call.ok:
            return redirect("evaluation:annual-detail", pk=report.pk)
    return render(
        request,
        "evaluation/annual/list.html",
        {
            "form": form,
            "reports": list(selectors.annual_report_list(user=request.user)[:100]),
            "can_generate": is_officer(request.user),
        },
        status=400 if form.errors else 200,
    )


def _annual(request, pk):
    report = selectors.annual_report_list(user=request.user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


@login_required
def annual_report_detail(request, pk):
    return render(request, "evaluation/annual/detail.html", {"report": _annual(request, pk)})


@login_required
def annual_report_download(request, pk, kind):
    report = _annual(request, pk)
    if kind == "pdf" and report.pdf:
        return file_response(
            report.pdf, filename=f"evaluation-{report.year}.pdf", content_type="application/pdf"
        )
    if kind == "xlsx" and report.xlsx:
        return file_response(
            report.xlsx, filename=f"evaluation-{report.year}.xlsx", content_type=XLSX_CONTENT_TYPE
        )
    raise Http404


def verify(request, sha256):
    """Public: was a report with this digest issued here? No login."""
    result = services.verify_digest(sha256)
    return render(
        request,
        "evaluation/verify.html",
        {"result": result, "form": VerifyUploadForm()},
        status=200 if result.genuine else 404,
    )


def verify_upload(request):
    """Public: hash an uploaded PDF and say whether it is a report issued here."""
    if request.method != "POST":
        return render(
            request, "evaluation/verify.html", {"result": None, "form": VerifyUploadForm()}
        )
    form = VerifyUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "evaluation/verify.html", {"result": None, "form": form}, status=400)
    result = services.verify_upload(form.cleaned_data["file"])
    return render(request, "evaluation/verify.html", {"result": result, "form": VerifyUploadForm()})


@login_required
def grade_history(request, organization_id):
    """An organization's evaluation history (grades by year)."""
    organization = organization_find(organization_id)
    if organization is None or not selectors.can_see_grade_history(request.user, organization_id):
        raise Http404
    rows = selectors.organization_grade_history(organization_id=organization_id)
    return render(
        request,
        "evaluation/history.html",
        {"organization": organization, "rows": rows},
    )


#: The columns of the renewable contracts that sort the rows (an approved
#: evaluation has its decision time); each ordering ends with the unique id.
RENEWABLE_SORTS = {
    "decided": ("decided_at", "id"),
    "contract": ("contract__number", "id"),
    "organization": ("contract__organization__name", "contract__number", "id"),
}


@login_required
def renewable_list(request):
    if not is_federation_staff(request.user):
        raise PermissionDenied
    page = keyset_page(
        selectors.renewable_contracts(), request, sorts=RENEWABLE_SORTS, default_sort="-decided"
    )
    return render(request, "evaluation/renewable.html", {"evaluations": page.rows, "page": page})
