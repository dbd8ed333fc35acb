"""An organization's bid on screen: prepare, edit with budget lines, targets and
attachments, submit, receipt, withdraw; and what others get."""

from datetime import timedelta

import pytest
import time_machine

from bidding.models import Bid, Lot
from tests.factories import MembershipFactory

from .round_helpers import filled_bid, pdf_upload, submitted_bid

pytestmark = pytest.mark.django_db


def _formset(prefix: str, rows: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def test_organization_bids_on_screen(client, round_, lot, org, org_admin):
    client.force_login(org_admin)
    call = client.get(f"/rounds/calls/{round_.pk}/").content.decode()
    assert "Prepare a bid" in call
    response = client.post(f"/rounds/calls/{round_.pk}/lots/{lot.pk}/prepare/")
    bid = Bid.objects.get(organization=org)
    assert response.url == f"/rounds/bids/{bid.pk}/edit/"
    assert client.get(response.url).status_code == 200
    data = {
        "price": "280000.00",
        "service_plan": "入户康复训练",
        "team": "康复师3名",
        "schedule": "12个月",
        **_formset(
            "lines",
            [
                {"item": "人员费用", "amount": "200000.00"},
                {"item": "物料", "amount": "80000.00"},
                {"item": "", "amount": "", "note": ""},
            ],
        ),
        **_formset(
            "targets",
            [
                {"kind": "output", "indicator": "服务人次", "target_value": "1200", "unit": "人次"},
                {"kind": "", "indicator": "", "target_value": "", "unit": ""},
            ],
        ),
    }
    response = client.post(f"/rounds/bids/{bid.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()
    assert bid.budget_lines.count() == 2 and bid.targets.count() == 1
    client.post(f"/rounds/bids/{bid.pk}/attachments/", {"title": "方案", "file": pdf_upload()})
    assert bid.attachments.count() == 1
    response = client.post(f"/rounds/bids/{bid.pk}/submit/")
    assert response.url == f"/rounds/bids/{bid.pk}/receipt/"
    bid.refresh_from_db()
    receipt = client.get(response.url).content.decode()
    assert bid.digest in receipt
    pdf = client.get(f"/rounds/bids/{bid.pk}/receipt.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "Withdraw the bid" in client.get(f"/rounds/bids/{bid.pk}/").content.decode()
    client.post(f"/rounds/bids/{bid.pk}/withdraw/")
    bid.refresh_from_db()
    assert bid.status == "withdrawn"
    mine = client.get("/rounds/bids/").content.decode()
    assert lot.title in mine and "not submitted" in mine


def test_budget_lines_not_summing_are_shown_before_submitting(client, lot, org, org_admin):
    bid = filled_bid(
        lot=lot, user=org_admin, org=org, lines=[{"item": "人员", "amount": "1000.00"}]
    )
    client.force_login(org_admin)
    html = client.get(f"/rounds/bids/{bid.pk}/").content.decode()
    assert "add up to 1000.00 CNY, not the price of 280000.00 CNY" in html
    response = client.post(f"/rounds/bids/{bid.pk}/submit/", follow=True)
    assert "not complete" in response.content.decode()
    bid.refresh_from_db()
    assert bid.status == "draft"


def test_price_over_the_cap_is_shown_on_the_form(client, lot, org, org_admin):
    bid = filled_bid(lot=lot, user=org_admin, org=org)
    client.force_login(org_admin)
    response = client.post(
        f"/rounds/bids/{bid.pk}/edit/",
        {
            "price": "999999.00",
            "service_plan": "x",
            "team": "y",
            "schedule": "",
            **_formset("lines", []),
            **_formset("targets", []),
        },
    )
    assert response.status_code == 200
    assert "cannot exceed the lot" in response.content.decode()
    bid.refresh_from_db()
    assert str(bid.price) == "280000.00" and bid.budget_lines.count() == 2


def test_submit_on_screen_one_second_after_the_deadline_changes_nothing(
    client, round_, lot, org, org_admin
):
    bid = filled_bid(lot=lot, user=org_admin, org=org)
    with time_machine.travel(round_.submission_deadline + timedelta(seconds=1), tick=False):
        client.force_login(org_admin)
        response = client.post(f"/rounds/bids/{bid.pk}/submit/", follow=True)
        assert "deadline has passed" in response.content.decode()
        assert client.get(f"/rounds/bids/{bid.pk}/edit/").status_code == 302
    bid.refresh_from_db()
    assert (bid.status, bid.digest) == ("draft", "")


def test_another_organization_gets_404_everywhere(client, lot, org, org_admin, other_admin):
    bid = submitted_bid(lot=lot, user=org_admin, org=org)
    attachment = bid.attachments.first()
    client.force_login(other_admin)
    for url in (
        f"/rounds/bids/{bid.pk}/",
        f"/rounds/bids/{bid.pk}/edit/",
        f"/rounds/bids/{bid.pk}/receipt/",
        f"/rounds/bids/{bid.pk}/receipt.pdf",
        f"/rounds/bids/{bid.pk}/attachments/{attachment.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/rounds/bids/{bid.pk}/submit/",
        f"/rounds/bids/{bid.pk}/withdraw/",
        f"/rounds/bids/{bid.pk}/attachments/",
        f"/rounds/bids/{bid.pk}/attachments/{attachment.pk}/remove/",
    ):
        assert client.post(url).status_code == 404, url
    bid.refresh_from_db()
    assert bid.status == "submitted" and bid.attachments.count() == 1
    assert org.name not in client.get("/rounds/bids/").content.decode()


def test_second_member_of_the_organization_sees_the_bid(client, lot, org, org_admin):
    bid = submitted_bid(lot=lot, user=org_admin, org=org)
    colleague = MembershipFactory(organization=org).user
    client.force_login(colleague)
    assert client.get(f"/rounds/bids/{bid.pk}/").status_code == 200


def test_a_bid_of_a_lot_that_takes_no_bids_offers_no_edit_or_submit(client, lot, org, org_admin):
    # The page asks the rule the service enforces (bidding.services.bids.bid_is_editable):
    # a lot that no longer takes bids is closed for changes even before the deadline.
    bid = filled_bid(lot=lot, user=org_admin, org=org)
    Lot.objects.filter(pk=lot.pk).update(status=Lot.Status.CANCELLED)
    client.force_login(org_admin)
    page = client.get(f"/rounds/bids/{bid.pk}/").content.decode()
    assert f"/rounds/bids/{bid.pk}/edit/" not in page
    assert f"/rounds/bids/{bid.pk}/submit/" not in page
    response = client.get(f"/rounds/bids/{bid.pk}/edit/")
    assert response.status_code == 302 and response.url == f"/rounds/bids/{bid.pk}/"
    bid.refresh_from_db()
    assert bid.status == Bid.Status.DRAFT
