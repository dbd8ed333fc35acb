"""Pages of staff qualifications and a round's minimum of qualified staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bidding.models import Round
from bidding.selectors.rounds import round_get
from organizations.models import Organization
from organizations.selectors import organization_find
from purchase_portal.pages import refusals
from purchase_portal.roles import is_federation_staff, is_officer

from .. import selectors, services
from ..forms import MinimumForm, QualificationForm
from ..rules import OrgRef, can_update_qualifications, can_view_capacity_record
from ..selectors import dashboard as dashboard_selectors


def organization_for(user, pk) -> Organization:
    """The organization, if the user may see its capacity record (else 404)."""
    organization = organization_find(pk)
    if organization is None or not can_view_capacity_record(user, OrgRef(organization.pk)):
        raise Http404
    return organization


@login_required
def qualifications(request, org_pk):
    user = request.user
    organization = organization_for(user, org_pk)
    may_update = can_update_qualifications(user, OrgRef(organization.pk))
    form = None
    if may_update:
        form = QualificationForm(
            request.POST if request.method == "POST" else None,
            years=services.qualification_years(),
        )
        if request.method == "POST" and form.is_valid():
            with refusals(request, form=form) as call:
                services.qualification_save(
                    user=user, organization=organization, **form.cleaned_data
                )
            if call.ok:
                messages.success(request, _("The qualification counts have been saved."))
                return redirect("capacity:qualifications", org_pk=organization.pk)
    elif request.method == "POST":
        raise PermissionDenied
    rows = selectors.qualification_list(user=user).filter(organization=organization)
    return render(
        request,
        "capacity/qualifications.html",
        {"organization": organization, "rows": rows.order_by("-year"), "form": form},
        status=400 if form is not None and form.is_bound and not form.is_valid() else 200,
    )


@login_required
def round_minimum(request, round_pk):
    """A round's minimum of qualified staff, and each opened bidder's check."""
    user = request.user
    if not is_federation_staff(user):
        raise Http404
    round_ = round_get(user=user, pk=round_pk, terms=False)
    minimum = dashboard_selectors.round_staff_minimum(round_id=round_.pk)
    form = None
    if is_officer(user) and round_.status == Round.Status.DRAFT:
        initial = (
            {
                "min_certified": minimum.min_certified,
                "min_social_workers_or_above": minimum.min_social_workers_or_above,
                "min_senior": minimum.min_senior,
            }
            if minimum
            else None
        )
        form = MinimumForm(request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST" and form.is_valid():
            with refusals(request, form=form) as call:
                services.round_minimum_set(user=user, round=round_, **form.cleaned_data)
            if call.ok:
                messages.success(request, _("The minimum of qualified staff has been set."))
                return redirect("capacity:round-minimum", round_pk=round_.pk)
    elif request.method == "POST":
        raise PermissionDenied
    checks = selectors.round_staff_checks(minimum=minimum) if minimum else []
    return render(
        request,
        "capacity/round_minimum.html",
        {"round": round_, "minimum": minimum, "form": form, "checks": checks},
        status=400 if form is not None and form.is_bound and not form.is_valid() else 200,
    )
