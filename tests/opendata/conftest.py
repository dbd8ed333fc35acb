import pytest
from django.core.cache import cache

from tests.contracts.helpers import federation

from .helpers import signed_contract


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The feed is cached; each test starts without cached answers."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fed(db):
    return federation()


@pytest.fixture
def contract(fed, org, org_admin, officer, approver):
    return signed_contract(org=org, org_admin=org_admin, officer=officer, approver=approver)
