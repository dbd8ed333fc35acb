"""The public open-data pages: reachable from the footer and the award notice,
in Chinese by default (query counts in test_queries.py)."""

import pytest

from bidding.models import Round
from opendata.services import bulk_build, releases_refresh
from opendata.tasks import publish_contracts


def test_a_final_award_notice_links_to_the_public_contracts(contract, client):
    notice = contract.award.lot.round.notices.get()
    Round.objects.filter(pk=notice.round_id).update(status=Round.Status.FINAL)
    page = client.get(f"/rounds/notices/{notice.pk}/").content.decode()
    assert 'href="/public/contracts/"' in page


@pytest.mark.chinese_default
def test_open_data_page_is_in_chinese_by_default(contract, client):
    releases_refresh()
    bulk_build()
    page = client.get("/open-data/").content.decode()
    assert "开放数据" in page and "批量下载" in page and "许可协议" in page
    publish_contracts()
    detail = client.get(f"/public/contracts/{contract.number}/").content.decode()
    assert "政府采购法实施条例第五十条" in detail


def test_officers_see_signed_contracts_waiting_for_publication_on_their_dashboard(
    contract, client, officer, org_admin
):
    client.force_login(officer)
    page = client.get("/dashboard/").content.decode()
    assert "Signed contracts waiting to be made public" in page and contract.number in page
    publish_contracts()
    page = client.get("/dashboard/").content.decode()
    assert "Every signed contract is public." in page
    client.force_login(org_admin)
    assert (
        "Signed contracts waiting to be made public"
        not in client.get("/dashboard/").content.decode()
    )
