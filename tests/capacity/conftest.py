import pytest

from tests.factories import OrganizationFactory, UserFactory


@pytest.fixture
def mentor(db):
    return UserFactory(username="mentor", name="导师甲")


@pytest.fixture
def mentor_org(db):
    return OrganizationFactory(name="成熟社会组织")


@pytest.fixture
def newcomer(db):
    return OrganizationFactory(name="新生社会组织")
