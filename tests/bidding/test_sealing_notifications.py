"""Before the opening act no channel tells who bid: the notification admin and
the notification lists (page and API) seal "X submitted its bid" exactly as the
audit trail does, and show it once the round is opened."""

import pytest
from django.urls import reverse

from bidding.services import opening as opening_services
from organizations.models import Membership
from purchase_portal.models import Notification
from tests.factories import UserFactory

from .round_helpers import present_shares, round_with_bids

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed(officer):
    return round_with_bids(officer=officer, bids=3)


def _submitted_notes(round_):
    return Notification.objects.filter(
        kind="bid.submitted", sealed_scope=f"bidding.round:{round_.pk}"
    )


def test_submission_notifications_carry_the_rounds_seal(sealed):
    round_, _lot, bids = sealed
    notes = _submitted_notes(round_)
    assert {int(n.object_id) for n in notes} == {b.pk for b in bids}


@pytest.mark.parametrize("listing", ["", "?kind=bid.submitted", "?o=2", "?all=1"])
def test_notification_admin_hides_sealed_submissions_even_from_a_superuser(client, sealed, listing):
    round_, _lot, bids = sealed
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(f"/admin/purchase_portal/notification/{listing}")
    assert response.status_code == 200
    html = response.content.decode()
    for bid in bids:
        assert bid.organization.name not in html
    assert "Bid submitted" not in html
    note = _submitted_notes(round_).first()
    missing = Notification.objects.order_by("-pk").first().pk + 1000
    hidden = client.get(f"/admin/purchase_portal/notification/{note.pk}/change/")
    absent = client.get(f"/admin/purchase_portal/notification/{missing}/change/")
    assert hidden.status_code == absent.status_code
    assert bids[0].organization.name not in hidden.content.decode()


def test_notification_admin_shows_them_after_the_opening(client, officer, sealed):
    round_, _lot, bids = sealed
    present_shares(round_)
    opening_services.round_open(round=round_, user=officer)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get("/admin/purchase_portal/notification/").content.decode()
    assert html.count("Bid submitted") >= len(bids)
    note = _submitted_notes(round_).first()
    page = client.get(f"/admin/purchase_portal/notification/{note.pk}/change/")
    assert page.status_code == 200 and "submitted its bid" in page.content.decode()


def test_staff_lists_never_show_a_sealed_submission_addressed_to_them(api, client, sealed):
    """A superuser who also belongs to a bidding organization (a careless set-up)
    does not learn of the bid before the opening from their inbox or the API."""
    round_, _lot, bids = sealed
    member = Membership.objects.filter(organization=bids[0].organization).first().user
    member.is_superuser = member.is_staff = True
    member.save(update_fields=["is_superuser", "is_staff"])
    assert _submitted_notes(round_).filter(recipient=member).exists()

    api.force_authenticate(member)
    listed = api.get("/api/v1/notifications/").json()["results"]
    assert not [n for n in listed if n["kind"] == "bid.submitted"]
    client.force_login(member)
    html = client.get(reverse("notifications")).content.decode()
    assert bids[0].organization.name not in html


def test_the_bidder_sees_its_own_receipt_notification(api, sealed):
    _round, _lot, bids = sealed
    member = Membership.objects.filter(organization=bids[0].organization).first().user
    api.force_authenticate(member)
    listed = api.get("/api/v1/notifications/").json()["results"]
    assert [n for n in listed if n["kind"] == "bid.submitted"]
    # …and nobody else's.
    others = {b.organization.name for b in bids[1:]}
    assert not [n for n in listed if any(name in n["body"] for name in others)]
