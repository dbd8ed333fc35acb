"""Incubation (孵化): entering, milestones, support, mentoring logs, outcome."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t

from organizations.models import Organization, User
from organizations.selectors import organization_admins
from purchase_portal import audit
from purchase_portal.errors import ConflictError, PermissionDeniedError, invalid
from purchase_portal.notifications import notify
from purchase_portal.roles import is_officer

from ..models import Incubation, IncubationMilestone, IncubationSupport, MentoringLog
from ..rules import can_write_mentoring_log
from ..workflows import INCUBATION_WORKFLOW
from .common import date, decimal, text

I = Incubation.Status  # noqa: E741
MAX_SEED_FUNDING = Decimal("10000000")


def incubation_url(incubation: Incubation) -> str:
    return reverse("capacity:incubation-detail", args=[incubation.pk])


def _milestones(items, started_on, planned_end_on, errors: dict) -> list[tuple[str, dt.date]]:
    rows, problems = [], []
    for i, item in enumerate(items or [], start=1):
        title = (item.get("title") or "").strip() if isinstance(item, dict) else ""
        due = item.get("due_on") if isinstance(item, dict) else None
        if not title:
            problems.append(_t("Milestone %(i)s: give it a title.") % {"i": i})
        if not isinstance(due, dt.date):
            problems.append(_t("Milestone %(i)s: give a due date.") % {"i": i})
        elif (
            isinstance(started_on, dt.date)
            and isinstance(planned_end_on, dt.date)
            and not started_on <= due <= planned_end_on
        ):
            problems.append(
                _t("Milestone %(i)s: the due date must fall within the incubation period.")
                % {"i": i}
            )
        rows.append((title[:200], due))
    if not rows:
        problems.append(_t("The plan needs at least one milestone."))
    if problems:
        errors["milestones"] = problems
    return rows


@transaction.atomic
def incubation_create(
    *,
    user: User,
    organization: Organization,
    mentor_user: User | None = None,
    mentor_organization: Organization | None = None,
    plan: str,
    started_on,
    planned_end_on,
    milestones: list[dict],
) -> Incubation:
    """An officer enters an organization into incubation with a mentor and a plan."""
    if not is_officer(user):
        raise PermissionDeniedError()
    errors: dict = {}
    plan = text(plan, "plan", errors)
    started_on = date(started_on, "started_on", errors)
    planned_end_on = date(planned_end_on, "planned_end_on", errors)
    if started_on and planned_end_on and planned_end_on <= started_on:
        errors["planned_end_on"] = [_t("The planned end must come after the start.")]
    if mentor_user is None and mentor_organization is None:
        errors["mentor_user"] = [_t("Name a mentor: a person or an established organization.")]
    if mentor_organization is not None and mentor_organization.pk == organization.pk:
        errors["mentor_organization"] = [_t("An organization cannot mentor itself.")]
    if organization.category != Organization.Category.SOCIAL:
        errors["organization"] = [_t("Only social organizations are incubated.")]
    rows = _milestones(milestones, started_on, planned_end_on, errors)
    if errors:
        raise invalid(errors)
    Organization.objects.select_for_update().get(pk=organization.pk)
    if Incubation.objects.filter(organization=organization, status=I.INCUBATING).exists():
        raise ConflictError(
            _t("This organization is already in incubation."), code="already_incubating"
        )
    incubation = Incubation.objects.create(
        organization=organization,
        mentor_user=mentor_user,
        mentor_organization=mentor_organization,
        plan=plan,
        started_on=started_on,
        planned_end_on=planned_end_on,
        status=I.INCUBATING,
        created_by=user,
    )
    IncubationMilestone.objects.bulk_create(
        IncubationMilestone(incubation=incubation, title=title, due_on=due) for title, due in rows
    )
    audit.record(
        actor=user,
        action="incubation.create",
        obj=incubation,
        after={**audit.snapshot(incubation), "milestones": [[t, d] for t, d in rows]},
    )
    recipients = list(organization_admins(organization.pk))
    if mentor_user is not None:
        recipients.append(mentor_user)
    if mentor_organization is not None:
        recipients.extend(organization_admins(mentor_organization.pk))
    notify(
        recipients=recipients,
        kind="incubation.started",
        title=lambda: _t("%(org)s has entered incubation") % {"org": organization.name},
        url=incubation_url(incubation),
        obj=incubation,
    )
    return incubation


@transaction.atomic
def milestone_achieve(
    *, user: User, milestone: IncubationMilestone, achieved_on
) -> IncubationMilestone:
    incubation = Incubation.objects.select_for_update().get(pk=milestone.incubation_id)
    if not (is_officer(user) or can_write_mentoring_log(user, incubation)):
        raise PermissionDeniedError()
    if incubation.status != I.INCUBATING:
        raise ConflictError(_t("The incubation has ended."), code="incubation_ended")
    errors: dict = {}
    achieved_on = date(achieved_on, "achieved_on", errors)
    if achieved_on and not incubation.started_on <= achieved_on <= timezone.localdate():
        errors["achieved_on"] = [
            _t("The date must fall between the start of the incubation and today.")
        ]
    if errors:
        raise invalid(errors)
    before = audit.snapshot(milestone, ["achieved_on"])
    milestone.achieved_on = achieved_on
    milestone.save(update_fields=["achieved_on"])
    audit.record(
        actor=user,
        action="incubation.milestone_achieved",
        obj=milestone,
        before=before,
        after=audit.snapshot(milestone, ["achieved_on"]),
    )
    return milestone


@transaction.atomic
def support_record(
    *, user: User, incubation: Incubation, kind: str, given_on, description: str, amount=None
) -> IncubationSupport:
    if not is_officer(user):
        raise PermissionDeniedError()
    locked = Incubation.objects.select_for_update().get(pk=incubation.pk)
    errors: dict = {}
    if kind not in IncubationSupport.Kind.values:
        errors["kind"] = [_t("Choose the kind of support.")]
    given_on = date(given_on, "given_on", errors)
    if given_on and not locked.started_on <= given_on <= timezone.localdate():
        errors["given_on"] = [
            _t("The date must fall between the start of the incubation and today.")
        ]
    description = text(description, "description", errors, max_length=300)
    money = None
    if amount not in (None, ""):
        money = decimal(
            amount, "amount", errors, minimum=Decimal(0), maximum=MAX_SEED_FUNDING, places=2
        )
    elif kind == IncubationSupport.Kind.SEED_FUNDING:
        errors["amount"] = [_t("Enter the amount of seed funding.")]
    if errors:
        raise invalid(errors)
    support = IncubationSupport.objects.create(
        incubation=locked,
        kind=kind,
        given_on=given_on,
        description=description,
        amount=money,
        recorded_by=user,
    )
    audit.record(
        actor=user, action="incubation.support", obj=support, after=audit.snapshot(support)
    )
    return support


@transaction.atomic
def mentoring_log_create(
    *, user: User, incubation: Incubation, held_on, hours, topic: str, notes: str = ""
) -> MentoringLog:
    """The mentor (or an officer on their behalf) records a mentoring meeting."""
    locked = Incubation.objects.select_for_update().get(pk=incubation.pk)
    if not can_write_mentoring_log(user, locked):
        raise PermissionDeniedError()
    if locked.status != I.INCUBATING:
        raise ConflictError(_t("The incubation has ended."), code="incubation_ended")
    errors: dict = {}
    held_on = date(held_on, "held_on", errors)
    if held_on and not locked.started_on <= held_on <= timezone.localdate():
        errors["held_on"] = [
            _t("The date must fall between the start of the incubation and today.")
        ]
    hours = decimal(hours, "hours", errors, minimum=Decimal(0), maximum=Decimal(24), places=1)
    topic = text(topic, "topic", errors, max_length=200)
    notes = text(notes, "notes", errors, required=False)
    if errors:
        raise invalid(errors)
    log = MentoringLog.objects.create(
        incubation=locked, author=user, held_on=held_on, hours=hours, topic=topic, notes=notes
    )
    audit.record(actor=user, action="incubation.mentoring_log", obj=log, after=audit.snapshot(log))
    return log


def _end(name: str, *, user: User, incubation: Incubation, ended_on, reason: str) -> Incubation:
    if not INCUBATION_WORKFLOW[name].permits(user, incubation):
        raise PermissionDeniedError()
    errors: dict = {}
    ended_on = date(ended_on, "ended_on", errors)
    reason = text(reason, "reason", errors, required=name == "withdraw")
    if ended_on and ended_on > timezone.localdate():
        errors["ended_on"] = [_t("The date cannot be in the future.")]
    if errors:
        raise invalid(errors)

    def guard(locked: Incubation) -> None:
        if ended_on < locked.started_on:
            raise invalid({"ended_on": [_t("The date cannot be before the start.")]})
        if name == "graduate" and locked.milestones.filter(achieved_on__isnull=True).exists():
            raise ConflictError(
                _t("Every milestone of the plan must be achieved before graduation."),
                code="milestones_open",
            )

    def notify_parties(locked: Incubation) -> None:
        notify(
            recipients=organization_admins(locked.organization_id),
            kind=f"incubation.{name}",
            title=lambda: (
                (
                    _t("%(org)s has graduated from incubation")
                    if name == "graduate"
                    else _t("The incubation of %(org)s has ended")
                )
                % {"org": locked.organization.name}
            ),
            url=incubation_url(locked),
            obj=locked,
        )

    return INCUBATION_WORKFLOW.run(
        name,
        obj=incubation,
        user=user,
        guard=guard,
        changes={"ended_on": ended_on, "end_reason": reason},
        notify=notify_parties,
    )


def incubation_graduate(
    *, user: User, incubation: Incubation, ended_on, reason: str = ""
) -> Incubation:
    return _end("graduate", user=user, incubation=incubation, ended_on=ended_on, reason=reason)


def incubation_withdraw(*, user: User, incubation: Incubation, ended_on, reason: str) -> Incubation:
    return _end("withdraw", user=user, incubation=incubation, ended_on=ended_on, reason=reason)
