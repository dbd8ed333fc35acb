"""The evaluator's work: scores within range, survey counts, computed totals."""

from decimal import Decimal

import pytest

from contracts.models import ProgressReport
from evaluation import services
from evaluation.models import Evaluation, IndicatorScore
from purchase_portal.errors import ApplicationError, NotFoundError

from .helpers import SURVEY_90, full_marks, scored

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(midterm, officer, evaluator, firm):
    services.evaluation_assign(evaluation=midterm, user=officer, evaluator_organization=firm)
    services.evaluation_start(evaluation=midterm, user=evaluator)
    midterm.refresh_from_db()
    return midterm


def test_total_satisfaction_and_grade_are_computed_from_the_scores(
    midterm, officer, evaluator, firm
):
    e = scored(midterm, officer=officer, evaluator=evaluator, firm=firm)
    # Every manual indicator at its maximum (80 points), satisfaction 90 % of 20 points.
    assert e.satisfaction_rate == Decimal("90.00")
    assert e.total_score == Decimal("98.00")
    assert e.grade == "excellent"


def test_an_overdue_progress_report_fails_the_marked_indicator(
    midterm, officer, evaluator, firm, contract
):

    ProgressReport.objects.filter(contract=contract, number=1).update(
        due_date=contract.start_date.replace(year=contract.start_date.year - 1)
    )
    e = scored(midterm, officer=officer, evaluator=evaluator, firm=firm)
    timely = e.template.indicators.get(code="1.2")
    assert IndicatorScore.objects.get(evaluation=e, indicator=timely).score == 0
    assert e.total_score == Decimal("88.00")


@pytest.mark.parametrize("value", ["11", "-1", "abc", "NaN", True, None, "1.234"])
def test_a_bad_score_is_refused_and_nothing_is_saved(started, evaluator, value):
    first = started.template.indicators.get(code="1.1")  # max 10
    good = full_marks(started)
    bad = [{"indicator": first.pk, "score": value}]
    with pytest.raises(ApplicationError) as exc:
        services.evaluation_save(
            evaluation=started, user=evaluator, data={"scores": good + bad, **SURVEY_90}
        )
    assert any(key.endswith(".score") for key in exc.value.fields)
    assert not IndicatorScore.objects.filter(evaluation=started).exists()
    started.refresh_from_db()
    assert started.survey_sample_size == 0


def test_a_score_for_an_indicator_of_another_template_is_refused(started, evaluator, officer):
    other = services.template_create(user=officer, data=services.DEFAULT_TEMPLATE, code="other")
    foreign = other.indicators.get(code="1.1")
    with pytest.raises(ApplicationError) as exc:
        services.evaluation_save(
            evaluation=started,
            user=evaluator,
            data={"scores": [{"indicator": foreign.pk, "score": "5"}]},
        )
    assert "scores[0].indicator" in exc.value.fields
    assert not IndicatorScore.objects.filter(evaluation=started).exists()


def test_a_dimension_or_computed_indicator_cannot_be_typed(started, evaluator):
    dimension = started.template.indicators.get(code="1")
    satisfaction = started.template.indicators.get(code="4.1")
    for indicator in (dimension, satisfaction):
        with pytest.raises(ApplicationError):
            services.evaluation_save(
                evaluation=started,
                user=evaluator,
                data={"scores": [{"indicator": indicator.pk, "score": "5"}]},
            )
    assert not IndicatorScore.objects.filter(evaluation=started).exists()


def test_survey_counts_must_add_up_to_the_sample_size(started, evaluator):
    with pytest.raises(ApplicationError) as exc:
        services.evaluation_save(
            evaluation=started, user=evaluator, data={**SURVEY_90, "survey_sample_size": 99}
        )
    assert "survey_sample_size" in exc.value.fields
    started.refresh_from_db()
    assert started.survey_sample_size == 0


def test_someone_not_assigned_cannot_score(started, other_admin):

    with pytest.raises(NotFoundError):
        services.evaluation_save(
            evaluation=started, user=other_admin, data={"scores": full_marks(started)}
        )


def test_submit_needs_every_indicator_scored(started, evaluator):
    services.evaluation_save(
        evaluation=started, user=evaluator, data={"scores": full_marks(started)[:2]}
    )
    with pytest.raises(ApplicationError) as exc:
        services.evaluation_submit(evaluation=started, user=evaluator)
    assert exc.value.code == "scores_missing"
    started.refresh_from_db()
    assert started.status == Evaluation.Status.IN_PROGRESS
