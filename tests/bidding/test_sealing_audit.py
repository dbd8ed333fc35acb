"""Before the opening act even who bid is confidential: the audit trail hides
the events about bids and receipts of an unopened round from every reader
(page, API, admin), and shows them once the round is opened. The hash chain
covers them all the time."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from purchase_portal.models import AuditEvent
from tests.factories import UserFactory

from .round_helpers import open_round, round_with_bids

pytestmark = pytest.mark.django_db

BID_ACTIONS = {"bid.create", "bid.update", "bid.submit", "bid.receipt"}


def _bid_events(round_):
    return AuditEvent.objects.filter(sealed_scope=f"bidding.round:{round_.pk}")


@pytest.fixture
def sealed(officer):
    return round_with_bids(officer=officer, bids=3)


def test_bid_events_are_written_and_chained_but_sealed(sealed):
    round_, _lot, _bids = sealed
    events = _bid_events(round_)
    assert set(events.values_list("action", flat=True)) >= BID_ACTIONS
    call_command("verify_audit_chain")  # sealed events are part of the chain


@pytest.mark.parametrize("role", ["officer", "auditor"])
def test_readers_do_not_see_who_bid_before_the_opening(api, client, sealed, role):
    round_, _lot, bids = sealed
    reader = UserFactory(roles=[role])
    api.force_authenticate(reader)
    listed = api.get("/api/v1/audit-events/?page_size=200").json()["results"]
    assert not [e for e in listed if e["object_type"] in ("bidding.bid", "bidding.bidsubmission")]
    assert api.get("/api/v1/audit-events/?object_type=bidding.bid").json()["results"] == []
    hidden = _bid_events(round_).first()
    assert api.get(f"/api/v1/audit-events/{hidden.pk}/").status_code == 404

    client.force_login(reader)
    html = client.get(reverse("audit-trail")).content.decode()
    for bid in bids:
        assert bid.organization.name not in html


def test_superuser_admin_does_not_show_sealed_events(client, sealed):
    _round, _lot, bids = sealed
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get("/admin/purchase_portal/auditevent/?all=1").content.decode()
    assert "bid.receipt" not in html
    for bid in bids:
        assert bid.organization.name not in html


def test_opening_unseals_the_bid_events(api, officer, sealed):
    round_, _lot, bids = sealed
    open_round(round_, officer)
    api.force_authenticate(UserFactory(roles=["auditor"]))
    listed = api.get("/api/v1/audit-events/?object_type=bidding.bid&page_size=200").json()[
        "results"
    ]
    assert {int(e["object_id"]) for e in listed} == {b.pk for b in bids}
    assert BID_ACTIONS - {"bid.receipt"} <= {e["action"] for e in listed}
