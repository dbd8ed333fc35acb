"""The sealing pages and messages speak Chinese by default (the bidding app's own
catalogue holds their strings)."""

import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from bidding.services import sealing as services
from purchase_portal.errors import ApplicationError

from .round_helpers import round_with_bids

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "bidding" / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_the_bidding_catalogue_is_complete_and_compiled():
    text = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    assert '\nmsgstr ""\n\n' not in text.split("\n\n", 1)[1]
    with open(CATALOGUE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.gettext("My opening key") == "我的开标密钥"
    assert compiled.gettext("Present your share") == "出示您的分片"


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
