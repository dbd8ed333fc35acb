"""The compliance check (符合性审查): experts mark a bid non-responsive with a reason,
the officer confirms or rejects, a confirmed bid leaves the ranking like a
disqualified one and its bidder learns why with the result (财政部令第87号 Art 50, 63)."""

import pytest
from django.urls import reverse

from bidding.models import Bid, LotAssignment, ResponsivenessFinding
from bidding.selectors import review as selectors
from bidding.services import award as award_services
from bidding.services import notices as notice_services
from bidding.services import responsiveness
from purchase_portal.errors import ApplicationError, NotFoundError, PermissionDeniedError
from purchase_portal.models import AuditEvent, Notification
from tests.factories import MembershipFactory
from tests.helpers import as_user

from .review_setup import (
    assignments,
    declare_none,
    draw_panel,
    in_review_round,
    qualified_bids,
    score_all,
    sign_all,
)

pytestmark = pytest.mark.django_db


def _review(officer):
    round_ = in_review_round()
    draw_panel(round_, officer)
    lot = round_.lots.get()
    declare_none(lot)
    experts = [a.expert for a in assignments(lot, LotAssignment.Status.ACTIVE)]
    return round_, lot, experts


def test_a_confirmed_finding_excludes_the_bid_from_the_ranking(officer, approver):
    round_, lot, experts = _review(officer)
    dearest = qualified_bids(lot)[-1]
    MembershipFactory(organization=dearest.organization, role="admin")
    finding = responsiveness.finding_create(
        bid=dearest, user=experts[0], reason="未响应服务期限的实质性要求"
    )
    assert finding.status == ResponsivenessFinding.Status.PROPOSED
    assert Notification.objects.filter(recipient=officer, kind="bid.non_responsive_found").exists()
    responsiveness.finding_decide(finding=finding, user=officer, confirm=True)
    dearest.refresh_from_db()
    assert dearest.status == Bid.Status.DISQUALIFIED
    assert "未响应服务期限" in dearest.disqualification_reason
    assert AuditEvent.objects.filter(action="responsiveness_finding.confirm").exists()
    score_all(lot)
    sign_all(lot)
    result = selectors.lot_result(lot=lot)
    assert dearest.pk not in [row.bid_id for row in result.rows]
    assert len(result.rows) == 2
    # The bidder hears why with the published result, not before.
    members = dearest.organization.memberships.values_list("user_id", flat=True)
    assert not Notification.objects.filter(recipient__in=members, kind="bid.non_responsive")
    award_services.award_propose(lot=lot, user=officer)
    award_services.lot_confirm(lot=lot, user=approver)
    notice_services.notice_publish(round=round_, user=officer)
    told = Notification.objects.get(recipient__in=members, kind="bid.non_responsive")
    assert "未响应服务期限" in told.body


def test_a_rejected_finding_needs_a_reason_and_keeps_the_bid(officer):
    _round, lot, experts = _review(officer)
    bid = qualified_bids(lot)[0]
    finding = responsiveness.finding_create(bid=bid, user=experts[0], reason="缺少承诺函")
    with pytest.raises(ApplicationError) as exc:
        responsiveness.finding_decide(finding=finding, user=officer, confirm=False, reason=" ")
    assert "reason" in exc.value.fields
    responsiveness.finding_decide(
        finding=finding, user=officer, confirm=False, reason="承诺函在附件第3页"
    )
    finding.refresh_from_db()
    bid.refresh_from_db()
    assert finding.status == ResponsivenessFinding.Status.REJECTED
    assert bid.status == Bid.Status.QUALIFIED


def test_only_the_lots_active_experts_find_and_only_officers_decide(officer, approver, org_admin):
    _round, lot, experts = _review(officer)
    bid = qualified_bids(lot)[0]
    with pytest.raises(NotFoundError):
        responsiveness.finding_create(bid=bid, user=org_admin, reason="x")
    with pytest.raises(ApplicationError):
        responsiveness.finding_create(bid=bid, user=experts[0], reason="  ")
    finding = responsiveness.finding_create(bid=bid, user=experts[0], reason="缺少承诺函")
    for user in (approver, experts[1]):
        with pytest.raises(PermissionDeniedError):
            responsiveness.finding_decide(finding=finding, user=user, confirm=True)
    finding.refresh_from_db()
    bid.refresh_from_db()
    assert finding.status == ResponsivenessFinding.Status.PROPOSED
    assert bid.status == Bid.Status.QUALIFIED


def test_the_pages_mark_and_decide_a_finding(client, officer):
    round_, lot, experts = _review(officer)
    bid = qualified_bids(lot)[1]
    as_user(client, experts[0])
    page = client.get(
        reverse("bidding:review-score", args=[lot.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "符合性审查" in page and "财政部令第87号" in page
    client.post(
        reverse("bidding:review-non-responsive", args=[lot.pk]),
        {"bid": bid.pk, "reason": "报价超出最高限价"},
    )
    finding = ResponsivenessFinding.objects.get()
    as_user(client, officer)
    review = client.get(
        reverse("bidding:review-round", args=[round_.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "报价超出最高限价" in review and "财政部令第87号" in review
    client.post(
        reverse("bidding:review-finding-decide", args=[finding.pk]), {"decision": "confirm"}
    )
    bid.refresh_from_db()
    assert bid.status == Bid.Status.DISQUALIFIED


def test_the_api_marks_and_decides_a_finding(api, officer, approver, org_admin):
    _round, lot, experts = _review(officer)
    bid = qualified_bids(lot)[1]
    api.force_authenticate(org_admin)
    assert (
        api.post("/api/v1/findings/", {"bid": bid.pk, "reason": "x"}, format="json").status_code
        == 404
    )
    api.force_authenticate(experts[0])
    bad = api.post(
        "/api/v1/findings/",
        {"bid": bid.pk, "reason": ""},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert bad.status_code == 400 and "reason" in bad.json()
    made = api.post("/api/v1/findings/", {"bid": bid.pk, "reason": "缺少资质"}, format="json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert api.post(f"/api/v1/findings/{pk}/confirm/", {}, format="json").status_code == 403
    api.force_authenticate(approver)
    assert api.post(f"/api/v1/findings/{pk}/confirm/", {}, format="json").status_code == 403
    api.force_authenticate(None)
    assert api.post(f"/api/v1/findings/{pk}/confirm/", {}, format="json").status_code in (401, 403)
    bid.refresh_from_db()
    assert bid.status == Bid.Status.QUALIFIED
    api.force_authenticate(officer)
    refused = api.post(
        f"/api/v1/findings/{pk}/reject/", {}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert refused.status_code == 400
    done = api.post(f"/api/v1/findings/{pk}/confirm/", {}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    bid.refresh_from_db()
    assert bid.status == Bid.Status.DISQUALIFIED


def test_the_findings_list_is_bounded_in_queries(api, officer, django_assert_max_num_queries):
    _round, lot, experts = _review(officer)
    for expert in experts:
        for bid in qualified_bids(lot):
            responsiveness.finding_create(bid=bid, user=expert, reason="缺少承诺函")
    api.force_authenticate(officer)
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/findings/")
    assert response.status_code == 200 and len(response.json()["results"]) == 15
