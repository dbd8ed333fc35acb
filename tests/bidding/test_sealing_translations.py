"""The sealing pages and messages speak Chinese by default (the bidding app's own
catalogue holds the strings of its code, the project's catalogue those of its templates)."""

import pytest
from django.utils import translation

from bidding.services import sealing as services
from purchase_portal.errors import ApplicationError

from .round_helpers import round_with_bids

pytestmark = pytest.mark.django_db


def test_the_sealing_strings_are_translated():
    with translation.override("zh-hans"):
        assert translation.gettext("My opening key") == "我的开标密钥"
        assert translation.gettext("Present your share") == "出示您的分片"
        assert translation.gettext("This file is sealed until the opening.") == (
            "该文件在开标前处于密封状态。"
        )


@pytest.mark.chinese_default
def test_the_opening_page_and_its_refusals_are_in_chinese(client, officer):
    round_, _lot, _bids = round_with_bids(officer=officer, bids=1)
    client.force_login(officer)
    page = client.get(f"/rounds/{round_.pk}/opening/").content.decode()
    assert "出示您的分片" in page and "开标专员" in page
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as exc:
        services.share_present(round=round_, user=officer, password="wrong")
    with translation.override("zh-hans"):
        assert str(exc.value.message) == "该口令无法打开您的密钥。"
