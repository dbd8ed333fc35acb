"""Recorded control and management relationships between organizations
(政府采购法实施条例 Art 18)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _t

from purchase_portal import audit
from purchase_portal.errors import ConflictError, PermissionDeniedError, invalid
from purchase_portal.parsing import require_reason
from purchase_portal.roles import is_officer

from ..models import ControlRelationship, Organization, User

CONTROL_FIELDS = ["controller", "controlled", "kind", "source", "notes"]


@transaction.atomic
def control_relationship_record(
    *,
    user: User,
    controller: Organization | None,
    controlled: Organization | None,
    kind: str,
    source: str,
    notes: str = "",
) -> ControlRelationship:
    """Record that one organization controls or manages another (officers). Suppliers
    in such a relationship may not bid on the same lot (政府采购法实施条例 Art 18); their
    bids are flagged at qualification."""
    if not is_officer(user):
        raise PermissionDeniedError()
    source = (source or "").strip()
    notes = (notes or "").strip()
    errors: dict[str, str] = {}
    if controller is None:
        errors["controller"] = _t("Choose an organization.")
    if controlled is None:
        errors["controlled"] = _t("Choose an organization.")
    elif controller is not None and controller.pk == controlled.pk:
        errors["controlled"] = _t("Choose a different organization.")
    if kind not in ControlRelationship.Kind.values:
        errors["kind"] = _t("Choose a relationship.")
    if not source:
        errors["source"] = _t("Say where the relationship is documented.")
    elif len(source) > 255:
        errors["source"] = _t("At most 255 characters.")
    if errors:
        raise invalid(errors)
    if ControlRelationship.objects.filter(
        controller__in=[controller, controlled], controlled__in=[controller, controlled]
    ).exists():
        raise ConflictError(
            _t("A relationship between these organizations is already recorded."),
            code="control_recorded",
        )
    relationship = ControlRelationship.objects.create(
        controller=controller,
        controlled=controlled,
        kind=kind,
        source=source,
        notes=notes,
        recorded_by=user,
        recorded_at=timezone.now(),
    )
    audit.record(
        actor=user,
        action="organization.control_record",
        obj=relationship,
        after=audit.snapshot(relationship, CONTROL_FIELDS),
    )
    return relationship


@transaction.atomic
def control_relationship_remove(
    *, user: User, relationship: ControlRelationship, reason: str
) -> None:
    """Remove a relationship recorded in error (officers), with a reason."""
    if not is_officer(user):
        raise PermissionDeniedError()
    reason = require_reason(reason)
    locked = ControlRelationship.objects.select_for_update().get(pk=relationship.pk)
    audit.record(
        actor=user,
        action="organization.control_remove",
        obj=locked,
        before=audit.snapshot(locked, CONTROL_FIELDS),
        after={"reason": reason},
    )
    locked.delete()
