import pytest

from contracts import services
from contracts.models import PaymentTranche
from purchase_portal.errors import ApplicationError, ConflictError
from purchase_portal.models import Notification

pytestmark = pytest.mark.django_db
S = PaymentTranche.Status


def _tranche(contract, condition):
    return contract.tranches.get(condition=condition)


def test_midterm_tranche_is_pending_until_the_evaluation_passes(api, contract, org_admin, approver):
    midterm = _tranche(contract, PaymentTranche.Condition.MIDTERM_PASSED)
    api.force_authenticate(org_admin)
    assert api.post(f"/api/v1/payments/{midterm.pk}/request/").status_code == 409
    released = services.tranche_release_for_evaluation(
        contract=contract, stage="midterm", passed=True, user=approver
    )
    assert [t.pk for t in released] == [midterm.pk]
    midterm.refresh_from_db()
    assert midterm.status == S.ELIGIBLE and midterm.eligible_at is not None
    assert _tranche(contract, PaymentTranche.Condition.FINAL_PASSED).status == S.PENDING
    assert api.post(f"/api/v1/payments/{midterm.pk}/request/").status_code == 200
    assert Notification.objects.filter(recipient=org_admin, kind="payment.eligible").exists()


def test_a_failed_evaluation_keeps_the_tranche_blocked_and_notifies_approvers(contract, approver):
    final = _tranche(contract, PaymentTranche.Condition.FINAL_PASSED)
    services.tranche_release_for_evaluation(contract=contract, stage="final", passed=False)
    final.refresh_from_db()
    assert final.status == S.PENDING
    assert final.blocked_reason
    assert Notification.objects.filter(recipient=approver, kind="payment.blocked").count() == 1
    services.tranche_release_for_evaluation(contract=contract, stage="final", passed=False)
    assert Notification.objects.filter(recipient=approver, kind="payment.blocked").count() == 1


def test_a_later_pass_releases_a_blocked_tranche(contract):
    services.tranche_release_for_evaluation(contract=contract, stage="midterm", passed=False)
    services.tranche_release_for_evaluation(contract=contract, stage="midterm", passed=True)
    midterm = _tranche(contract, PaymentTranche.Condition.MIDTERM_PASSED)
    assert midterm.status == S.ELIGIBLE and midterm.blocked_reason == ""


def test_releasing_twice_changes_nothing_more(contract):
    services.tranche_release_for_evaluation(contract=contract, stage="midterm", passed=True)
    again = services.tranche_release_for_evaluation(contract=contract, stage="midterm", passed=True)
    assert again == []


def test_an_unknown_stage_is_refused(contract):
    with pytest.raises(ApplicationError) as exc:
        services.tranche_release_for_evaluation(contract=contract, stage="annual", passed=True)
    assert "stage" in exc.value.fields


def test_a_contract_not_in_force_releases_nothing(draft):
    with pytest.raises(ConflictError):
        services.tranche_release_for_evaluation(contract=draft, stage="midterm", passed=True)
    assert not draft.tranches.filter(status=S.ELIGIBLE).exists()
