"""Garbage sent to the review endpoints is answered 400/403/404/409, never 500,
and changes nothing."""

import pytest

from bidding.models import Award, LotAssignment, Objection, PanelDraw, Score
from tests.helpers import as_user

from .review_setup import assignments, declare_none, draw_panel, in_review_round, noticed_round

pytestmark = pytest.mark.django_db

GARBAGE = [
    None,
    "",
    "x" * 5000,
    -1,
    0,
    10**30,
    "1e999",
    "NaN",
    True,
    [],
    [1, 2],
    {},
    {"a": 1},
    "../../etc/passwd",
    "<script>alert(1)</script>",
]
OK = {200, 201, 400, 401, 403, 404, 409}


def _check(response):
    assert response.status_code in OK, (response.status_code, response.content[:300])
    if response.status_code == 400:
        assert isinstance(response.json(), dict)


def test_fuzzed_review_payloads_never_fail(api, officer, approver):
    round_ = in_review_round()
    draw_panel(round_, officer)
    lot = round_.lots.get()
    declare_none(lot)
    expert = assignments(lot, "active")[0]
    sheet_id = expert.sheet.pk
    as_user(api, expert.expert)
    for value in GARBAGE:
        _check(api.post("/api/v1/scores/", {"lot": value, "scores": value}, format="json"))
        _check(
            api.post(
                "/api/v1/scores/",
                {"lot": lot.pk, "scores": [{"bid": value, "criterion": value, "points": value}]},
                format="json",
            )
        )
        _check(
            api.post(
                f"/api/v1/scores/{sheet_id}/sign/",
                {"password": value, "dissent": value},
                format="json",
            )
        )
        _check(api.get("/api/v1/scores/results/", {"lot": value if value is not None else ""}))
        _check(
            api.post(
                f"/api/v1/panels/{expert.pk}/declare/",
                {"conflict": value, "organization": value, "details": value},
                format="json",
            )
        )
        _check(
            api.get(f"/api/v1/scores/{value}/")
            if isinstance(value, int)
            else api.get("/api/v1/scores/?lot=abc")
        )
    assert not Score.objects.exists()
    as_user(api, officer)
    for value in GARBAGE:
        _check(api.post("/api/v1/panels/draw/", {"round": value}, format="json"))
        _check(api.post("/api/v1/awards/propose/", {"lot": value}, format="json"))
        _check(api.post("/api/v1/notices/", {"round": value}, format="json"))
        _check(
            api.get(
                "/api/v1/panels/draws/",
                {"round": "x", "kind": value if isinstance(value, str) else "x"},
            )
        )
        _check(api.get("/api/v1/panels/", {"status": "bogus", "lot": "x"}))
    assert PanelDraw.objects.count() == 1
    assert not Award.objects.exists()
    assert LotAssignment.objects.filter(lot=lot, status="active").count() == 5


def test_fuzzed_objection_payloads_never_fail(api, officer, approver):
    round_, notice = noticed_round(officer, approver)
    bid = round_.lots.get().bids.filter(status="not_awarded").first()
    from tests.factories import MembershipFactory

    member = MembershipFactory(organization=bid.organization).user
    as_user(api, member)
    for value in GARBAGE:
        _check(
            api.post(
                "/api/v1/objections/",
                {"notice": value, "lot": value, "organization": value, "grounds": value},
                format="json",
            )
        )
    assert not Objection.objects.exists()
    objection = api.post(
        "/api/v1/objections/",
        {
            "notice": notice.pk,
            "lot": round_.lots.get().pk,
            "organization": bid.organization_id,
            "grounds": "理由",
        },
        format="json",
    )
    assert objection.status_code == 201
    as_user(api, officer)
    for value in GARBAGE:
        _check(
            api.post(
                f"/api/v1/objections/{objection.json()['id']}/answer/",
                {"decision": value, "answer": value},
                format="json",
            )
        )
    assert Objection.objects.get().status == "open"
