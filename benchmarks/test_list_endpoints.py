"""Organizations and the audit trail against a bare DRF list of the same rows
(DESIGN §5); the checks are those of ``lists.check_list``."""

import pytest
from django.contrib.auth.models import Group
from django.db import transaction

from organizations.models import Organization, ServiceCategory
from purchase_portal import audit
from tests.factories import StreetFactory, UserFactory, valid_code

from .lists import check_list

ROWS = 3000


@pytest.fixture
def many_organizations(db):
    street = StreetFactory()
    categories = list(ServiceCategory.objects.all()[:3])
    Organization.objects.bulk_create(
        Organization(
            name=f"基准社会组织{i}",
            credit_code=valid_code(10_000 + i),
            legal_representative="张三",
            address="上海市徐汇区基准路1号",
            street=street,
            contact_name="李四",
            contact_phone="021-64000000",
            status="verified",
        )
        for i in range(ROWS)
    )
    through = Organization.service_categories.through
    through.objects.bulk_create(
        through(organization_id=pk, servicecategory_id=c.pk)
        for pk in Organization.objects.values_list("pk", flat=True)
        for c in categories
    )


@pytest.fixture
def officer_client(client, db):
    user = UserFactory(username="bench-officer")
    user.groups.add(Group.objects.get_or_create(name="officer")[0])
    client.force_login(user)
    return client


@pytest.mark.urls("benchmarks.bare_urls")
def test_organization_list_costs_at_most_1_5x_a_bare_drf_list(
    many_organizations, officer_client, report
):
    check_list(
        officer_client,
        report,
        label="organizations",
        rows=ROWS,
        bare="/bare/organizations/",
        portal="/api/v1/organizations/?status=verified",
    )


@pytest.mark.urls("benchmarks.bare_urls")
def test_audit_event_list_costs_at_most_1_5x_a_bare_drf_list(officer_client, report):
    org = Organization.objects.create(
        name="审计基准",
        credit_code=valid_code(99_999),
        legal_representative="张三",
        address="上海",
        contact_name="李四",
        contact_phone="021",
    )
    with transaction.atomic():
        for i in range(ROWS):
            audit.record(actor=None, action="bench.event", obj=org, after={"i": i})
    check_list(
        officer_client,
        report,
        label="audit events",
        rows=ROWS,
        bare="/bare/audit-events/",
        portal="/api/v1/audit-events/?action=bench",
    )
