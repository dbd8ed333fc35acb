"""Every list endpoint and list page of organizations runs a bounded number of
queries, whatever the row count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from organizations.models import Credential, Invitation, Membership, Organization, ServiceCategory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.helpers import ROWS
from tests.helpers import assert_bounded as _bounded

pytestmark = pytest.mark.django_db


def _organizations():
    categories = list(ServiceCategory.objects.all()[:3])
    for _ in range(ROWS):
        org = OrganizationFactory(rating="3A", rating_expires_on=dt.date(2030, 1, 1))
        org.service_categories.set(categories)
        MembershipFactory(organization=org, role="admin")


def _credentials(org, user):
    def add():
        Credential.objects.bulk_create(
            Credential(
                organization=org,
                kind="registration",
                file=f"credentials/2024/{i:032x}.pdf",
                original_name="证书.pdf",
                content_type="application/pdf",
                size=10,
                issued_on=dt.date(2024, 1, 1),
                expires_on=timezone.localdate() + dt.timedelta(days=10),
                uploaded_by=user,
            )
            for i in range(ROWS)
        )

    return add


def _members(org):
    def add():
        for _ in range(ROWS):
            MembershipFactory(organization=org)
        for i in range(3):
            Invitation.objects.create(
                organization=org,
                email=f"i{Invitation.objects.count()}-{i}@example.org",
                token_hash=f"{Invitation.objects.count():064d}",
                invited_by=Membership.objects.filter(organization=org).first().user,
                expires_at=timezone.now() + dt.timedelta(days=3),
            )

    return add


def test_organizations_endpoint(api, officer, django_assert_max_num_queries):
    api.force_login(officer)  # a fresh user per request, as in production
    _bounded(
        lambda: api.get("/api/v1/organizations/"), _organizations, 8, django_assert_max_num_queries
    )


def test_organizations_endpoint_for_a_member(api, django_assert_max_num_queries):
    user = UserFactory()

    def add():
        for _ in range(ROWS):
            MembershipFactory(user=user, role="member")

    api.force_login(user)  # a fresh user per request, as in production
    _bounded(lambda: api.get("/api/v1/organizations/"), add, 8, django_assert_max_num_queries)


def test_credentials_endpoint(api, officer, org, org_admin, django_assert_max_num_queries):
    api.force_login(org_admin)  # a fresh user per request, as in production
    _bounded(
        lambda: api.get("/api/v1/credentials/"),
        _credentials(org, org_admin),
        8,
        django_assert_max_num_queries,
    )


def test_members_endpoint(api, org, org_admin, django_assert_max_num_queries):
    api.force_login(org_admin)  # a fresh user per request, as in production
    _bounded(
        lambda: api.get(f"/api/v1/organizations/{org.pk}/members/"),
        _members(org),
        8,
        django_assert_max_num_queries,
    )


def test_organizations_page(client, officer, django_assert_max_num_queries):
    client.force_login(officer)
    _bounded(
        lambda: client.get("/organizations/"), _organizations, 12, django_assert_max_num_queries
    )


def test_dashboard_for_an_officer_with_many_applications(
    client, officer, django_assert_max_num_queries
):
    def add():
        for _ in range(ROWS):
            OrganizationFactory(status=Organization.Status.PENDING)

    client.force_login(officer)
    _bounded(lambda: client.get("/dashboard/"), add, 30, django_assert_max_num_queries)


def test_dashboard_for_an_organization_with_many_credentials(
    client, org, org_admin, django_assert_max_num_queries
):
    client.force_login(org_admin)
    _bounded(
        lambda: client.get("/dashboard/"),
        _credentials(org, org_admin),
        30,
        django_assert_max_num_queries,
    )


def test_organization_page_with_many_members_and_credentials(
    client, org, org_admin, django_assert_max_num_queries
):
    client.force_login(org_admin)
    add_members, add_credentials = _members(org), _credentials(org, org_admin)

    def add():
        add_members()
        add_credentials()

    _bounded(
        lambda: client.get(f"/organizations/{org.pk}/"), add, 16, django_assert_max_num_queries
    )


@pytest.mark.parametrize("sort", ["name", "-credit_code", "category", "-rating", "status"])
def test_organizations_page_with_each_sort(client, officer, sort, django_assert_max_num_queries):
    from organizations.views import LIST_SORTS
    from tests.helpers import assert_same_for_3_and_30

    assert sort.lstrip("-") in LIST_SORTS
    client.force_login(officer)

    def add(n):
        for _ in range(n):
            OrganizationFactory(rating="3A", rating_expires_on=dt.date(2030, 1, 1))

    assert_same_for_3_and_30(
        lambda: client.get("/organizations/", {"sort": sort}),
        add,
        12,
        django_assert_max_num_queries,
    )
