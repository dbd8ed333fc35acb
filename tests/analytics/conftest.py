import pytest

from analytics.selectors import Filters
from analytics.services import summary_refresh
from tests.factories import OrganizationFactory

from .helpers import award


@pytest.fixture
def years():
    def make(year_from=2022, year_to=2026, **kwargs):
        return Filters(year_from=year_from, year_to=year_to, **kwargs)

    return make


@pytest.fixture
def funded(db):
    """Four organizations funded over two years, and the summary built."""
    orgs = OrganizationFactory.create_batch(4)
    for year in (2025, 2026):
        for i, org in enumerate(orgs):
            award(org, year=year, amount=10000 * (i + 1), category="rehabilitation")
    summary_refresh()
    return orgs
