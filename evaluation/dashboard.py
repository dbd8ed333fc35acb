"""Dashboard panels of evaluation: the evaluator's assignments, the
officer's evaluations to plan, decide and follow up, the organization's
evaluations to respond to."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from contracts.dashboard import Item, Section
from organizations.rules import memberships_of
from purchase_portal import profile
from purchase_portal.dashboard import Panel, register
from purchase_portal.roles import Role, has_role, is_officer

from .models import Evaluation
from .selectors import assigned_evaluations, dashboard_evaluations

LIMIT = 8
S = Evaluation.Status

#: The columns ``_item`` reads: a section loads nothing else.
ITEM_FIELDS = ("id", "stage", "status", "due_date", "contract__number")


def _item(e: Evaluation) -> Item:
    return Item(
        f"{e.contract.number} {e.get_stage_display()}",
        reverse("evaluation:detail", args=[e.pk]),
        f"{e.get_status_display()} · {e.due_date:%Y-%m-%d}",
    )


def _section(heading, qs, more_url="", count: int | None = None) -> Section | None:
    """The first rows of ``qs`` and their total. A ``count`` already known
    spares the count query, and the rows query too when it is 0."""
    if count == 0:
        return None
    qs = qs.only(*ITEM_FIELDS)
    rows = list(qs[: LIMIT + 1])
    if not rows:
        return None
    if count is None:
        count = len(rows) if len(rows) <= LIMIT else qs.count()
    return Section(heading, [_item(r) for r in rows[:LIMIT]], count, more_url)


def _panel(title, sections, order) -> Panel | None:
    sections = [s for s in sections if s is not None]
    if not sections:
        return None
    return Panel(
        title=title,
        template="contracts/panels/sections.html",
        context={"sections": sections},
        order=order,
    )


@register
def evaluator_panel(request):
    user = request.user
    if not user.is_authenticated:
        return None
    mine = assigned_evaluations(user=user)
    to_start = [S.PLANNED, S.RETURNED]
    # One small query tells how many each section holds; most users (every
    # officer, every organization member) have none, and stop there.
    per_status = dict(
        mine.filter(status__in=[*to_start, S.IN_PROGRESS, S.SUBMITTED])
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    more = reverse("evaluation:list")
    panel = _panel(
        _("My evaluation assignments"),
        [
            _section(
                _("To start"),
                mine.filter(status__in=to_start),
                more,
                sum(per_status.get(s, 0) for s in to_start),
            ),
            _section(
                _("In progress"),
                mine.filter(status=S.IN_PROGRESS),
                more,
                per_status.get(S.IN_PROGRESS, 0),
            ),
            _section(
                _("Submitted, awaiting the decision"),
                mine.filter(status=S.SUBMITTED),
                more,
                per_status.get(S.SUBMITTED, 0),
            ),
        ],
        45,
    )
    if panel is None and has_role(user, Role.EVALUATOR):
        # An evaluator always finds the panel, with nothing in it for now.
        panel = Panel(
            title=_("My evaluation assignments"),
            template="contracts/panels/sections.html",
            context={"sections": [], "empty": _("No evaluation is assigned to you right now.")},
            order=45,
        )
    return panel


@register
def officer_panel(request):
    if not is_officer(request.user):
        return None
    more = reverse("evaluation:list")
    return _panel(
        _("Evaluations"),
        [
            _section(
                _("Submitted, to decide"),
                dashboard_evaluations()
                .filter(status=S.SUBMITTED)
                .exclude(submitted_by=request.user),
                f"{more}?status=submitted",
            ),
            _section(
                _("Not yet assigned"),
                dashboard_evaluations().filter(
                    status=S.PLANNED, evaluator_organization__isnull=True, members__isnull=True
                ),
                f"{more}?status=planned",
            ),
            _section(
                _("Failed, to follow up"),
                dashboard_evaluations().filter(status=S.APPROVED, passed=False, follow_up=""),
                f"{more}?status=approved",
            ),
        ],
        46,
    )


@register
def organization_panel(request):
    orgs = list(memberships_of(request.user))
    if not orgs:
        return None
    return _panel(
        _("Evaluations of your contracts"),
        [
            _section(
                _("Approved, you may respond"),
                dashboard_evaluations().filter(
                    contract__organization_id__in=orgs, status=S.APPROVED, responded_at__isnull=True
                ),
                reverse("evaluation:list"),
            )
        ],
        47,
    )


@profile.register
def grade_history_link(request, organization):
    """The organization's evaluation history, on its profile page, for the
    people who may see it (federation staff, experts reviewing its bids)."""
    from .selectors import can_see_grade_history

    if not request.user.is_authenticated or not can_see_grade_history(
        request.user, organization.pk
    ):
        return None
    return profile.ProfileLink(
        title=_("Evaluation history"),
        url=reverse("evaluation:grade-history", args=[organization.pk]),
    )
