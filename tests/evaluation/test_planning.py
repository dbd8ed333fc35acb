import datetime as dt

import pytest

from contracts import services as contract_services
from contracts.models import ContractSignature
from evaluation import services
from evaluation.models import Evaluation, Template
from purchase_portal.errors import ApplicationError
from tests.contracts.helpers import active_contract, complete_and_send, draft_contract
from tests.factories import MembershipFactory, UserFactory

from .helpers import evaluator_firm

pytestmark = pytest.mark.django_db


def test_a_contract_coming_into_force_plans_midterm_and_final_evaluations(contract):
    evaluations = {e.stage: e for e in Evaluation.objects.filter(contract=contract)}
    assert set(evaluations) == {"midterm", "final"}
    span = (contract.end_date - contract.start_date).days
    assert evaluations["midterm"].due_date == contract.start_date + dt.timedelta(days=span // 2)
    assert evaluations["final"].due_date == contract.end_date
    assert all(e.status == Evaluation.Status.PLANNED for e in evaluations.values())


def test_planning_uses_the_default_template_and_freezes_it(contract, midterm):
    template = midterm.template
    assert template.code == "default"
    assert template.is_frozen
    assert [i.code for i in template.indicators.filter(parent=None)] == ["1", "2", "3", "4"]


def test_planning_twice_adds_nothing(contract):
    services.evaluations_plan(contract=contract)
    assert Evaluation.objects.filter(contract=contract).count() == 2


def test_the_template_a_round_chose_is_used_for_its_contracts(
    fed, org, org_admin, officer, approver
):

    custom = services.template_create(
        user=officer, data={**services.DEFAULT_TEMPLATE, "name": "康复类项目评估"}, code="rehab"
    )
    draft = draft_contract(organization=org)
    services.round_choose_template(round=draft.award.lot.round, template=custom, user=officer)

    complete_and_send(draft, officer)
    contract_services.contract_sign(
        contract=draft, user=org_admin, side=ContractSignature.Side.ORGANIZATION
    )
    contract_services.contract_sign(
        contract=draft, user=approver, side=ContractSignature.Side.FEDERATION
    )
    assert {e.template_id for e in Evaluation.objects.filter(contract=draft)} == {custom.pk}
    assert active_contract  # the helper module is the one other tests use


def test_an_officer_moves_the_due_date(midterm, officer):
    new = midterm.due_date + dt.timedelta(days=10)
    services.evaluation_set_due_date(evaluation=midterm, user=officer, due_date=new)
    midterm.refresh_from_db()
    assert midterm.due_date == new


def test_an_evaluator_firm_related_to_the_organization_cannot_be_assigned(
    midterm, officer, org_admin
):
    related = evaluator_firm("关联评估公司")
    MembershipFactory(organization=related, user=org_admin)
    with pytest.raises(ApplicationError) as exc:
        services.evaluation_assign(evaluation=midterm, user=officer, evaluator_organization=related)
    assert "evaluator_organization" in exc.value.fields
    midterm.refresh_from_db()
    assert midterm.evaluator_organization_id is None


def test_an_expert_who_works_for_the_organization_cannot_sit_on_the_panel(midterm, officer, org):
    expert = UserFactory(username="expert-related", roles=["expert"])
    MembershipFactory(organization=org, user=expert)
    fine = UserFactory(username="expert-ok", roles=["expert"])
    with pytest.raises(ApplicationError) as exc:
        services.evaluation_assign(evaluation=midterm, user=officer, experts=[fine, expert])
    assert "experts" in exc.value.fields
    assert not midterm.members.exists()
    services.evaluation_assign(evaluation=midterm, user=officer, experts=[fine])
    assert list(midterm.members.values_list("expert_id", flat=True)) == [fine.pk]


def test_a_social_organization_is_not_an_evaluator(midterm, officer, other_org):
    with pytest.raises(ApplicationError):
        services.evaluation_assign(
            evaluation=midterm, user=officer, evaluator_organization=other_org
        )


def test_a_template_in_use_is_frozen_and_an_edit_makes_a_new_version(midterm, officer):
    template = midterm.template
    data = services.DEFAULT_TEMPLATE | {"name": "修订版", "pass_line": "65"}
    revised = services.template_update(template=template, user=officer, data=data)
    assert revised.pk != template.pk
    assert revised.version == template.version + 1
    template.refresh_from_db()
    assert template.pass_line == 60 and template.name != "修订版"
    midterm.refresh_from_db()
    assert midterm.template_id == template.pk
    assert Template.objects.filter(code="default").count() == 2


def test_template_points_must_add_up(officer):
    bad = {
        **services.DEFAULT_TEMPLATE,
        "indicators": [{"code": "1", "name": "唯一维度", "max_points": "90"}],
    }
    with pytest.raises(ApplicationError) as exc:
        services.template_create(user=officer, data=bad)
    assert "indicators" in exc.value.fields
    assert not Template.objects.filter(name=bad["name"]).exclude(code="default").exists()
