"""Reads about round keys: who holds a share, who has presented it. Never the
keys themselves (they are useless without their holders' passwords, and are
not shown)."""

from __future__ import annotations

from django.db.models import QuerySet

from organizations.models import User
from purchase_portal.roles import Role

from ..models import OpeningKey, Round, RoundKeyShare, RoundSeal


def round_seal(*, round: Round) -> RoundSeal | None:
    """The round's seal with its shares and their holders (two queries)."""
    seal = RoundSeal.objects.filter(round=round).first()
    if seal is not None:
        seal.share_rows = list(seal.shares.select_related("holder").order_by("order"))
    return seal


def held_shares(*, user) -> QuerySet[RoundKeyShare]:
    """The user's shares of rounds not yet opened, newest round first."""
    return (
        RoundKeyShare.objects.filter(
            holder=user, wrapped_share__isnull=False, seal__round__opened_at__isnull=True
        )
        .exclude(seal__round__status=Round.Status.CANCELLED)
        .select_related("seal__round")
        .order_by("-seal__round_id")
    )


def opening_key_of(user) -> OpeningKey | None:
    if user is None or not user.is_authenticated:
        return None
    return OpeningKey.objects.filter(user=user).first()


def possible_holders():
    """Officers with an opening key: those a round may name as key holders."""
    return (
        User.objects.filter(groups__name=Role.OFFICER, is_active=True, opening_key__isnull=False)
        .distinct()
        .order_by("username")
    )
