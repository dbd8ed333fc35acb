"""Officers record control and management relationships between organizations
(政府采购法实施条例 Art 18); staff see them on the organization page."""

import pytest
from django.urls import reverse

from organizations.models import ControlRelationship
from organizations.services import control_relationship_record, control_relationship_remove
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from purchase_portal.models import AuditEvent
from tests.factories import OrganizationFactory
from tests.helpers import as_user

pytestmark = pytest.mark.django_db


def _record(user, controller, controlled, **extra):
    return control_relationship_record(
        user=user,
        controller=controller,
        controlled=controlled,
        kind=extra.pop("kind", ControlRelationship.Kind.MANAGES),
        source=extra.pop("source", "民政局登记档案"),
        **extra,
    )


def test_an_officer_records_a_relationship_with_its_source(officer, org, other_org):
    relationship = _record(officer, org, other_org, notes="举办单位")
    assert relationship.recorded_by == officer
    event = AuditEvent.objects.get(action="organization.control_record")
    assert event.after["source"] == "民政局登记档案"
    with pytest.raises(ConflictError):
        _record(officer, other_org, org)
    relationship.refresh_from_db()
    control_relationship_remove(user=officer, relationship=relationship, reason="录入错误")
    assert not ControlRelationship.objects.exists()
    assert AuditEvent.objects.filter(action="organization.control_remove").exists()


def test_a_relationship_needs_two_organizations_a_kind_and_a_source(officer, org):
    with pytest.raises(ApplicationError) as exc:
        control_relationship_record(
            user=officer, controller=org, controlled=org, kind="owns", source=" "
        )
    assert set(exc.value.fields) == {"controlled", "kind", "source"}
    assert not ControlRelationship.objects.exists()


def test_only_officers_record_relationships(approver, org_admin, org, other_org):
    for user in (approver, org_admin):
        with pytest.raises(PermissionDeniedError):
            _record(user, org, other_org)
    assert not ControlRelationship.objects.exists()


def test_staff_see_relationships_on_the_organization_page(client, officer, auditor, org):
    controlled = OrganizationFactory(name="被管理的服务社")
    _record(officer, org, controlled)
    as_user(client, auditor)
    html = client.get(reverse("organizations:detail", args=[org.pk])).content.decode()
    assert "被管理的服务社" in html and "民政局登记档案" in html
    assert "政府采购法实施条例 Art 18" in html
    assert reverse("organizations:control-add", args=[org.pk]) not in html


def test_the_officer_records_a_relationship_on_the_page(client, officer, org):
    other = OrganizationFactory()
    as_user(client, officer)
    url = reverse("organizations:control-add", args=[org.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "政府采购法实施条例" in page
    response = client.post(
        url,
        {
            "direction": "controlled",
            "other": other.credit_code,
            "kind": "controls",
            "source": "章程",
        },
    )
    assert response.status_code == 302
    relationship = ControlRelationship.objects.get()
    assert (relationship.controller, relationship.controlled) == (other, org)
    bad = client.post(
        url,
        {"direction": "controls", "other": "NOPE", "kind": "controls", "source": "x"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert bad.status_code == 200
    assert ControlRelationship.objects.count() == 1


def test_organizations_neither_see_nor_record_relationships(client, officer, org_admin, org):
    other = OrganizationFactory(name="另一家机构")
    relationship = _record(officer, org, other)
    as_user(client, org_admin)
    html = client.get(reverse("organizations:detail", args=[org.pk])).content.decode()
    assert "另一家机构" not in html and "民政局登记档案" not in html
    response = client.post(
        reverse("organizations:control-add", args=[org.pk]),
        {"direction": "controls", "other": other.credit_code, "kind": "controls", "source": "x"},
    )
    assert response.status_code == 403
    removed = client.post(
        reverse("organizations:control-remove", args=[org.pk, relationship.pk]), {"reason": "x"}
    )
    assert removed.status_code == 404
    assert ControlRelationship.objects.count() == 1
