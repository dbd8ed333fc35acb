"""Clarifications: members of verified social organizations ask questions until
``questions_until`` (server clock); officers answer; answers are published to
everyone without the asker's identity."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, User
from organizations.rules import is_org_member
from organizations.selectors import organization_members
from purchase_portal import audit
from purchase_portal.errors import ConflictError, NotFoundError, PermissionDeniedError, invalid
from purchase_portal.notifications import notify
from purchase_portal.roles import Role, users_with_role

from ..models import Bid, Clarification, Round
from .common import check_bidder, clock, require_officer, single_verified_organization

R = Round.Status


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
        title=_t("New question on %(code)s") % {"code": round_.code},
        body=question,
        url=reverse("bidding:round-questions", args=[round_.pk]),
        obj=clarification,
    )
    return clarification


@transaction.atomic
def clarification_answer(*, clarification: Clarification, user: User, answer: str) -> Clarification:
    """An officer answers; the answer is public, the asker is never named."""
    require_officer(user)
    answer = (answer or "").strip()
    if not answer:
        raise invalid({"answer": _t("Write the answer.")})
    locked = (
        Clarification.objects.select_for_update().select_related("round").get(pk=clarification.pk)
    )
    if locked.round.status in (R.DRAFT, R.CANCELLED):
        raise ConflictError(_("This round takes no answers."), code="round_closed")
    before = {"answer": locked.answer}
    locked.answer = answer
    locked.answered_at = timezone.now()
    locked.answered_by = user
    locked.save(update_fields=["answer", "answered_at", "answered_by"])
    audit.record(
        actor=user,
        action="clarification.answer",
        obj=locked,
        before=before,
        after={"answer": answer},
    )
    bidders = set(
        Bid.objects.filter(lot__round=locked.round).values_list("organization_id", flat=True)
    )
    bidders.add(locked.organization_id)
    notify(
        recipients=organization_members(bidders),
        kind="clarification.answered",
        title=_t("A question on %(code)s has been answered") % {"code": locked.round.code},
        body=answer,
        url=reverse("bidding:call-clarifications", args=[locked.round_id]),
        obj=locked,
    )
    return locked


def find_clarification(*, round: Round, pk) -> Clarification:
    try:
        return Clarification.objects.select_related("round").get(round=round, pk=pk)
    except (Clarification.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None
