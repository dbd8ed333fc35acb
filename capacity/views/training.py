"""Pages of training: the programme catalogue, sessions, registration,
attendance and certificates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations.models import Membership, Organization
from organizations.rules import memberships_of
from organizations.selectors import organization_find, organizations_by_ids
from purchase_portal.forms import ReasonForm
from purchase_portal.pages import raise_for_status, refusals, run_action
from purchase_portal.paging import keyset_page
from purchase_portal.roles import is_federation_staff, is_officer

from .. import selectors, services
from ..filters import ProgrammeFilter, SessionFilter
from ..forms import (
    AttendanceForm,
    CertificateVerifyForm,
    ProgrammeForm,
    RegistrationForm,
    SessionForm,
)
from ..models import Registration, TrainingSession
from ..services.training import can_download_certificate
from ..workflows import REGISTRATION_WORKFLOW, SESSION_WORKFLOW
from .common import pdf_response

#: The columns of the programme and session lists that sort the rows; each
#: ordering ends with the unique id.
PROGRAMME_SORTS = {
    "created": ("id",),
    "title": ("title", "id"),
    "audience": ("audience", "-year", "id"),
    "year": ("year", "title", "id"),
}
SESSION_SORTS = {
    "created": ("id",),
    "topic": ("topic", "id"),
    "starts": ("starts_at", "id"),
    "status": ("status", "starts_at", "id"),
}


@login_required
def programme_list(request):
    base = selectors.programme_list(user=request.user)
    filterset = ProgrammeFilter(request.GET or None, queryset=base)
    if filterset.is_bound and not filterset.is_valid():
        qs = base.none()
    else:
        qs = filterset.qs if filterset.is_bound else base
    form = None
    if is_officer(request.user):
        form = ProgrammeForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            with refusals(request, form=form) as call:
                programme = services.programme_create(user=request.user, **form.cleaned_data)
            if call.ok:
                messages.success(request, _("The programme has been created."))
                return redirect("capacity:programme-detail", pk=programme.pk)
    elif request.method == "POST":
        raise PermissionDenied
    page = keyset_page(qs, request, sorts=PROGRAMME_SORTS, default_sort="-created")
    sessions = selectors.session_list(user=request.user).filter(
        status=TrainingSession.Status.SCHEDULED
    )
    return render(
        request,
        "capacity/programme_list.html",
        {
            "filter": filterset,
            "programmes": page.rows,
            "page": page,
            "form": form,
            "upcoming": sessions.order_by("starts_at")[:10],
        },
        status=400 if filterset.is_bound and not filterset.is_valid() else 200,
    )


@login_required
def programme_detail(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk)
    form = None
    if is_officer(request.user):
        form = SessionForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            with refusals(request, form=form) as call:
                session = services.session_create(
                    user=request.user, programme=programme, **form.cleaned_data
                )
            if call.ok:
                messages.success(request, _("The session has been added."))
                return redirect("capacity:session-detail", pk=session.pk)
    elif request.method == "POST":
        raise PermissionDenied
    sessions = selectors.session_list(user=request.user).filter(programme=programme)
    return render(
        request,
        "capacity/programme_detail.html",
        {"programme": programme, "sessions": sessions.order_by("starts_at"), "form": form},
    )


@login_required
def session_list(request):
    base = selectors.session_list(user=request.user)
    filterset = SessionFilter(request.GET or None, queryset=base)
    invalid = filterset.is_bound and not filterset.is_valid()
    qs = base.none() if invalid else (filterset.qs if filterset.is_bound else base)
    page = keyset_page(qs, request, sorts=SESSION_SORTS, default_sort="-created")
    return render(
        request,
        "capacity/session_list.html",
        {"filter": filterset, "sessions": page.rows, "page": page},
        status=400 if invalid else 200,
    )


def _admin_organizations(user) -> list[Organization]:
    ids = [pk for pk, role in memberships_of(user).items() if role == Membership.Role.ADMIN]
    return list(organizations_by_ids(ids))


@login_required
def session_detail(request, pk):
    user = request.user
    session = selectors.session_get(user=user, pk=pk)
    registrations = list(
        selectors.registration_list(user=user).filter(session=session).order_by("id")
    )
    open_for_registration = services.registration_open(session)
    register_forms = []
    if open_for_registration:
        register_forms = [
            (org, RegistrationForm(organization=org, prefix=f"org{org.pk}"))
            for org in _admin_organizations(user)
        ]
    active = [r for r in registrations if r.status != Registration.Status.CANCELLED]
    attendance_form = None
    session_actions = [t.name for t in SESSION_WORKFLOW.available(session, user)]
    if is_officer(user) and session.status != TrainingSession.Status.CANCELLED:
        attendance_form = AttendanceForm(registrations=active)
    rows = [
        (
            r,
            [t.name for t in REGISTRATION_WORKFLOW.available(r, user) if t.name == "cancel"]
            if open_for_registration
            else [],
            can_download_certificate(user, r),
        )
        for r in registrations
    ]
    return render(
        request,
        "capacity/session_detail.html",
        {
            "session": session,
            "rows": rows,
            "register_forms": register_forms,
            "places_left": max(session.capacity - session.registered_count, 0),
            "open_for_registration": open_for_registration,
            "attendance_form": attendance_form,
            "attendance_open": attendance_form is not None and not open_for_registration,
            "can_cancel": "cancel" in session_actions,
            "cancel_form": ReasonForm() if "cancel" in session_actions else None,
            "show_registrations": is_federation_staff(user) or bool(registrations),
        },
    )


@login_required
@require_POST
def session_register(request, pk, org_pk):
    user = request.user
    session = selectors.session_get(user=user, pk=pk)
    organization = organization_find(org_pk)
    if organization is None or memberships_of(user).get(organization.pk) != Membership.Role.ADMIN:
        raise Http404
    form = RegistrationForm(request.POST, organization=organization, prefix=f"org{org_pk}")
    if not form.is_valid():
        # A person who is not a member of this organization is not offered: 404.
        raise Http404
    run_action(
        request,
        lambda: services.registration_create(
            user=user,
            session=session,
            organization=organization,
            participant=form.cleaned_data["participant"],
        ),
        _("The member has been registered."),
    )
    return redirect("capacity:session-detail", pk=session.pk)


@login_required
@require_POST
def registration_cancel(request, pk):
    registration = selectors.registration_get(user=request.user, pk=pk)
    run_action(
        request,
        lambda: services.registration_cancel(user=request.user, registration=registration),
        _("The registration has been cancelled."),
    )
    return redirect("capacity:session-detail", pk=registration.session_id)


@login_required
@require_POST
def session_attendance(request, pk):
    session = selectors.session_get(user=request.user, pk=pk)
    if not is_officer(request.user):
        raise PermissionDenied
    active = list(
        session.registrations.exclude(status=Registration.Status.CANCELLED).select_related(
            "participant", "organization"
        )
    )
    form = AttendanceForm(request.POST, registrations=active)
    if not form.is_valid():
        messages.error(request, _("Choose from the registered participants."))
        return redirect("capacity:session-detail", pk=session.pk)
    run_action(
        request,
        lambda: services.attendance_record(
            user=request.user, session=session, attended_ids=form.cleaned_data["attended"]
        ),
        _("Attendance has been recorded."),
    )
    return redirect("capacity:session-detail", pk=session.pk)


@login_required
@require_POST
def session_cancel(request, pk):
    session = selectors.session_get(user=request.user, pk=pk)
    if not is_officer(request.user):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for cancelling the session."))
        return redirect("capacity:session-detail", pk=session.pk)
    run_action(
        request,
        lambda: services.session_cancel(
            user=request.user, session=session, reason=form.cleaned_data["reason"]
        ),
        _("The session has been cancelled."),
    )
    return redirect("capacity:session-detail", pk=session.pk)


@login_required
def certificate(request, pk):
    registration = selectors.registration_get(user=request.user, pk=pk)
    # A 403/404 refusal becomes that page; a certificate not to be had is not found.
    with refusals(request, on_error=raise_for_status) as call:
        data, filename = services.certificate_pdf(user=request.user, registration=registration)
    if not call.ok:
        raise Http404
    return pdf_response(data, filename)


def certificate_verify(request):
    """Public: anyone holding a certificate's number and code can check it.
    The participant's name is shown masked."""
    form = CertificateVerifyForm(request.GET or None)
    registration = None
    checked = form.is_bound and form.is_valid()
    if checked:
        registration = services.certificate_lookup(
            number=form.cleaned_data["number"].strip(), code=form.cleaned_data["code"]
        )
    name = registration.participant.display_name if registration else ""
    return render(
        request,
        "capacity/certificate_verify.html",
        {
            "form": form,
            "checked": checked,
            "registration": registration,
            "masked_name": (name[:1] + "*" * max(len(name) - 1, 1)) if name else "",
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
