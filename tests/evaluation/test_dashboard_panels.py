"""The evaluator's dashboard panel: one query for a user with nothing assigned,
the same sections, counts and links as before for an evaluator with work."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from evaluation import services
from evaluation.dashboard import LIMIT, evaluator_panel
from evaluation.models import Evaluation
from organizations.rules import memberships_of
from purchase_portal.roles import has_role
from tests.core.dashboard_rows import copy_contract
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _panel(user):
    """The panel and its queries; the user's roles and memberships are read
    once per request by the dashboard, before any panel."""
    request = RequestFactory().get("/dashboard/")
    request.user = user
    memberships_of(user)
    has_role(user, "officer")
    with CaptureQueriesContext(connection) as ctx:
        panel = evaluator_panel(request)
    return panel, len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["officer", "finance", "approver", "auditor", None])
def test_users_with_nothing_assigned_cost_the_panel_one_query(midterm, org_admin, role):
    user = UserFactory(roles=[role]) if role else org_admin
    panel, queries = _panel(user)
    assert panel is None
    assert queries == 1


def test_an_evaluator_with_nothing_assigned_finds_the_empty_panel_for_one_query(evaluator):
    panel, queries = _panel(evaluator)
    assert queries == 1
    assert panel.context["sections"] == []
    assert "No evaluation is assigned" in panel.context["empty"]


def test_the_assignments_keep_their_sections_counts_and_links(
    midterm, officer, evaluator, firm, django_assert_max_num_queries
):
    services.evaluation_assign(evaluation=midterm, user=officer, evaluator_organization=firm)
    panel, queries = _panel(evaluator)
    assert queries == 2  # the counts, then the rows of the one section with any
    [section] = panel.context["sections"]
    assert section.heading == "To start" and section.count == 1
    [item] = section.items
    assert item.url == f"/evaluations/{midterm.pk}/"
    assert item.label == f"{midterm.contract.number} Mid-term evaluation"
    assert item.meta == f"Planned · {midterm.due_date:%Y-%m-%d}"


def test_a_section_over_its_limit_shows_the_first_rows_and_the_full_count(
    midterm, officer, evaluator, firm
):
    services.evaluation_assign(evaluation=midterm, user=officer, evaluator_organization=firm)
    base = Evaluation.objects.get(pk=midterm.pk)
    for _ in range(LIMIT + 2):
        evaluation = Evaluation.objects.get(pk=base.pk)
        evaluation.pk = None
        evaluation._state.adding = True
        evaluation.contract = copy_contract(base.contract)
        evaluation.save()
    panel, queries = _panel(evaluator)
    assert queries == 2
    [section] = panel.context["sections"]
    assert section.count == LIMIT + 3 and len(section.items) == LIMIT
