"""Sealed bids stay sealed in the feed: before the opening act no release names a
tenderer or says anything derived from the bids (电子招标投标办法 Arts 26, 30);
after it, the tenderers appear, and never the content of their bids."""

import json

import pytest

from bidding.models import Round
from opendata.models import Release
from opendata.services import releases_refresh

from .helpers import refreshed_text, sealed_lot

pytestmark = pytest.mark.usefixtures("fed")

UNOPENED_STATES = [Round.Status.PUBLISHED, Round.Status.CLOSED, Round.Status.CANCELLED]


def _bid_traces(bids) -> list[str]:
    traces = ["271234.56", "密封方案标题", "密封的服务方案内容", "tenderer", "numberOfTenderers"]
    for bid in bids:
        traces += [bid.organization.name, bid.organization.credit_code]
    return traces


@pytest.mark.parametrize("state", UNOPENED_STATES)
def test_tender_release_before_opening_has_no_tenderer_and_no_bid_data(state):
    _lot, bids = sealed_lot(round_status=state)
    text = refreshed_text()
    assert Release.objects.filter(tags=["tender"]).exists()
    leaked = [t for t in _bid_traces(bids) if t in text]
    assert leaked == []


def test_draft_round_is_not_published_at_all():
    sealed_lot(round_status=Round.Status.DRAFT)
    assert refreshed_text() == "[]"


def test_after_opening_the_tenderers_appear_but_not_their_bids():
    _lot, bids = sealed_lot(round_status=Round.Status.OPENED, opened=True)
    releases_refresh()
    opening = Release.objects.get(tags=["tenderUpdate"]).data
    names = {t["name"] for t in opening["tender"]["tenderers"]}
    assert names == {b.organization.name for b in bids}
    assert opening["tender"]["numberOfTenderers"] == 3
    roles = {p["name"]: p["roles"] for p in opening["parties"]}
    assert all("tenderer" in roles[b.organization.name] for b in bids)
    text = json.dumps(opening, ensure_ascii=False)
    for secret in ("271234.56", "密封方案标题", "密封的服务方案内容"):
        assert secret not in text
    # The tender release of the publication itself still names nobody.
    tender = json.dumps(Release.objects.get(tags=["tender"]).data, ensure_ascii=False)
    assert all(b.organization.name not in tender for b in bids)


def test_draft_and_withdrawn_bids_are_not_tenderers_after_opening():
    _lot, bids = sealed_lot(round_status=Round.Status.OPENED, opened=True, bidders=3)
    bids[0].status = "withdrawn"
    bids[0].save(update_fields=["status"])
    bids[1].status = "draft"
    bids[1].save(update_fields=["status"])
    releases_refresh()
    opening = Release.objects.get(tags=["tenderUpdate"]).data
    assert [t["name"] for t in opening["tender"]["tenderers"]] == [bids[2].organization.name]
