"""The cast of the end-to-end journeys: federation staff, a federation
organization (the purchaser on contracts), verified social organizations with
an admin each, and users who will serve as experts."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from organizations.models import Organization
from purchase_portal.roles import Role
from tests.factories import MembershipFactory, OrganizationFactory, StreetFactory, UserFactory


@dataclass
class Cast:
    officer: object
    approver: object
    finance: object
    auditor: object
    federation: Organization
    orgs: list[Organization]
    admins: list  # admins[i] is the admin of orgs[i]
    outsider_org: Organization
    outsider: object  # admin of an organization that takes no part
    expert_users: list
    street: object
    #: a second finance user who records payments that finance approved
    #: (separation of duties)
    cashier: object = None


@pytest.fixture
def cast(transactional_db) -> Cast:
    street = StreetFactory(name="徐家汇街道")
    orgs = [
        OrganizationFactory(name=name, street=street)
        for name in ("阳光康复服务中心", "助残社工事务所", "康乐家园服务社", "爱心辅具服务中心")
    ]
    outsider_org = OrganizationFactory(name="旁观者社会组织")
    return Cast(
        officer=UserFactory(username="officer", name="王专员", roles=[Role.OFFICER]),
        approver=UserFactory(username="approver", name="李领导", roles=[Role.APPROVER]),
        finance=UserFactory(username="finance", name="赵财务", roles=[Role.FINANCE]),
        auditor=UserFactory(username="auditor", name="钱审计", roles=[Role.AUDITOR]),
        federation=OrganizationFactory(
            name="区残疾人联合会", category=Organization.Category.FEDERATION
        ),
        orgs=orgs,
        admins=[
            MembershipFactory(organization=org, role="admin", user__username=f"org{i}admin").user
            for i, org in enumerate(orgs, start=1)
        ],
        outsider_org=outsider_org,
        outsider=MembershipFactory(
            organization=outsider_org, role="admin", user__username="outsider"
        ).user,
        expert_users=[UserFactory(username=f"expert{i}", name=f"专家{i}") for i in range(1, 7)],
        street=street,
        cashier=UserFactory(username="cashier", name="孙出纳", roles=[Role.FINANCE]),
    )


@pytest.fixture(autouse=True)
def _tokens_outlive_the_journey(settings):
    """Journeys move the clock by weeks; the integrators' API tokens are
    configured to last that long (PORTAL token lifetimes are settings)."""
    settings.PORTAL = {
        **settings.PORTAL,
        "TOKEN_TTL_STAFF_HOURS": 24 * 365,
        "TOKEN_TTL_ORGANIZATION_DAYS": 365,
    }
