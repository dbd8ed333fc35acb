"""Sealed until opening: before the opening act no staff role and no superuser can
read a submitted bid's content through the API, the pages, the admin site,
the export, filters or ordering; staff see only counts. After the opening,
staff (and experts actively assigned to the lot) read it."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bidding import sealing
from bidding.models import Bid, LotAssignment, PanelDraw
from bidding.services import opening as opening_services
from tests.factories import UserFactory

from .round_helpers import round_with_bids

pytestmark = pytest.mark.django_db

PRICE = "201000.00"  # the second bid's price in round_with_bids


def _staff(role):
    if role == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    if role == "superuser+officer":
        return UserFactory(is_superuser=True, is_staff=True, roles=["officer"])
    return UserFactory(roles=[role], is_staff=True)


STAFF = ["officer", "approver", "auditor", "finance", "expert", "superuser", "superuser+officer"]


@pytest.fixture
def sealed(officer):
    round_, lot, bids = round_with_bids(officer=officer, bids=3)
    return round_, lot, bids


@pytest.mark.parametrize("role", STAFF)
def test_api_shows_staff_no_bid_before_the_opening(api, sealed, role):
    round_, _lot, bids = sealed
    user = _staff(role)
    api.force_authenticate(user)
    for query in (
        "",
        f"?price={PRICE}",
        "?ordering=price",
        "?ordering=-price",
        f"?round={round_.pk}",
    ):
        response = api.get(f"/api/v1/bids/{query}")
        assert response.status_code == 200
        assert response.json()["results"] == [], query
    for bid in bids:
        assert api.get(f"/api/v1/bids/{bid.pk}/").status_code == 404
        assert api.get(f"/api/v1/bids/{bid.pk}/receipt/").status_code == 404
        assert api.get(f"/api/v1/bids/{bid.pk}/receipt-pdf/").status_code == 404
        assert api.get(f"/api/v1/bids/{bid.pk}/attachments/").status_code == 404
        attachment = bid.attachments.first()
        assert api.get(f"/api/v1/bids/{bid.pk}/attachments/{attachment.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["officer", "approver", "auditor", "finance"])
def test_staff_see_only_counts_per_lot_before_the_opening(api, sealed, role):
    round_, lot, _bids = sealed
    api.force_authenticate(_staff(role))
    response = api.get(f"/api/v1/rounds/{round_.pk}/bid-counts/")
    assert response.status_code == 200
    data = response.json()
    assert data["opened"] is False
    assert data["total"] == 3
    assert data["lots"][0] == {
        "id": lot.pk,
        "number": 1,
        "title": lot.title,
        "status": "open",
        "bid_count": 3,
    }
    assert PRICE not in response.content.decode()


def test_bidders_cannot_see_counts(api, sealed):
    round_, _lot, bids = sealed
    api.force_authenticate(bids[0].organization.memberships.first().user)
    assert api.get(f"/api/v1/rounds/{round_.pk}/bid-counts/").status_code == 403


@pytest.mark.parametrize("role", STAFF)
def test_pages_refuse_bid_content_to_staff_before_the_opening(client, sealed, role):
    round_, _lot, bids = sealed
    client.force_login(_staff(role))
    for bid in bids:
        for name in ("bidding:bid-detail", "bidding:bid-receipt", "bidding:bid-receipt-pdf"):
            assert client.get(reverse(name, args=[bid.pk])).status_code == 404
        attachment = bid.attachments.first()
        url = reverse("bidding:bid-attachment", args=[bid.pk, attachment.pk])
        assert client.get(url).status_code == 404
    page = client.get(reverse("bidding:round-detail", args=[round_.pk]))
    html = page.content.decode()
    if page.status_code == 200:
        assert PRICE not in html and "201,000" not in html
        assert bids[0].organization.name not in html


@pytest.mark.parametrize("role", ["officer", "approver", "auditor"])
def test_round_page_shows_staff_the_count(client, sealed, role):
    round_, _lot, _bids = sealed
    client.force_login(_staff(role))
    html = client.get(reverse("bidding:round-detail", args=[round_.pk])).content.decode()
    assert "sealed until the opening" in html
    assert '<td class="num">3</td>' in html


@pytest.mark.parametrize("role", ["superuser", "superuser+officer"])
def test_admin_site_shows_no_sealed_bid_even_to_a_superuser(client, sealed, role):
    _round, _lot, bids = sealed
    client.force_login(_staff(role))
    changelist = client.get("/admin/bidding/bid/")
    assert changelist.status_code == 200
    html = changelist.content.decode()
    assert bids[0].organization.name not in html
    for query in (
        f"?price={PRICE}",
        "?price__gt=0",
        "?o=1",
        "?q=280000",
        "?service_plan__icontains=方案",
    ):
        response = client.get(f"/admin/bidding/bid/{query}")
        assert bids[0].organization.name not in response.content.decode()
        assert PRICE not in response.content.decode()
    for bid in bids:
        response = client.get(f"/admin/bidding/bid/{bid.pk}/change/")
        assert response.status_code == 403
    submissions = client.get("/admin/bidding/bidsubmission/")
    assert bids[0].submissions.get().receipt_number not in submissions.content.decode()


def test_admin_never_shows_sealed_fields_and_is_read_only_after_opening(client, officer, sealed):
    round_, _lot, bids = sealed
    opening_services.round_open(round=round_, user=officer)
    client.force_login(_staff("superuser+officer"))
    response = client.get(f"/admin/bidding/bid/{bids[1].pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert bids[1].organization.name in html
    assert PRICE not in html and "service_plan" not in html
    assert 'name="_save"' not in html
    assert client.post(f"/admin/bidding/bid/{bids[1].pk}/delete/").status_code == 403


@pytest.mark.parametrize("role", ["officer", "approver", "auditor"])
def test_export_before_the_opening_holds_only_counts(client, api, sealed, role):
    round_, _lot, bids = sealed
    user = _staff(role)
    client.force_login(user)
    response = client.get(reverse("bidding:round-export", args=[round_.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Bid counts"]
    cells = [c for row in workbook.active.iter_rows(values_only=True) for c in row]
    assert 3 in cells
    assert Decimal(PRICE) not in cells and float(PRICE) not in cells
    assert bids[0].organization.name not in cells
    api.force_authenticate(user)
    api_export = api.get(f"/api/v1/rounds/{round_.pk}/bids-export/")
    assert load_workbook(io.BytesIO(api_export.content)).sheetnames == ["Bid counts"]


def test_export_after_the_opening_lists_the_bids(client, officer, sealed):
    round_, _lot, bids = sealed
    opening_services.round_open(round=round_, user=officer)
    client.force_login(officer)
    response = client.get(reverse("bidding:round-export", args=[round_.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Bid counts", "Bids", "Budget lines"]
    rows = list(workbook["Bids"].iter_rows(values_only=True))
    assert len(rows) == 4
    assert {row[1] for row in rows[1:]} == {b.organization.name for b in bids}
    assert all(row[9] == "ok" for row in rows[1:])


def test_export_is_for_federation_staff_only(client, sealed):
    round_, _lot, bids = sealed
    client.force_login(bids[0].organization.memberships.first().user)
    assert client.get(reverse("bidding:round-export", args=[round_.pk])).status_code == 403


def test_audit_trail_does_not_unseal_a_bid(client, officer, sealed):
    _round, _lot, _bids = sealed
    client.force_login(officer)
    html = client.get(reverse("audit-trail")).content.decode()
    assert PRICE not in html and "201000" not in html
    assert "入户康复训练方案" not in html


def test_own_organization_reads_its_own_sealed_bid(api, sealed):
    _round, _lot, bids = sealed
    owner = bids[1].organization.memberships.first().user
    api.force_authenticate(owner)
    listed = api.get("/api/v1/bids/").json()["results"]
    assert [b["id"] for b in listed] == [bids[1].pk]
    assert listed[0]["price"] == PRICE and listed[0]["sealed"] is False
    detail = api.get(f"/api/v1/bids/{bids[1].pk}/").json()
    assert detail["service_plan"] == "入户康复训练方案"
    for other in (bids[0], bids[2]):
        assert api.get(f"/api/v1/bids/{other.pk}/").status_code == 404


def test_after_the_opening_staff_read_submitted_bids(api, officer, sealed):
    round_, _lot, bids = sealed
    opening_services.round_open(round=round_, user=officer)
    for role in ("officer", "approver", "auditor"):
        api.force_authenticate(_staff(role))
        results = api.get("/api/v1/bids/?ordering=id").json()["results"]
        assert [b["id"] for b in results] == [b.pk for b in bids]
        detail = api.get(f"/api/v1/bids/{bids[1].pk}/").json()
        assert detail["price"] == PRICE and detail["sealed"] is False
        assert detail["budget_lines"]
    for role in ("finance", "expert", "superuser"):
        api.force_authenticate(_staff(role))
        assert api.get("/api/v1/bids/").json()["results"] == []
        assert api.get(f"/api/v1/bids/{bids[1].pk}/").status_code == 404


def test_staff_never_see_drafts_or_withdrawn_bids(api, officer):
    from .round_helpers import bidder, filled_bid, past_round

    round_ = past_round(officer=officer)
    lot = round_.lots.get()
    user, org = bidder()
    start = round_.published_at
    draft = filled_bid(lot=lot, user=user, org=org, now=start)
    opening_services.round_open(round=round_, user=officer)
    api.force_authenticate(officer)
    assert api.get(f"/api/v1/bids/{draft.pk}/").status_code == 404


def test_experts_read_qualified_bids_of_lots_they_are_actively_assigned_to(api, officer, sealed):
    round_, lot, bids = sealed
    expert = _staff("expert")
    draw = PanelDraw.objects.create(
        round=round_,
        seed="0" * 64,
        size=5,
        rule="test",
        drawn_by=officer,
        drawn_at=timezone.now(),
    )
    assignment = LotAssignment.objects.create(lot=lot, expert=expert, draw=draw)
    api.force_authenticate(expert)
    assert api.get(f"/api/v1/bids/{bids[0].pk}/").status_code == 404
    opening_services.round_open(round=round_, user=officer)
    from .round_helpers import CHECKS_OK

    opening_services.bid_qualify(bid=bids[0], user=officer, checks=CHECKS_OK)
    api.force_authenticate(_refetch(expert))
    assert api.get(f"/api/v1/bids/{bids[0].pk}/").status_code == 404  # declaration due
    LotAssignment.objects.filter(pk=assignment.pk).update(status="active", conflict="none")
    expert = _refetch(expert)
    api.force_authenticate(expert)
    assert api.get(f"/api/v1/bids/{bids[0].pk}/").json()["price"] == "200000.00"
    assert api.get(f"/api/v1/bids/{bids[1].pk}/").status_code == 404  # not qualified
    assert sealing.can_read_bid_content(expert, Bid.objects.get(pk=bids[0].pk))


def _refetch(user):
    return type(user).objects.get(pk=user.pk)


def test_sealed_serializer_blanks_content_for_unreadable_bids(sealed, rf):
    from bidding.api.serializers.bids import BidDetailSerializer

    _round, _lot, bids = sealed
    request = rf.get("/")
    request.user = _staff("officer")
    data = BidDetailSerializer(Bid.objects.get(pk=bids[0].pk), context={"request": request}).data
    assert data["sealed"] is True
    for name in ("price", "service_plan", "team", "schedule", "proposal_title", "digest"):
        assert data[name] is None
    assert data["budget_lines"] == [] and data["attachments"] == []
