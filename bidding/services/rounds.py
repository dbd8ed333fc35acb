"""Every write on a round as a whole: creating and editing drafts, publishing,
cancelling, and closing at the deadline.

A round is edited only while it is a draft. Publishing checks everything that
makes a call valid (``publication_problems``) against the server clock; from
then on the call's terms are fixed and the only change an officer can make is
to cancel it, with a reason. Lots, rubric and tranche plan are set in
``bidding.services.terms``; clarifications in ``bidding.services.clarifications``.

Services that depend on the time take ``now=`` (default: the server clock) so
that tests and demo data can run them at a chosen moment; pages and the API
never pass it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import User
from organizations.selectors import organization_members
from projects.models import PurchaseProject
from projects.services import project_round_left
from purchase_portal import audit
from purchase_portal.calendar import is_workday, period_warning
from purchase_portal.errors import ApplicationError, ConflictError, invalid
from purchase_portal.notifications import notify
from purchase_portal.parsing import integer, money, require_reason

from .. import notice_numbers
from ..models import Bid, Lot, Round
from ..workflows import LOT_WORKFLOW, ROUND_WORKFLOW
from . import sealing
from .common import clock, lock_draft, require_officer
from .terms import rubric_problems, tranche_problems

R = Round.Status
L = Lot.Status

MIN_BIDDING_SUBMISSION_DAYS = 20
MIN_BIDDING_PANEL = 5
MIN_VENTURE_PANEL = 3
VENTURE_DEFAULT_NOTICE_DAYS = 15

ROUND_FIELDS = frozenset(
    {
        "code",
        "title",
        "kind",
        "procurement_method",
        "year",
        "description",
        "eligibility",
        "questions_until",
        "submission_deadline",
        "opening_at",
        "notice_days",
        "min_submission_days",
        "panel_size",
        "venture_cap",
        "welfare_price_deduction",
        "opening_delay_reason",
        "timeline_acknowledged",
    }
)
#: Changing one of these asks for the calendar warnings to be acknowledged again.
TIMELINE_FIELDS = ("questions_until", "submission_deadline", "opening_at")


def round_url(round_: Round, *, public: bool = False) -> str:
    name = "bidding:call-detail" if public else "bidding:round-detail"
    return reverse(name, args=[round_.pk])


# Rounds -----------------------------------------------------------------------


def _next_code(year: int, kind: str) -> str:
    prefix = f"{year}-{'ZB' if kind == Round.Kind.BIDDING else 'CT'}-"
    n = Round.objects.filter(code__startswith=prefix).count() + 1
    while Round.objects.filter(code=f"{prefix}{n:03d}").exists():
        n += 1
    return f"{prefix}{n:03d}"


def _clean_round(data: dict, *, instance: Round | None) -> dict:
    """Check the fields of a draft round; timeline rules relative to the clock wait for publishing."""
    unknown = set(data) - ROUND_FIELDS
    if unknown:
        raise invalid({k: _t("Unknown field.") for k in sorted(unknown)})
    values = dict(data)
    errors: dict[str, str] = {}
    for name in ("title",):
        if name in values or instance is None:
            values[name] = str(values.get(name) or "").strip()
            if not values[name]:
                errors[name] = _t("This field is required.")
    if "timeline_acknowledged" in values:
        values["timeline_acknowledged"] = values["timeline_acknowledged"] is True
    for name in ("description", "eligibility", "opening_delay_reason"):
        if name in values:
            values[name] = str(values[name] or "").strip()
    if "code" in values:
        values["code"] = str(values["code"] or "").strip()
        if values["code"]:
            duplicate = Round.objects.filter(code=values["code"])
            if instance is not None:
                duplicate = duplicate.exclude(pk=instance.pk)
            if duplicate.exists():
                errors["code"] = _t("Another round has this number.")
        elif instance is not None:
            values.pop("code")
    if "kind" in values or instance is None:
        if values.get("kind") not in Round.Kind.values:
            errors["kind"] = _t("Choose a valid kind.")
        elif instance is not None and values["kind"] != instance.kind and instance.lots.exists():
            errors["kind"] = _t("Remove the lots before changing the kind of round.")
    kind = values.get("kind", instance.kind if instance else None)
    if kind == Round.Kind.VENTURE:
        # Venture rounds keep their own rules (公益创投): no procurement method.
        values["procurement_method"] = ""
    elif "procurement_method" in values or (instance is not None and kind != instance.kind):
        method = values.get("procurement_method") or Round.Method.PUBLIC_BIDDING
        if method not in Round.Method.values:
            errors["procurement_method"] = _t("Choose a valid procurement method.")
        values["procurement_method"] = method
    if "year" in values or instance is None:
        year = integer(values.get("year", timezone.localdate().year))
        if year is None or not (2000 <= year <= 2100):
            errors["year"] = _t("Give a plausible year.")
        values["year"] = year
    for name in ("notice_days", "min_submission_days", "panel_size"):
        if name in values:
            number = integer(values[name])
            if number is None or number < 0 or number > 365:
                errors[name] = (
                    _t("Give a whole number of days.")
                    if name != "panel_size"
                    else _t("Give a whole number.")
                )
            values[name] = number
    for name in ("questions_until", "submission_deadline", "opening_at"):
        if name in values and values[name] is not None:
            if not isinstance(values[name], datetime):
                errors[name] = _t("Give a date and time.")
            elif timezone.is_naive(values[name]):
                values[name] = timezone.make_aware(values[name])
    if "venture_cap" in values:
        if values["venture_cap"] in (None, ""):
            values["venture_cap"] = None
        else:
            values["venture_cap"], error = money(values["venture_cap"])
            if error:
                errors["venture_cap"] = error
    if "welfare_price_deduction" in values:
        values["welfare_price_deduction"], error = _percent(values["welfare_price_deduction"])
        if error:
            errors["welfare_price_deduction"] = error
    if kind == Round.Kind.VENTURE:
        # Venture rounds have no price competition, so no price preference.
        values["welfare_price_deduction"] = Decimal(0)
    if kind == Round.Kind.VENTURE and instance is None:
        values.setdefault("notice_days", VENTURE_DEFAULT_NOTICE_DAYS)
        values.setdefault("panel_size", MIN_VENTURE_PANEL)
    if kind == Round.Kind.BIDDING and "venture_cap" in values and values["venture_cap"]:
        errors["venture_cap"] = _t("Only venture rounds have a cap per project.")
    if not errors:
        merged = {f: values.get(f, getattr(instance, f, None)) for f in ROUND_FIELDS}
        errors.update(_field_problems(merged))
    if errors:
        raise invalid(errors)
    return values


def _percent(value) -> tuple[Decimal | None, str | None]:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None, _t("Give a percentage, e.g. 10.")
    if not number.is_finite() or number != number.quantize(Decimal("0.01")):
        return None, _t("Give a percentage with at most 2 decimals.")
    return number, None


def welfare_deduction_problem(value: Decimal | None) -> str | None:
    """The welfare-unit price deduction of a bidding round is 0 (off) or 10–20 %
    (财库〔2017〕141号 treats welfare units as small and micro enterprises; 财库〔2022〕19号
    sets 10–20 % for services)."""
    if value is None or value == 0 or Decimal(10) <= value <= Decimal(20):
        return None
    return _t(
        "For services the deduction is between 10 and 20 % (财库〔2022〕19号); 0 turns it off."
    )


def _field_problems(values: dict) -> dict[str, str]:
    """Rules on the round's own fields that hold in draft as well as at publishing."""
    errors: dict[str, str] = {}
    kind = values.get("kind")
    q, d, o = (
        values.get("questions_until"),
        values.get("submission_deadline"),
        values.get("opening_at"),
    )
    if q and d and not q < d:
        errors["questions_until"] = _t("Questions must close before the submission deadline.")
    if d and o and not d <= o:
        errors["opening_at"] = _t("The opening cannot be before the submission deadline.")
    panel = values.get("panel_size")
    if panel is not None:
        minimum = MIN_BIDDING_PANEL if kind == Round.Kind.BIDDING else MIN_VENTURE_PANEL
        if panel % 2 == 0 or panel < minimum or panel > 25:
            errors["panel_size"] = _t(
                "The panel has an odd number of experts, at least %(n)d and at most 25."
            ) % {"n": minimum}
    if kind == Round.Kind.BIDDING:
        days = values.get("min_submission_days")
        if days is not None and days < MIN_BIDDING_SUBMISSION_DAYS:
            errors["min_submission_days"] = _t(
                "A bidding round gives bidders at least %(n)d days."
            ) % {"n": MIN_BIDDING_SUBMISSION_DAYS}
        if values.get("notice_days") is not None and values["notice_days"] < 1:
            errors["notice_days"] = _t("The public notice lasts at least 1 working day.")
        if d and o and o != d and not (values.get("opening_delay_reason") or "").strip():
            errors["opening_at"] = _t(
                "Public bidding opens at the submission deadline (87号令 Art 40): set the "
                "opening to the deadline or record the reason for a later opening."
            )
        problem = welfare_deduction_problem(values.get("welfare_price_deduction"))
        if problem:
            errors["welfare_price_deduction"] = problem
    elif kind == Round.Kind.VENTURE:
        if values.get("min_submission_days") is not None and values["min_submission_days"] < 1:
            errors["min_submission_days"] = _t("Give bidders at least 1 day.")
        if values.get("notice_days") is not None and values["notice_days"] < 1:
            errors["notice_days"] = _t("The public notice lasts at least 1 day.")
    return errors


def _snapshot(round_: Round) -> dict:
    data = audit.snapshot(round_)
    data.pop("updated_at", None)
    return data


@transaction.atomic
def round_create(*, user: User, data: dict) -> Round:
    require_officer(user)
    values = _clean_round(data, instance=None)
    if not values.get("code"):
        values["code"] = _next_code(values["year"], values["kind"])
    round_ = Round(created_by=user, status=R.DRAFT, **values)
    round_.save()
    audit.record(actor=user, action="round.create", obj=round_, after=_snapshot(round_))
    return round_


@transaction.atomic
def round_update(*, round: Round, user: User, data: dict) -> Round:
    require_officer(user)
    locked = lock_draft(round)
    values = _clean_round(data, instance=locked)
    if "timeline_acknowledged" not in values and any(
        name in values and values[name] != getattr(locked, name) for name in TIMELINE_FIELDS
    ):
        # A new timeline: its calendar warnings are acknowledged afresh.
        values["timeline_acknowledged"] = False
    before = _snapshot(locked)
    for key, value in values.items():
        setattr(locked, key, value)
    locked.save()
    old, new = audit.changed_fields(before, _snapshot(locked))
    if new:
        audit.record(actor=user, action="round.update", obj=locked, before=old, after=new)
    return locked


# Publishing, cancelling, closing ----------------------------------------------


def timeline_warnings(round_: Round, *, now: datetime | None = None) -> dict[str, str]:
    """What the holiday calendar says about the round's timeline: a deadline or an
    opening on a non-working day, and a timeline reaching a year whose arrangement is
    not confirmed (the officer acknowledges these before publishing)."""
    warnings: dict[str, str] = {}
    for field in ("submission_deadline", "opening_at"):
        value = getattr(round_, field)
        if value is not None and not is_workday(value):
            warnings[field] = _t(
                "%(date)s is not a working day. Move it to a working day, or tick the "
                "acknowledgement to keep it."
            ) % {"date": timezone.localtime(value).strftime("%Y-%m-%d")}
    unconfirmed = period_warning(
        round_.published_at or clock(now),
        round_.questions_until,
        round_.submission_deadline,
        round_.opening_at,
    )
    if unconfirmed:
        warnings["timeline_acknowledged"] = unconfirmed
    return warnings


def publication_problems(round_: Round, *, now: datetime | None = None) -> dict[str, list[str]]:
    """Everything that stops a draft round from being published, by field."""
    now = clock(now)
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    values = {f: getattr(round_, f) for f in ROUND_FIELDS}
    for field, message in _field_problems(values).items():
        add(field, message)
    if not round_.timeline_acknowledged:
        for field, message in timeline_warnings(round_, now=now).items():
            add(field, message)
    q, d, o = round_.questions_until, round_.submission_deadline, round_.opening_at
    for field, value in (("questions_until", q), ("submission_deadline", d), ("opening_at", o)):
        if value is None:
            add(field, _t("This field is required."))
    if q is not None and q <= now:
        add("questions_until", _t("Questions must close after publishing."))
    if d is not None:
        minimum = now + timedelta(days=round_.min_submission_days)
        if d < minimum:
            add(
                "submission_deadline",
                _t(
                    "The deadline must be at least %(n)d days after publishing (on or after %(date)s)."
                )
                % {
                    "n": round_.min_submission_days,
                    "date": timezone.localtime(minimum).strftime("%Y-%m-%d %H:%M"),
                },
            )
    if round_.kind == Round.Kind.VENTURE and round_.venture_cap is None:
        add("venture_cap", _t("Set the cap per venture project."))
    lots = list(round_.lots.select_related("project"))
    if not lots:
        add("lots", _t("Add at least one lot."))
    for lot in lots:
        if round_.is_bidding:
            if lot.project is None or lot.project.status != PurchaseProject.Status.APPROVED:
                add("lots", _t("Lot %(n)d: the project is not approved.") % {"n": lot.number})
            elif lot.cap > lot.project.budget_ceiling:
                add(
                    "lots",
                    _t("Lot %(n)d: the cap exceeds the project's budget ceiling.")
                    % {"n": lot.number},
                )
        elif round_.venture_cap is not None and lot.cap > round_.venture_cap:
            add(
                "lots",
                _t("Lot %(n)d: the cap exceeds the cap per venture project.") % {"n": lot.number},
            )
    criteria = [{"kind": c.kind, "max_points": c.max_points} for c in round_.criteria.all()]
    for message in rubric_problems(round_, criteria):
        add("criteria", message)
    tranches = [{"share": t.share} for t in round_.tranche_plan.all()]
    for message in tranche_problems(tranches):
        add("tranche_plan", message)
    for message in sealing.key_holder_problems(round_):
        add("key_holders", message)
    return problems


@transaction.atomic
def round_publish(*, round: Round, user: User, now: datetime | None = None) -> Round:
    """Publish a draft round as a call for bids, once every rule holds; the round
    gets its key pair, split among its opening officers (``services.sealing``)."""
    now = clock(now)

    def guard(locked: Round) -> None:
        problems = publication_problems(locked, now=now)
        if problems:
            raise ApplicationError(
                _("The round cannot be published yet."), code="not_publishable", fields=problems
            )

    def changes(locked: Round) -> dict:
        year = timezone.localtime(now).year
        number = locked.notice_number or notice_numbers.next_number(Round.objects.all(), year)
        return {"published_at": now, "notice_number": number}

    published = ROUND_WORKFLOW.run("publish", obj=round, user=user, guard=guard, changes=changes)
    sealing.round_seal_create(round=published, now=now)
    return published


@transaction.atomic
def round_cancel(*, round: Round, user: User, reason: str) -> Round:
    """Cancel a round (with a reason shown publicly); its open lots are cancelled too."""
    reason = require_reason(reason)
    cancelled = ROUND_WORKFLOW.run(
        "cancel", obj=round, user=user, changes={"status_reason": reason}
    )
    for lot in Lot.objects.filter(round=cancelled, status__in=[L.OPEN, L.IN_REVIEW]):
        LOT_WORKFLOW.run("cancel", obj=lot, user=user, changes={"status_reason": reason})
        if lot.project_id is not None:
            project_round_left(project_id=lot.project_id)
    bidders = Bid.objects.filter(lot__round=cancelled).values_list("organization_id", flat=True)
    notify(
        recipients=organization_members(set(bidders)),
        kind="round.cancelled",
        title=lambda: (
            _t("Round cancelled: %(code)s %(title)s")
            % {
                "code": cancelled.code,
                "title": cancelled.title,
            }
        ),
        body=reason,
        url=round_url(cancelled, public=True),
        obj=cancelled,
    )
    return cancelled


def round_close(
    *, round: Round, user: User | None = None, now: datetime | None = None, system: bool = False
) -> Round:
    """Close a published round once its submission deadline has passed (server clock)."""
    now = clock(now)

    def guard(locked: Round) -> None:
        if locked.submission_deadline is None or now < locked.submission_deadline:
            raise ConflictError(
                _("The submission deadline has not passed yet."), code="deadline_not_reached"
            )

    return ROUND_WORKFLOW.run(
        "close",
        obj=round,
        user=user,
        guard=guard,
        changes={"closed_at": now},
        system=system,
    )


def close_due_rounds(*, now: datetime | None = None) -> list[int]:
    """Close every published round whose deadline has passed; running twice is harmless."""
    now = clock(now)
    closed = []
    due = Round.objects.filter(status=R.PUBLISHED, submission_deadline__lte=now).order_by("pk")
    for round_ in due:
        try:
            round_close(round=round_, now=now, system=True)
        except ConflictError:
            continue  # closed meanwhile (another worker or an officer)
        closed.append(round_.pk)
    return closed
