import pytest

from analytics.selectors import Filters


@pytest.fixture
def years():
    def make(year_from=2022, year_to=2026, **kwargs):
        return Filters(year_from=year_from, year_to=year_to, **kwargs)

    return make
