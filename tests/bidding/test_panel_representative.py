"""The buyer's representative (采购人代表): one seat at most on a lot's panel, never
more than one third of it, only the federation's own staff, shown as such on every
channel (政府采购货物和服务招标投标管理办法, 财政部令第87号, Art 47; 政府采购法实施条例 Art 9)."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from bidding.models import LotAssignment, Round
from bidding.services import award as award_services
from bidding.services import notices as notice_services
from bidding.services import panels as panel_services
from purchase_portal.errors import ApplicationError, ConflictError
from tests.factories import ExpertProfileFactory, UserFactory
from tests.helpers import as_user

from .review_setup import (
    assignments,
    declare_none,
    in_review_round,
    opened_round,
    pool,
    reviewed_lot,
)

pytestmark = pytest.mark.django_db

REP = LotAssignment.Seat.REPRESENTATIVE


@pytest.fixture
def staff_member(db):
    return UserFactory(roles=["finance"], name="钱代表")


def test_the_representative_takes_one_seat_of_every_lots_panel(officer, staff_member):
    round_ = opened_round(lots=2)
    pool(6)
    panel_services.round_name_representative(
        round=round_, user=officer, representative=staff_member
    )
    draw = panel_services.panel_draw(round=round_, user=officer)
    assert draw.size == round_.panel_size - 1
    assert panel_services.draw_verifies(draw)
    assert staff_member.pk not in draw.result
    for lot in round_.lots.all():
        seats = assignments(lot)
        assert len(seats) == round_.panel_size
        assert [a.expert for a in seats if a.seat == REP] == [staff_member]


def test_a_second_representative_is_refused(officer, approver, staff_member):
    round_ = opened_round()
    panel_services.round_name_representative(
        round=round_, user=officer, representative=staff_member
    )
    with pytest.raises(ConflictError) as exc:
        panel_services.round_name_representative(
            round=round_, user=officer, representative=approver
        )
    assert exc.value.code == "representative_named"
    round_.refresh_from_db()
    assert round_.buyer_representative == staff_member
    pool(6)
    panel_services.panel_draw(round=round_, user=officer)
    lot = round_.lots.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        LotAssignment.objects.create(
            lot=lot, expert=approver, draw=round_.panel_draws.get(), seat=REP
        )


def test_the_representative_seat_never_exceeds_one_third_of_the_panel():
    assert panel_services.representative_share_ok(seats=1, panel_size=3)
    assert panel_services.representative_share_ok(seats=1, panel_size=5)
    assert not panel_services.representative_share_ok(seats=2, panel_size=7)
    assert not panel_services.representative_share_ok(seats=1, panel_size=2)


def test_only_federation_staff_sit_in_the_seat_and_only_before_the_draw(
    officer, approver, org_admin, staff_member
):
    round_ = opened_round()
    expert = ExpertProfileFactory().user
    for person in (expert, org_admin, None):
        with pytest.raises(ApplicationError) as exc:
            panel_services.round_name_representative(
                round=round_, user=officer, representative=person
            )
        assert "representative" in exc.value.fields
    with pytest.raises(ApplicationError):
        panel_services.round_name_representative(
            round=round_, user=approver, representative=staff_member
        )
    pool(6)
    panel_services.panel_draw(round=round_, user=officer)
    with pytest.raises(ConflictError) as exc:
        panel_services.round_name_representative(
            round=round_, user=officer, representative=staff_member
        )
    assert exc.value.code == "drawn"
    round_.refresh_from_db()
    assert round_.buyer_representative is None


def test_the_representative_is_labelled_in_the_scoring_record_and_the_notice(
    officer, approver, staff_member
):
    round_ = in_review_round()
    panel_services.round_name_representative(
        round=round_, user=officer, representative=staff_member
    )
    lot = reviewed_lot(round_, officer)
    award_services.award_propose(lot=lot, user=officer)
    award_services.lot_confirm(lot=lot, user=approver)
    with translation.override("zh-hans"):
        content = notice_services.notice_content(round=Round.objects.get(pk=round_.pk))
    assert "钱代表（采购人代表）" in content["panel"]
    assert sum("采购人代表" in name for name in content["panel"]) == 1


def test_the_review_page_names_and_shows_the_representative(client, officer, staff_member):
    round_ = opened_round()
    as_user(client, officer)
    url = reverse("bidding:review-round", args=[round_.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "财政部令第87号" in page and "采购人代表" in page
    client.post(
        reverse("bidding:review-representative", args=[round_.pk]),
        {"representative": staff_member.pk},
    )
    pool(6)
    panel_services.panel_draw(round=round_, user=officer)
    declare_none(round_.lots.get())
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "钱代表" in page and "采购人代表" in page
    refused = client.post(
        reverse("bidding:review-representative", args=[round_.pk]),
        {"representative": officer.pk},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
        follow=True,
    ).content.decode()
    assert "财政部令第87号" in refused
    round_.refresh_from_db()
    assert round_.buyer_representative == staff_member


def test_the_api_names_the_representative_and_labels_the_seat(api, officer, staff_member):
    round_ = opened_round()
    api.force_authenticate(officer)
    named = api.post(
        "/api/v1/panels/representative/",
        {"round": round_.pk, "representative": staff_member.pk},
        format="json",
    )
    assert named.status_code == 200, named.content
    assert named.json()["representative"] == staff_member.pk
    second = api.post(
        "/api/v1/panels/representative/",
        {"round": round_.pk, "representative": officer.pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert second.status_code == 409 and "财政部令第87号" in second.json()["detail"]
    pool(6)
    panel_services.panel_draw(round=round_, user=officer)
    listed = api.get("/api/v1/panels/", {"round": round_.pk}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    seats = [row for row in listed.json()["results"] if row["seat"] == REP]
    assert [row["expert"] for row in seats] == [staff_member.pk]
    assert seats[0]["seat_label"] == "采购人代表"


@pytest.mark.parametrize("who", ["approver", "org_admin", "anonymous"])
def test_others_cannot_name_a_representative(api, who, request, staff_member):
    round_ = opened_round()
    if who != "anonymous":
        api.force_authenticate(request.getfixturevalue(who))
    response = api.post(
        "/api/v1/panels/representative/",
        {"round": round_.pk, "representative": staff_member.pk},
        format="json",
    )
    assert response.status_code in (401, 403, 404)
    round_.refresh_from_db()
    assert round_.buyer_representative is None
