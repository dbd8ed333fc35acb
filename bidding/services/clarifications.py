"""Clarifications: members of verified social organizations ask questions until
``questions_until`` (server clock); officers answer before the submission deadline;
answers are published to everyone without the asker's identity. An answer that
affects the preparation of bids less than 15 days before the deadline postpones it,
and an officer may extend a published deadline with a reason (87号令 Art 27)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, User
from organizations.rules import is_org_member
from organizations.selectors import organization_members
from purchase_portal import audit
from purchase_portal.errors import ConflictError, NotFoundError, PermissionDeniedError, invalid
from purchase_portal.notifications import notify
from purchase_portal.roles import Role, users_with_role

from ..models import Bid, Clarification, DeadlineExtension, Round
from .common import check_bidder, clock, require_officer, single_verified_organization

R = Round.Status

#: Days bidders keep after a clarification or change that affects the preparation of
#: bids (政府采购货物和服务招标投标管理办法, 财政部令第87号, Art 27).
MIN_DAYS_AFTER_CHANGE = 15


@transaction.atomic
def clarification_ask(
    *,
    round: Round,
    user: User,
    question: str,
    organization: Organization | None = None,
    now: datetime | None = None,
) -> Clarification:
    """A member of a verified organization asks a question until ``questions_until``."""
    now = clock(now)
    question = (question or "").strip()
    if organization is None:
        organization = single_verified_organization(user)
    if not is_org_member(user, organization):
        raise PermissionDeniedError(_("Only members of an organization can ask questions."))
    check_bidder(organization)
    round_ = Round.objects.get(pk=round.pk)
    if (
        round_.status != R.PUBLISHED
        or round_.questions_until is None
        or now >= round_.questions_until
    ):
        raise ConflictError(_("Questions for this round are closed."), code="questions_closed")
    if not question:
        raise invalid({"question": _t("Write your question.")})
    if len(question) > 5000:
        raise invalid({"question": _t("Keep the question under 5,000 characters.")})
    clarification = Clarification.objects.create(
        round=round_, organization=organization, asked_by=user, question=question
    )
    audit.record(
        actor=user,
        action="clarification.ask",
        obj=clarification,
        after={"round": round_.pk, "organization": organization.pk, "question": question},
    )
    notify(
        recipients=users_with_role(Role.OFFICER),
        kind="clarification.asked",
        title=lambda: _t("New question on %(code)s") % {"code": round_.code},
        body=question,
        url=reverse("bidding:round-questions", args=[round_.pk]),
        obj=clarification,
    )
    return clarification


@transaction.atomic
def clarification_answer(
    *,
    clarification: Clarification,
    user: User,
    answer: str,
    affects_bids: bool = False,
    now: datetime | None = None,
) -> Clarification:
    """An officer answers before the submission deadline; the answer is public, the
    asker is never named. An answer that affects the preparation of bids, given less
    than 15 days before the deadline, postpones the deadline to 15 days after the
    answer (87号令 Art 27)."""
    require_officer(user)
    now = clock(now)
    answer = (answer or "").strip()
    if not answer:
        raise invalid({"answer": _t("Write the answer.")})
    locked = (
        Clarification.objects.select_for_update().select_related("round").get(pk=clarification.pk)
    )
    round_ = Round.objects.select_for_update().get(pk=locked.round_id)
    if round_.status in (R.DRAFT, R.CANCELLED):
        raise ConflictError(_("This round takes no answers."), code="round_closed")
    if (
        round_.status != R.PUBLISHED
        or round_.submission_deadline is None
        or now >= round_.submission_deadline
    ):
        raise ConflictError(
            _("Clarifications are answered before the submission deadline only (87号令 Art 27)."),
            code="deadline_passed",
        )
    before = {"answer": locked.answer}
    locked.answer = answer
    locked.answered_at = now
    locked.answered_by = user
    locked.save(update_fields=["answer", "answered_at", "answered_by"])
    audit.record(
        actor=user,
        action="clarification.answer",
        obj=locked,
        before=before,
        after={"answer": answer, "affects_bids": bool(affects_bids)},
    )
    bidders = set(Bid.objects.filter(lot__round=round_).values_list("organization_id", flat=True))
    bidders.add(locked.organization_id)
    notify(
        recipients=organization_members(bidders),
        kind="clarification.answered",
        title=lambda: _t("A question on %(code)s has been answered") % {"code": round_.code},
        body=answer,
        url=reverse("bidding:call-clarifications", args=[round_.pk]),
        obj=locked,
    )
    earliest = now + timedelta(days=MIN_DAYS_AFTER_CHANGE)
    if affects_bids and round_.submission_deadline < earliest:
        # Stored and published: in the portal's language, not the officer's.
        with translation.override(settings.LANGUAGE_CODE):
            reason = _t(
                "A clarification affecting the preparation of bids was published less than "
                "15 days before the deadline (87号令 Art 27)."
            )
        _postpone(round_, user=user, deadline=earliest, reason=reason, now=now)
    return locked


@transaction.atomic
def round_extend_deadline(
    *,
    round: Round,
    user: User,
    deadline: datetime | None,
    reason: str,
    now: datetime | None = None,
) -> Round:
    """An officer extends the deadline of a call still open for bids, with a reason
    (87号令 Art 27). Every organization with a bid on the round, submitted or draft,
    is notified; submitted bids stay sealed and valid."""
    require_officer(user)
    now = clock(now)
    locked = Round.objects.select_for_update().get(pk=round.pk)
    if (
        locked.status != R.PUBLISHED
        or locked.submission_deadline is None
        or now >= locked.submission_deadline
    ):
        raise ConflictError(
            _("Only the deadline of a call still open for bids can be extended."),
            code="deadline_not_extendable",
        )
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _t("Give the reason for the extension.")
    if not isinstance(deadline, datetime):
        errors["deadline"] = _t("Give a date and time.")
    else:
        if timezone.is_naive(deadline):
            deadline = timezone.make_aware(deadline)
        if deadline <= locked.submission_deadline:
            errors["deadline"] = _t("The new deadline must be later than the current one.")
    if errors:
        raise invalid(errors)
    return _postpone(locked, user=user, deadline=deadline, reason=reason, now=now)


def _postpone(
    locked: Round, *, user: User, deadline: datetime, reason: str, now: datetime
) -> Round:
    """Move the deadline (and the opening with it) of a locked round; bids untouched."""
    DeadlineExtension.objects.create(
        round=locked,
        previous_deadline=locked.submission_deadline,
        new_deadline=deadline,
        reason=reason,
        created_by=user,
        created_at=now,
    )
    delta = deadline - locked.submission_deadline
    before = {
        "submission_deadline": locked.submission_deadline.isoformat(),
        "opening_at": locked.opening_at.isoformat() if locked.opening_at else None,
    }
    locked.submission_deadline = deadline
    if locked.opening_at is not None:
        locked.opening_at = locked.opening_at + delta
    locked.save(update_fields=["submission_deadline", "opening_at", "updated_at"])
    audit.record(
        actor=user,
        action="round.deadline_extended",
        obj=locked,
        before=before,
        after={
            "submission_deadline": locked.submission_deadline.isoformat(),
            "opening_at": locked.opening_at.isoformat() if locked.opening_at else None,
            "reason": reason,
        },
    )
    organizations = set(
        Bid.objects.filter(lot__round=locked).values_list("organization_id", flat=True)
    )
    when = timezone.localtime(locked.submission_deadline).strftime("%Y-%m-%d %H:%M")
    notify(
        recipients=organization_members(organizations),
        kind="round.deadline_extended",
        title=lambda: (
            _t("The deadline of %(code)s is now %(when)s") % {"code": locked.code, "when": when}
        ),
        body=lambda: (
            _t(
                "%(reason)s Bids already submitted stay sealed and valid; you may withdraw and "
                "resubmit until the new deadline."
            )
            % {"reason": reason}
        ),
        url=reverse("bidding:call-detail", args=[locked.pk]),
        obj=locked,
    )
    return locked


def find_clarification(*, round: Round, pk) -> Clarification:
    try:
        return Clarification.objects.select_related("round").get(round=round, pk=pk)
    except (Clarification.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None
