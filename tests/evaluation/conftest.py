import pytest

from tests.contracts.helpers import federation

from .helpers import contract_in_force, evaluator_firm, evaluator_of, midterm_of


@pytest.fixture
def fed(db):
    return federation()


@pytest.fixture
def firm(db):
    return evaluator_firm()


@pytest.fixture
def evaluator(firm):
    return evaluator_of(firm)


@pytest.fixture
def contract(fed, org, org_admin, officer, approver):
    return contract_in_force(
        organization=org, org_admin=org_admin, officer=officer, approver=approver
    )


@pytest.fixture
def midterm(contract):
    return midterm_of(contract)


@pytest.fixture
def second_officer(db):
    from tests.factories import UserFactory

    return UserFactory(username="officer2", roles=["officer"])
