"""Every write on organizations, memberships, invitations and credentials."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from purchase_portal import audit, tokens
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from purchase_portal.notifications import notify
from purchase_portal.roles import Role, is_federation_staff, is_officer
from purchase_portal.transitions import Transition, Workflow
from purchase_portal.uploads import check_upload

from . import credit_code
from .models import Credential, Invitation, Membership, Organization, User
from .rules import can_manage_members, can_manage_organization, is_org_admin, is_staff_account

S = Organization.Status

ORGANIZATION_WORKFLOW = Workflow(
    model=Organization,
    audit_prefix="organization",
    transitions=[
        Transition("verify", (S.PENDING,), S.VERIFIED, is_officer, _("Verify")),
        Transition("reject", (S.PENDING,), S.REJECTED, is_officer, _("Reject")),
        Transition("suspend", (S.VERIFIED,), S.SUSPENDED, is_officer, _("Suspend")),
        Transition("reinstate", (S.SUSPENDED,), S.VERIFIED, is_officer, _("Reinstate")),
        Transition("resubmit", (S.REJECTED,), S.PENDING, is_org_admin, _("Resubmit")),
    ],
)

#: Fields an organization's own admin may change once it is verified; the
#: identity fields (name, code, type, legal representative, rating) then
#: change only through an officer.
SELF_SERVICE_FIELDS = {
    "address",
    "street",
    "contact_name",
    "contact_phone",
    "contact_email",
    "service_categories",
}
PROFILE_FIELDS = {
    "name",
    "credit_code",
    "category",
    "legal_form",
    "registration_date",
    "legal_representative",
    "rating",
    "rating_expires_on",
    "is_welfare_unit",
    *SELF_SERVICE_FIELDS,
}


def _officers():
    return User.objects.filter(groups__name=Role.OFFICER, is_active=True).distinct()


def _org_admins(organization: Organization):
    return User.objects.filter(
        memberships__organization=organization,
        memberships__role=Membership.Role.ADMIN,
        is_active=True,
    )


#: Profile fields an organization cannot be registered without.
REQUIRED_FIELDS = (
    "name",
    "credit_code",
    "legal_representative",
    "address",
    "contact_name",
    "contact_phone",
)


def _check_profile(data: dict, *, user: User, instance: Organization | None = None) -> dict:
    """Validate profile data common to every way of writing it; return cleaned values."""
    errors: dict[str, list[str]] = {}
    unknown = set(data) - PROFILE_FIELDS
    if unknown:
        raise ApplicationError(
            _("Unknown fields."),
            code="unknown_fields",
            fields={k: _t("Unknown field.") for k in unknown},
        )
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    if instance is None:
        for name in REQUIRED_FIELDS:
            if name not in cleaned:
                errors[name] = [_t("This field is required.")]
    # Only an officer decides that an organization is the federation or an
    # evaluation agency; everyone else registers social organizations.
    current_category = instance.category if instance else Organization.Category.SOCIAL
    if "category" in cleaned and cleaned["category"] != current_category and not is_officer(user):
        errors["category"] = [_t("Only an officer can change the kind of organization.")]
    if "category" in cleaned and cleaned["category"] not in Organization.Category.values:
        errors["category"] = [_t("Choose a valid kind.")]
    if "credit_code" in cleaned:
        result = credit_code.check(cleaned["credit_code"])
        cleaned["credit_code"] = result.code
        if result.errors:
            errors["credit_code"] = result.errors
        else:
            duplicate = Organization.objects.filter(credit_code=result.code)
            if instance is not None:
                duplicate = duplicate.exclude(pk=instance.pk)
            if duplicate.exists():
                errors["credit_code"] = [
                    _t("An organization with this credit code is already registered.")
                ]
        cleaned["credit_code_checksum_ok"] = result.checksum_ok
    for required in REQUIRED_FIELDS:
        if required in cleaned and not str(cleaned[required] or "").strip():
            errors.setdefault(required, [_t("This field is required.")])
    rating = cleaned.get("rating", getattr(instance, "rating", ""))
    expires = cleaned.get("rating_expires_on", getattr(instance, "rating_expires_on", None))
    if rating and not expires:
        errors["rating_expires_on"] = [_t("A rating needs an expiry date.")]
    if errors:
        raise ApplicationError(_("Please correct the errors below."), fields=errors)
    return cleaned


def _apply(organization: Organization, values: dict) -> list:
    categories = values.pop("service_categories", None)
    for key, value in values.items():
        setattr(organization, key, value)
    return categories


def _snapshot(organization: Organization) -> dict:
    data = audit.snapshot(organization)
    data.pop("updated_at", None)
    data["service_categories"] = sorted(
        organization.service_categories.values_list("code", flat=True)
    )
    return data


def _insert(organization: Organization) -> None:
    """Save a new organization; a concurrent duplicate credit code is a field error."""
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError:
        raise ApplicationError(
            _("Please correct the errors below."),
            fields={
                "credit_code": _t("An organization with this credit code is already registered.")
            },
        ) from None


def _checksum_unacknowledged() -> ApplicationError:
    return ApplicationError(
        _(
            "The credit code's check character does not match. Confirm the code against the certificate and acknowledge the warning."
        ),
        code="checksum_unacknowledged",
        fields={"acknowledge_checksum": _t("Acknowledge the check-character warning to continue.")},
    )


@transaction.atomic
def organization_apply(*, applicant: User, data: dict) -> Organization:
    """A social organization applies to register; the applicant becomes its admin."""
    if not applicant.is_authenticated:
        raise PermissionDeniedError()
    if is_federation_staff(applicant):
        # Federation staff act for the federation; officers register
        # organizations directly, the other roles only read.
        raise PermissionDeniedError(_("Federation staff cannot apply to register an organization."))
    if is_staff_account(applicant):
        # Experts judge organizations' bids; administrators run the site.
        raise PermissionDeniedError(_("Staff accounts cannot apply to register an organization."))
    values = _check_profile(data, user=applicant)
    organization = Organization(status=Organization.Status.PENDING)
    categories = _apply(organization, values)
    _insert(organization)
    if categories is not None:
        organization.service_categories.set(categories)
    Membership.objects.create(organization=organization, user=applicant, role=Membership.Role.ADMIN)
    applicant.__dict__.pop("_portal_memberships", None)
    audit.record(
        actor=applicant,
        action="organization.apply",
        obj=organization,
        after=_snapshot(organization),
    )
    notify(
        recipients=_officers(),
        kind="organization.applied",
        title=_t("New organization awaiting verification: %(name)s") % {"name": organization.name},
        url=reverse("organizations:detail", args=[organization.pk]),
        obj=organization,
    )
    return organization


@transaction.atomic
def organization_register(
    *, officer: User, data: dict, acknowledge_checksum: bool = False
) -> Organization:
    """An officer registers an organization directly; it is verified at once."""
    if not is_officer(officer):
        raise PermissionDeniedError()
    values = _check_profile(data, user=officer)
    if not values.get("credit_code_checksum_ok", True) and not acknowledge_checksum:
        raise _checksum_unacknowledged()
    organization = Organization(status=Organization.Status.PENDING)
    categories = _apply(organization, values)
    _insert(organization)
    if categories is not None:
        organization.service_categories.set(categories)
    audit.record(
        actor=officer,
        action="organization.register",
        obj=organization,
        after=_snapshot(organization),
    )
    return organization_verify(
        organization=organization, user=officer, acknowledge_checksum=acknowledge_checksum
    )


@transaction.atomic
def organization_update(
    *, organization: Organization, user: User, data: dict, acknowledge_checksum: bool = False
) -> Organization:
    """Change an organization's profile. A new credit code whose check character
    fails must be acknowledged by the officer changing it on a verified organization;
    on an application the officer acknowledges it when verifying."""
    if not can_manage_organization(user, organization):
        raise PermissionDeniedError()
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if not is_officer(user) and organization.status in (S.VERIFIED, S.SUSPENDED):
        locked_fields = set(data) - SELF_SERVICE_FIELDS
        changing = {
            k
            for k in locked_fields
            if audit._jsonable(data[k]) != audit._jsonable(getattr(organization, k, None))
        }
        if changing:
            raise ApplicationError(
                _("Once an organization is verified, only an officer can change these fields."),
                code="locked_fields",
                fields={k: _t("Ask an officer to change this.") for k in sorted(changing)},
            )
    before = _snapshot(organization)
    values = _check_profile(data, user=user, instance=organization)
    code_changed = "credit_code" in values and values["credit_code"] != organization.credit_code
    if code_changed and not values["credit_code_checksum_ok"]:
        if organization.status in (S.VERIFIED, S.SUSPENDED):
            if not acknowledge_checksum:
                raise _checksum_unacknowledged()
            values["checksum_acknowledged_by"] = user
        else:
            values["checksum_acknowledged_by"] = None
    elif code_changed:
        values["checksum_acknowledged_by"] = None
    categories = _apply(organization, values)
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError:
        raise ApplicationError(
            _("Please correct the errors below."),
            fields={
                "credit_code": _t("An organization with this credit code is already registered.")
            },
        ) from None
    if categories is not None:
        organization.service_categories.set(categories)
    old, new = audit.changed_fields(before, _snapshot(organization))
    if new:
        audit.record(
            actor=user, action="organization.update", obj=organization, before=old, after=new
        )
    return organization


def organization_verify(
    *, organization: Organization, user: User, acknowledge_checksum: bool = False
) -> Organization:
    def guard(org: Organization) -> None:
        if not org.credit_code_checksum_ok and not acknowledge_checksum:
            raise _checksum_unacknowledged()

    def changes(org: Organization) -> dict:
        values = {"verified_at": timezone.now(), "verified_by": user, "status_reason": ""}
        if not org.credit_code_checksum_ok:
            values["checksum_acknowledged_by"] = user
        return values

    return ORGANIZATION_WORKFLOW.run(
        "verify",
        obj=organization,
        user=user,
        guard=guard,
        changes=changes,
        notify=lambda org: _notify_admins(org, _t("Your organization %(name)s has been verified.")),
    )


REASON_MAX_LENGTH = 2000


def _require_reason(reason: str):
    """A guard (checked after permission and state) that a reason was given."""

    def guard(_org: Organization) -> None:
        if not reason:
            raise ApplicationError(
                _("Give a reason."), code="reason_required", fields={"reason": _t("Give a reason.")}
            )
        if len(reason) > REASON_MAX_LENGTH or "\x00" in reason:
            raise ApplicationError(
                _("Please correct the errors below."),
                fields={
                    "reason": _t("Give a reason of at most %(n)d characters, as plain text.")
                    % {"n": REASON_MAX_LENGTH}
                },
            )

    return guard


def organization_reject(*, organization: Organization, user: User, reason: str) -> Organization:
    reason = (reason or "").strip()
    return ORGANIZATION_WORKFLOW.run(
        "reject",
        obj=organization,
        user=user,
        guard=_require_reason(reason),
        changes={"status_reason": reason},
        notify=lambda org: _notify_admins(
            org, _t("The registration of %(name)s was rejected."), body=reason
        ),
    )


def organization_suspend(*, organization: Organization, user: User, reason: str) -> Organization:
    reason = (reason or "").strip()
    return ORGANIZATION_WORKFLOW.run(
        "suspend",
        obj=organization,
        user=user,
        guard=_require_reason(reason),
        changes={"status_reason": reason},
        notify=lambda org: _notify_admins(org, _t("%(name)s has been suspended."), body=reason),
    )


def organization_reinstate(*, organization: Organization, user: User) -> Organization:
    return ORGANIZATION_WORKFLOW.run(
        "reinstate",
        obj=organization,
        user=user,
        changes={"status_reason": ""},
        notify=lambda org: _notify_admins(org, _t("%(name)s has been reinstated.")),
    )


def organization_resubmit(*, organization: Organization, user: User) -> Organization:
    return ORGANIZATION_WORKFLOW.run(
        "resubmit",
        obj=organization,
        user=user,
        changes={"status_reason": ""},
        notify=lambda org: notify(
            recipients=_officers(),
            kind="organization.applied",
            title=_t("New organization awaiting verification: %(name)s") % {"name": org.name},
            url=reverse("organizations:detail", args=[org.pk]),
            obj=org,
        ),
    )


def _notify_admins(organization: Organization, title: str, body: str = "") -> None:
    notify(
        recipients=_org_admins(organization),
        kind="organization.status",
        title=title % {"name": organization.name},
        body=body,
        url=reverse("organizations:detail", args=[organization.pk]),
        obj=organization,
    )


# Members and invitations -------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *, organization: Organization, user: User, email: str, role: str
) -> tuple[Invitation, str]:
    """Invite someone by e-mail; returns the invitation and the one-time token."""
    if not can_manage_members(user, organization):
        raise PermissionDeniedError()
    email = (email or "").strip().lower()
    errors = {}
    try:
        from django.core.validators import validate_email

        validate_email(email)
    except ValidationError:
        errors["email"] = _t("Enter a valid e-mail address.")
    if role not in Membership.Role.values:
        errors["role"] = _t("Choose a valid role.")
    if errors:
        raise ApplicationError(_("Please correct the errors below."), fields=errors)
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ApplicationError(
            _("This person is already a member."),
            code="already_member",
            fields={"email": _t("Already a member.")},
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        token_hash=_token_hash(token),
        invited_by=user,
        expires_at=timezone.now() + timedelta(days=settings.PORTAL["INVITATION_DAYS"]),
    )
    audit.record(
        actor=user,
        action="invitation.create",
        obj=invitation,
        after={"organization": organization.pk, "email": email, "role": role},
    )
    from .tasks import send_invitation_email

    transaction.on_commit(lambda: send_invitation_email.delay(invitation.pk, token), robust=True)
    return invitation, token


def invitation_by_token(token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(token_hash=_token_hash(token or ""))
        .first()
    )
    return invitation if invitation is not None and invitation.is_open else None


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    invitation = invitation_by_token(token)
    if invitation is None:
        raise ApplicationError(_("This invitation is no longer valid."), code="invitation_invalid")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ApplicationError(_("This invitation is no longer valid."), code="invitation_invalid")
    membership, created = Membership.objects.get_or_create(
        organization=invitation.organization, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if created:
        audit.record(
            actor=user,
            action="membership.create",
            obj=membership,
            after={
                "organization": membership.organization_id,
                "user": user.pk,
                "role": membership.role,
                "invitation": invitation.pk,
            },
        )
    user.__dict__.pop("_portal_memberships", None)
    return membership


@transaction.atomic
def account_create_from_invitation(*, token: str, username: str, name: str, password: str) -> User:
    invitation = invitation_by_token(token)
    if invitation is None:
        raise ApplicationError(_("This invitation is no longer valid."), code="invitation_invalid")
    user = account_create(username=username, name=name, email=invitation.email, password=password)
    invitation_accept(token=token, user=user)
    return user


def account_create(*, username: str, name: str, email: str, password: str) -> User:
    """Create a sign-in account (for an applicant or an invited person)."""
    errors: dict[str, list[str]] = {}
    username = (username or "").strip()
    field = User._meta.get_field("username")
    try:
        field.clean(username, None)
    except ValidationError as exc:
        errors["username"] = list(exc.messages)
    if not errors and User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_t("This user name is taken.")]
    candidate = User(username=username, name=name, email=email)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ApplicationError(_("Please correct the errors below."), fields=errors)
    candidate.set_password(password)
    with transaction.atomic():
        try:
            with transaction.atomic():
                candidate.save()
        except IntegrityError:  # taken by a concurrent request since the check above
            raise ApplicationError(
                _("Please correct the errors below."),
                fields={"username": [_t("This user name is taken.")]},
            ) from None
        audit.record(
            actor=candidate,
            action="user.create",
            obj=candidate,
            after={"username": username, "email": email},
        )
    return candidate


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, user: User) -> Invitation:
    if not can_manage_members(user, invitation.organization):
        raise PermissionDeniedError()
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise ConflictError(_("This invitation is already closed."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(
        actor=user,
        action="invitation.revoke",
        obj=invitation,
        after={"revoked_at": invitation.revoked_at},
    )
    return invitation


@transaction.atomic
def membership_remove(*, membership: Membership, user: User) -> None:
    organization = membership.organization
    if not can_manage_members(user, organization):
        raise PermissionDeniedError()
    # Lock the organization's memberships so two removals cannot leave it without an admin.
    members = list(Membership.objects.select_for_update().filter(organization=organization))
    membership = next((m for m in members if m.pk == membership.pk), None)
    if membership is None:
        raise ConflictError(_("This person is no longer a member."))
    admins = [m for m in members if m.role == Membership.Role.ADMIN]
    if membership.role == Membership.Role.ADMIN and len(admins) == 1:
        raise ConflictError(
            _(
                "An organization needs at least one administrator. Make someone else administrator first."
            ),
            code="last_admin",
        )
    before = {"organization": organization.pk, "user": membership.user_id, "role": membership.role}
    audit.record(actor=user, action="membership.remove", obj=membership, before=before)
    membership.delete()
    tokens.tokens_revoke_all(
        user=User.objects.get(pk=before["user"]), reason=tokens.RevocationReason.ROLES, actor=user
    )
    user.__dict__.pop("_portal_memberships", None)


# Credentials ---------------------------------------------------------------


@transaction.atomic
def credential_add(
    *,
    organization: Organization,
    user: User,
    kind: str,
    file,
    issued_on,
    expires_on=None,
    year: int | None = None,
    result: str = "",
) -> Credential:
    if not can_manage_organization(user, organization):
        raise PermissionDeniedError()
    errors: dict[str, list[str]] = {}
    if kind not in Credential.Kind.values:
        errors["kind"] = [_t("Choose a valid kind.")]
    if issued_on is None:
        errors["issued_on"] = [_t("This field is required.")]
    if expires_on is not None and issued_on is not None and expires_on < issued_on:
        errors["expires_on"] = [_t("The expiry date cannot be before the issue date.")]
    if kind == Credential.Kind.ANNUAL_INSPECTION:
        if not year:
            errors["year"] = [_t("Give the year of the inspection.")]
        if result not in Credential.InspectionResult.values:
            errors["result"] = [_t("Give the inspection result.")]
    elif result:
        errors["result"] = [_t("Only annual inspections have a result.")]
    if year is not None and not (1949 <= int(year) <= timezone.localdate().year + 1):
        errors["year"] = [_t("Give a plausible year.")]
    checked = None
    if file is None:
        errors["file"] = [_t("Attach the document.")]
    else:
        try:
            checked = check_upload(file)
        except ValidationError as exc:
            errors["file"] = list(exc.messages)
    if errors:
        raise ApplicationError(_("Please correct the errors below."), fields=errors)
    credential = Credential(
        organization=organization,
        kind=kind,
        year=year,
        result=result or "",
        issued_on=issued_on,
        expires_on=expires_on,
        uploaded_by=user,
        original_name=checked.safe_name,
        content_type=checked.content_type,
        size=checked.size,
    )
    credential.file.save(file.name, file, save=False)
    credential.save()
    audit.record(
        actor=user, action="credential.add", obj=credential, after=audit.snapshot(credential)
    )
    return credential
