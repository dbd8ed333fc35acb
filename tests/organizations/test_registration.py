"""Applying, direct registration, verification and its other transitions, from the outside."""

import pytest
from django.core import mail

from organizations.models import Membership, Organization, User
from purchase_portal.models import AuditEvent, Notification
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

from .helpers import add_registration_certificate, api_profile, page_profile

pytestmark = pytest.mark.django_db


def _events(org, action=None):
    qs = AuditEvent.objects.filter(object_type="organizations.organization", object_id=str(org.pk))
    return qs.filter(action=action) if action else qs


def _account(**overrides):
    data = {
        "account-username": "newadmin",
        "account-name": "新管理员",
        "account-email": "newadmin@example.org",
        "account-password1": "a-long-unusual-passphrase",
        "account-password2": "a-long-unusual-passphrase",
    }
    data.update(overrides)
    return data


def test_public_application_creates_account_pending_organization_and_admin_membership(
    client, officer, django_capture_on_commit_callbacks
):
    data = page_profile(name="上海新申请助残服务社")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/organizations/apply/", {**data, **_account()})
    org = Organization.objects.get(name="上海新申请助残服务社")
    assert response.status_code == 302
    assert response["Location"] == f"/organizations/{org.pk}/"
    assert org.status == "pending"
    assert org.credit_code == data["credit_code"]
    assert sorted(org.service_categories.values_list("code", flat=True)) == [
        "employment",
        "rehabilitation",
    ]
    user = User.objects.get(username="newadmin")
    assert user.check_password("a-long-unusual-passphrase")
    assert Membership.objects.get(organization=org, user=user).role == "admin"
    # Signed in as the new account.
    assert client.get("/dashboard/").status_code == 200
    # Officers learn of it in the inbox and by e-mail.
    note = Notification.objects.get(recipient=officer)
    assert note.kind == "organization.applied" and org.name in note.title
    assert note.url == f"/organizations/{org.pk}/"
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert org.name in mail.outbox[0].subject
    assert _events(org, "organization.apply").get().actor == user
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()


def test_public_application_with_a_bad_account_saves_nothing(client, officer):
    UserFactory(username="taken")
    data = page_profile(name="不应保存的组织")
    response = client.post(
        "/organizations/apply/",
        {**data, **_account(**{"account-username": "taken", "account-password2": "different"})},
    )
    assert response.status_code == 200
    errors = response.context["account_form"].errors
    assert "username" in errors and "password2" in errors
    assert not Organization.objects.filter(name="不应保存的组织").exists()
    assert not Notification.objects.exists()


def test_public_application_with_a_weak_password_saves_nothing(client):
    data = page_profile(name="弱密码组织")
    response = client.post(
        "/organizations/apply/",
        {
            **data,
            **_account(**{"account-password1": "12345678", "account-password2": "12345678"}),
        },
    )
    assert response.status_code == 200
    assert response.context["account_form"].errors["password1"]
    assert not Organization.objects.filter(name="弱密码组织").exists()
    assert not User.objects.filter(username="newadmin").exists()


def test_application_page_shows_field_errors_for_missing_required_fields(client, org_admin):
    client.force_login(org_admin)
    count = Organization.objects.count()
    response = client.post("/organizations/apply/", {"name": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    for field in ("name", "credit_code", "legal_representative", "address", "contact_name"):
        assert field in errors
    assert Organization.objects.count() == count


def test_api_application_by_a_signed_in_user(api, officer, django_capture_on_commit_callbacks):
    user = UserFactory()
    api.force_authenticate(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/organizations/", api_profile(name="接口申请组织"), format="json"
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending"
    assert body["service_categories"] == ["rehabilitation", "employment"] or sorted(
        body["service_categories"]
    ) == ["employment", "rehabilitation"]
    org = Organization.objects.get(pk=body["id"])
    assert Membership.objects.get(organization=org, user=user).role == "admin"
    assert Notification.objects.filter(recipient=officer, kind="organization.applied").count() == 1
    assert len(mail.outbox) == 1
    event = _events(org, "organization.apply").get()
    assert event.after["name"] == "接口申请组织"
    # The new admin now sees it; nobody else outside the federation does.
    assert api.get(f"/api/v1/organizations/{org.pk}/").status_code == 200
    api.force_authenticate(UserFactory())
    assert api.get(f"/api/v1/organizations/{org.pk}/").status_code == 404


def test_api_application_missing_fields_gives_field_messages(api):
    api.force_authenticate(UserFactory())
    response = api.post("/api/v1/organizations/", {"name": "只有名称"}, format="json")
    assert response.status_code == 400
    body = response.json()
    for field in ("credit_code", "legal_representative", "address", "contact_name"):
        assert body[field], field
    assert not Organization.objects.filter(name="只有名称").exists()


def test_api_application_cannot_choose_the_kind_or_status(api):
    api.force_authenticate(UserFactory())
    response = api.post("/api/v1/organizations/", api_profile(category="federation"), format="json")
    assert response.status_code == 400
    assert response.json()["category"]
    response = api.post("/api/v1/organizations/", api_profile(status="verified"), format="json")
    assert response.status_code == 400
    assert response.json()["status"]
    assert not Organization.objects.exists()


@pytest.mark.parametrize("role", ["auditor", "approver", "finance"])
def test_federation_staff_cannot_apply(api, client, role):
    user = UserFactory(roles=[role])
    api.force_authenticate(user)
    response = api.post("/api/v1/organizations/", api_profile(), format="json")
    assert response.status_code == 403
    client.force_login(user)
    assert client.get("/organizations/apply/").status_code == 403
    assert client.post("/organizations/apply/", page_profile()).status_code == 403
    assert not Organization.objects.exists()


def test_officer_opening_the_application_page_is_sent_to_direct_registration(client, officer):
    client.force_login(officer)
    response = client.get("/organizations/apply/")
    assert response.status_code == 302 and response["Location"] == "/organizations/new/"


def test_officer_registers_directly_on_the_page_verified_at_once(client, officer):
    client.force_login(officer)
    data = page_profile(name="直接登记的评估机构", category="evaluator")
    response = client.post("/organizations/new/", data)
    org = Organization.objects.get(name="直接登记的评估机构")
    assert response.status_code == 302
    assert org.status == "verified"
    assert org.category == "evaluator"
    assert org.verified_by == officer and org.verified_at is not None
    actions = list(_events(org).order_by("seq").values_list("action", flat=True))
    assert actions == ["organization.register", "organization.verify"]
    assert not Membership.objects.filter(organization=org).exists()


def test_officer_registers_directly_through_the_api(api, officer):
    api.force_authenticate(officer)
    response = api.post("/api/v1/organizations/", api_profile(name="接口直接登记"), format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "verified"
    assert response.json()["verified_at"]


def test_non_officers_cannot_register_directly_on_the_page(client, org_admin, auditor):
    for user in (org_admin, auditor):
        client.force_login(user)
        assert client.get("/organizations/new/").status_code == 403
        assert client.post("/organizations/new/", page_profile()).status_code == 403
    assert Organization.objects.count() == 1  # the fixture's organization only


# Transitions ---------------------------------------------------------------------


@pytest.fixture
def pending(db):
    org = OrganizationFactory(status=Organization.Status.PENDING)
    admin = MembershipFactory(organization=org, role="admin").user
    add_registration_certificate(org, by=admin)
    return org, admin


def test_officer_verifies_through_the_api_and_the_admin_is_notified(
    api, officer, pending, django_capture_on_commit_callbacks
):
    org, admin = pending
    api.force_authenticate(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/organizations/{org.pk}/verify/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "verified"
    org.refresh_from_db()
    assert org.verified_by == officer
    event = _events(org, "organization.verify").get()
    assert event.actor == officer
    assert event.before["status"] == "pending" and event.after["status"] == "verified"
    note = Notification.objects.get(recipient=admin)
    assert org.name in note.title
    assert mail.outbox[0].to == [admin.email]


def test_officer_verifies_on_the_page(client, officer, pending):
    org, _admin = pending
    client.force_login(officer)
    response = client.post(f"/organizations/{org.pk}/verify/", follow=True)
    assert response.status_code == 200
    org.refresh_from_db()
    assert org.status == "verified"
    assert _events(org, "organization.verify").count() == 1


def test_reject_needs_a_reason_and_shows_it_to_the_organization(api, client, officer, pending):
    org, admin = pending
    api.force_authenticate(officer)
    response = api.post(f"/api/v1/organizations/{org.pk}/reject/", {}, format="json")
    assert response.status_code == 400 and response.json()["reason"]
    response = api.post(f"/api/v1/organizations/{org.pk}/reject/", {"reason": "  "}, format="json")
    assert response.status_code == 400 and response.json()["reason"]
    org.refresh_from_db()
    assert org.status == "pending"
    assert not _events(org, "organization.reject").exists()

    response = api.post(
        f"/api/v1/organizations/{org.pk}/reject/", {"reason": "登记证书已过期"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status_reason"] == "登记证书已过期"
    assert _events(org, "organization.reject").get().after["status_reason"] == "登记证书已过期"
    client.force_login(admin)
    assert "登记证书已过期" in client.get(f"/organizations/{org.pk}/").content.decode()
    assert Notification.objects.get(recipient=admin).body == "登记证书已过期"


def test_reject_on_the_page_without_a_reason_changes_nothing(client, officer, pending):
    org, _admin = pending
    client.force_login(officer)
    response = client.post(f"/organizations/{org.pk}/reject/", {"reason": ""}, follow=True)
    assert "Give a reason." in response.content.decode()
    org.refresh_from_db()
    assert org.status == "pending"
    client.post(f"/organizations/{org.pk}/reject/", {"reason": "材料不全"})
    org.refresh_from_db()
    assert org.status == "rejected" and org.status_reason == "材料不全"


def test_rejected_application_is_edited_and_resubmitted_by_its_admin(api, client, officer, pending):
    org, admin = pending
    api.force_authenticate(officer)
    api.post(f"/api/v1/organizations/{org.pk}/reject/", {"reason": "地址不符"}, format="json")
    client.force_login(admin)
    edit = client.post(
        f"/organizations/{org.pk}/edit/",
        page_profile(name=org.name, credit_code=org.credit_code, address="上海市徐汇区新地址9号"),
    )
    assert edit.status_code == 302
    response = client.post(f"/organizations/{org.pk}/resubmit/")
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.status == "pending" and org.status_reason == ""
    assert org.address == "上海市徐汇区新地址9号"
    assert _events(org, "organization.resubmit").get().actor == admin
    assert Notification.objects.filter(recipient=officer, kind="organization.applied").exists()


def test_resubmit_through_the_api(api, officer, pending):
    org, admin = pending
    api.force_authenticate(officer)
    api.post(f"/api/v1/organizations/{org.pk}/reject/", {"reason": "材料不全"}, format="json")
    api.force_authenticate(admin)
    response = api.post(f"/api/v1/organizations/{org.pk}/resubmit/")
    assert response.status_code == 200 and response.json()["status"] == "pending"


def test_suspend_with_a_reason_and_reinstate(api, client, officer, org, org_admin):
    api.force_authenticate(officer)
    response = api.post(f"/api/v1/organizations/{org.pk}/suspend/", {}, format="json")
    assert response.status_code == 400 and response.json()["reason"]
    response = api.post(
        f"/api/v1/organizations/{org.pk}/suspend/", {"reason": "年检不合格"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "suspended"
    client.force_login(officer)
    client.post(f"/organizations/{org.pk}/reinstate/")
    org.refresh_from_db()
    assert org.status == "verified" and org.status_reason == ""
    client.post(f"/organizations/{org.pk}/suspend/", {"reason": "再次暂停"})
    org.refresh_from_db()
    assert org.status == "suspended"
    response = api.post(f"/api/v1/organizations/{org.pk}/reinstate/")
    assert response.status_code == 200 and response.json()["status"] == "verified"
    actions = list(_events(org).order_by("seq").values_list("action", flat=True))
    assert actions == [
        "organization.suspend",
        "organization.reinstate",
        "organization.suspend",
        "organization.reinstate",
    ]
    assert Notification.objects.filter(recipient=org_admin).count() == 4


def test_a_step_from_the_wrong_state_is_a_conflict(api, client, officer, org):
    api.force_authenticate(officer)
    response = api.post(f"/api/v1/organizations/{org.pk}/verify/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    response = api.post(f"/api/v1/organizations/{org.pk}/reinstate/")
    assert response.status_code == 409
    client.force_login(officer)
    page = client.post(f"/organizations/{org.pk}/verify/", follow=True).content.decode()
    assert "not possible" in page
    assert not _events(org).exists()


@pytest.mark.parametrize(
    ("action", "payload"),
    [
        ("verify", {}),
        ("reject", {"reason": "x"}),
        ("reject", {}),
        ("suspend", {"reason": "x"}),
        ("reinstate", {}),
    ],
)
def test_non_officers_get_403_and_nothing_changes(api, client, pending, action, payload):
    org, admin = pending
    member = MembershipFactory(organization=org, role="member").user
    for user in (admin, member, UserFactory(roles=["auditor"]), UserFactory(roles=["approver"])):
        api.force_authenticate(user)
        response = api.post(f"/api/v1/organizations/{org.pk}/{action}/", payload, format="json")
        assert response.status_code == 403, (user, response.content)
        client.force_login(user)
        assert client.post(f"/organizations/{org.pk}/{action}/", payload).status_code == 403
    org.refresh_from_db()
    assert org.status == "pending"
    assert not _events(org).exists()


def test_outsiders_do_not_even_see_the_organization(api, client, pending, other_admin):
    org, _admin = pending
    api.force_authenticate(other_admin)
    assert api.post(f"/api/v1/organizations/{org.pk}/verify/", {}).status_code == 404
    assert api.get(f"/api/v1/organizations/{org.pk}/").status_code == 404
    client.force_login(other_admin)
    assert client.post(f"/organizations/{org.pk}/verify/").status_code == 404
    assert client.get(f"/organizations/{org.pk}/").status_code == 404
    org.refresh_from_db()
    assert org.status == "pending"


def test_officer_cannot_resubmit_for_the_organization(api, officer, pending):
    org, _admin = pending
    api.force_authenticate(officer)
    api.post(f"/api/v1/organizations/{org.pk}/reject/", {"reason": "x"}, format="json")
    assert api.post(f"/api/v1/organizations/{org.pk}/resubmit/").status_code == 403


def test_unknown_page_action_is_404(client, officer, org):
    client.force_login(officer)
    assert client.post(f"/organizations/{org.pk}/explode/").status_code == 404
    assert client.get(f"/organizations/{org.pk}/verify/").status_code == 405


# Profile changes -------------------------------------------------------------------


def test_verified_organization_admin_changes_contact_but_not_identity(api, org, org_admin):
    api.force_authenticate(org_admin)
    name = org.name
    response = api.patch(f"/api/v1/organizations/{org.pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 400
    assert response.json()["name"]
    response = api.patch(
        f"/api/v1/organizations/{org.pk}/",
        {"contact_phone": "021-99998888", "service_categories": ["education"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    org.refresh_from_db()
    assert org.name == name and org.contact_phone == "021-99998888"
    assert list(org.service_categories.values_list("code", flat=True)) == ["education"]
    event = _events(org, "organization.update").get()
    assert event.after == {"contact_phone": "021-99998888", "service_categories": ["education"]}
    assert event.before["contact_phone"] == "021-64000000"


def test_verified_organization_edit_page_locks_identity_fields(client, org, org_admin):
    client.force_login(org_admin)
    page = client.get(f"/organizations/{org.pk}/edit/")
    assert page.context["restricted"]
    assert page.context["form"].fields["name"].disabled
    data = page_profile(name="企图改名", credit_code=org.credit_code, contact_phone="021-12345678")
    response = client.post(f"/organizations/{org.pk}/edit/", data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name != "企图改名" and org.contact_phone == "021-12345678"


def test_member_and_auditor_cannot_edit(api, client, org, org_member, auditor):
    for user in (org_member, auditor):
        api.force_authenticate(user)
        response = api.patch(f"/api/v1/organizations/{org.pk}/", {"address": "x"}, format="json")
        assert response.status_code == 403
        client.force_login(user)
        assert client.get(f"/organizations/{org.pk}/edit/").status_code == 403
    org.refresh_from_db()
    assert org.address == "上海市徐汇区测试路1号"


def test_rating_needs_an_expiry_date(api, officer, org):
    api.force_authenticate(officer)
    response = api.patch(f"/api/v1/organizations/{org.pk}/", {"rating": "4A"}, format="json")
    assert response.status_code == 400
    assert response.json()["rating_expires_on"]
    response = api.patch(
        f"/api/v1/organizations/{org.pk}/",
        {"rating": "4A", "rating_expires_on": "2030-12-31"},
        format="json",
    )
    assert response.status_code == 200
    response = api.patch(
        f"/api/v1/organizations/{org.pk}/", {"rating_expires_on": None}, format="json"
    )
    assert response.status_code == 400
    org.refresh_from_db()
    assert org.rating == "4A" and str(org.rating_expires_on) == "2030-12-31"


def test_read_only_fields_cannot_be_patched(api, officer, org):
    api.force_authenticate(officer)
    response = api.patch(
        f"/api/v1/organizations/{org.pk}/",
        {"status": "suspended", "credit_code_checksum_ok": False},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"status", "credit_code_checksum_ok"}
    org.refresh_from_db()
    assert org.status == "verified"
