import pytest

from tests.factories import OrganizationFactory, UserFactory

from .helpers import several


@pytest.fixture
def mentor(db):
    return UserFactory(username="mentor", name="导师甲")


@pytest.fixture
def mentor_org(db):
    return OrganizationFactory(name="成熟社会组织")


@pytest.fixture
def newcomer(db):
    return OrganizationFactory(name="新生社会组织")


@pytest.fixture
def rows(officer, org, org_admin, other_org, other_admin, mentor):
    return several(officer, org, org_admin, other_org, other_admin, mentor)
