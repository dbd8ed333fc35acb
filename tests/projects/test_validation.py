"""Bad input is answered 400 with field messages and changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from projects import services
from projects.models import PurchaseProject
from purchase_portal.errors import ApplicationError

from .helpers import api_payload, project_data

pytestmark = pytest.mark.django_db


def _post(api, officer, payload):
    api.force_authenticate(officer)
    return api.post("/api/v1/projects/", payload, format="json")


@pytest.mark.parametrize(
    "budget",
    [
        "-100.00",
        -100,
        "0",
        "0.00",
        "12.345",
        0.1 + 0.2,  # a float that is not a 2-place decimal
        1e20,
        "1e400",
        "NaN",
        "Infinity",
        "abc",
        "",
        None,
        True,
        "1234567890123.00",
    ],
)
def test_bad_budgets_are_refused_with_a_field_message(api, officer, item, streets, budget):
    response = _post(api, officer, api_payload(item, streets, budget_ceiling=budget))
    assert response.status_code == 400, response.content
    assert "budget_ceiling" in response.json()
    assert not PurchaseProject.objects.exists()


def test_the_service_refuses_float_amounts(officer, item, streets):
    with pytest.raises(ApplicationError) as exc:
        services.project_create(
            user=officer, data=project_data(item, streets, budget_ceiling=300000.5)
        )
    assert "budget_ceiling" in exc.value.fields


@pytest.mark.parametrize(
    ("months", "recurring", "ok"),
    [
        (12, False, True),
        (13, False, False),
        (36, True, True),
        (37, True, False),
        (0, False, False),
        (-1, False, False),
        (1, False, True),
    ],
)
def test_duration_is_at_most_a_year_or_three_for_recurring_services(
    api, officer, item, streets, months, recurring, ok
):
    response = _post(
        api, officer, api_payload(item, streets, duration_months=months, is_recurring=recurring)
    )
    if ok:
        assert response.status_code == 201, response.content
    else:
        assert response.status_code == 400
        assert "duration_months" in response.json()


def test_making_a_long_project_non_recurring_is_refused(api, officer, item, streets):
    response = _post(
        api, officer, api_payload(item, streets, duration_months=24, is_recurring=True)
    )
    assert response.status_code == 201
    response = api.patch(
        f"/api/v1/projects/{response.json()['id']}/", {"is_recurring": False}, format="json"
    )
    assert response.status_code == 400
    assert "duration_months" in response.json()
    project = PurchaseProject.objects.get()
    assert project.is_recurring is True


def test_the_service_checks_duration_limits_too(officer, item, streets):
    with pytest.raises(ApplicationError) as exc:
        services.project_create(user=officer, data=project_data(item, streets, duration_months=18))
    assert "duration_months" in exc.value.fields


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("target_disability_categories", ["8"]),
        ("target_disability_categories", ["0"]),
        ("target_disability_categories", ["visual"]),
        ("target_disability_categories", "4"),
        ("target_grades", ["5"]),
        ("target_grades", [1, 9]),
    ],
)
def test_invalid_disability_codes_are_refused(api, officer, item, streets, field, value):
    response = _post(api, officer, api_payload(item, streets, **{field: value}))
    assert response.status_code == 400
    assert field in response.json()


def test_duplicate_codes_are_refused_by_the_service(officer, item, streets):
    with pytest.raises(ApplicationError) as exc:
        services.project_create(
            user=officer,
            data=project_data(item, streets, target_disability_categories=["4", "4"]),
        )
    assert "target_disability_categories" in exc.value.fields


def test_codes_are_stored_in_order(officer, item, streets):
    project = services.project_create(
        user=officer,
        data=project_data(item, streets, target_disability_categories=["7", "1", "4"]),
    )
    assert project.target_disability_categories == ["1", "4", "7"]


def test_unknown_fields_are_refused(api, officer, item, streets):
    response = _post(api, officer, {**api_payload(item, streets), "status": "approved"})
    assert response.status_code == 400
    assert "status" in response.json()
    response = _post(api, officer, {**api_payload(item, streets), "budget": "1.00"})
    assert response.status_code == 400
    assert "budget" in response.json()
    assert not PurchaseProject.objects.exists()


def test_unknown_fields_inside_a_target_are_refused(api, officer, item, streets):
    targets = [{"kind": "output", "indicator": "x", "target_value": "1", "unit": "人", "weight": 5}]
    response = _post(api, officer, api_payload(item, streets, targets=targets))
    assert response.status_code == 400
    assert "weight" in str(response.json()["targets"])


@pytest.mark.parametrize(
    "target",
    [
        {"kind": "impact", "indicator": "x", "target_value": "1", "unit": "人"},
        {"kind": "output", "indicator": "", "target_value": "1", "unit": "人"},
        {"kind": "output", "indicator": "x", "target_value": "-1", "unit": "人"},
        {"kind": "output", "indicator": "x", "target_value": "1.234", "unit": "人"},
        {"kind": "output", "indicator": "x", "target_value": "1"},
    ],
)
def test_bad_targets_are_refused(api, officer, item, streets, target):
    response = _post(api, officer, api_payload(item, streets, targets=[target]))
    assert response.status_code == 400
    assert "targets" in response.json()


def test_partial_target_rows_are_refused_on_update_too(api, officer, draft):
    api.force_authenticate(officer)
    response = api.patch(
        f"/api/v1/projects/{draft.pk}/", {"targets": [{"indicator": "只有指标"}]}, format="json"
    )
    assert response.status_code == 400
    assert "targets" in response.json()
    assert draft.targets.count() == 2


def test_targets_given_on_update_replace_the_old_ones(api, officer, draft):
    api.force_authenticate(officer)
    targets = [{"kind": "outcome", "indicator": "有效率", "target_value": "80.5", "unit": "%"}]
    response = api.patch(f"/api/v1/projects/{draft.pk}/", {"targets": targets}, format="json")
    assert response.status_code == 200
    assert [(t["indicator"], t["target_value"]) for t in response.json()["targets"]] == [
        ("有效率", "80.50")
    ]
    assert list(draft.targets.values_list("target_value", flat=True)) == [Decimal("80.50")]


def test_unknown_streets_and_catalogue_items_are_refused(api, officer, item, streets):
    response = _post(api, officer, {**api_payload(item, streets), "streets": [999999]})
    assert response.status_code == 400
    assert "streets" in response.json()
    response = _post(api, officer, {**api_payload(item, streets), "catalogue_item": 999999})
    assert response.status_code == 400
    assert "catalogue_item" in response.json()


def test_required_fields_are_named(api, officer):
    response = _post(api, officer, {})
    assert response.status_code == 400
    body = response.json()
    for name in ("title", "catalogue_item", "budget_ceiling", "duration_months"):
        assert name in body


def test_a_non_object_body_is_a_400_not_a_500(api, officer):
    response = _post(api, officer, ["not", "an", "object"])
    assert response.status_code == 400


def test_transition_reasons_must_be_strings_of_bounded_length(api, approver, submitted):
    api.force_authenticate(approver)
    url = f"/api/v1/projects/{submitted.pk}/return/"
    assert api.post(url, {"reason": "x" * 2001}, format="json").status_code == 400
    assert api.post(url, {"reason": "x", "extra": 1}, format="json").status_code == 400
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


@pytest.mark.parametrize(
    "amount", ["1e400", "-1e400", Decimal("1E+400"), "12.345", "0.001", " ", [], {}]
)
def test_the_service_refuses_odd_amounts_without_crashing(officer, item, streets, amount):
    with pytest.raises(ApplicationError) as exc:
        services.project_create(
            user=officer, data=project_data(item, streets, budget_ceiling=amount)
        )
    assert "budget_ceiling" in exc.value.fields
    assert not PurchaseProject.objects.exists()
