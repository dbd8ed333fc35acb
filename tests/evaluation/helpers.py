"""Building evaluations for tests through the services."""

from __future__ import annotations

from decimal import Decimal

from evaluation import services
from evaluation.models import Evaluation, Indicator
from organizations.models import Organization
from tests.contracts.helpers import active_contract
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


def evaluator_firm(name: str = "上海评估事务所") -> Organization:
    return OrganizationFactory(name=name, category=Organization.Category.EVALUATOR)


def evaluator_of(firm: Organization, username: str = "evaluator"):
    user = UserFactory(username=username, roles=["evaluator"])
    MembershipFactory(organization=firm, user=user, role="member")
    return user


def contract_in_force(*, organization, org_admin, officer, approver, **kwargs):
    """A signed contract; its evaluations are planned on the contract.active event."""
    return active_contract(
        organization=organization, org_admin=org_admin, officer=officer, approver=approver, **kwargs
    )


def midterm_of(contract) -> Evaluation:
    return Evaluation.objects.get(contract=contract, stage=Evaluation.Stage.MIDTERM)


def manual_leaves(evaluation: Evaluation) -> list[Indicator]:
    return [
        leaf
        for leaf in services.work.leaves(evaluation.template)
        if leaf.source == Indicator.Source.MANUAL and not leaf.fails_on_overdue_report
    ] + [
        leaf
        for leaf in services.work.leaves(evaluation.template)
        if leaf.source == Indicator.Source.MANUAL and leaf.fails_on_overdue_report
    ]


def full_marks(evaluation: Evaluation, fraction: Decimal = Decimal("1")) -> list[dict]:
    """A score for every manual leaf: ``fraction`` of its maximum."""
    return [
        {
            "indicator": leaf.pk,
            "score": str((leaf.max_points * fraction).quantize(Decimal("0.01"))),
            "comment": "符合要求",
        }
        for leaf in manual_leaves(evaluation)
    ]


SURVEY_90 = {
    "survey_very_satisfied": 60,
    "survey_satisfied": 30,
    "survey_neutral": 6,
    "survey_dissatisfied": 4,
    "survey_sample_size": 100,
}


def scored(evaluation, *, officer, evaluator, firm, fraction=Decimal("1"), survey=SURVEY_90):
    """Assign to the firm, start, score every indicator and fill the survey."""
    services.evaluation_assign(evaluation=evaluation, user=officer, evaluator_organization=firm)
    services.evaluation_start(evaluation=evaluation, user=evaluator)
    services.evaluation_save(
        evaluation=evaluation,
        user=evaluator,
        data={
            "scores": full_marks(evaluation, fraction),
            **survey,
            "findings": "服务按计划推进。",
            "recommendations": "加强个案记录。",
        },
    )
    evaluation.refresh_from_db()
    return evaluation


def submitted(evaluation, **kwargs):
    scored(evaluation, **kwargs)
    services.evaluation_submit(evaluation=evaluation, user=kwargs["evaluator"])
    evaluation.refresh_from_db()
    return evaluation
