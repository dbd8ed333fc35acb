"""Fixtures of the bidding tests: a round published now (open for bids, one
lot) and its lot. Builders of rounds and bids are in ``round_helpers`` and
``review_setup``."""

import pytest

from .round_helpers import published_round


@pytest.fixture
def round_(officer):
    return published_round(officer=officer)


@pytest.fixture
def lot(round_):
    return round_.lots.get(number=1)
