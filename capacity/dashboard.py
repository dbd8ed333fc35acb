"""Dashboard panel: what needs action in capacity building; and the link to an
organization's record on its profile page."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bidding.models import Round
from organizations.models import Membership
from organizations.rules import memberships_of
from purchase_portal import profile
from purchase_portal.dashboard import Panel, register
from purchase_portal.roles import is_federation_staff, is_officer

from .models import TrainingSession
from .rules import OrgRef, can_view_capacity_record
from .selectors import dashboard as dashboard_selectors

LIMIT = 6

#: The columns ``_session_item`` reads.
SESSION_FIELDS = ("id", "topic", "starts_at")


@dataclass
class Item:
    label: str
    url: str
    meta: str = ""


def _session_item(s: TrainingSession, meta: str = "") -> Item:
    when = f"{timezone.localtime(s.starts_at):%Y-%m-%d %H:%M}"
    return Item(s.topic, reverse("capacity:session-detail", args=[s.pk]), meta or when)


@register
def capacity_panel(request):
    user = request.user
    if not user.is_authenticated:
        return None
    now = timezone.now()
    items: list[Item] = []
    if is_officer(user):
        for s in dashboard_selectors.sessions_to_record(now=now).only(*SESSION_FIELDS)[:LIMIT]:
            items.append(_session_item(s, _("Attendance to record")))
        incubations = dashboard_selectors.incubations_past_end(today=timezone.localdate())
        for i in incubations.only("id", "organization__name")[:LIMIT]:
            items.append(
                Item(
                    i.organization.name,
                    reverse("capacity:incubation-detail", args=[i.pk]),
                    _("Incubation past its planned end"),
                )
            )
    memberships = memberships_of(user)
    if any(role == Membership.Role.ADMIN for role in memberships.values()):
        for s in dashboard_selectors.upcoming_sessions(now=now).only(*SESSION_FIELDS)[:LIMIT]:
            items.append(_session_item(s))
    registrations = dashboard_selectors.upcoming_registrations(user=user, now=now)
    for r in registrations.only(*(f"session__{f}" for f in SESSION_FIELDS))[:LIMIT]:
        items.append(_session_item(r.session, _("You are registered")))
    if not items and not is_officer(user):
        return None
    return Panel(
        title=_("Capacity building"),
        template="capacity/panels/capacity.html",
        context={"items": items},
        order=60,
    )


@profile.register
def record_link(request, organization):
    """The organization's record over the years, on its profile page."""
    if not can_view_capacity_record(request.user, OrgRef(organization.pk)):
        return None
    return profile.ProfileLink(
        title=_("Training, incubation, qualified staff, bids, contracts and grades over the years"),
        url=reverse("capacity:organization-record", args=[organization.pk]),
    )


@profile.register(on=profile.ROUND)
def round_minimum_link(request, round_):
    """The round's minimum of qualified staff (a qualification item), for federation staff."""
    if not is_federation_staff(request.user):
        return None
    minimum = dashboard_selectors.round_staff_minimum(round_id=round_.pk)
    url = reverse("capacity:round-minimum", args=[round_.pk])
    if minimum is not None:
        title = _(
            "Qualified staff required: at least %(n)s certified social workers "
            "(%(m)s at 社会工作师 level or above, %(s)s 高级社会工作师); each bidder's check"
        ) % {
            "n": minimum.min_certified,
            "m": minimum.min_social_workers_or_above,
            "s": minimum.min_senior,
        }
        return profile.ProfileLink(title=title, url=url)
    if is_officer(request.user) and round_.status == Round.Status.DRAFT:
        return profile.ProfileLink(
            title=_("Set a minimum of qualified staff as a qualification item"), url=url
        )
    return None
