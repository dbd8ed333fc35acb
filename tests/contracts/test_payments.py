import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from contracts import services
from contracts.models import Contract, PaymentTranche
from purchase_portal.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db
S = PaymentTranche.Status


def _first(contract):
    return contract.tranches.get(order=1)


def _snapshot(tranche):
    tranche.refresh_from_db()
    return (tranche.status, tranche.requested_at, tranche.finance_approved_by_id)


def test_request_approve_pay_a_tranche_below_the_threshold(
    api, contract, org_admin, finance, second_finance, settings
):
    settings.PORTAL = {**settings.PORTAL, "PAYMENT_APPROVER_THRESHOLD": 1_000_000}
    tranche = _first(contract)
    api.force_authenticate(org_admin)
    response = api.post(f"/api/v1/payments/{tranche.pk}/request/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "requested"
    api.force_authenticate(finance)
    response = api.post(f"/api/v1/payments/{tranche.pk}/approve/")
    assert response.json()["status"] == "approved"
    api.force_authenticate(second_finance)
    response = api.post(
        f"/api/v1/payments/{tranche.pk}/pay/",
        {"paid_on": timezone.localdate().isoformat(), "reference": "BANK-2026-001"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "paid"
    contract.refresh_from_db()
    assert contract.paid_total == tranche.amount == Decimal("100000.00")
    assert AuditEvent.objects.filter(action="tranche.pay", object_id=str(tranche.pk)).exists()


def test_above_the_threshold_an_approver_must_approve_too(
    api, contract, org_admin, finance, approver
):
    tranche = _first(contract)  # 100000.00, threshold 100000 → not above
    PaymentTranche.objects.filter(pk=tranche.pk)  # sanity
    services.tranche_request(tranche=tranche, user=org_admin)
    api.force_authenticate(finance)
    assert api.post(f"/api/v1/payments/{tranche.pk}/approve/").json()["status"] == "approved"


def test_large_payment_needs_finance_and_a_different_approver(
    fed, org, org_admin, officer, approver, finance, api, settings
):
    from .helpers import active_contract

    settings.PORTAL = {**settings.PORTAL, "PAYMENT_APPROVER_THRESHOLD": 50_000}
    contract = active_contract(
        organization=org, org_admin=org_admin, officer=officer, approver=approver
    )
    tranche = _first(contract)
    services.tranche_request(tranche=tranche, user=org_admin)
    api.force_authenticate(finance)
    body = api.post(f"/api/v1/payments/{tranche.pk}/approve/").json()
    assert body["status"] == "requested" and body["needs_approver"] is True
    assert api.post(f"/api/v1/payments/{tranche.pk}/approve/").status_code == 409
    assert Notification.objects.filter(recipient=approver, kind="payment.needs_approver").exists()
    api.force_authenticate(approver)
    assert api.post(f"/api/v1/payments/{tranche.pk}/approve/").json()["status"] == "approved"


def test_one_person_cannot_give_both_approvals(
    fed, org, org_admin, officer, approver, api, settings
):
    from tests.factories import UserFactory

    from .helpers import active_contract

    settings.PORTAL = {**settings.PORTAL, "PAYMENT_APPROVER_THRESHOLD": 50_000}
    both = UserFactory(username="both", roles=["finance", "approver"])
    contract = active_contract(
        organization=org, org_admin=org_admin, officer=officer, approver=approver
    )
    tranche = _first(contract)
    services.tranche_request(tranche=tranche, user=org_admin)
    api.force_authenticate(both)
    assert api.post(f"/api/v1/payments/{tranche.pk}/approve/").json()["status"] == "requested"
    assert api.post(f"/api/v1/payments/{tranche.pk}/approve/").status_code == 409
    tranche.refresh_from_db()
    assert tranche.approver_approved_by_id is None


def test_requesting_a_tranche_that_is_not_eligible_is_refused(api, contract, org_admin):
    tranche = contract.tranches.get(order=2)
    before = _snapshot(tranche)
    api.force_authenticate(org_admin)
    response = api.post(f"/api/v1/payments/{tranche.pk}/request/")
    assert response.status_code == 409
    assert _snapshot(tranche) == before == (S.PENDING, None, None)


def test_a_request_that_would_exceed_the_contract_amount_is_refused(api, contract, org_admin):
    tranche = _first(contract)
    # Data that does not add up (possible only by going around the services):
    # the tranche alone is worth more than the whole contract.
    original = tranche.amount
    PaymentTranche.objects.filter(pk=tranche.pk).update(amount=contract.amount + 1)
    before = _snapshot(tranche)
    api.force_authenticate(org_admin)
    response = api.post(f"/api/v1/payments/{tranche.pk}/request/")
    assert response.status_code == 400
    assert response.json()["code"] == "exceeds_contract_amount"
    assert _snapshot(tranche) == before
    # Put the data back, so PostgreSQL's deferred check at the end of the test passes.
    PaymentTranche.objects.filter(pk=tranche.pk).update(amount=original)


def test_a_member_who_is_not_admin_cannot_request(api, contract, org_member):
    tranche = _first(contract)
    api.force_authenticate(org_member)
    assert api.post(f"/api/v1/payments/{tranche.pk}/request/").status_code == 403
    assert _snapshot(tranche)[0] == S.ELIGIBLE


def test_another_organization_cannot_see_or_request_payments(api, contract, other_admin):
    tranche = _first(contract)
    api.force_authenticate(other_admin)
    assert api.get(f"/api/v1/payments/{tranche.pk}/").status_code == 404
    assert api.post(f"/api/v1/payments/{tranche.pk}/request/").status_code == 404
    assert api.get("/api/v1/payments/").json()["results"] == []


def test_organization_and_auditor_cannot_approve_or_pay(api, contract, org_admin, auditor, finance):
    tranche = _first(contract)
    services.tranche_request(tranche=tranche, user=org_admin)
    for user in (org_admin, auditor):
        api.force_authenticate(user)
        assert api.post(f"/api/v1/payments/{tranche.pk}/approve/").status_code == 403
    services.tranche_approve(tranche=tranche, user=finance)
    api.force_authenticate(auditor)
    response = api.post(
        f"/api/v1/payments/{tranche.pk}/pay/", {"paid_on": "2026-01-01", "reference": "x"}
    )
    assert response.status_code == 403
    assert _snapshot(tranche)[0] == S.APPROVED


def test_payment_needs_a_past_date_and_a_reference(
    api, contract, org_admin, finance, second_finance
):
    tranche = _first(contract)
    services.tranche_request(tranche=tranche, user=org_admin)
    services.tranche_approve(tranche=tranche, user=finance)
    api.force_authenticate(second_finance)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = api.post(
        f"/api/v1/payments/{tranche.pk}/pay/", {"paid_on": tomorrow, "reference": "R1"}
    )
    assert response.status_code == 400 and "paid_on" in response.json()
    response = api.post(
        f"/api/v1/payments/{tranche.pk}/pay/", {"paid_on": "2026-01-01", "reference": " "}
    )
    assert response.status_code == 400
    response = api.post(
        f"/api/v1/payments/{tranche.pk}/pay/",
        {"paid_on": "2026-01-01", "reference": "R1", "amount": "1"},
    )
    assert response.status_code == 400
    assert _snapshot(tranche)[0] == S.APPROVED


def test_finance_returns_a_request_with_a_reason(api, contract, org_admin, finance):
    tranche = _first(contract)
    services.tranche_request(tranche=tranche, user=org_admin)
    api.force_authenticate(finance)
    assert api.post(f"/api/v1/payments/{tranche.pk}/reject/", {}).status_code == 400
    response = api.post(f"/api/v1/payments/{tranche.pk}/reject/", {"reason": "发票不全"})
    assert response.json()["status"] == "eligible"
    assert response.json()["return_reason"] == "发票不全"


def test_paid_total_over_the_amount_is_refused_by_the_database(contract):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.filter(pk=contract.pk).update(paid_total=contract.amount + 1)


def test_tranche_row_rules_hold_in_the_database(contract):
    tranche = _first(contract)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentTranche.objects.filter(pk=tranche.pk).update(share=Decimal("0"))
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentTranche.objects.filter(pk=tranche.pk).update(status="paid")


@pytest.mark.postgres
def test_the_database_refuses_shares_that_do_not_sum_to_100(contract):
    tranche = _first(contract)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentTranche.objects.filter(pk=tranche.pk).update(share=Decimal("40"))
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.postgres
def test_the_database_refuses_amounts_that_do_not_sum_to_the_contract_amount(contract):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.filter(pk=contract.pk).update(amount=contract.amount + 1)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.postgres
def test_the_database_refuses_paid_tranches_that_do_not_match_paid_total(contract, finance):
    tranche = _first(contract)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentTranche.objects.filter(pk=tranche.pk).update(
            status="paid",
            paid_on=timezone.localdate(),
            payment_reference="X",
            finance_approved_by=finance,
        )
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_finance_users_approving_at_once_give_one_approval(second_finance):
    from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

    from .helpers import active_contract, federation

    federation()
    org = OrganizationFactory()
    admin = MembershipFactory(organization=org, role="admin").user
    officer = UserFactory(username="officer", roles=["officer"])
    approver = UserFactory(username="approver", roles=["approver"])
    finance = UserFactory(username="finance", roles=["finance"])
    contract = active_contract(
        organization=org, org_admin=admin, officer=officer, approver=approver
    )
    tranche = _first(contract)
    services.tranche_request(tranche=tranche, user=admin)

    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        try:
            barrier.wait(timeout=10)
            services.tranche_approve(tranche=PaymentTranche.objects.get(pk=tranche.pk), user=user)
            outcomes.append("ok")
        except Exception as exc:
            outcomes.append(getattr(exc, "code", repr(exc)))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (finance, second_finance)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["already_approved", "ok"] or sorted(outcomes) == [
        "invalid_transition",
        "ok",
    ]
    tranche.refresh_from_db()
    assert tranche.status == S.APPROVED
    assert (
        AuditEvent.objects.filter(
            action="tranche.approve_finance", object_id=str(tranche.pk)
        ).count()
        == 1
    )
    assert (
        AuditEvent.objects.filter(action="tranche.approve", object_id=str(tranche.pk)).count() == 1
    )


def test_the_payment_buttons_follow_the_approval_rule(
    client, fed, org, org_admin, officer, approver, finance, settings
):
    # The page asks contracts.rules (threshold, separation of duties), as the service does.
    from tests.factories import UserFactory

    from .helpers import active_contract

    settings.PORTAL = {**settings.PORTAL, "PAYMENT_APPROVER_THRESHOLD": 50_000}
    both = UserFactory(username="both-roles", roles=["finance", "approver"])
    contract = active_contract(
        organization=org, org_admin=org_admin, officer=officer, approver=approver
    )
    tranche = _first(contract)
    services.tranche_request(tranche=tranche, user=org_admin)
    approve = f"/contracts/tranches/{tranche.pk}/approve/"

    def offered(user) -> bool:
        client.force_login(user)
        return approve in client.get(f"/contracts/{contract.pk}/").content.decode()

    assert offered(finance) and offered(approver) and offered(both)
    services.tranche_approve(tranche=tranche, user=both)  # both roles: one approval only
    assert not offered(both)
    assert offered(approver) and not offered(finance)  # the finance approval is given
    assert not offered(org_admin)
    tranche.refresh_from_db()
    assert tranche.status == S.REQUESTED
