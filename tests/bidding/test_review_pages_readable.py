"""The review pages read as a record for people, in the reader's language: every
round the review index lists opens, the panel draw names the experts it drew and
says how it works, and the public notice shows its labels in English to English
readers."""

import re

import pytest
from django.conf import settings
from django.utils import timezone

from bidding.models import PanelDraw, Round
from organizations.models import User
from tests.factories import RoundFactory
from tests.helpers import as_user

from .review_setup import draw_panel, in_review_round, noticed_round

pytestmark = pytest.mark.django_db


def _in(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_every_round_on_the_review_index_opens(client, officer):
    opened = in_review_round()
    # A finished round whose bids were never opened in the portal has no review page.
    RoundFactory(status=Round.Status.FINAL, opened_at=None)
    RoundFactory(status=Round.Status.FINAL, opened_at=timezone.now())
    page = as_user(client, officer).get("/rounds/review/").content.decode()
    links = re.findall(r'href="(/rounds/review/rounds/\d+/)"', page)
    assert f"/rounds/review/rounds/{opened.pk}/" in links
    assert len(links) == 2
    for link in links:
        assert client.get(link).status_code == 200, link


@pytest.mark.chinese_default
def test_the_draw_record_names_the_experts_in_chinese(client, officer):
    round_ = in_review_round()
    draw_panel(round_, officer)
    draw = PanelDraw.objects.get(round=round_)
    page = _in(as_user(client, officer), "zh-hans").get(f"/rounds/review/rounds/{round_.pk}/")
    html = page.content.decode()
    start = html.index('id="draws-heading"')
    record = html[start:]
    names = [User.objects.get(pk=pk).display_name for pk in draw.result]
    assert "、".join(names) in record
    assert "user ids" not in html
    assert "用户编号" not in record
    # The plain-language explanation is in Chinese; the stored rule is marked as English.
    assert "抽取方法" in record
    assert '<p lang="en"><code>speciality-first/v1' in record


@pytest.mark.chinese_default
def test_the_notice_shows_english_labels_to_english_readers(client, officer, approver):
    round_, notice = noticed_round(officer, approver)
    lot = round_.lots.get()
    english = _in(client, "en").get(f"/rounds/notices/{notice.pk}/").content.decode()
    assert str(lot.category.name_en) in english
    assert lot.category.name_zh not in english
    assert "Bids are ranked by final score" in english
    assert "official record published in Chinese" in english
    assert "按最终得分" not in english
    chinese = _in(client, "zh-hans").get(f"/rounds/notices/{notice.pk}/").content.decode()
    assert lot.category.name_zh in chinese
    assert "official record" not in chinese
    # The record itself is unchanged.
    notice.refresh_from_db()
    assert notice.content["lots"][0]["category"] == lot.category.name_zh
