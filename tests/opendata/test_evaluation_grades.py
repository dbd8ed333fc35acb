"""Evaluations appear as assessment milestones, and their grades on the public
summary, once approved; nothing of an evaluation still in progress is shown."""

from evaluation import services as evaluation_services
from opendata.models import Release
from opendata.services import releases_refresh
from opendata.tasks import publish_contracts
from tests.evaluation.helpers import evaluator_firm, evaluator_of, midterm_of, submitted

from .helpers import package_errors


def test_an_approved_evaluation_is_a_met_milestone_and_its_grade_is_public(
    contract, officer, client
):
    firm = evaluator_firm()
    evaluator = evaluator_of(firm)
    evaluation = submitted(midterm_of(contract), officer=officer, evaluator=evaluator, firm=firm)
    publish_contracts()
    releases_refresh()
    scheduled = Release.objects.get(release_id__endswith=f"evaluation-{evaluation.pk}-scheduled")
    milestone = scheduled.data["contracts"][0]["implementation"]["milestones"][0]
    assert milestone["type"] == "assessment" and milestone["status"] == "scheduled"
    assert "description" not in milestone  # no score before approval
    page = client.get(f"/public/contracts/{contract.number}/").content.decode()
    assert "No evaluation has been approved yet." in page

    evaluation_services.evaluation_approve(evaluation=evaluation, user=officer)
    evaluation.refresh_from_db()
    releases_refresh()
    met = Release.objects.get(release_id__endswith=f"evaluation-{evaluation.pk}-met")
    milestone = met.data["contracts"][0]["implementation"]["milestones"][0]
    assert milestone["status"] == "met" and str(evaluation.total_score) in milestone["description"]
    assert package_errors(met.ocid) == []
    page = client.get(f"/public/contracts/{contract.number}/").content.decode()
    assert str(evaluation.get_grade_display()) in page and str(evaluation.total_score) in page
