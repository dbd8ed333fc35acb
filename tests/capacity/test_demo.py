import pytest

from capacity import demo
from capacity.models import (
    Incubation,
    MentoringLog,
    Registration,
    StaffQualification,
    TrainingProgramme,
    TrainingSession,
)
from organizations import demo as organizations_demo

pytestmark = pytest.mark.django_db


def _counts():
    return [
        m.objects.count()
        for m in (
            TrainingProgramme,
            TrainingSession,
            Registration,
            Incubation,
            MentoringLog,
            StaffQualification,
        )
    ]


def test_demo_covers_five_years_and_is_idempotent():
    context = {"password": "demo-pass", "log": lambda *a: None}
    organizations_demo.seed(context)
    demo.seed(context)
    first = _counts()
    years = set(TrainingProgramme.objects.values_list("year", flat=True))
    assert {2022, 2023, 2024, 2025, 2026} <= years
    assert Registration.objects.filter(status="attended").exists()
    assert Registration.objects.filter(status="absent").exists()
    statuses = set(Incubation.objects.values_list("status", flat=True))
    assert statuses == {"incubating", "graduated", "withdrawn"}
    assert context["capacity_graduates"]
    demo.seed(context)
    assert _counts() == first
