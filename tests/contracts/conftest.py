import pytest
from django.utils import timezone

from contracts import services
from tests.factories import MembershipFactory

from .helpers import active_contract, draft_contract, federation


@pytest.fixture
def fed(db):
    return federation()


@pytest.fixture
def draft(fed, org):
    return draft_contract(organization=org)


@pytest.fixture
def contract(fed, org, org_admin, officer, approver):
    """A contract in force: signed by both sides today, monthly reports (the PDF
    task is scheduled on commit, which these tests never reach)."""
    return active_contract(
        organization=org, org_admin=org_admin, officer=officer, approver=approver
    )


@pytest.fixture
def contract_with_pdf(fed, org, org_admin, officer, approver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contract = active_contract(
            organization=org, org_admin=org_admin, officer=officer, approver=approver
        )
    contract.refresh_from_db()
    return contract


@pytest.fixture
def second_finance(db):
    from tests.factories import UserFactory

    return UserFactory(username="finance2", roles=["finance"])


@pytest.fixture
def other_org_member(other_org):
    return MembershipFactory(organization=other_org, role="member").user


@pytest.fixture
def several(fed, org, org_admin, officer, approver, other_org, other_admin):
    contracts = [
        active_contract(organization=o, org_admin=a, officer=officer, approver=approver)
        for o, a in (
            (org, org_admin),
            (org, org_admin),
            (other_org, other_admin),
            (other_org, other_admin),
        )
    ]
    for c in contracts:
        services.amendment_create(contract=c, user=officer, reason="延期", deliverables="新内容")
        services.site_visit_create(
            contract=c,
            user=officer,
            visit_date=timezone.localdate(),
            findings="检查",
            rating="good",
            rectifications=[
                {"description": "a", "deadline": timezone.localdate()},
                {"description": "b", "deadline": timezone.localdate()},
            ],
        )
    return contracts
