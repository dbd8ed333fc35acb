"""Public pages: open data (the feed, licence and bulk file), the publication
policy, and the public contract summaries. No login."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contracts.models import PaymentTranche
from purchase_portal.calendar import local_date
from purchase_portal.outbox import enqueue
from purchase_portal.paging import keyset_page
from purchase_portal.public_pages import kept_for_visitors
from purchase_portal.roles import is_officer

from . import selectors
from .filters import PublicContractFilter
from .packages import VERSION
from .services.publication import PUBLICATION_WORKDAYS
from .tasks import build_bulk_file


def open_data(request):
    api = request.build_absolute_uri(reverse("api:ocds-release-list"))
    example_ocid = selectors.latest_ocid()
    return render(
        request,
        "opendata/open_data.html",
        {
            "bulk": selectors.bulk_file(),
            "bulk_url": reverse("api:ocds-bulk-download"),
            "api_url": api,
            "example_ocid": example_ocid,
            "example_release_url": request.build_absolute_uri(
                reverse("api:ocds-release-detail", args=[example_ocid])
            )
            if example_ocid
            else "",
            "example_record_url": request.build_absolute_uri(
                reverse("api:ocds-record-detail", args=[example_ocid])
            )
            if example_ocid
            else "",
            "license_url": settings.OCDS_LICENSE,
            "ocid_prefix": settings.OCDS_OCID_PREFIX,
            "ocds_version": VERSION,
            "can_rebuild": request.user.is_authenticated and is_officer(request.user),
        },
    )


@require_POST
def bulk_rebuild(request):
    """Officers rebuild the bulk file on demand (it is also rebuilt nightly)."""
    if not request.user.is_authenticated or not is_officer(request.user):
        raise PermissionDenied
    enqueue(build_bulk_file)
    messages.success(request, _("The bulk file is being rebuilt; it takes a few minutes."))
    return redirect("opendata:open-data")


def publication_policy(request):
    return render(
        request,
        "opendata/policy.html",
        {
            "license_url": settings.OCDS_LICENSE,
            "ocid_prefix": settings.OCDS_OCID_PREFIX,
            "workdays": PUBLICATION_WORKDAYS,
        },
    )


#: The columns of the public contract list that sort the rows; each ordering
#: ends with a unique field.
PUBLIC_CONTRACT_SORTS = {
    "created": ("id",),
    "number": ("number",),
    "title": ("title", "id"),
    "organization": ("organization__name", "organization_id", "id"),
    "amount": ("amount", "id"),
    "start": ("start_date", "id"),
}


#: What a row of the public contract list reads.
PUBLIC_CONTRACT_ROW_FIELDS = (
    "id",
    "number",
    "title",
    "amount",
    "start_date",
    "end_date",
    "organization__name",
    "award__lot__category__name_zh",
    "award__lot__category__name_en",
)


@kept_for_visitors
def contract_list(request):
    filterset = PublicContractFilter(request.GET or None, queryset=selectors.contract_public_list())
    status = 200
    if filterset.is_bound and not filterset.is_valid():
        qs, status = selectors.contract_public_list().none(), 400
    else:
        qs = filterset.qs
    # The columns the rows show and sort by, not every column of six tables.
    qs = qs.select_related(None).select_related("organization", "award__lot__category")
    qs = qs.only(*PUBLIC_CONTRACT_ROW_FIELDS)
    page = keyset_page(qs, request, sorts=PUBLIC_CONTRACT_SORTS, default_sort="-created")
    # A position this list did not write is a bad link (a 400), not the first page.
    bad_cursor = page.bad_cursor
    if bad_cursor:
        page.rows, page.next_before, status = [], None, 400
    return render(
        request,
        "opendata/contract_list.html",
        {
            "filter": filterset,
            "contracts": page.rows,
            "page": page,
            "bad_cursor": bad_cursor,
        },
        status=status,
    )


@kept_for_visitors
def contract_detail(request, number: str):
    contract = selectors.contract_public_get(number=number)
    tranches = list(contract.tranches.all())
    paid = [t for t in tranches if t.status == PaymentTranche.Status.PAID]
    return render(
        request,
        "opendata/contract_detail.html",
        {
            "contract": contract,
            "category": contract.award.lot.category,
            "streets": list(contract.project.streets.all()) if contract.project else [],
            "tranches": tranches,
            "paid_count": len(paid),
            "amendments": contract.amendments_in_force,
            "grades": selectors.contract_public_grades(contract_id=contract.pk),
            "publication": contract.publication,
            "published_on": local_date(contract.publication.published_at),
            "ocid": selectors.ocid_of_contract(contract),
        },
    )
