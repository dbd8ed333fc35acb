"""The evaluation demo: what the issue asks for, and a second run adds nothing."""

import importlib

import pytest

from contracts.models import PaymentTranche
from evaluation.models import AnnualReport, Evaluation, Template

pytestmark = pytest.mark.django_db

EARLIER = ["organizations", "projects", "bidding", "contracts"]


def _seed(context):
    for app in [*EARLIER, "evaluation"]:
        importlib.import_module(f"{app}.demo").seed(context)


def test_the_demo_has_every_kind_of_evaluation_and_is_idempotent(
    django_capture_on_commit_callbacks,
):
    context = {"password": "portal-demo", "log": lambda *_: None}
    with django_capture_on_commit_callbacks(execute=False):
        _seed(context)
    counts = (Evaluation.objects.count(), Template.objects.count(), AnnualReport.objects.count())
    assert Template.objects.filter(code__in=["default", "venture"]).count() == 2
    approved = Evaluation.objects.filter(
        status="approved", stage="midterm", template__code="venture"
    )
    passing = approved.get(passed=True)
    failing = approved.get(passed=False)
    midterm = PaymentTranche.Condition.MIDTERM_PASSED
    assert passing.contract.tranches.get(condition=midterm).status == "eligible"
    blocked = failing.contract.tranches.get(condition=midterm)
    assert blocked.status == "pending" and blocked.blocked_reason
    assert failing.response and failing.follow_up == "rectification"
    in_progress = Evaluation.objects.get(status="in_progress", template__code="venture")
    assert in_progress.evaluator_organization.memberships.filter(
        user__username="evaluator"
    ).exists()
    assert Evaluation.objects.filter(
        stage="final", status="approved", contract__status="completed"
    ).exists()
    assert AnnualReport.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=False):
        importlib.import_module("evaluation.demo").seed(context)
    assert (
        Evaluation.objects.count(),
        Template.objects.count(),
        AnnualReport.objects.count(),
    ) == counts
