"""The bids API from the outside: an organization's whole bid, and everything
another organization, a late bidder or bad input gets instead."""

from datetime import timedelta

import pytest
import time_machine

from bidding.models import Bid, BidSubmission
from tests.factories import MembershipFactory

from .round_helpers import filled_bid, pdf_upload, submitted_bid

pytestmark = pytest.mark.django_db

CONTENT = {
    "price": "280000.00",
    "service_plan": "入户康复训练，每周两次",
    "team": "康复治疗师3名，社工2名",
    "schedule": "2026年3月至12月",
    "budget_lines": [
        {"item": "人员费用", "amount": "200000.00"},
        {"item": "康复器材", "amount": "80000.00", "note": "含维护"},
    ],
    "targets": [
        {"kind": "output", "indicator": "上门服务", "target_value": "1200", "unit": "人次"},
        {"kind": "satisfaction", "indicator": "满意度", "target_value": "90", "unit": "%"},
    ],
}


def test_organization_prepares_submits_withdraws_and_resubmits_a_bid(api, lot, org, org_admin):
    api.force_authenticate(org_admin)
    created = api.post("/api/v1/bids/", {"lot": lot.pk}, format="json")
    assert created.status_code == 201, created.content
    bid_id = created.json()["id"]
    assert created.json()["organization"] == org.pk and created.json()["status"] == "draft"
    again = api.post("/api/v1/bids/", {"lot": lot.pk}, format="json")
    assert again.status_code == 409
    updated = api.patch(f"/api/v1/bids/{bid_id}/", CONTENT, format="json")
    assert updated.status_code == 200, updated.content
    assert len(updated.json()["budget_lines"]) == 2 and len(updated.json()["targets"]) == 2
    upload = api.post(
        f"/api/v1/bids/{bid_id}/attachments/",
        {"file": pdf_upload("服务方案.pdf"), "title": "服务方案"},
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    download = api.get(upload.json()["download_url"])
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    receipt = api.post(f"/api/v1/bids/{bid_id}/submit/")
    assert receipt.status_code == 200, receipt.content
    data = receipt.json()
    assert len(data["digest"]) == 64 and data["is_current"] is True
    assert data["canonical"]["attachments"][0]["name"] == "服务方案.pdf"
    assert (
        api.get(f"/api/v1/bids/{bid_id}/receipt/").json()["receipt_number"]
        == data["receipt_number"]
    )
    pdf = api.get(f"/api/v1/bids/{bid_id}/receipt-pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert api.post(f"/api/v1/bids/{bid_id}/submit/").status_code == 409
    assert api.patch(f"/api/v1/bids/{bid_id}/", {"team": "x"}, format="json").status_code == 409
    withdrawn = api.post(f"/api/v1/bids/{bid_id}/withdraw/")
    assert withdrawn.json()["status"] == "withdrawn"
    assert api.get(f"/api/v1/bids/{bid_id}/receipt/").status_code == 404
    resubmitted = api.post(f"/api/v1/bids/{bid_id}/submit/")
    assert resubmitted.json()["receipt_number"] != data["receipt_number"]
    detail = api.get(f"/api/v1/bids/{bid_id}/").json()
    assert [s["is_current"] for s in detail["submissions"]] == [True, False]


def test_budget_lines_not_summing_is_400_and_the_bid_unchanged(api, lot, org, org_admin):
    bid = filled_bid(lot=lot, user=org_admin, org=org)
    api.force_authenticate(org_admin)
    patch = api.patch(
        f"/api/v1/bids/{bid.pk}/",
        {"budget_lines": [{"item": "人员费用", "amount": "279999.99"}]},
        format="json",
    )
    assert patch.status_code == 200
    response = api.post(f"/api/v1/bids/{bid.pk}/submit/")
    assert response.status_code == 400
    assert "budget_lines" in response.json()
    bid.refresh_from_db()
    assert (bid.status, bid.digest) == ("draft", "")


def test_price_over_the_cap_is_400(api, lot, org, org_admin):
    bid = filled_bid(lot=lot, user=org_admin, org=org)
    api.force_authenticate(org_admin)
    response = api.patch(f"/api/v1/bids/{bid.pk}/", {"price": "300000.01"}, format="json")
    assert response.status_code == 400 and "price" in response.json()
    bid.refresh_from_db()
    assert str(bid.price) == "280000.00"


@pytest.mark.parametrize(
    "payload",
    [
        {"price": "abc"},
        {"price": "1.005"},
        {"digest": "0" * 64},
        {"status": "submitted"},
        {"budget_lines": [{"item": "x", "amount": "-1"}]},
        {"targets": [{"kind": "other", "indicator": "x", "target_value": "1", "unit": "u"}]},
        {"budget_lines": "not a list"},
    ],
)
def test_bad_bid_input_is_400_with_field_messages(api, lot, org, org_admin, payload):
    bid = filled_bid(lot=lot, user=org_admin, org=org)
    api.force_authenticate(org_admin)
    response = api.patch(f"/api/v1/bids/{bid.pk}/", payload, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) & set(payload)


def test_submission_one_second_after_the_deadline_is_409_and_nothing_changes(
    api, round_, lot, org, org_admin
):
    bid = filled_bid(lot=lot, user=org_admin, org=org)
    api.force_authenticate(org_admin)
    with time_machine.travel(round_.submission_deadline + timedelta(seconds=1), tick=False):
        response = api.post(f"/api/v1/bids/{bid.pk}/submit/")
        assert response.status_code == 409
        assert response.json()["code"] == "deadline_passed"
        assert (
            api.patch(f"/api/v1/bids/{bid.pk}/", {"price": "1.00"}, format="json").status_code
            == 409
        )
    bid.refresh_from_db()
    assert (bid.status, bid.digest, str(bid.price)) == ("draft", "", "280000.00")
    assert not BidSubmission.objects.exists()


def test_withdrawal_after_the_deadline_is_409(api, round_, lot, org, org_admin):
    bid = submitted_bid(lot=lot, user=org_admin, org=org)
    api.force_authenticate(org_admin)
    with time_machine.travel(round_.submission_deadline + timedelta(seconds=1), tick=False):
        assert api.post(f"/api/v1/bids/{bid.pk}/withdraw/").status_code == 409
    bid.refresh_from_db()
    assert bid.status == "submitted"


def test_another_organization_cannot_read_or_withdraw_your_bid(
    api, lot, org, org_admin, other_admin
):
    bid = submitted_bid(lot=lot, user=org_admin, org=org)
    api.force_authenticate(other_admin)
    assert api.get("/api/v1/bids/").json()["results"] == []
    for method, url in (
        ("get", f"/api/v1/bids/{bid.pk}/"),
        ("get", f"/api/v1/bids/{bid.pk}/receipt/"),
        ("get", f"/api/v1/bids/{bid.pk}/receipt-pdf/"),
        ("get", f"/api/v1/bids/{bid.pk}/attachments/"),
        ("post", f"/api/v1/bids/{bid.pk}/withdraw/"),
        ("post", f"/api/v1/bids/{bid.pk}/submit/"),
        ("patch", f"/api/v1/bids/{bid.pk}/"),
        ("delete", f"/api/v1/bids/{bid.pk}/attachments/{bid.attachments.first().pk}/"),
    ):
        assert getattr(api, method)(url, {}, format="json").status_code == 404, url
    bid.refresh_from_db()
    assert bid.status == "submitted" and bid.attachments.count() == 1


def test_member_cannot_bid_for_an_organization_they_do_not_belong_to(api, lot, org, other_admin):
    api.force_authenticate(other_admin)
    response = api.post("/api/v1/bids/", {"lot": lot.pk, "organization": org.pk}, format="json")
    assert response.status_code == 404
    assert not Bid.objects.filter(organization=org).exists()


def test_member_of_two_organizations_chooses_one(api, lot, org, org_admin, other_org):
    MembershipFactory(organization=other_org, user=org_admin)
    api.force_authenticate(org_admin)
    response = api.post("/api/v1/bids/", {"lot": lot.pk}, format="json")
    assert response.status_code == 400 and "organization" in response.json()
    response = api.post(
        "/api/v1/bids/", {"lot": lot.pk, "organization": other_org.pk}, format="json"
    )
    assert response.status_code == 201 and response.json()["organization"] == other_org.pk


def test_bid_on_a_draft_round_lot_is_404(api, officer, org_admin):
    from .round_helpers import draft_round

    draft = draft_round(officer=officer)
    api.force_authenticate(org_admin)
    response = api.post("/api/v1/bids/", {"lot": draft.lots.get().pk}, format="json")
    assert response.status_code == 404
