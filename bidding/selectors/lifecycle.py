"""Where a round and a bid stand: the round's lifecycle timeline, the steps of
setting a round up and the tasks of preparing a bid.

The pure functions (``round_milestones``, ``setup_steps``, ``bid_tasks``) read
the fields they are given and nothing else, so the page, and a test, can feed
them what they like; ``round_lifecycle`` fetches what the timeline needs
(the latest notice and the award dates) in two queries.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t

from purchase_portal import steps

from ..models import Award, Bid, Notice, Round

R = Round.Status

#: How far a round has gone, by status (cancelled is handled apart).
STATUS_RANK = {
    R.DRAFT: 0,
    R.PUBLISHED: 1,
    R.CLOSED: 2,
    R.OPENED: 3,
    R.IN_REVIEW: 4,
    R.AWARDED: 5,
    R.NOTICE: 6,
    R.FINAL: 7,
}


def round_milestones(
    round_: Round,
    *,
    notice: Notice | None = None,
    awards_confirmed_at: datetime | None = None,
    awards_final_at: datetime | None = None,
    now: datetime | None = None,
) -> list[steps.Milestone]:
    """The round's lifecycle: the steps taken with their dates, the step it waits
    for now, and the steps ahead with their due dates where the round has them
    (questions, deadline, opening, end of the notice and of the objection window)."""
    now = now or timezone.now()
    rank = STATUS_RANK.get(round_.status, 0)
    published = round_.published_at is not None

    def passed(moment: datetime | None) -> bool:
        return published and moment is not None and moment <= now

    notice_note = ""
    if round_.is_bidding:
        notice_note = _t("%(n)d working days (87号令 Art 64)") % {"n": round_.notice_days}
    else:
        notice_note = _t("%(n)d days") % {"n": round_.notice_days}
    items = [
        (_t("Round set up"), round_.created_at, round_.created_at, True, ""),
        (_t("Call published"), round_.published_at, None, published or rank >= 1, ""),
        (
            _t("Questions close"),
            round_.questions_until,
            round_.questions_until,
            passed(round_.questions_until) or rank >= 2,
            "",
        ),
        (
            _t("Submission deadline"),
            round_.submission_deadline,
            round_.submission_deadline,
            passed(round_.submission_deadline) or rank >= 2,
            _t("nothing can be submitted or changed afterwards"),
        ),
        (
            _t("Bids opened"),
            round_.opened_at or round_.opening_at,
            round_.opening_at,
            round_.opened_at is not None or rank >= 3,
            "",
        ),
        (_t("Qualification and expert review"), None, None, rank >= 5, ""),
        (_t("Awards confirmed"), awards_confirmed_at, None, rank >= 5, ""),
        (
            _t("Public notice published"),
            notice.published_at if notice else None,
            None,
            notice is not None or rank >= 6,
            notice_note,
        ),
        (
            _t("Notice period ends"),
            notice.ends_at if notice else None,
            notice.ends_at if notice else None,
            (notice is not None and notice.ends_at <= now) or rank >= 7,
            "",
        ),
        (
            _t("Objection window ends"),
            notice.objections_until if notice else None,
            notice.objections_until if notice else None,
            (
                notice is not None
                and notice.objections_until is not None
                and notice.objections_until <= now
            )
            or rank >= 7,
            _t("the 7th working day after the notice ends (政府采购法 Art 52)"),
        ),
        (_t("Awards final; contracts drafted"), awards_final_at, None, rank >= 7, ""),
    ]
    stopped = None
    if round_.status == R.CANCELLED:
        stopped = (_t("Cancelled"), round_.updated_at, round_.status_reason)
    return steps.timeline(items, stopped=stopped)


def round_lifecycle(*, round: Round, now: datetime | None = None) -> list[steps.Milestone]:
    """The timeline of a round the caller may see (two queries)."""
    notice = Notice.objects.filter(round=round).order_by("-published_at", "-pk").first()
    dates = Award.objects.filter(lot__round=round).aggregate(
        confirmed=Max("confirmed_at", filter=~Q(status=Award.Status.REVOKED)),
        final=Max("final_at", filter=Q(status=Award.Status.FINAL)),
    )
    return round_milestones(
        round,
        notice=notice,
        awards_confirmed_at=dates["confirmed"],
        awards_final_at=dates["final"],
        now=now,
    )


# Setting a round up -----------------------------------------------------------------

#: The set-up steps, with the fields of ``publication_problems`` each one owns.
SETUP_STEPS = (
    ("details", {"title", "code", "kind", "procurement_method", "year", "venture_cap"}),
    ("lots", {"lots"}),
    ("rubric", {"criteria"}),
    (
        "timeline",
        {
            "questions_until",
            "submission_deadline",
            "opening_at",
            "opening_delay_reason",
            "notice_days",
            "min_submission_days",
            "timeline_acknowledged",
        },
    ),
    ("panel", {"panel_size", "welfare_price_deduction"}),
    ("tranches", {"tranche_plan"}),
    ("publish", {"key_holders"}),
)


def setup_step_labels() -> dict[str, str]:
    return {
        "details": _t("Details"),
        "lots": _t("Lots"),
        "rubric": _t("Rubric"),
        "timeline": _t("Timeline"),
        "panel": _t("Panel and price rules"),
        "tranches": _t("Payment tranches"),
        "publish": _t("Check and publish"),
    }


def setup_steps(
    round_: Round | None, *, current: str, problems: dict[str, list[str]] | None = None
) -> list[steps.Step]:
    """The steps of setting a round up, each done when ``publication_problems``
    has nothing against its fields (the last once the round is published)."""
    labels = setup_step_labels()
    problems = problems or {}
    result = []
    for key, fields in SETUP_STEPS:
        if round_ is None:
            url = reverse("bidding:round-create") if key == "details" else ""
            done = False
        else:
            url = setup_url(round_, key)
            done = (
                round_.status != R.DRAFT
                if key == "publish"
                else round_.status != R.DRAFT or not (fields & set(problems))
            )
        result.append(steps.Step(key, labels[key], url, done, current=key == current))
    return result


def setup_url(round_: Round, key: str) -> str:
    if key in ("details", "timeline", "panel"):
        return reverse("bidding:round-edit", args=[round_.pk]) + f"?step={key}"
    if key == "publish":
        return reverse("bidding:round-detail", args=[round_.pk])
    return reverse(
        {"lots": "bidding:round-lots", "rubric": "bidding:round-rubric"}.get(
            key, "bidding:round-tranches"
        ),
        args=[round_.pk],
    )


def next_setup_step(key: str) -> str | None:
    keys = [k for k, _f in SETUP_STEPS]
    index = keys.index(key)
    return keys[index + 1] if index + 1 < len(keys) else None


# Preparing a bid --------------------------------------------------------------------


def bid_tasks(bid: Bid, *, problems: dict[str, list[str]], editable: bool) -> list[steps.Task]:
    """The checklist of ``submission_problems`` as a task list: each part of the
    bid not started, in progress or completed; submitting cannot start while any
    part is missing, and is completed once the bid is submitted."""
    edit = reverse("bidding:bid-edit", args=[bid.pk]) if editable else ""
    round_ = bid.lot.round
    submitted = bid.submitted_at is not None and bid.status != Bid.Status.DRAFT

    def status(keys: tuple[str, ...], started: bool) -> str:
        if submitted or not any(k in problems for k in keys):
            return steps.COMPLETED
        return steps.IN_PROGRESS if started else steps.NOT_STARTED

    def hints(*keys: str) -> tuple[str, ...]:
        return tuple(str(m) for k in keys for m in problems.get(k, []))

    price_keys = ("price", "proposal_title") if not round_.is_bidding else ("price",)
    price_label = _t("Price") if round_.is_bidding else _t("Project title and funding requested")
    tasks = [
        steps.Task(
            "organization",
            _t("Your organization is verified"),
            steps.COMPLETED if "organization" not in problems else steps.CANNOT_START,
            "",
            hints("organization"),
        ),
        steps.Task(
            "price",
            price_label,
            status(price_keys, bid.price is not None or bool(bid.proposal_title)),
            edit + "#fields-heading" if edit else "",
            hints(*price_keys),
        ),
        steps.Task(
            "plan",
            _t("Service plan and team"),
            status(("service_plan", "team"), bool(bid.service_plan or bid.team)),
            edit + "#fields-heading" if edit else "",
            hints("service_plan", "team"),
        ),
        steps.Task(
            "budget",
            _t("Budget lines"),
            status(("budget_lines",), bool(bid.budget_lines.all())),
            edit + "#lines-heading" if edit else "",
            hints("budget_lines"),
        ),
        steps.Task(
            "targets",
            _t("Performance targets"),
            status(("targets",), False),
            edit + "#targets-heading" if edit else "",
            hints("targets"),
        ),
    ]
    if submitted:
        submit_status = steps.COMPLETED
    elif problems:
        submit_status = steps.CANNOT_START
    else:
        submit_status = steps.NOT_STARTED
    tasks.append(
        steps.Task(
            "submit",
            _t("Submit the bid before the deadline"),
            submit_status,
            "#submit-bid" if submit_status == steps.NOT_STARTED else "",
        )
    )
    return tasks
