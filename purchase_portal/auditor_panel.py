"""The auditor's dashboard panel: where the records are, and whether the
audit trail still matches the anchors published outside its table."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .dashboard import Panel, register
from .models import AuditAnchor, AuditEvent
from .roles import Role, has_role

#: Anchors (daily integrity checks) shown on the panel.
RECENT_ANCHORS = 5

#: (label, URL name) of the records an auditor reads; an app that is not
#: installed simply has no link.
LINKS = [
    (lambda: _("Audit trail"), "audit-trail"),
    (lambda: _("Download the audit trail (CSV)"), "audit-trail-export"),
    (lambda: _("Evaluation reports (PDF)"), "evaluation:reports"),
    (lambda: _("Annual reports (PDF)"), "evaluation:annual"),
    (lambda: _("Contracts and their PDFs"), "contracts:list"),
    (lambda: _("Payments (Excel)"), "contracts:export-payments"),
    (lambda: _("Progress reports (Excel)"), "contracts:export-reports"),
    (lambda: _("Annual purchase plan (Excel)"), "projects:plan-export"),
    (lambda: _("Analytics and their Excel downloads"), "analytics:overview"),
    (lambda: _("Published anchors of the audit trail"), "audit-anchors"),
]


@dataclass(frozen=True)
class Check:
    anchor: AuditAnchor
    intact: bool


def integrity_checks(limit: int = RECENT_ANCHORS) -> list[Check]:
    """The latest anchors, each checked against the trail: the anchored event
    must still be there with the anchored hash (two queries)."""
    anchors = list(
        AuditAnchor.objects.only("id", "seq", "hash", "published_at").order_by(
            "-published_at", "-seq"
        )[:limit]
    )
    hashes = dict(
        AuditEvent.objects.filter(seq__in=[a.seq for a in anchors]).values_list("seq", "hash")
    )
    return [Check(a, a.seq == 0 or hashes.get(a.seq) == a.hash) for a in anchors]


def _links():
    rows = []
    for label, name in LINKS:
        try:
            rows.append((label(), reverse(name)))
        except NoReverseMatch:
            continue
    return rows


@register(kept=False)
def auditor_panel(request):
    if not has_role(request.user, Role.AUDITOR):
        return None
    return Panel(
        title=_("Audit"),
        template="includes/audit_panel.html",
        context={"links": _links(), "checks": integrity_checks()},
        order=5,
    )
