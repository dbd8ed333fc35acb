"""Every write on memberships, invitations and accounts made from them."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from purchase_portal import audit, tokens
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from purchase_portal.outbox import enqueue
from purchase_portal.roles import forget_cached

from ..models import Invitation, Membership, Organization, User
from ..rules import can_manage_members


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
    from ..tasks import send_invitation_email

    enqueue(send_invitation_email, invitation.pk, token)
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
    forget_cached(user, "_portal_memberships", "_portal_social_member")
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
    forget_cached(user, "_portal_memberships", "_portal_social_member")


@transaction.atomic
def user_language_set(*, user: User, language: str) -> User:
    """Set the language a user reads e-mail and notifications in ("" for the
    portal's default). Only the user changes it, on their profile page."""
    codes = {code for code, _name in settings.LANGUAGES}
    if language and language not in codes:
        raise ApplicationError(
            _("Choose one of the portal's languages."),
            code="invalid",
            fields={"language": [_("Choose one of the portal's languages.")]},
        )
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = locked.language
    if before != language:
        locked.language = language
        locked.save(update_fields=["language"])
        audit.record(
            actor=user,
            action="user.language",
            obj=locked,
            before={"language": before},
            after={"language": language},
        )
    user.language = language
    return locked
