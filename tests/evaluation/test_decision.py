"""Approval, return, gating of the payment tranche, response, renewal."""

from decimal import Decimal

import pytest

from contracts.models import PaymentTranche
from evaluation import services
from evaluation.models import Evaluation
from evaluation.selectors import organization_grade_history, renewable_contract_ids
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from purchase_portal.models import Notification
from tests.factories import MembershipFactory

from .helpers import submitted

pytestmark = pytest.mark.django_db
S = Evaluation.Status


def _midterm_tranche(contract):
    return contract.tranches.get(condition=PaymentTranche.Condition.MIDTERM_PASSED)


def test_an_approved_pass_makes_the_midterm_tranche_eligible_and_payable(
    midterm, contract, officer, evaluator, firm, org_admin, finance, cashier, api
):
    submitted(midterm, officer=officer, evaluator=evaluator, firm=firm)
    assert _midterm_tranche(contract).status == PaymentTranche.Status.PENDING
    services.evaluation_approve(evaluation=midterm, user=officer)
    midterm.refresh_from_db()
    assert midterm.status == S.APPROVED and midterm.passed and midterm.grade == "excellent"
    tranche = _midterm_tranche(contract)
    assert tranche.status == PaymentTranche.Status.ELIGIBLE
    api.force_authenticate(org_admin)
    assert api.post(f"/api/v1/payments/{tranche.pk}/request/").status_code == 200
    api.force_authenticate(finance)
    assert api.post(f"/api/v1/payments/{tranche.pk}/approve/").status_code == 200
    api.force_authenticate(cashier)  # who approved a payment does not record it
    response = api.post(
        f"/api/v1/payments/{tranche.pk}/pay/",
        {"paid_on": str(contract.start_date), "reference": "BANK-001"},
        format="json",
    )
    assert response.status_code == 200, response.content
    tranche.refresh_from_db()
    assert tranche.status == PaymentTranche.Status.PAID


def test_an_approved_fail_keeps_the_tranche_blocked_and_notifies(
    midterm, contract, officer, evaluator, firm, approver, org_admin
):
    submitted(midterm, officer=officer, evaluator=evaluator, firm=firm, fraction=Decimal("0.3"))
    services.evaluation_approve(evaluation=midterm, user=officer)
    midterm.refresh_from_db()
    assert midterm.passed is False and midterm.grade == "failed"
    tranche = _midterm_tranche(contract)
    assert tranche.status == PaymentTranche.Status.PENDING and tranche.blocked_reason
    assert Notification.objects.filter(recipient=approver, kind="payment.blocked").exists()
    assert Notification.objects.filter(recipient=approver, kind="evaluation.approved").exists()
    assert Notification.objects.filter(recipient=org_admin, kind="evaluation.approved").exists()
    assert Notification.objects.filter(recipient=evaluator, kind="evaluation.approved").exists()
    services.evaluation_follow_up(
        evaluation=midterm, user=officer, follow_up="rectification", note="限期整改"
    )
    midterm.refresh_from_db()
    assert midterm.follow_up == "rectification"


def test_an_officer_cannot_approve_their_own_submission(
    midterm, contract, officer, firm, second_officer
):

    MembershipFactory(organization=firm, user=officer)  # holds both roles
    submitted(midterm, officer=officer, evaluator=officer, firm=firm)
    with pytest.raises(PermissionDeniedError):
        services.evaluation_approve(evaluation=midterm, user=officer)
    midterm.refresh_from_db()
    assert midterm.status == S.SUBMITTED
    services.evaluation_approve(evaluation=midterm, user=second_officer)
    midterm.refresh_from_db()
    assert midterm.status == S.APPROVED


def test_a_returned_evaluation_goes_back_to_work(midterm, officer, evaluator, firm):
    submitted(midterm, officer=officer, evaluator=evaluator, firm=firm)
    with pytest.raises(ApplicationError):
        services.evaluation_return(evaluation=midterm, user=officer, reason="  ")
    services.evaluation_return(evaluation=midterm, user=officer, reason="补充证据")
    midterm.refresh_from_db()
    assert midterm.status == S.RETURNED and midterm.return_reason == "补充证据"
    services.evaluation_start(evaluation=midterm, user=evaluator)
    midterm.refresh_from_db()
    assert midterm.status == S.IN_PROGRESS


def test_the_organization_responds_once(midterm, officer, evaluator, firm, org_member):
    submitted(midterm, officer=officer, evaluator=evaluator, firm=firm)
    services.evaluation_approve(evaluation=midterm, user=officer)
    services.evaluation_respond(evaluation=midterm, user=org_member, text="我们将加强个案记录。")
    midterm.refresh_from_db()
    assert midterm.response == "我们将加强个案记录。" and midterm.responded_by == org_member
    with pytest.raises(ConflictError):
        services.evaluation_respond(evaluation=midterm, user=org_member, text="再次回应")
    midterm.refresh_from_db()
    assert midterm.response == "我们将加强个案记录。"


def test_a_good_final_grade_marks_the_contract_renewable(contract, officer, evaluator, firm):
    final = Evaluation.objects.get(contract=contract, stage="final")
    submitted(final, officer=officer, evaluator=evaluator, firm=firm, fraction=Decimal("0.8"))
    services.evaluation_approve(evaluation=final, user=officer)
    final.refresh_from_db()
    assert final.grade == "good" and final.renewable

    assert renewable_contract_ids() == {contract.pk}


def test_a_midterm_never_marks_renewal(midterm, officer, evaluator, firm):
    submitted(midterm, officer=officer, evaluator=evaluator, firm=firm)
    services.evaluation_approve(evaluation=midterm, user=officer)
    midterm.refresh_from_db()
    assert not midterm.renewable


def test_the_grade_history_is_offered_to_later_apps(
    midterm, officer, evaluator, firm, org, contract
):

    submitted(midterm, officer=officer, evaluator=evaluator, firm=firm)
    services.evaluation_approve(evaluation=midterm, user=officer)
    rows = organization_grade_history(organization_id=org.pk)
    assert [(r.contract_id, r.stage, r.grade, r.year) for r in rows] == [
        (contract.pk, "midterm", "excellent", contract.start_date.year)
    ]
