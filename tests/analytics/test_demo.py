"""The demo shows five years of figures, and seeding again adds nothing."""

import io

import pytest
from django.core.management import call_command

from analytics import demo, selectors
from analytics.models import AwardFact, OrganizationYear
from bidding.models import Award, Bid, Round
from contracts.models import Contract, PaymentTranche

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (Round, Bid, Award, Contract, PaymentTranche, AwardFact)]


def test_demo_history_is_visible_and_seeding_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    demo.seed({"log": lambda *_: None})
    assert _counts() == first

    f = selectors.Filters(2022, 2026)
    years = selectors.concentration(f)
    assert all(r["organizations"] >= 5 and r["hhi"] is not None for r in years)
    categories = selectors.concentration_by_category(f)
    assert max(c["hhi"] for c in categories) > 5000 > min(c["hhi"] for c in categories)
    dependency = selectors.dependency_distribution(selectors.Filters(2022, 2025))
    assert all(r["over_80"] >= 1 and r["unknown"] >= 1 for r in dependency)
    assert OrganizationYear.objects.filter(year=2026, income__isnull=True).exists()
    conduct = selectors.conduct(f)
    assert conduct[0]["payment_median_days"] > conduct[-1]["payment_median_days"]
    assert any(g["awards_since"] for g in selectors.graduates(f))
