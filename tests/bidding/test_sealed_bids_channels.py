"""The keys that seal bids on the API and on the pages: opening keys, key holders
and the presentation of shares; who may not is refused and nothing changes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bidding.models import OpeningKey, OpeningRecord, RoundKeyShare, RoundSeal
from tests.factories import UserFactory

from .round_helpers import (
    KEY_PASSWORD,
    bidder,
    draft_round,
    key_holder,
    name_key_holders,
    open_round,
    published_round,
    round_with_bids,
)

pytestmark = pytest.mark.django_db


def _holders(round_) -> list:
    return [
        s.holder for s in RoundKeyShare.objects.filter(seal__round=round_).select_related("holder")
    ]


# API ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["approver", "auditor", "finance", "expert", "member"])
def test_only_officers_create_opening_keys_on_the_api(api, role):
    user = bidder()[0] if role == "member" else UserFactory(roles=[role])
    api.force_authenticate(user)
    body = {"password": KEY_PASSWORD, "password_again": KEY_PASSWORD}
    assert api.post("/api/v1/rounds/opening-key/", body, format="json").status_code == 403
    assert api.get("/api/v1/rounds/opening-key/").status_code == 403
    assert not OpeningKey.objects.exists()


def test_opening_key_bad_input_is_400_with_field_messages(api, officer):
    api.force_authenticate(officer)
    short = api.post(
        "/api/v1/rounds/opening-key/", {"password": "short", "password_again": "short"}
    )
    assert short.status_code == 400 and "password" in short.json()
    differ = api.post(
        "/api/v1/rounds/opening-key/",
        {"password": KEY_PASSWORD, "password_again": KEY_PASSWORD + "!"},
        format="json",
    )
    assert differ.status_code == 400 and "password_again" in differ.json()
    missing = api.post("/api/v1/rounds/opening-key/", {}, format="json")
    assert missing.status_code == 400 and "password" in missing.json()
    assert not OpeningKey.objects.exists()


def test_key_holders_on_the_api_are_named_by_officers_only(api, officer, approver):
    round_ = draft_round(officer=officer)
    RoundSeal.objects.filter(round=round_).delete()
    other = key_holder()
    body = {"holders": [key_holder(officer).pk, other.pk], "threshold": 2}
    api.force_authenticate(approver)
    assert (
        api.post(f"/api/v1/rounds/{round_.pk}/key-holders/", body, format="json").status_code == 403
    )
    assert not RoundSeal.objects.filter(round=round_).exists()
    member, _org = bidder()
    api.force_authenticate(member)
    assert api.get(f"/api/v1/rounds/{round_.pk}/key-holders/").status_code in (403, 404)
    api.force_authenticate(officer)
    bad = api.post(
        f"/api/v1/rounds/{round_.pk}/key-holders/",
        {"holders": [officer.pk], "threshold": "two"},
        format="json",
    )
    assert bad.status_code == 400 and "threshold" in bad.json()
    named = api.post(f"/api/v1/rounds/{round_.pk}/key-holders/", body, format="json")
    assert named.status_code == 200, named.content
    assert [h["id"] for h in named.json()["holders"]] == [officer.pk, other.pk]
    api.force_authenticate(approver)
    assert api.get(f"/api/v1/rounds/{round_.pk}/key-holders/").json()["threshold"] == 2


def test_shares_are_presented_and_the_round_opened_on_the_api(api, officer):
    round_, _lot, bids = round_with_bids(officer=officer, bids=3)
    first, _second, third = _holders(round_)
    api.force_authenticate(first)
    wrong = api.post(
        f"/api/v1/rounds/{round_.pk}/present-share/", {"password": "wrong"}, format="json"
    )
    assert wrong.status_code == 400 and "password" in wrong.json()
    presented = api.post(
        f"/api/v1/rounds/{round_.pk}/present-share/", {"password": KEY_PASSWORD}, format="json"
    )
    assert presented.status_code == 200, presented.content
    assert [h["presented"] for h in presented.json()["holders"]] == [True, False, False]
    too_few = api.post(f"/api/v1/rounds/{round_.pk}/open/")
    assert too_few.status_code == 409 and too_few.json()["code"] == "shares_missing"
    api.force_authenticate(third)
    assert (
        api.post(
            f"/api/v1/rounds/{round_.pk}/present-share/",
            {"password": KEY_PASSWORD},
            format="json",
        ).status_code
        == 200
    )
    api.force_authenticate(officer)
    opened = api.post(f"/api/v1/rounds/{round_.pk}/open/")
    assert opened.status_code == 200, opened.content
    assert {r["result"] for r in opened.json()["results"]} == {"ok"}
    detail = api.get(f"/api/v1/bids/{bids[0].pk}/").json()
    assert detail["price"] == "200000.00" and detail["budget_lines"]


def test_a_non_holder_cannot_present_a_share(api, officer):
    round_, _lot, _bids = round_with_bids(officer=officer, bids=1)
    for user in (key_holder(), UserFactory(roles=["approver"])):
        api.force_authenticate(user)
        response = api.post(
            f"/api/v1/rounds/{round_.pk}/present-share/", {"password": KEY_PASSWORD}
        )
        assert response.status_code == 403
    assert not RoundKeyShare.objects.filter(presented_at__isnull=False).exists()


def test_no_share_is_presented_before_the_deadline_on_the_api(api, officer):
    round_ = published_round(officer=officer)
    api.force_authenticate(officer)
    response = api.post(
        f"/api/v1/rounds/{round_.pk}/present-share/", {"password": KEY_PASSWORD}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "not_presentable"


# Pages -------------------------------------------------------------------------------


def test_the_opening_page_takes_shares_then_opens(client, officer):
    round_, _lot, _bids = round_with_bids(officer=officer, bids=1)
    first, second, _third = _holders(round_)
    client.force_login(first)
    page = client.get(f"/rounds/{round_.pk}/opening/").content.decode()
    assert "Present your share" in page and "Open the bids" not in page
    wrong = client.post(f"/rounds/{round_.pk}/opening/share/", {"password": "wrong"}, follow=True)
    assert "This password does not open your key." in wrong.content.decode()
    client.post(f"/rounds/{round_.pk}/opening/share/", {"password": KEY_PASSWORD})
    client.force_login(second)
    client.post(f"/rounds/{round_.pk}/opening/share/", {"password": KEY_PASSWORD})
    page = client.get(f"/rounds/{round_.pk}/opening/").content.decode()
    assert "Open the bids" in page
    response = client.post(f"/rounds/{round_.pk}/do/open/")
    assert response.url == f"/rounds/{round_.pk}/opening/"
    assert OpeningRecord.objects.get(round=round_).all_digests_ok


def test_organizations_cannot_reach_the_key_pages(client, officer):
    round_, _lot, _bids = round_with_bids(officer=officer, bids=1)
    member, _org = bidder()
    client.force_login(member)
    assert client.get("/rounds/opening-key/").status_code == 403
    assert client.get(f"/rounds/{round_.pk}/key-holders/").status_code == 403
    assert client.get(f"/rounds/{round_.pk}/opening/").status_code == 403
    response = client.post(f"/rounds/{round_.pk}/opening/share/", {"password": KEY_PASSWORD})
    assert response.status_code == 403
    assert not RoundKeyShare.objects.filter(presented_at__isnull=False).exists()


def test_the_key_holders_page_is_read_only_for_other_staff(client, officer, approver):
    round_ = draft_round(officer=officer)
    client.force_login(approver)
    page = client.get(f"/rounds/{round_.pk}/key-holders/")
    assert page.status_code == 200 and "Save the opening officers" not in page.content.decode()
    response = client.post(
        f"/rounds/{round_.pk}/key-holders/", {"holders": [approver.pk], "threshold": 2}
    )
    assert response.status_code == 403
    assert RoundSeal.objects.get(round=round_).shares.count() == 3


def test_the_key_pages_run_a_bounded_number_of_queries(
    client, officer, django_assert_max_num_queries
):
    start = timezone.now() - timedelta(days=30)
    rounds = [published_round(officer=officer, start=start) for _ in range(4)]
    draft = draft_round(officer=officer)
    name_key_holders(draft, officer, holders=5, threshold=3)
    client.force_login(officer)
    with django_assert_max_num_queries(20):
        page = client.get("/rounds/opening-key/")
    assert page.status_code == 200
    assert all(r.code in page.content.decode() for r in rounds)
    with django_assert_max_num_queries(20):
        assert client.get(f"/rounds/{draft.pk}/key-holders/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(f"/rounds/{rounds[0].pk}/opening/").status_code == 200


def test_the_receipt_certifies_the_digest_and_shows_content_only_after_the_opening(client, officer):
    round_, _lot, bids = round_with_bids(officer=officer, bids=3)
    owner = bids[0].organization.memberships.first().user
    client.force_login(owner)
    page = client.get(f"/rounds/bids/{bids[0].pk}/receipt/").content.decode()
    assert bids[0].digest in page and "Encrypted until the opening" in page
    assert "200000.00" not in page
    open_round(round_, officer)
    page = client.get(f"/rounds/bids/{bids[0].pk}/receipt/").content.decode()
    assert "200,000.00 CNY" in page and "Encrypted until the opening" not in page
