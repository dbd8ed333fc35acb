"""Reads of awards, public notices and objections, scoped to the user.

Notices are public. Awards: federation staff see all; an organization's
members see their own organization's. Objections: staff see all; members see
their organization's. Anything else answers 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from organizations.rules import memberships_of
from purchase_portal.roles import is_federation_staff

from ..models import Award, Lot, Notice, Objection, Round


def award_list(*, user) -> QuerySet[Award]:
    qs = Award.objects.select_related("lot__round", "organization", "bid")
    if is_federation_staff(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(organization_id__in=list(memberships_of(user)))


def award_get(*, user, pk) -> Award:
    try:
        return award_list(user=user).get(pk=pk)
    except (Award.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def awards_to_confirm() -> QuerySet[Award]:
    return Award.objects.filter(status=Award.Status.PROPOSED).select_related(
        "lot__round", "organization"
    )


def notice_list() -> QuerySet[Notice]:
    """Every published notice (public)."""
    return Notice.objects.select_related("round")


def notice_get(*, pk) -> Notice:
    try:
        return notice_list().get(pk=pk)
    except (Notice.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def objection_list(*, user) -> QuerySet[Objection]:
    qs = Objection.objects.select_related(
        "lot__round", "organization", "notice", "filed_by", "answered_by"
    )
    if is_federation_staff(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(organization_id__in=list(memberships_of(user)))


def objection_get(*, user, pk) -> Objection:
    try:
        return objection_list(user=user).get(pk=pk)
    except (Objection.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def open_objections() -> QuerySet[Objection]:
    return Objection.objects.filter(status=Objection.Status.OPEN).select_related(
        "lot__round", "organization"
    )


def review_round_list(*, user) -> QuerySet[Round]:
    """Rounds after their opening, as federation staff see them on the review pages
    (none for anyone else)."""
    if not is_federation_staff(user):
        return Round.objects.none()
    return Round.objects.filter(opened_at__isnull=False)


def round_for_review(*, user, pk) -> Round:
    """A round after its opening as federation staff see it on the review pages (404
    for anyone else, and before the opening)."""
    try:
        return review_round_list(user=user).get(pk=pk)
    except (Round.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def lot_get_for_staff(*, user, pk) -> Lot:
    if not is_federation_staff(user):
        raise Http404
    try:
        return Lot.objects.select_related("round", "category").get(pk=pk)
    except (Lot.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def round_awards(*, round: Round) -> QuerySet[Award]:
    return (
        Award.objects.filter(lot__round=round)
        .exclude(status=Award.Status.REVOKED)
        .select_related("organization", "lot")
        .order_by("lot__number", "rank")
    )


def lot_objections(*, lot: Lot) -> QuerySet[Objection]:
    return Objection.objects.filter(lot=lot).select_related("organization")


def rounds_in_review() -> QuerySet[Round]:
    return Round.objects.filter(
        Q(status__in=(Round.Status.OPENED, Round.Status.IN_REVIEW, Round.Status.AWARDED))
    ).order_by("-id")


#: States of rounds that the review pages list (from the opening on).
REVIEW_STATES = (
    Round.Status.OPENED,
    Round.Status.IN_REVIEW,
    Round.Status.AWARDED,
    Round.Status.NOTICE,
    Round.Status.FINAL,
)


def review_rounds() -> QuerySet[Round]:
    """Rounds from their opening on (federation staff's review index): only rounds
    whose bids were opened, the same condition ``round_for_review`` holds, so every
    row links to a page."""
    return Round.objects.filter(status__in=REVIEW_STATES, opened_at__isnull=False)


def lot_awards(*, lot: Lot) -> QuerySet[Award]:
    """Every award of a lot, revoked ones included, by rank."""
    return Award.objects.filter(lot=lot).select_related("organization").order_by("rank", "id")


def round_notices(*, round: Round) -> QuerySet[Notice]:
    return Notice.objects.filter(round=round).order_by("-published_at")


def round_objections(*, round: Round) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(lot__round=round)
        .select_related("lot", "organization")
        .order_by("-filed_at")
    )


def objection_lots(*, round: Round) -> QuerySet[Lot]:
    """The lots of a round that an objection to its notice may concern: an award, a
    failed lot or a disqualification (政府采购法 Art 52)."""
    return Lot.objects.filter(
        round=round,
        status__in=(Lot.Status.AWARDED, Lot.Status.FAILED, Lot.Status.IN_REVIEW),
    ).order_by("number")


def awarded_lots(*, round: Round) -> QuerySet[Lot]:
    """The lots of a round whose award an objection may concern."""
    return Lot.objects.filter(round=round, status=Lot.Status.AWARDED).order_by("number")
