"""Reads of the audit trail and the inbox, scoped to the user."""

from __future__ import annotations

from django.db.models import QuerySet

from .audit import unsealed
from .models import AuditEvent, Notification
from .roles import Role, has_role, is_federation_staff

AUDIT_READERS = (Role.OFFICER, Role.AUDITOR)


def can_read_audit(user) -> bool:
    return has_role(user, *AUDIT_READERS)


def audit_event_list(*, user) -> QuerySet[AuditEvent]:
    if not can_read_audit(user):
        return AuditEvent.objects.none()
    return unsealed(AuditEvent.objects.all())


def notification_list(*, user) -> QuerySet[Notification]:
    """The user's own notifications. Staff and administrators never see a sealed
    one (about a bid before its opening), even if it was addressed to them."""
    qs = Notification.objects.filter(recipient=user)
    if user.is_superuser or user.is_staff or is_federation_staff(user):
        qs = unsealed(qs)
    return qs
