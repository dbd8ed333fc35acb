"""What the organizations' services share: telling an organization's admins."""

from __future__ import annotations

from django.urls import reverse

from purchase_portal.notifications import notify

from ..models import Organization
from ..selectors import organization_admins


def notify_admins(organization: Organization, title: str, body: str = "") -> None:
    notify(
        recipients=organization_admins(organization),
        kind="organization.status",
        title=title % {"name": organization.name},
        body=body,
        url=reverse("organizations:detail", args=[organization.pk]),
        obj=organization,
    )
