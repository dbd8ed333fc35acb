"""Score sheets: independent scores within the rubric, locked on submission,
hidden from other experts until they submit, signed with dissent."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bidding.models import Bid, LotAssignment, RubricCriterion, Score, ScoreSheet
from bidding.services import scores as score_services
from purchase_portal.errors import ApplicationError, ConflictError
from purchase_portal.models import AuditEvent
from tests.helpers import as_user

from .review_setup import (
    PASSWORD,
    assignments,
    declare_none,
    draw_panel,
    in_review_round,
    qualified_bids,
    score,
    score_all,
    technical_criteria,
)

A = LotAssignment.Status
S = ScoreSheet.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def lot(officer):
    round_ = in_review_round()
    draw_panel(round_, officer)
    lot = round_.lots.get()
    declare_none(lot)
    return lot


@pytest.fixture
def expert(lot):
    return assignments(lot, A.ACTIVE)[0]


def entry(bid, criterion, points):
    return {"bid": bid.pk, "criterion": criterion.pk, "points": points}


def test_an_expert_saves_draft_scores_and_changes_them(lot, expert):
    bid = qualified_bids(lot)[0]
    plan = technical_criteria(lot.round)[0]
    sheet = score_services.scores_save(
        assignment=expert, user=expert.expert, entries=[entry(bid, plan, "31.5")]
    )
    assert sheet.status == S.DRAFT
    score_services.scores_save(
        assignment=expert, user=expert.expert, entries=[entry(bid, plan, "33")]
    )
    assert Score.objects.get(sheet=sheet).points == Decimal("33.00")
    events = AuditEvent.objects.filter(action="score_sheet.save", object_id=str(sheet.pk))
    assert events.count() == 2
    assert events.first().before == {f"{bid.pk}:{plan.pk}": "31.50"}


@pytest.mark.parametrize("points", ["-1", "40.01", "12.345", "abc", "NaN"])
def test_out_of_range_or_malformed_points_are_refused(lot, expert, points):
    bid = qualified_bids(lot)[0]
    plan = technical_criteria(lot.round)[0]  # 0..40
    with pytest.raises(ApplicationError) as exc:
        score_services.scores_save(
            assignment=expert, user=expert.expert, entries=[entry(bid, plan, points)]
        )
    assert exc.value.status_code == 400
    assert score_services.score_field(bid.pk, plan.pk) in exc.value.fields
    assert not Score.objects.exists()


def test_the_same_bid_and_criterion_twice_is_refused(lot, expert):
    bid = qualified_bids(lot)[0]
    plan = technical_criteria(lot.round)[0]
    with pytest.raises(ApplicationError) as exc:
        score_services.scores_save(
            assignment=expert,
            user=expert.expert,
            entries=[entry(bid, plan, "10"), entry(bid, plan, "20")],
        )
    assert "twice" in str(exc.value.fields[score_services.score_field(bid.pk, plan.pk)])
    assert not Score.objects.exists()


def test_the_price_criterion_is_never_typed(lot, expert):
    price = lot.round.criteria.get(kind=RubricCriterion.Kind.PRICE)
    bid = qualified_bids(lot)[0]
    with pytest.raises(ApplicationError) as exc:
        score_services.scores_save(
            assignment=expert, user=expert.expert, entries=[entry(bid, price, "30")]
        )
    assert "computed" in str(exc.value.fields[score_services.score_field(bid.pk, price.pk)])


def test_bids_of_other_lots_and_disqualified_bids_are_refused(lot, expert, officer):
    other_round = in_review_round()
    foreign = qualified_bids(other_round.lots.get())[0]
    plan = technical_criteria(lot.round)[0]
    with pytest.raises(ApplicationError):
        score_services.scores_save(
            assignment=expert, user=expert.expert, entries=[entry(foreign, plan, "5")]
        )
    foreign_criterion = technical_criteria(other_round)[0]
    with pytest.raises(ApplicationError):
        score_services.scores_save(
            assignment=expert,
            user=expert.expert,
            entries=[entry(qualified_bids(lot)[0], foreign_criterion, "5")],
        )


def test_an_incomplete_sheet_cannot_be_submitted(lot, expert):
    bid = qualified_bids(lot)[0]
    plan = technical_criteria(lot.round)[0]
    sheet = score_services.scores_save(
        assignment=expert, user=expert.expert, entries=[entry(bid, plan, "10")]
    )
    with pytest.raises(ApplicationError) as exc:
        score_services.sheet_submit(sheet=sheet, user=expert.expert)
    assert exc.value.code == "incomplete"
    assert len(exc.value.fields) == 5  # 3 bids × 2 criteria, one given
    sheet.refresh_from_db()
    assert sheet.status == S.DRAFT


def test_a_submitted_sheet_is_locked(lot, expert):
    sheet = score(expert, Decimal("20"))
    assert sheet.status == S.SUBMITTED and sheet.submitted_at
    bid = qualified_bids(lot)[0]
    plan = technical_criteria(lot.round)[0]
    with pytest.raises(ConflictError) as exc:
        score_services.scores_save(
            assignment=expert, user=expert.expert, entries=[entry(bid, plan, "1")]
        )
    assert exc.value.code == "sheet_locked"
    assert Score.objects.get(sheet=sheet, bid=bid, criterion=plan).points == Decimal("20")


def test_scores_through_the_api(api, lot, expert):
    bid = qualified_bids(lot)[0]
    plan, team = technical_criteria(lot.round)
    as_user(api, expert.expert)
    response = api.post(
        "/api/v1/scores/",
        {"lot": lot.pk, "scores": [entry(bid, plan, "35.25"), entry(bid, team, "20")]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    sheet = response.json()
    assert {(s["bid"], s["criterion"], s["points"]) for s in sheet["scores"]} == {
        (bid.pk, plan.pk, "35.25"),
        (bid.pk, team.pk, "20.00"),
    }
    out_of_range = api.post(
        "/api/v1/scores/", {"lot": lot.pk, "scores": [entry(bid, team, "31")]}, format="json"
    )
    assert out_of_range.status_code == 400
    assert score_services.score_field(bid.pk, team.pk) in out_of_range.json()
    repeated = api.post(
        "/api/v1/scores/",
        {"lot": lot.pk, "scores": [entry(bid, team, "3"), entry(bid, team, "4")]},
        format="json",
    )
    assert repeated.status_code == 400
    unknown = api.post(
        "/api/v1/scores/", {"lot": lot.pk, "scores": [], "status": "submitted"}, format="json"
    )
    assert unknown.status_code == 400 and "status" in unknown.json()
    assert Score.objects.get(bid=bid, criterion=team).points == Decimal("20")
    incomplete = api.post(f"/api/v1/scores/{sheet['id']}/submit/")
    assert incomplete.status_code == 400
    entries = [entry(b, c, "10") for b in qualified_bids(lot) for c in (plan, team)]
    api.post("/api/v1/scores/", {"lot": lot.pk, "scores": entries}, format="json")
    submitted = api.post(f"/api/v1/scores/{sheet['id']}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    locked = api.post(
        "/api/v1/scores/", {"lot": lot.pk, "scores": [entry(bid, plan, "1")]}, format="json"
    )
    assert locked.status_code == 409


def test_a_stranger_scoring_a_lot_gets_404(api, lot, other_admin):
    as_user(api, other_admin)
    response = api.post(
        "/api/v1/scores/",
        {
            "lot": lot.pk,
            "scores": [entry(qualified_bids(lot)[0], technical_criteria(lot.round)[0], "1")],
        },
        format="json",
    )
    assert response.status_code == 404


def test_others_scores_are_hidden_until_the_expert_submits(api, lot):
    first, second = assignments(lot, A.ACTIVE)[:2]
    theirs = score(first, Decimal("25"))
    mine = score(second, Decimal("10"), submit=False)
    as_user(api, second.expert)
    listed = api.get("/api/v1/scores/").json()["results"]
    assert [s["id"] for s in listed] == [mine.pk]
    assert api.get(f"/api/v1/scores/{theirs.pk}/").status_code == 403
    assert api.get("/api/v1/scores/results/", {"lot": lot.pk}).status_code == 403
    # After submitting, the other submitted sheets of the lot become readable.
    score_services.sheet_submit(sheet=mine, user=second.expert)
    listed = {s["id"] for s in api.get("/api/v1/scores/").json()["results"]}
    assert listed == {mine.pk, theirs.pk}
    assert api.get(f"/api/v1/scores/{theirs.pk}/").status_code == 200


def test_draft_sheets_of_others_stay_hidden_even_after_submitting(api, lot):
    first, second = assignments(lot, A.ACTIVE)[:2]
    draft = score(first, Decimal("25"), submit=False)
    score(second, Decimal("10"))
    as_user(api, second.expert)
    assert draft.pk not in {s["id"] for s in api.get("/api/v1/scores/").json()["results"]}
    assert api.get(f"/api/v1/scores/{draft.pk}/").status_code == 403


def test_staff_read_submitted_sheets_only_and_strangers_nothing(api, lot, officer, other_admin):
    first, second = assignments(lot, A.ACTIVE)[:2]
    submitted = score(first, Decimal("25"))
    draft = score(second, Decimal("10"), submit=False)
    as_user(api, officer)
    assert {s["id"] for s in api.get("/api/v1/scores/").json()["results"]} == {submitted.pk}
    assert api.get(f"/api/v1/scores/{draft.pk}/").status_code == 404
    as_user(api, other_admin)
    assert api.get("/api/v1/scores/").json()["results"] == []
    assert api.get(f"/api/v1/scores/{submitted.pk}/").status_code == 404
    assert api.get("/api/v1/scores/results/", {"lot": lot.pk}).status_code == 404


def test_the_result_aggregates_once_everyone_has_submitted(api, lot, officer):
    active = assignments(lot, A.ACTIVE)
    for assignment in active[:-1]:
        score(assignment, Decimal("20"))
    as_user(api, officer)
    pending = api.get("/api/v1/scores/results/", {"lot": lot.pk}).json()
    assert pending["complete"] is False and pending["rows"] == []
    score(active[-1], Decimal("20"))
    result = api.get("/api/v1/scores/results/", {"lot": lot.pk}).json()
    assert result["complete"] is True
    assert result["drops_extremes"] is True
    rows = result["rows"]
    assert [r["rank"] for r in rows] == [1, 2, 3]
    # Equal technical scores: the cheapest bid (200000, price score 30) ranks first.
    assert rows[0]["price_score"] == "30.00"
    assert rows[1]["price_score"] == "24.00"
    assert rows[0]["final_score"] == "70.00"
    assert len(rows[0]["experts"]) == 5
    assert sum(e["dropped"] for e in rows[0]["experts"]) == 2
    assert "Art 55" in result["ranking_rule"]


def test_signing_needs_everyone_submitted_and_the_password(lot, expert):
    sheet = score(expert, Decimal("20"))
    with pytest.raises(ConflictError):
        score_services.sheet_sign(sheet=sheet, user=expert.expert, password=PASSWORD)
    for other in assignments(lot, A.ACTIVE)[1:]:
        score(other, Decimal("20"))
    with pytest.raises(ApplicationError) as exc:
        score_services.sheet_sign(sheet=sheet, user=expert.expert, password="wrong")
    assert "password" in exc.value.fields
    signed = score_services.sheet_sign(
        sheet=sheet, user=expert.expert, password=PASSWORD, dissent="方案二的评分偏高"
    )
    assert signed.status == S.SIGNED and signed.signed_at and signed.dissent == "方案二的评分偏高"


def test_signing_is_recorded_with_time_and_address_in_the_audit_trail(client, lot):
    for assignment in assignments(lot, A.ACTIVE):
        score(assignment, Decimal("20"))
    signer = assignments(lot, A.ACTIVE)[0]
    as_user(client, signer.expert)
    url = reverse("bidding:review-sign", args=[lot.pk])
    wrong = client.post(url, {"password": "nope", "dissent": ""}, REMOTE_ADDR="203.0.113.9")
    assert wrong.status_code == 400 and wrong.context["confirm"].form.errors["password"]
    response = client.post(
        url, {"password": PASSWORD, "dissent": "保留意见"}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(assignment=signer)
    assert sheet.signed_ip == "203.0.113.9"
    event = AuditEvent.objects.get(action="score_sheet.sign", object_id=str(sheet.pk))
    assert event.actor == signer.expert and event.ip == "203.0.113.9" and event.created_at
    assert event.after["dissent"] == "保留意见"
    result = client.get(reverse("bidding:review-result", args=[lot.pk]))
    assert "保留意见" in result.content.decode()


def test_sign_through_the_api(api, lot):
    for assignment in assignments(lot, A.ACTIVE):
        score(assignment, Decimal("20"))
    sheet = ScoreSheet.objects.filter(lot=lot).first()
    as_user(api, sheet.expert)
    missing = api.post(f"/api/v1/scores/{sheet.pk}/sign/", {}, format="json")
    assert missing.status_code == 400 and "password" in missing.json()
    ok = api.post(f"/api/v1/scores/{sheet.pk}/sign/", {"password": PASSWORD}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "signed"
    other = ScoreSheet.objects.filter(lot=lot).exclude(pk=sheet.pk).first()
    refused = api.post(f"/api/v1/scores/{other.pk}/sign/", {"password": PASSWORD}, format="json")
    assert refused.status_code == 403
    other.refresh_from_db()
    assert other.status == S.SUBMITTED


def test_the_scoring_page_has_labelled_inputs_with_guidance_and_field_errors(client, lot, expert):
    plan = technical_criteria(lot.round)[0]
    plan.guidance = "方案完整、目标明确"
    plan.save()
    bid = qualified_bids(lot)[0]
    as_user(client, expert.expert)
    url = reverse("bidding:review-score", args=[lot.pk])
    page = client.get(url)
    html = page.content.decode()
    name = score_services.score_field(bid.pk, plan.pk)
    assert f'<label for="id_{name}"' in html
    assert f'name="{name}"' in html and 'max="40' in html and 'step="0.01"' in html
    assert "方案完整、目标明确" in html
    assert bid.service_plan in html  # an active expert reads the bid
    assert client.get(reverse("bidding:bid-detail", args=[bid.pk])).status_code == 200
    invalid = client.post(url, {name: "41", "save": ""})
    assert invalid.status_code == 200
    assert invalid.context["form"].errors[name]
    assert 'class="error-summary"' in invalid.content.decode()
    saved = client.post(url, {name: "38.5", "save": ""})
    assert saved.status_code == 302
    assert Score.objects.get(bid=bid, criterion=plan).points == Decimal("38.5")
    incomplete = client.post(url, {"submit": ""})
    assert incomplete.status_code == 200 and incomplete.context["form"].errors
    data = {
        score_services.score_field(b.pk, c.pk): "10"
        for b in qualified_bids(lot)
        for c in technical_criteria(lot.round)
    }
    done = client.post(url, {**data, "submit": ""})
    # A complete sheet is saved, then the expert checks it on the confirmation page.
    confirm_url = reverse("bidding:review-score-submit", args=[lot.pk])
    assert done.status_code == 302 and done.url == confirm_url
    assert ScoreSheet.objects.get(assignment=expert).status == S.DRAFT
    assert client.post(confirm_url).status_code == 302
    assert ScoreSheet.objects.get(assignment=expert).status == S.SUBMITTED


def test_the_result_page_and_excel_sheet(client, lot, officer):
    # Expert 1 gives 13 more than the others on the 40-point criterion: flagged (> 12).
    score_all(lot, lambda b, c, e: Decimal(20 + b + (13 if e == 0 and c == 0 else 0)))
    welfare_bid = qualified_bids(lot)[-1]
    welfare = welfare_bid.organization
    # The flag frozen on the bid at submission is what the ranking shows.
    Bid.objects.filter(pk=welfare_bid.pk).update(welfare_unit=True)
    as_user(client, officer)
    page = client.get(reverse("bidding:review-result", args=[lot.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    result = page.context["result"]
    assert result.has_flags
    assert all(row.flagged == [technical_criteria(lot.round)[0].pk] for row in result.rows)
    assert "tag warning" in html
    assert f'{welfare.name} <span class="tag">' in html  # the welfare unit is marked
    download = client.get(reverse("bidding:review-result-xlsx", args=[lot.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(download.content))
    assert len(workbook.worksheets) == 3
    ranking = workbook.worksheets[0]
    assert ranking.cell(row=5, column=1).value == 1
    assert ranking.cell(row=5, column=2).value == result.rows[0].organization
    detail = workbook.worksheets[1]
    assert detail.max_row == 1 + 5 * 3 * 2  # header + 5 experts × 3 bids × 2 criteria


def test_an_expert_of_the_lot_downloads_the_sheet_after_submitting(client, lot, expert):
    as_user(client, expert.expert)
    assert client.get(reverse("bidding:review-result-xlsx", args=[lot.pk])).status_code == 403
    score_all(lot)
    assert client.get(reverse("bidding:review-result-xlsx", args=[lot.pk])).status_code == 200


def test_score_lists_run_a_bounded_number_of_queries(
    api, lot, officer, django_assert_max_num_queries
):
    score_all(lot)
    as_user(api, officer)
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/scores/")
    assert len(response.json()["results"]) == 5
    assert len(response.json()["results"][0]["scores"]) == 6
    with django_assert_max_num_queries(14):
        assert api.get("/api/v1/scores/results/", {"lot": lot.pk}).status_code == 200
    expert = assignments(lot, A.ACTIVE)[0].expert
    as_user(api, expert)
    with django_assert_max_num_queries(8):
        assert len(api.get("/api/v1/scores/").json()["results"]) == 5
