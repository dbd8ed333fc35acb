"""Demo data: this year's catalogue and projects in every state, idempotently."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from organizations import demo as organizations_demo
from projects import demo
from projects.models import CatalogueItem, ProjectTarget, PurchaseProject
from projects.selectors import approved_projects_for_lots
from purchase_portal.audit import verify_chain
from purchase_portal.models import AuditEvent

pytestmark = pytest.mark.django_db


def _seed():
    context = {"password": "demo-password-123", "log": lambda *a: None}
    organizations_demo.seed(context)
    demo.seed(context)
    return context


def _state():
    return (
        CatalogueItem.objects.count(),
        Counter(PurchaseProject.objects.values_list("status", flat=True)),
        ProjectTarget.objects.count(),
        AuditEvent.objects.count(),
    )


def test_demo_has_every_state_and_approved_projects_for_rounds():
    context = _seed()
    year = timezone.localdate().year
    assert CatalogueItem.objects.filter(year=year).count() >= 5
    assert CatalogueItem.objects.filter(year=year).values("category").distinct().count() >= 5
    statuses = set(PurchaseProject.objects.values_list("status", flat=True))
    assert statuses == set(PurchaseProject.Status.values)
    approved = context["approved_projects"]
    assert len(approved) >= 4
    assert all(p.status == PurchaseProject.Status.APPROVED and p.year == year for p in approved)
    assert set(approved) <= set(approved_projects_for_lots(year=year))
    for project in PurchaseProject.objects.exclude(status="draft"):
        assert project.targets.exists(), project
    assert verify_chain() is None


def test_demo_is_idempotent():
    _seed()
    first = _state()
    context = _seed()
    assert _state() == first
    assert len(context["approved_projects"]) == first[1]["approved"]
