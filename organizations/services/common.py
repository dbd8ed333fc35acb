"""What the organizations' services share: who to tell, and the reason guard."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from purchase_portal.errors import ApplicationError
from purchase_portal.notifications import notify
from purchase_portal.roles import Role

from ..models import Membership, Organization, User


def officers():
    return User.objects.filter(groups__name=Role.OFFICER, is_active=True).distinct()


def org_admins(organization: Organization):
    return User.objects.filter(
        memberships__organization=organization,
        memberships__role=Membership.Role.ADMIN,
        is_active=True,
    )


REASON_MAX_LENGTH = 2000


def require_reason(reason: str):
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


def notify_admins(organization: Organization, title: str, body: str = "") -> None:
    notify(
        recipients=org_admins(organization),
        kind="organization.status",
        title=title % {"name": organization.name},
        body=body,
        url=reverse("organizations:detail", args=[organization.pk]),
        obj=organization,
    )
