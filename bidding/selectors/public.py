"""Reads of the public side: who the purchaser is and how to reach them, the
tender documents' content, recent results."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from organizations.models import Organization
from purchase_portal import site

from ..models import Lot, Notice, QualificationCheck, Round

#: The checklist each bid's qualification is checked against (资格审查), in order.
QUALIFICATION_FIELDS = (
    "registration_valid",
    "annual_inspection_passed",
    "no_serious_violation",
    "documents_complete",
    "credit_code_checked",
)


@dataclass(frozen=True)
class Contact:
    organization: str
    person: str
    phone: str
    email: str
    address: str


def purchaser_contact() -> Contact:
    """The purchaser's contact for calls: the settings (``PORTAL_CONTACT_*``) when
    given, otherwise the federation's own organization record."""
    federation = (
        Organization.objects.filter(category=Organization.Category.FEDERATION)
        .order_by("pk")
        .only("name", "contact_name", "contact_phone", "contact_email", "address")
        .first()
    )

    def pick(setting: str, field: str) -> str:
        value = getattr(settings, setting, "")
        if value:
            return value
        return getattr(federation, field, "") if federation is not None else ""

    return Contact(
        organization=site.federation_name(),
        person=pick("PORTAL_CONTACT_NAME", "contact_name"),
        phone=pick("PORTAL_CONTACT_PHONE", "contact_phone"),
        email=pick("PORTAL_CONTACT_EMAIL", "contact_email"),
        address=pick("PORTAL_CONTACT_ADDRESS", "address"),
    )


@dataclass(frozen=True)
class TimeLeft:
    days: int
    hours: int
    minutes: int
    closing_soon: bool


def time_left(deadline: dt.datetime | None, now: dt.datetime) -> TimeLeft | None:
    """Whole days, hours and minutes until the deadline; None once it has passed."""
    if deadline is None or deadline <= now:
        return None
    seconds = int((deadline - now).total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    return TimeLeft(days, hours, rest // 60, closing_soon=days < 3)


def qualification_items() -> list[str]:
    return [
        str(QualificationCheck._meta.get_field(name).verbose_name) for name in QUALIFICATION_FIELDS
    ]


def tender_round(*, pk) -> Round:
    """A published round with everything its tender documents print."""
    lots = Lot.objects.select_related("category", "project").prefetch_related(
        Prefetch("project__targets"),
        Prefetch("project__streets"),
    )
    try:
        return (
            Round.objects.filter(published_at__isnull=False)
            .prefetch_related(
                Prefetch("lots", queryset=lots),
                "criteria",
                "tranche_plan",
                "deadline_extensions",
            )
            .get(pk=pk)
        )
    except (Round.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def recent_results(limit: int = 5) -> QuerySet[Notice]:
    """The latest published award notices, newest first."""
    return Notice.objects.select_related("round").order_by("-published_at", "-id")[:limit]
