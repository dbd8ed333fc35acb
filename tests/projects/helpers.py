"""Builders of purchase projects for the tests: form data, API payloads and
projects taken to a state through the services."""

from __future__ import annotations

from decimal import Decimal

from projects import services
from projects.models import PurchaseProject

S = PurchaseProject.Status


def project_data(item, streets, **overrides) -> dict:
    """Complete service input for a project on ``item``."""
    data = {
        "title": "社区康复服务项目",
        "catalogue_item": item,
        "need": "辖区内肢体和智力残疾人需要上门康复训练。",
        "target_disability_categories": ["4", "5"],
        "target_grades": ["1", "2"],
        "streets": list(streets),
        "planned_beneficiaries": 120,
        "budget_ceiling": Decimal("300000.00"),
        "duration_months": 12,
        "is_recurring": False,
        "targets": [
            {
                "kind": "output",
                "indicator": "上门康复训练",
                "target_value": Decimal("1200"),
                "unit": "人次",
            },
            {
                "kind": "satisfaction",
                "indicator": "服务对象满意度",
                "target_value": Decimal("90"),
                "unit": "%",
            },
        ],
    }
    data.update(overrides)
    return data


def api_payload(item, streets, **overrides) -> dict:
    """The same project as JSON for the API."""
    data = {
        "title": "社区康复服务项目",
        "catalogue_item": item.pk,
        "need": "辖区内肢体和智力残疾人需要上门康复训练。",
        "target_disability_categories": ["4", "5"],
        "target_grades": ["1", "2"],
        "streets": [s.pk for s in streets],
        "planned_beneficiaries": 120,
        "budget_ceiling": "300000.00",
        "duration_months": 12,
        "is_recurring": False,
        "targets": [
            {"kind": "output", "indicator": "上门康复训练", "target_value": "1200", "unit": "人次"},
            {"kind": "satisfaction", "indicator": "满意度", "target_value": "90", "unit": "%"},
        ],
    }
    data.update(overrides)
    return data


def make_project(officer, approver, item, streets, state=S.DRAFT, **overrides):
    """A project created and moved to ``state`` through the services."""
    project = services.project_create(user=officer, data=project_data(item, streets, **overrides))
    steps = {
        S.DRAFT: [],
        S.SUBMITTED: ["submit"],
        S.APPROVED: ["submit", "approve"],
        S.RETURNED: ["submit", "return"],
        S.CANCELLED: ["submit", "approve", "cancel"],
    }[state]
    for step in steps:
        user = officer if step == "submit" else approver
        services.project_transition(project=project, user=user, name=step, reason="理由")
    project.refresh_from_db()
    return project
