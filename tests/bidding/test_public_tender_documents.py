"""The public side of a call: its notice number, the purchaser's contact, the
countdown to the deadline, the tender documents (招标文件) and award notices as
PDFs, the guide for organizations and the recent results on the home page."""

import re
import shutil
import subprocess
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from bidding.models import Round

from .review_setup import noticed_round
from .round_helpers import draft_round, published_round

pytestmark = pytest.mark.django_db


def _pdf_text(data: bytes, tmp_path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext (poppler-utils) is required for this test")
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    text = subprocess.run(  # noqa: S603
        [tool, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"\s+", "", text)


def test_publishing_gives_a_stable_notice_number_per_district_and_year(officer, settings):
    settings.PORTAL_DISTRICT_CODE = "310115"
    first = published_round(officer=officer)
    second = published_round(officer=officer)
    year = timezone.localtime(first.published_at).year
    assert first.notice_number == f"310115-{year}-0001"
    assert second.notice_number == f"310115-{year}-0002"
    settings.PORTAL_DISTRICT_CODE = "999999"
    first.refresh_from_db()
    assert first.notice_number == f"310115-{year}-0001"  # stored, never recomputed
    assert draft_round(officer=officer).notice_number == ""


def test_call_page_shows_notice_number_contact_and_countdown(client, officer, settings):
    settings.PORTAL_CONTACT_NAME = "王老师"
    settings.PORTAL_CONTACT_PHONE = "021-12345678"
    start = timezone.now()
    round_ = published_round(officer=officer, start=start)
    with time_machine.travel(round_.submission_deadline - timedelta(days=2, hours=5), tick=False):
        html = client.get(f"/rounds/calls/{round_.pk}/").content.decode()
    assert round_.notice_number in html
    assert "王老师" in html and 'href="tel:021-12345678"' in html
    assert "2 days 5 hours 0 minutes left to submit a bid" in html
    assert 'class="countdown closing"' in html
    assert f'href="/rounds/calls/{round_.pk}/tender.pdf"' in html
    assert 'href="/rounds/calls/how-to-take-part/"' in html


def test_contact_falls_back_to_the_federation_organization(client, officer):
    from tests.contracts.helpers import federation

    fed = federation()
    round_ = published_round(officer=officer)
    html = client.get(f"/rounds/calls/{round_.pk}/").content.decode()
    assert fed.contact_phone in html


def test_no_countdown_after_the_deadline(client, officer):
    round_ = published_round(officer=officer)
    with time_machine.travel(round_.submission_deadline + timedelta(minutes=1), tick=False):
        html = client.get(f"/rounds/calls/{round_.pk}/").content.decode()
    assert "left to submit a bid" not in html
    assert "The submission deadline has passed." in html


def test_tender_documents_pdf_holds_the_whole_call(client, officer, settings, tmp_path):
    settings.PORTAL_CONTACT_PHONE = "021-87654321"
    round_ = published_round(officer=officer, lots=2)
    response = client.get(f"/rounds/calls/{round_.pk}/tender.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    assert round_.notice_number in text
    assert "021-87654321" in text
    assert "Tenderdocuments" in text
    for lot in round_.lots.all():
        assert lot.title.replace(" ", "") in text
        for target in lot.project.targets.all():
            assert target.indicator.replace(" ", "") in text
    for criterion in round_.criteria.all():
        assert criterion.name.replace(" ", "") in text
    assert "Qualification" in text and "validregistration" in text.lower()
    assert "Contracttermsandpaymentplan" in text
    assert timezone.localtime(round_.submission_deadline).strftime("%Y-%m-%d") in text
    assert "ExampleDistrictDisabledPersons" in text  # the district's federation, every page


def test_tender_documents_of_a_draft_are_not_public(client, officer):
    draft = draft_round(officer=officer)
    assert client.get(f"/rounds/calls/{draft.pk}/tender.pdf").status_code == 404
    client.force_login(officer)
    assert client.get(f"/rounds/calls/{draft.pk}/tender.pdf").status_code == 404
    assert Round.objects.get(pk=draft.pk).status == Round.Status.DRAFT


def test_award_notice_is_a_pdf_and_the_home_page_shows_recent_results(
    client, officer, approver, tmp_path
):
    round_, notice = noticed_round(officer, approver)
    page = client.get(f"/rounds/notices/{notice.pk}/").content.decode()
    assert f'href="/rounds/notices/{notice.pk}/notice.pdf"' in page
    response = client.get(f"/rounds/notices/{notice.pk}/notice.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    assert round_.code in text
    winners = [a["organization"] for lot in notice.content["lots"] for a in lot["awards"]]
    assert winners and all(w.replace(" ", "") in text for w in winners)
    home = client.get("/").content.decode()
    assert "Recent results" in home
    assert f'href="/rounds/notices/{notice.pk}/"' in home
    assert 'href="/rounds/calls/how-to-take-part/"' in home


def test_guide_explains_how_to_take_part(client):
    response = client.get("/rounds/calls/how-to-take-part/")
    assert response.status_code == 200
    html = response.content.decode()
    for step in ("Register your organization", "Wait for verification", "Find a call"):
        assert step in html
    assert "registration certificate" in html
    assert 'href="/organizations/apply/"' in html


def test_guide_in_chinese(client):
    client.cookies["django_language"] = "zh-hans"
    html = client.get("/rounds/calls/how-to-take-part/").content.decode()
    assert "如何参与" in html and "登记证书" in html
