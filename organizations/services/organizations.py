"""Every write on organizations: application, registration, profile changes and
the status transitions."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from purchase_portal import audit
from purchase_portal.errors import ApplicationError, PermissionDeniedError
from purchase_portal.notifications import notify
from purchase_portal.parsing import require_reason
from purchase_portal.roles import (
    Role,
    forget_cached,
    is_federation_staff,
    is_officer,
    users_with_role,
)

from .. import credit_code
from ..models import Credential, Membership, Organization, User
from ..rules import (
    REGISTRATION_CERTIFICATE_SOURCE,
    can_manage_organization,
    has_registration_certificate,
    is_staff_account,
)
from ..workflows import ORGANIZATION_WORKFLOW
from .common import notify_admins

S = Organization.Status

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
def organization_apply(
    *, applicant: User, data: dict, registration_certificate=None
) -> Organization:
    """A social organization applies to register; the applicant becomes its admin.

    The registration certificate (登记证书) may come with the application (the
    page asks for it); without it the officer cannot verify the organization
    until it is added as a credential."""
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
    forget_cached(applicant, "_portal_memberships", "_portal_social_member")
    audit.record(
        actor=applicant,
        action="organization.apply",
        obj=organization,
        after=_snapshot(organization),
    )
    if registration_certificate is not None:
        _add_registration_certificate(organization, applicant, registration_certificate)
    notify(
        recipients=users_with_role(Role.OFFICER),
        kind="organization.applied",
        title=lambda: (
            _t("New organization awaiting verification: %(name)s") % {"name": organization.name}
        ),
        url=reverse("organizations:detail", args=[organization.pk]),
        obj=organization,
    )
    return organization


def _add_registration_certificate(organization: Organization, user: User, file) -> None:
    from .credentials import credential_add

    try:
        credential_add(
            organization=organization,
            user=user,
            kind=Credential.Kind.REGISTRATION,
            file=file,
            issued_on=organization.registration_date or timezone.localdate(),
        )
    except ApplicationError as exc:
        messages = exc.fields.get("file") or [str(exc.message)]
        raise ApplicationError(
            exc.message, code=exc.code, fields={"registration_certificate": messages}
        ) from exc


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
    # The officer registering directly has checked the paper certificate at the
    # counter; an application checked at a distance needs the uploaded one.
    return _verify(
        organization=organization,
        user=officer,
        acknowledge_checksum=acknowledge_checksum,
        require_certificate=False,
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
    """An officer verifies an application. Refused while no registration
    certificate (登记证书) is on file (政府购买服务管理办法, 财政部令第102号, Art. 8:
    a supplier must be a lawfully registered organization)."""
    return _verify(
        organization=organization,
        user=user,
        acknowledge_checksum=acknowledge_checksum,
        require_certificate=True,
    )


def registration_certificate_missing() -> ApplicationError:
    return ApplicationError(
        _(
            "The organization cannot be verified before its registration certificate "
            "(登记证书) is uploaded. Source: %(source)s"
        )
        % {"source": REGISTRATION_CERTIFICATE_SOURCE},
        code="registration_certificate_missing",
    )


def _verify(
    *, organization: Organization, user: User, acknowledge_checksum: bool, require_certificate: bool
) -> Organization:
    def guard(org: Organization) -> None:
        if require_certificate and not has_registration_certificate(org):
            raise registration_certificate_missing()
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
        notify=lambda org: notify_admins(org, _t("Your organization %(name)s has been verified.")),
    )


def organization_reject(*, organization: Organization, user: User, reason: str) -> Organization:
    reason = (reason or "").strip()
    return ORGANIZATION_WORKFLOW.run(
        "reject",
        obj=organization,
        user=user,
        guard=lambda _organization: require_reason(reason),
        changes={"status_reason": reason},
        notify=lambda org: notify_admins(
            org, _t("The registration of %(name)s was rejected."), body=reason
        ),
    )


def organization_suspend(*, organization: Organization, user: User, reason: str) -> Organization:
    reason = (reason or "").strip()
    return ORGANIZATION_WORKFLOW.run(
        "suspend",
        obj=organization,
        user=user,
        guard=lambda _organization: require_reason(reason),
        changes={"status_reason": reason},
        notify=lambda org: notify_admins(org, _t("%(name)s has been suspended."), body=reason),
    )


def organization_reinstate(*, organization: Organization, user: User) -> Organization:
    return ORGANIZATION_WORKFLOW.run(
        "reinstate",
        obj=organization,
        user=user,
        changes={"status_reason": ""},
        notify=lambda org: notify_admins(org, _t("%(name)s has been reinstated.")),
    )


def organization_resubmit(*, organization: Organization, user: User) -> Organization:
    return ORGANIZATION_WORKFLOW.run(
        "resubmit",
        obj=organization,
        user=user,
        changes={"status_reason": ""},
        notify=lambda org: notify(
            recipients=users_with_role(Role.OFFICER),
            kind="organization.applied",
            title=lambda: (
                _t("New organization awaiting verification: %(name)s") % {"name": org.name}
            ),
            url=reverse("organizations:detail", args=[org.pk]),
            obj=org,
        ),
    )
