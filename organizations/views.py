"""Pages for organizations, their members and credentials."""

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchase_portal.forms import ReasonForm
from purchase_portal.pages import refusals
from purchase_portal.paging import keyset_page
from purchase_portal.roles import is_federation_staff, is_officer
from purchase_portal.uploads import file_response

from . import selectors, services
from .credit_code import legal_form_warning
from .filters import OrganizationFilter
from .forms import (
    AccountForm,
    ApplicantAccountForm,
    ApplicationForm,
    ControlRelationshipForm,
    CredentialForm,
    InviteForm,
    LanguagePreferenceForm,
    OfficerOrganizationForm,
    OrganizationForm,
    SelfServiceOrganizationForm,
)
from .models import Organization
from .rules import (
    REGISTRATION_CERTIFICATE_SOURCE,
    can_manage_members,
    can_manage_organization,
    has_registration_certificate,
    is_staff_account,
)

#: The columns the list of organizations sorts by (each ordering ends with the id).
LIST_SORTS = {
    "name": ("name", "id"),
    "credit_code": ("credit_code", "id"),
    "category": ("category", "name", "id"),
    "rating": ("rating", "name", "id"),
    "status": ("status", "name", "id"),
}


@login_required
def organization_list(request):
    if not is_federation_staff(request.user):
        own = list(selectors.user_organizations(user=request.user)[:2])
        if len(own) == 1:
            return redirect("organizations:detail", own[0].pk)
    base = selectors.organization_list(user=request.user).order_by("name", "id")
    filterset = OrganizationFilter(request.GET or None, queryset=base)
    if not filterset.is_bound:
        qs = base
    elif filterset.is_valid():
        qs = filterset.qs
    else:  # the form shows what is wrong; an invalid filter matches nothing
        qs = base.none()
    page = keyset_page(qs, request, sorts=LIST_SORTS)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organizations/list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "can_register": is_officer(request.user),
        },
    )


def _applicant_form(exc, form, account_form):
    """Where an application's refusal is shown: on the account part when it is about
    the account, otherwise on the organization part."""
    if account_form is not None and set(exc.fields) & {"username", "password"}:
        return account_form
    return form


def organization_apply(request):
    """A social organization applies to register (creating a sign-in account if needed)."""
    if is_officer(request.user):
        return redirect("organizations:create")
    if is_staff_account(request.user):
        raise PermissionDenied
    account_form_class = None if request.user.is_authenticated else ApplicantAccountForm
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES)
        account_form = (
            account_form_class(request.POST, prefix="account") if account_form_class else None
        )
        forms_valid = form.is_valid() & (account_form.is_valid() if account_form else True)
        if forms_valid:
            with (
                refusals(
                    request, form=lambda exc: _applicant_form(exc, form, account_form)
                ) as call,
                transaction.atomic(),
            ):
                user = request.user
                if account_form is not None:
                    user = services.account_create(
                        username=account_form.cleaned_data["username"],
                        name=account_form.cleaned_data["name"],
                        email=account_form.cleaned_data["email"],
                        password=account_form.cleaned_data["password1"],
                    )
                org = services.organization_apply(
                    applicant=user,
                    data=form.profile_data(),
                    registration_certificate=form.cleaned_data["registration_certificate"],
                )
            if call.ok:
                if account_form is not None:
                    login(request, user, backend="organizations.auth.PortalModelBackend")
                messages.success(
                    request, _("Your application has been received. An officer will verify it.")
                )
                if form.checksum_warning:
                    messages.warning(request, form.checksum_warning)
                return redirect("organizations:detail", org.pk)
        if account_form is not None:
            account_form.keep_passwords()
    else:
        form = ApplicationForm()
        account_form = account_form_class(prefix="account") if account_form_class else None
    forms_shown = [f for f in (account_form, form) if f is not None]
    return render(
        request,
        "organizations/apply.html",
        {
            "form": form,
            "account_form": account_form,
            "forms_shown": forms_shown,
            "form_errors": any(f.errors for f in forms_shown),
        },
    )


@login_required
def organization_create(request):
    """An officer registers an organization directly."""
    if not is_officer(request.user):
        raise PermissionDenied
    form = OfficerOrganizationForm(request.POST or None, allow_category=True)
    if request.method == "POST" and form.is_valid():
        data = form.profile_data()
        acknowledge = form.cleaned_data.get("acknowledge_checksum", False)
        with refusals(
            request,
            form=form,
        ) as call:
            org = services.organization_register(
                officer=request.user, data=data, acknowledge_checksum=acknowledge
            )
        if call.ok:
            messages.success(
                request, _("%(name)s is registered and verified.") % {"name": org.name}
            )
            return redirect("organizations:detail", org.pk)
    return render(request, "organizations/create.html", {"form": form})


@login_required
def organization_detail(request, pk):
    org = selectors.organization_get(user=request.user, pk=pk)
    user = request.user
    manage_members = can_manage_members(user, org)
    context = {
        "org": org,
        "transitions": services.ORGANIZATION_WORKFLOW.available(org, user),
        "can_edit": can_manage_organization(user, org),
        "can_manage_members": manage_members,
        "memberships": selectors.membership_list(user=user, organization=org),
        "invitations": selectors.invitation_list(organization=org) if manage_members else [],
        "credentials": selectors.credential_list(user=user).filter(organization=org),
        "invite_form": InviteForm(),
        "reason_form": ReasonForm(),
        "checksum_expected": "",
        "legal_form_warning": legal_form_warning(org.credit_code, org.legal_form),
        "controls": selectors.control_relationship_list(user=user, organization=org),
        "show_controls": is_federation_staff(user),
        "can_record_control": is_officer(user),
        "control_form": ControlRelationshipForm(),
        "certificate_missing": org.status == Organization.Status.PENDING
        and not has_registration_certificate(org),
        "certificate_source": REGISTRATION_CERTIFICATE_SOURCE,
    }
    if not org.credit_code_checksum_ok:
        from .credit_code import check

        context["checksum_expected"] = check(org.credit_code).expected_check_char
    return render(request, "organizations/detail.html", context)


@login_required
def organization_edit(request, pk):
    org = selectors.organization_get(user=request.user, pk=pk, with_categories=False)
    if not can_manage_organization(request.user, org):
        raise PermissionDenied
    restricted = not is_officer(request.user) and org.status in (
        Organization.Status.VERIFIED,
        Organization.Status.SUSPENDED,
    )
    officer = is_officer(request.user)
    if restricted:
        form_class = SelfServiceOrganizationForm
    else:
        form_class = OfficerOrganizationForm if officer else OrganizationForm
    # The form works on a copy: a refused change must not show on the page as saved.
    form = form_class(request.POST or None, instance=copy.copy(org), allow_category=officer)
    if request.method == "POST" and form.is_valid():
        with refusals(
            request,
            form=form,
        ) as call:
            services.organization_update(
                organization=org,
                user=request.user,
                data=form.profile_data(),
                acknowledge_checksum=form.cleaned_data.get("acknowledge_checksum", False),
            )
        if call.ok:
            messages.success(request, _("The profile has been saved."))
            if form.checksum_warning:
                messages.warning(request, form.checksum_warning)
            return redirect("organizations:detail", org.pk)
    return render(
        request, "organizations/edit.html", {"form": form, "org": org, "restricted": restricted}
    )


@login_required
@require_POST
def organization_transition(request, pk, action):
    org = selectors.organization_get(user=request.user, pk=pk, with_categories=False)
    handlers = {
        "verify": lambda: services.organization_verify(
            organization=org,
            user=request.user,
            acknowledge_checksum=request.POST.get("acknowledge_checksum") == "on",
        ),
        "reject": lambda: services.organization_reject(
            organization=org, user=request.user, reason=request.POST.get("reason", "")
        ),
        "suspend": lambda: services.organization_suspend(
            organization=org, user=request.user, reason=request.POST.get("reason", "")
        ),
        "reinstate": lambda: services.organization_reinstate(organization=org, user=request.user),
        "resubmit": lambda: services.organization_resubmit(organization=org, user=request.user),
    }
    if action not in handlers:
        raise Http404
    with refusals(request) as call:
        handlers[action]()
    if call.ok:
        messages.success(
            request,
            _("Done: %(org)s is now “%(status)s”.")
            % {"org": org.name, "status": org.get_status_display()},
        )
    return redirect("organizations:detail", org.pk)


@login_required
@require_POST
def member_invite(request, pk):
    org = selectors.organization_get(user=request.user, pk=pk, with_categories=False)
    if not can_manage_members(request.user, org):
        raise PermissionDenied
    form = InviteForm(request.POST)
    if form.is_valid():
        with refusals(
            request,
            form=form,
        ) as call:
            services.invitation_create(organization=org, user=request.user, **form.cleaned_data)
        if call.ok:
            messages.success(
                request, _("An invitation has been e-mailed to %(email)s.") % form.cleaned_data
            )
            return redirect("organizations:detail", org.pk)
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("organizations:detail", org.pk)


@login_required
@require_POST
def member_remove(request, pk, member_pk):
    org = selectors.organization_get(user=request.user, pk=pk, with_categories=False)
    membership = selectors.organization_membership_get(organization=org, pk=member_pk)
    with refusals(request) as call:
        services.membership_remove(membership=membership, user=request.user)
    if call.ok:
        messages.success(
            request, _("%(user)s has been removed.") % {"user": membership.user.display_name}
        )
    return redirect("organizations:detail", org.pk)


@login_required
@require_POST
def invitation_revoke(request, pk, invitation_pk):
    org = selectors.organization_get(user=request.user, pk=pk, with_categories=False)
    invitation = selectors.organization_invitation_get(organization=org, pk=invitation_pk)
    with refusals(request) as call:
        services.invitation_revoke(invitation=invitation, user=request.user)
    if call.ok:
        messages.success(request, _("The invitation has been withdrawn."))
    return redirect("organizations:detail", org.pk)


def invitation_accept(request, token):
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return render(request, "organizations/invitation_invalid.html", status=404)
    form = None
    if request.method == "POST":
        accepted = False
        with refusals(request, form=lambda exc: form) as call:
            if request.user.is_authenticated:
                services.invitation_accept(token=token, user=request.user)
                accepted = True
            else:
                form = AccountForm(request.POST)
                if form.is_valid():
                    user = services.account_create_from_invitation(
                        token=token,
                        username=form.cleaned_data["username"],
                        name=form.cleaned_data["name"],
                        password=form.cleaned_data["password1"],
                    )
                    login(request, user, backend="organizations.auth.PortalModelBackend")
                    accepted = True
        if not call.ok and form is None:
            return redirect("dashboard")
        if accepted:
            messages.success(
                request, _("Welcome to %(org)s.") % {"org": invitation.organization.name}
            )
            return redirect("organizations:detail", invitation.organization_id)
    elif not request.user.is_authenticated:
        form = AccountForm()
    return render(
        request, "organizations/invitation.html", {"invitation": invitation, "form": form}
    )


@login_required
def credential_add(request, pk):
    org = selectors.organization_get(user=request.user, pk=pk, with_categories=False)
    if not can_manage_organization(request.user, org):
        raise PermissionDenied
    form = CredentialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refusals(
            request,
            form=form,
        ) as call:
            services.credential_add(
                organization=org,
                user=request.user,
                file=form.cleaned_data["file"],
                **{
                    k: form.cleaned_data.get(k)
                    for k in ("kind", "year", "result", "annual_income", "issued_on", "expires_on")
                },
            )
        if call.ok:
            messages.success(request, _("The credential has been added."))
            return redirect("organizations:detail", org.pk)
    return render(request, "organizations/credential_form.html", {"form": form, "org": org})


@login_required
def credential_download(request, pk):
    credential = selectors.credential_get(user=request.user, pk=pk)
    return file_response(
        credential.file, filename=credential.original_name, content_type=credential.content_type
    )


@login_required
def profile(request):
    """The signed-in user's profile: who they are, and the language they read
    e-mail and notifications in."""
    form = LanguagePreferenceForm(request.POST or None, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form) as call:
            services.user_language_set(user=request.user, language=form.cleaned_data["language"])
        if call.ok:
            messages.success(request, _("Your language preference is saved."))
            response = redirect("organizations:profile")
            if form.cleaned_data["language"]:
                # The pages follow the preference too (the language switch still works).
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    form.cleaned_data["language"],
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                    httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                )
            return response
    memberships = selectors.user_memberships(user=request.user)
    return render(
        request,
        "organizations/profile.html",
        {"form": form, "memberships": memberships},
    )


def control_relationship_add(request, pk):
    """Record a control or management relationship (政府采购法实施条例 Art 18)."""
    org = selectors.organization_get(user=request.user, pk=pk, with_categories=False)
    if not is_officer(request.user):
        raise PermissionDenied
    form = ControlRelationshipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form) as call:
            services.control_relationship_record(user=request.user, **form.relationship(org))
        if call.ok:
            messages.success(request, _("The relationship is recorded."))
            return redirect("organizations:detail", org.pk)
    return render(request, "organizations/control_form.html", {"form": form, "org": org})


@login_required
@require_POST
def control_relationship_remove(request, pk, control_pk):
    org = selectors.organization_get(user=request.user, pk=pk, with_categories=False)
    relationship = selectors.control_relationship_get(
        user=request.user, organization=org, pk=control_pk
    )
    with refusals(request) as call:
        services.control_relationship_remove(
            user=request.user, relationship=relationship, reason=request.POST.get("reason", "")
        )
    if call.ok:
        messages.success(request, _("The relationship is removed."))
    return redirect("organizations:detail", org.pk)
