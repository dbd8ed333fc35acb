"""Demo data of bidding: ``rounds`` (calls, bids, openings, qualification) and
``review`` (expert pool, panels, scores, awards, notices) that takes the rounds
of the first further. Idempotent like every ``seed``."""

from . import review, rounds


def seed(context) -> None:
    rounds.seed(context)
    review.seed(context)
