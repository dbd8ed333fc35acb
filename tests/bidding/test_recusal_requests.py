"""Suppliers ask for a named expert's recusal (回避申请) with a reason; the officer
grants (the expert leaves the lot's panel, a replacement is drawn) or rejects with a
reason; both sides are notified and it is audited (政府采购法实施条例 Art 9). Suppliers
see a lot's panel from the opening on, and only for lots they bid on."""

import pytest
from django.urls import reverse

from bidding.models import Lot, LotAssignment, RecusalRequest
from bidding.selectors import review as selectors
from bidding.services import recusals
from purchase_portal.errors import ApplicationError, NotFoundError, PermissionDeniedError
from purchase_portal.models import AuditEvent, Notification
from tests.factories import MembershipFactory
from tests.helpers import as_user

from .review_setup import assignments, draw_panel, in_review_round, opened_round

pytestmark = pytest.mark.django_db


def _panel(officer):
    round_ = in_review_round()
    draw_panel(round_, officer)
    lot = round_.lots.get()
    bid = lot.bids.order_by("pk").first()
    supplier = MembershipFactory(organization=bid.organization, role="admin").user
    return round_, lot, bid.organization, supplier, assignments(lot)[0]


def test_a_granted_request_removes_the_expert_and_draws_a_replacement(officer):
    _round, lot, org, supplier, seat = _panel(officer)
    request = recusals.recusal_request(
        assignment=seat, user=supplier, organization=org, reason="该专家曾任我方竞争对手顾问"
    )
    assert Notification.objects.filter(recipient=officer, kind="panel.recusal_requested")
    decided = recusals.recusal_decide(request=request, user=officer, grant=True)
    assert decided.status == RecusalRequest.Status.GRANTED
    seat.refresh_from_db()
    assert seat.status == LotAssignment.Status.RECUSED
    assert seat.replaced_by is not None
    assert seat.expert not in [
        a.expert for a in selectors.lot_panel_for_bidder(user=supplier, lot=lot)
    ]
    assert Notification.objects.filter(recipient=supplier, kind="panel.recusal_decided")
    assert Notification.objects.filter(recipient=seat.expert, kind="panel.recusal_decided")
    assert AuditEvent.objects.filter(action="recusal_request.create").exists()
    assert AuditEvent.objects.filter(action="recusal_request.grant").exists()


def test_a_rejection_needs_a_reason_and_keeps_the_expert(officer):
    _round, _lot, org, supplier, seat = _panel(officer)
    request = recusals.recusal_request(
        assignment=seat, user=supplier, organization=org, reason="怀疑有利害关系"
    )
    with pytest.raises(ApplicationError) as exc:
        recusals.recusal_decide(request=request, user=officer, grant=False, reason="")
    assert "reason" in exc.value.fields
    recusals.recusal_decide(request=request, user=officer, grant=False, reason="经核实无利害关系")
    request.refresh_from_db()
    seat.refresh_from_db()
    assert request.status == RecusalRequest.Status.REJECTED
    assert seat.status == LotAssignment.Status.PENDING


def test_only_a_bidders_admin_requests_and_only_officers_decide(officer, approver, other_admin):
    _round, _lot, org, supplier, seat = _panel(officer)
    with pytest.raises(PermissionDeniedError):
        recusals.recusal_request(assignment=seat, user=other_admin, organization=org, reason="x")
    with pytest.raises(NotFoundError):
        # An organization that did not bid on the lot does not see its panel.
        recusals.recusal_request(
            assignment=seat,
            user=other_admin,
            organization=other_admin.memberships.get().organization,
            reason="x",
        )
    request = recusals.recusal_request(
        assignment=seat, user=supplier, organization=org, reason="怀疑有利害关系"
    )
    for user in (approver, supplier, seat.expert):
        with pytest.raises(PermissionDeniedError):
            recusals.recusal_decide(request=request, user=user, grant=True)
    request.refresh_from_db()
    seat.refresh_from_db()
    assert request.status == RecusalRequest.Status.OPEN
    assert seat.status == LotAssignment.Status.PENDING


def test_the_panel_is_hidden_before_the_opening(officer):
    round_ = opened_round()
    lot = round_.lots.get()
    supplier = MembershipFactory(organization=lot.bids.first().organization, role="admin").user
    assert selectors.bidder_organizations(user=supplier, lot=lot)
    round_.opened_at = None
    round_.save(update_fields=["opened_at"])
    lot = Lot.objects.get(pk=lot.pk)
    assert selectors.bidder_organizations(user=supplier, lot=lot) == []


def test_the_supplier_requests_on_the_page_and_the_officer_decides(client, officer):
    round_, lot, _org, supplier, seat = _panel(officer)
    as_user(client, supplier)
    page = client.get(
        reverse("bidding:lot-panel", args=[lot.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert seat.expert.display_name in page
    assert "政府采购法实施条例" in page and "回避" in page
    client.post(
        reverse("bidding:lot-panel-recusal", args=[lot.pk]),
        {"assignment": seat.pk, "reason": "该专家与我方存在纠纷"},
    )
    request = RecusalRequest.objects.get()
    as_user(client, officer)
    review = client.get(
        reverse("bidding:review-round", args=[round_.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "该专家与我方存在纠纷" in review
    client.post(
        reverse("bidding:review-recusal-decide", args=[request.pk]),
        {"decision": "reject", "reason": "理由不成立"},
    )
    request.refresh_from_db()
    assert request.status == RecusalRequest.Status.REJECTED


@pytest.mark.parametrize("who", ["other_admin", "expert", "anonymous"])
def test_others_neither_see_the_panel_nor_request(client, officer, who, request):
    _round, lot, org, _supplier, seat = _panel(officer)
    user = {
        "other_admin": lambda: request.getfixturevalue("other_admin"),
        "expert": lambda: seat.expert,
        "anonymous": lambda: None,
    }[who]()
    if user is not None:
        as_user(client, user)
    page = client.get(reverse("bidding:lot-panel", args=[lot.pk]))
    assert page.status_code in (302, 403, 404)
    posted = client.post(
        reverse("bidding:lot-panel-recusal", args=[lot.pk]),
        {"assignment": seat.pk, "organization": org.pk, "reason": "x"},
    )
    assert posted.status_code in (302, 403, 404)
    if user is not None:
        assert posted.status_code in (403, 404)
    assert not RecusalRequest.objects.exists()


def test_the_api_shows_the_panel_and_runs_a_request(api, officer, approver, other_admin):
    _round, lot, org, supplier, seat = _panel(officer)
    api.force_authenticate(supplier)
    panel = api.get("/api/v1/recusals/panel/", {"lot": lot.pk})
    assert panel.status_code == 200
    assert seat.expert.display_name in [row["expert_name"] for row in panel.json()]
    bad = api.post(
        "/api/v1/recusals/",
        {"assignment": seat.pk, "organization": org.pk, "reason": ""},
        format="json",
    )
    assert bad.status_code == 400 and "reason" in bad.json()
    made = api.post(
        "/api/v1/recusals/",
        {"assignment": seat.pk, "organization": org.pk, "reason": "存在利害关系"},
        format="json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    api.force_authenticate(other_admin)
    assert api.get("/api/v1/recusals/panel/", {"lot": lot.pk}).status_code == 404
    assert api.get(f"/api/v1/recusals/{pk}/").status_code == 404
    assert api.post(f"/api/v1/recusals/{pk}/grant/", {}, format="json").status_code == 404
    api.force_authenticate(approver)
    assert api.post(f"/api/v1/recusals/{pk}/grant/", {}, format="json").status_code == 403
    api.force_authenticate(None)
    assert api.post(f"/api/v1/recusals/{pk}/grant/", {}, format="json").status_code in (401, 403)
    assert RecusalRequest.objects.get().status == RecusalRequest.Status.OPEN
    api.force_authenticate(officer)
    refused = api.post(
        f"/api/v1/recusals/{pk}/reject/", {}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert refused.status_code == 400
    done = api.post(f"/api/v1/recusals/{pk}/grant/", {}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "granted"


def test_the_request_list_is_bounded_in_queries(api, officer, django_assert_max_num_queries):
    _round, _lot, org, supplier, _seat = _panel(officer)
    for seat in assignments(_lot)[:5]:
        recusals.recusal_request(assignment=seat, user=supplier, organization=org, reason="理由")
    api.force_authenticate(officer)
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/recusals/")
    assert response.status_code == 200 and len(response.json()["results"]) == 5


def test_the_lot_panel_page_is_bounded_in_queries(client, officer, django_assert_max_num_queries):
    _round, lot, org, supplier, _seat = _panel(officer)
    for seat in assignments(lot)[:4]:
        recusals.recusal_request(assignment=seat, user=supplier, organization=org, reason="理由")
    as_user(client, supplier)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("bidding:lot-panel", args=[lot.pk])).status_code == 200
