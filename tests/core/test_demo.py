"""``seed_demo``: safe to run twice, and every demo user can sign in to a working dashboard."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from organizations.credit_code import check
from organizations.models import Membership, Organization, User
from purchase_portal import audit

pytestmark = pytest.mark.django_db

DEMO_USERS = [
    "officer",
    "approver",
    "finance",
    "cashier",
    "auditor",
    *[f"expert{i}" for i in range(1, 8)],
    "evaluator",
    "org1admin",
    "org2admin",
    "applicant",
]


def _counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"organizations", "purchase_portal", "projects", "bidding", "contracts", "evaluation"}
        and model._meta.label
        not in {"purchase_portal.AuditEvent", "purchase_portal.AuditChainHead"}
    }


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_twice_creates_nothing_twice_and_has_the_promised_shape(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    printed = _seed()
    first = _counts()
    assert first["organizations.Organization"] >= 16
    again = _seed()
    assert _counts() == first
    assert audit.verify_chain() is None
    # The sign-ins are printed with the default password, which works.
    assert "portal-demo" in printed and "portal-demo" in again
    for username in ("officer", "org1admin", "org2admin", "evaluator", "auditor"):
        assert username in printed
    assert User.objects.get(username="officer").check_password("portal-demo")

    users = set(User.objects.values_list("username", flat=True))
    assert set(DEMO_USERS) <= users
    federation = Organization.objects.get(category="federation")
    assert federation.status == "verified"
    assert Organization.objects.filter(category="evaluator").exists()
    social = Organization.objects.filter(category="social")
    assert social.count() >= 13
    for org in social.exclude(status="pending"):
        assert check(org.credit_code).well_formed and org.credit_code_checksum_ok
    assert social.filter(street__isnull=False).count() == social.count()
    org1 = Membership.objects.get(user__username="org1admin")
    org2 = Membership.objects.get(user__username="org2admin")
    assert org1.role == org2.role == "admin"
    assert org1.organization != org2.organization
    assert Membership.objects.get(user__username="evaluator").organization.category == "evaluator"
    pending = Organization.objects.get(status="pending")
    assert not pending.credit_code_checksum_ok
    # Separation of duties: no demo staff user holds two of the staff roles.
    staff = {"officer", "approver", "finance", "auditor"}
    for user in User.objects.filter(groups__name__in=staff).distinct():
        assert len(staff & set(user.groups.values_list("name", flat=True))) == 1, user


def test_demo_users_sign_in_and_see_their_dashboard(client, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-secret")
    assert "another-demo-secret" in _seed()
    for username in DEMO_USERS:
        client.logout()
        response = client.post(
            "/accounts/login/", {"username": username, "password": "another-demo-secret"}
        )
        assert response.status_code == 302, username
        dashboard = client.get("/dashboard/")
        assert dashboard.status_code == 200, username
        html = dashboard.content.decode()
        assert html.count("<h1>") == 1
        assert User.objects.get(username=username).display_name in html
