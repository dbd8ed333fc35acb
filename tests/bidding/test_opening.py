"""Closing at the deadline and the opening act with its digest verification."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from bidding.models import Bid, BidSubmission, OpeningRecord, Round
from bidding.services import opening as services
from bidding.services import rounds as round_services
from bidding.tasks import close_due_rounds
from purchase_portal.errors import ConflictError, PermissionDeniedError
from purchase_portal.models import AuditEvent, Notification
from tests.factories import UserFactory

from .round_helpers import present_shares, published_round, round_with_bids

pytestmark = pytest.mark.django_db


def test_schedules_are_seeded():
    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"bidding.tasks.close_due_rounds", "bidding.tasks.remind_bid_deadlines"} <= tasks


def test_scheduled_task_closes_rounds_past_their_deadline_once(officer):
    due, _lot, _bids = round_with_bids(officer=officer, bids=1)
    open_round = published_round(officer=officer)
    assert close_due_rounds.delay().get() == [due.pk]
    assert close_due_rounds.delay().get() == []
    due.refresh_from_db()
    open_round.refresh_from_db()
    assert (due.status, open_round.status) == ("closed", "published")
    assert due.closed_at is not None
    events = AuditEvent.objects.filter(action="round.close", object_id=str(due.pk))
    assert events.count() == 1 and events.get().actor is None


def test_round_cannot_be_closed_before_its_deadline(officer):
    round_ = published_round(officer=officer)
    with pytest.raises(ConflictError):
        round_services.round_close(round=round_, user=officer)
    with time_machine.travel(round_.submission_deadline, tick=False):
        assert round_services.round_close(round=round_, user=officer).status == "closed"


def test_opening_before_the_opening_time_is_refused(officer):
    round_, _lot, _bids = round_with_bids(officer=officer, bids=1)
    # A later opening than the deadline, with its reason recorded (87号令 Art 40).
    Round.objects.filter(pk=round_.pk).update(
        opening_at=round_.submission_deadline + timedelta(hours=2),
        opening_delay_reason="开标室当日下午可用",
    )
    round_.refresh_from_db()
    with pytest.raises(ConflictError) as exc:
        services.round_open(
            round=round_, user=officer, now=round_.opening_at - timedelta(seconds=1)
        )
    assert exc.value.code == "opening_time_not_reached"
    round_.refresh_from_db()
    assert round_.opened_at is None and not OpeningRecord.objects.exists()


@pytest.mark.parametrize("role", ["approver", "auditor", "finance", None])
def test_only_officers_open(officer, role):
    round_, _lot, _bids = round_with_bids(officer=officer, bids=1)
    user = UserFactory(roles=[role] if role else [], is_superuser=role is None)
    with pytest.raises(PermissionDeniedError):
        services.round_open(round=round_, user=user)
    round_.refresh_from_db()
    assert round_.opened_at is None


def test_opening_closes_a_round_past_its_deadline_then_verifies_every_digest(officer):
    round_, _lot, bids = round_with_bids(officer=officer, bids=3)
    assert round_.status == Round.Status.PUBLISHED
    present_shares(round_)
    with time_machine.travel(timezone.now(), tick=False):
        record = services.round_open(round=round_, user=officer)
        now = timezone.now()
    round_.refresh_from_db()
    assert (round_.status, round_.opened_at, round_.opened_by) == ("opened", now, officer)
    assert record.all_digests_ok
    assert [r["bid"] for r in record.results] == [b.pk for b in bids]
    assert {r["result"] for r in record.results} == {"ok"}
    assert all(r["computed_digest"] == r["stored_digest"] for r in record.results)
    assert AuditEvent.objects.filter(action="round.open").exists()
    assert AuditEvent.objects.filter(action="round.opening_record").exists()
    for bid in bids:
        member = bid.organization.memberships.first().user
        assert Notification.objects.filter(recipient=member, kind="round.opened").exists()


def test_opening_re_verifies_every_digest_against_the_receipt(officer):
    round_, _lot, bids = round_with_bids(officer=officer, bids=3)
    # Someone with write access to the database rewrites a receipt's digest and a
    # bid's digest: the content decrypts, but no longer matches what was receipted.
    BidSubmission.objects.filter(bid=bids[1], is_current=True).update(digest="0" * 64)
    Bid.objects.filter(pk=bids[2].pk).update(digest="f" * 64)
    present_shares(round_)
    record = services.round_open(round=round_, user=officer)
    results = {r["bid"]: r["result"] for r in record.results}
    assert results == {bids[0].pk: "ok", bids[1].pk: "mismatch", bids[2].pk: "mismatch"}
    computed = {r["bid"]: r["computed_digest"] for r in record.results}
    assert computed[bids[1].pk] == bids[1].digest
    assert not record.all_digests_ok
    assert Notification.objects.filter(recipient=officer, kind="round.digest_mismatch").exists()


def test_altered_ciphertext_is_recorded_as_undecryptable(officer):
    round_, _lot, bids = round_with_bids(officer=officer, bids=3)
    submission = BidSubmission.objects.get(bid=bids[1], is_current=True)
    sealed = bytearray(submission.sealed_content)
    sealed[-1] ^= 1
    BidSubmission.objects.filter(pk=submission.pk).update(sealed_content=bytes(sealed))
    attachment = bids[2].attachments.first()
    with open(attachment.file.path, "ab") as handle:
        handle.write(b"tampered")
    present_shares(round_)
    record = services.round_open(round=round_, user=officer)
    results = {r["bid"]: r["result"] for r in record.results}
    assert results == {bids[0].pk: "ok", bids[1].pk: "undecryptable", bids[2].pk: "undecryptable"}
    assert not record.all_digests_ok
    bids[1].refresh_from_db()
    assert bids[1].price is None and bids[1].service_plan == ""
    assert Notification.objects.filter(recipient=officer, kind="round.digest_mismatch").exists()


def test_opening_twice_is_refused(officer):
    round_, _lot, _bids = round_with_bids(officer=officer, bids=1, open_it=True)
    with pytest.raises(ConflictError):
        services.round_open(round=round_, user=officer)
    assert OpeningRecord.objects.count() == 1


def test_opening_through_the_api_returns_the_record(api, officer):
    round_, _lot, _bids = round_with_bids(officer=officer, bids=3)
    present_shares(round_)
    api.force_authenticate(officer)
    response = api.post(f"/api/v1/rounds/{round_.pk}/open/")
    assert response.status_code == 200, response.content
    assert response.json()["all_digests_ok"] is True
    assert len(response.json()["results"]) == 3
    again = api.get(f"/api/v1/rounds/{round_.pk}/opening/")
    assert again.status_code == 200
    assert json.loads(again.content)["results"][0]["result"] == "ok"


def test_opening_page_shows_the_digest_checks(client, officer):
    round_, _lot, bids = round_with_bids(officer=officer, bids=3, open_it=True)
    client.force_login(officer)
    html = client.get(f"/rounds/{round_.pk}/opening/").content.decode()
    assert bids[0].digest in html
    assert bids[1].organization.name in html


def test_opening_through_the_page(client, officer):
    round_, _lot, _bids = round_with_bids(officer=officer, bids=1)
    present_shares(round_)
    client.force_login(officer)
    response = client.post(f"/rounds/{round_.pk}/do/open/")
    assert response.status_code == 302
    assert response.url == f"/rounds/{round_.pk}/opening/"
    round_.refresh_from_db()
    assert round_.status == "opened"


def test_a_lost_attachment_file_is_recorded_not_a_failure(officer):
    import os

    round_, _lot, bids = round_with_bids(officer=officer, bids=3)
    os.remove(bids[0].attachments.first().file.path)
    present_shares(round_)
    record = services.round_open(round=round_, user=officer)
    results = {r["bid"]: r["result"] for r in record.results}
    assert results == {bids[0].pk: "undecryptable", bids[1].pk: "ok", bids[2].pk: "ok"}
