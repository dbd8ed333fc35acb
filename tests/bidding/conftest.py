"""Fixtures of the bidding tests."""

import pytest


@pytest.fixture(autouse=True)
def _fast_key_derivation(settings):
    """Opening keys use the lowest scrypt cost the format accepts: the tests check
    behaviour, not the cost of guessing a password."""
    settings.SEALING_SCRYPT_LOG2_N = 10
