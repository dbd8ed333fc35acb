"""The rounds and lots API: officers set rounds up and run them; the public reads
published calls; bad input gets 400 with field messages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bidding.models import Round
from tests.factories import PurchaseProjectFactory, UserFactory

from .round_helpers import (
    BIDDING_RUBRIC,
    KEY_PASSWORD,
    TRANCHES,
    draft_round,
    key_holder,
    published_round,
)

pytestmark = pytest.mark.django_db


def _payload(**overrides) -> dict:
    now = timezone.now()
    data = {
        "title": "2026年助残就业服务采购",
        "kind": "bidding",
        "year": 2026,
        "questions_until": (now + timedelta(days=20)).isoformat(),
        "submission_deadline": (now + timedelta(days=25)).isoformat(),
        # Public bidding opens at the deadline (87号令 Art 40).
        "opening_at": (now + timedelta(days=25)).isoformat(),
        "timeline_acknowledged": True,
        "criteria": [{**c, "max_points": str(c["max_points"])} for c in BIDDING_RUBRIC],
        "tranche_plan": [{**t, "share": str(t["share"])} for t in TRANCHES],
    }
    data.update(overrides)
    return data


def test_officer_sets_up_and_publishes_a_round_through_the_api(api, officer):
    api.force_authenticate(officer)
    response = api.post("/api/v1/rounds/", _payload(), format="json")
    assert response.status_code == 201, response.content
    round_id = response.json()["id"]
    assert len(response.json()["criteria"]) == 3
    project = PurchaseProjectFactory()
    lot = api.post("/api/v1/lots/", {"round": round_id, "project": project.pk}, format="json")
    assert lot.status_code == 201, lot.content
    assert lot.json()["cap"] == str(project.budget_ceiling)
    patched = api.patch(f"/api/v1/lots/{lot.json()['id']}/", {"cap": "250000.00"}, format="json")
    assert patched.json()["cap"] == "250000.00"
    refused = api.post(f"/api/v1/rounds/{round_id}/publish/")
    assert refused.status_code == 400 and "key_holders" in refused.json()
    key = api.post(
        "/api/v1/rounds/opening-key/",
        {"password": KEY_PASSWORD, "password_again": KEY_PASSWORD},
        format="json",
    )
    assert key.status_code == 201, key.content
    assert key.json()["has_key"] and api.get("/api/v1/rounds/opening-key/").json()["has_key"]
    holders = api.post(
        f"/api/v1/rounds/{round_id}/key-holders/",
        {"holders": [officer.pk, key_holder().pk], "threshold": 2},
        format="json",
    )
    assert holders.status_code == 200, holders.content
    assert holders.json()["threshold"] == 2 and holders.json()["sealed"] is False
    published = api.post(f"/api/v1/rounds/{round_id}/publish/")
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published" and published.json()["published_at"]
    assert api.get(f"/api/v1/rounds/{round_id}/key-holders/").json()["sealed"] is True
    edit = api.patch(f"/api/v1/rounds/{round_id}/", {"title": "改"}, format="json")
    assert edit.status_code == 409
    cancel = api.post(f"/api/v1/rounds/{round_id}/cancel/", {}, format="json")
    assert cancel.status_code == 400 and "reason" in cancel.json()
    cancel = api.post(f"/api/v1/rounds/{round_id}/cancel/", {"reason": "预算调整"}, format="json")
    assert cancel.json()["status"] == "cancelled"


def test_publishing_an_incomplete_round_lists_what_is_missing(api, officer):
    api.force_authenticate(officer)
    round_id = api.post("/api/v1/rounds/", _payload(criteria=[], tranche_plan=[]), format="json")
    assert round_id.status_code == 400  # an empty rubric is refused at once
    created = api.post(
        "/api/v1/rounds/",
        {k: v for k, v in _payload().items() if k not in ("criteria", "tranche_plan")},
        format="json",
    )
    response = api.post(f"/api/v1/rounds/{created.json()['id']}/publish/")
    assert response.status_code == 400
    assert {"lots", "criteria", "tranche_plan"} <= set(response.json())


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"kind": "auction"}, "kind"),
        ({"panel_size": 4}, "panel_size"),
        ({"status": "published"}, "status"),
        ({"venture_cap": "abc"}, "venture_cap"),
        ({"criteria": [{"name": "方案", "max_points": "100", "kind": "technical"}]}, "criteria"),
        ({"tranche_plan": [{"share": "90", "condition": "on_signing"}]}, "tranche_plan"),
        ({"opening_at": "2020-01-01T00:00:00+08:00"}, "opening_at"),
    ],
)
def test_bad_round_input_is_400_with_field_messages(api, officer, override, field):
    api.force_authenticate(officer)
    response = api.post("/api/v1/rounds/", _payload(**override), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Round.objects.exists()


@pytest.mark.parametrize("role", ["approver", "auditor", "finance"])
def test_other_staff_cannot_create_or_publish(api, officer, role):
    user = UserFactory(roles=[role])
    round_ = draft_round(officer=officer)
    api.force_authenticate(user)
    assert api.post("/api/v1/rounds/", _payload(), format="json").status_code == 403
    assert api.post(f"/api/v1/rounds/{round_.pk}/publish/").status_code == 403
    round_.refresh_from_db()
    assert round_.status == "draft"


def test_drafts_are_hidden_from_the_public_and_organizations(api, officer, org_admin):
    draft = draft_round(officer=officer)
    published = published_round(officer=officer)
    for user in (None, org_admin):
        api.force_authenticate(user)
        ids = [r["id"] for r in api.get("/api/v1/rounds/").json()["results"]]
        assert ids == [published.pk]
        assert api.get(f"/api/v1/rounds/{draft.pk}/").status_code == 404
        assert api.get(f"/api/v1/rounds/{published.pk}/").status_code == 200
    api.force_authenticate(org_admin)
    assert api.post(f"/api/v1/rounds/{draft.pk}/publish/").status_code == 404


def test_anonymous_visitors_cannot_write(api, officer):
    published = published_round(officer=officer)
    assert api.post("/api/v1/rounds/", _payload(), format="json").status_code == 401
    assert api.post(f"/api/v1/rounds/{published.pk}/cancel/", {"reason": "x"}).status_code == 401


def test_lot_removal_only_in_draft(api, officer):
    draft = draft_round(officer=officer, lots=2)
    published = published_round(officer=officer)
    api.force_authenticate(officer)
    lot = draft.lots.first()
    assert api.delete(f"/api/v1/lots/{lot.pk}/").status_code == 204
    assert api.delete(f"/api/v1/lots/{published.lots.first().pk}/").status_code == 409


def test_venture_lot_through_the_api(api, officer):
    api.force_authenticate(officer)
    created = api.post(
        "/api/v1/rounds/",
        _payload(
            kind="venture",
            venture_cap="150000.00",
            panel_size=3,
            criteria=[{"name": "项目设计", "max_points": "100"}],
        ),
        format="json",
    )
    assert created.status_code == 201, created.content
    lot = api.post(
        "/api/v1/lots/",
        {"round": created.json()["id"], "category": "employment", "max_awards": 3},
        format="json",
    )
    assert lot.status_code == 201, lot.content
    assert (lot.json()["cap"], lot.json()["max_awards"]) == ("150000.00", 3)
    bad = api.post(
        "/api/v1/lots/",
        {"round": created.json()["id"], "category": "education", "cap": "200000.00"},
        format="json",
    )
    assert bad.status_code == 400 and "cap" in bad.json()


def test_close_action_before_the_deadline_is_409(api, officer):
    round_ = published_round(officer=officer)
    api.force_authenticate(officer)
    assert api.post(f"/api/v1/rounds/{round_.pk}/close/").status_code == 409


def test_schema_lists_the_round_and_bid_endpoints_without_warnings_of_their_own(
    db, tmp_path, capsys
):
    from django.core.management import call_command

    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--file", str(out))
    warnings = capsys.readouterr().err
    for module in ("bidding/api/rounds.py", "bidding/api/bids.py", "bidding/serializers.py"):
        assert module not in warnings
    for name in ("Round", "Lot", "Bid", "Clarification", "Receipt", "Tranche", "Rubric"):
        assert f"[{name}" not in warnings
    text = out.read_text()
    for path in (
        "/api/v1/rounds/{id}/publish/",
        "/api/v1/rounds/{id}/bid-counts/",
        "/api/v1/rounds/{round_pk}/questions/{id}/answer/",
        "/api/v1/bids/{id}/submit/",
        "/api/v1/bids/{id}/withdraw/",
        "/api/v1/bids/{id}/receipt/",
        "/api/v1/lots/{id}/complete-qualification/",
    ):
        assert path in text, path
