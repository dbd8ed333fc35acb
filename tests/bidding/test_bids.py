"""Bids: drafting, editing, submitting with digest and receipt, withdrawing and
resubmitting, all until the deadline by the server clock."""

import hashlib
import json
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from bidding import digest
from bidding.digest import bid_canonical
from bidding.models import Bid, BidSubmission
from bidding.services import bids as services
from bidding.services.submission import bid_submit, bid_withdraw
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from purchase_portal.models import AuditEvent, Notification
from tests.factories import MembershipFactory, OrganizationFactory

from .round_helpers import (
    bidder,
    enter_content,
    filled_bid,
    pdf_upload,
    published_round,
    submitted_bid,
)

pytestmark = pytest.mark.django_db


def test_member_of_a_verified_organization_drafts_one_bid_per_lot(lot, org, org_member):
    bid = services.bid_create(lot=lot, user=org_member, organization=org)
    assert (bid.status, bid.organization, bid.created_by) == ("draft", org, org_member)
    with pytest.raises(ConflictError):
        services.bid_create(lot=lot, user=org_member, organization=org)
    assert Bid.objects.filter(lot=lot, organization=org).count() == 1


@pytest.mark.parametrize("status", ["pending", "suspended", "rejected"])
def test_unverified_organization_cannot_bid(lot, status):
    org = OrganizationFactory(status=status)
    user = MembershipFactory(organization=org).user
    with pytest.raises(PermissionDeniedError):
        services.bid_create(lot=lot, user=user, organization=org)
    assert not Bid.objects.exists()


def test_only_social_organizations_bid(lot):
    evaluator = OrganizationFactory(category="evaluator")
    user = MembershipFactory(organization=evaluator).user
    with pytest.raises(PermissionDeniedError):
        services.bid_create(lot=lot, user=user, organization=evaluator)


def test_non_member_cannot_bid_for_an_organization(lot, org, other_admin):
    with pytest.raises(PermissionDeniedError):
        services.bid_create(lot=lot, user=other_admin, organization=org)


def test_budget_lines_that_do_not_sum_to_the_price_stop_the_submission(lot, org, org_admin):
    bid = filled_bid(
        lot=lot,
        user=org_admin,
        org=org,
        price=Decimal("280000.00"),
        lines=[{"item": "人员", "amount": "200000.00"}, {"item": "物料", "amount": "79999.99"}],
    )
    with pytest.raises(ApplicationError) as exc:
        bid_submit(bid=bid, user=org_admin)
    assert "budget_lines" in exc.value.fields
    bid.refresh_from_db()
    assert (bid.status, bid.digest, bid.submitted_at) == ("draft", "", None)
    assert not BidSubmission.objects.exists()


def test_price_over_the_lot_cap_is_refused(lot, org, org_admin):
    bid = services.bid_create(lot=lot, user=org_admin, organization=org)
    with pytest.raises(ApplicationError) as exc:
        services.bid_update(bid=bid, user=org_admin, data={"price": lot.cap + Decimal("0.01")})
    assert "price" in exc.value.fields
    bid.refresh_from_db()
    assert bid.price is None


def test_venture_amount_is_capped_by_the_round_cap(officer, org, org_admin):
    round_ = published_round(officer=officer, kind="venture")
    lot = round_.lots.get()
    bid = services.bid_create(lot=lot, user=org_admin, organization=org)
    with pytest.raises(ApplicationError) as exc:
        services.bid_update(bid=bid, user=org_admin, data={"price": "150000.01"})
    assert "price" in exc.value.fields
    services.bid_update(bid=bid, user=org_admin, data={"price": "150000.00"})


def test_venture_bid_needs_a_proposal_title(officer, org, org_admin):
    round_ = published_round(officer=officer, kind="venture")
    bid = filled_bid(lot=round_.lots.get(), user=org_admin, org=org, price=Decimal("100000.00"))
    services.bid_update(bid=bid, user=org_admin, data={"proposal_title": ""})
    with pytest.raises(ApplicationError) as exc:
        bid_submit(bid=bid, user=org_admin)
    assert "proposal_title" in exc.value.fields


@pytest.mark.parametrize(
    ("lines", "targets"),
    [
        ([{"item": "", "amount": "1"}], None),
        ([{"item": "人员", "amount": "-5"}], None),
        ([{"item": "人员", "amount": "1.001"}], None),
        (None, [{"kind": "bogus", "indicator": "x", "target_value": "1", "unit": "次"}]),
        (None, [{"kind": "output", "indicator": "", "target_value": "x", "unit": ""}]),
    ],
)
def test_bad_lines_and_targets_are_refused_with_field_messages(lot, org, org_admin, lines, targets):
    bid = services.bid_create(lot=lot, user=org_admin, organization=org)
    with pytest.raises(ApplicationError) as exc:
        services.bid_update(bid=bid, user=org_admin, budget_lines=lines, targets=targets)
    assert set(exc.value.fields) == {"budget_lines" if lines else "targets"}
    assert not bid.budget_lines.exists() and not bid.targets.exists()


def test_submission_stores_the_digest_of_the_canonical_content_and_issues_a_receipt(
    lot, org, org_admin
):
    bid = filled_bid(lot=lot, user=org_admin, org=org)
    attachment = bid.attachments.get()
    with attachment.file.open("rb") as handle:
        file_hash = hashlib.sha256(handle.read()).hexdigest()
    canonical = bid_canonical(bid)
    submission = bid_submit(bid=bid, user=org_admin)
    bid.refresh_from_db()
    assert bid.status == "submitted"
    assert bid.digest == submission.digest
    expected = hashlib.sha256(
        json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()
    assert submission.digest == expected
    assert canonical["price"] == "280000.00"
    assert [line["amount"] for line in canonical["budget_lines"]] == ["250000.00", "30000.00"]
    assert canonical["attachments"] == [
        {"name": attachment.original_name, "title": "", "sha256": file_hash}
    ]
    assert submission.is_current and submission.receipt_number.startswith("RC")
    assert AuditEvent.objects.filter(action="bid.submit", object_id=str(bid.pk)).exists()
    assert Notification.objects.filter(recipient=org_admin, kind="bid.submitted").exists()


def test_bid_edits_are_audited_without_their_values(lot, org, org_admin):
    bid = services.bid_create(lot=lot, user=org_admin, organization=org)
    services.bid_update(bid=bid, user=org_admin, data={"price": "123456.78"})
    event = AuditEvent.objects.get(action="bid.update", object_id=str(bid.pk))
    assert event.after == {"changed": ["price"]}
    assert "123456" not in json.dumps([e.after for e in AuditEvent.objects.all()])


def test_withdraw_then_resubmit_issues_a_new_current_receipt(lot, org, org_admin):
    bid = submitted_bid(lot=lot, user=org_admin, org=org)
    first = bid.submissions.get()
    with pytest.raises(ConflictError):
        services.bid_update(bid=bid, user=org_admin, data={"team": "改"})
    bid_withdraw(bid=bid, user=org_admin)
    bid.refresh_from_db()
    first.refresh_from_db()
    assert (bid.status, bid.digest, first.is_current) == ("withdrawn", "", False)
    assert Notification.objects.filter(recipient=org_admin, kind="bid.withdrawn").exists()
    enter_content(bid=bid, user=org_admin, team="康复师4名")
    second = bid_submit(bid=bid, user=org_admin)
    assert second.receipt_number != first.receipt_number
    assert second.digest != first.digest
    assert list(bid.submissions.filter(is_current=True)) == [second]


def test_submission_one_second_after_the_deadline_is_refused_and_the_bid_unchanged(
    round_, lot, org, org_admin
):
    bid = filled_bid(lot=lot, user=org_admin, org=org)
    with time_machine.travel(round_.submission_deadline + timedelta(seconds=1), tick=False):
        with pytest.raises(ConflictError) as exc:
            bid_submit(bid=bid, user=org_admin)
        assert exc.value.code == "deadline_passed"
        with pytest.raises(ConflictError):
            services.bid_update(bid=bid, user=org_admin, data={"price": "1.00"})
        with pytest.raises(ConflictError):
            services.bid_attachment_add(bid=bid, user=org_admin, file=pdf_upload())
    bid.refresh_from_db()
    assert (bid.status, bid.digest, bid.price) == ("draft", "", Decimal("280000.00"))
    assert not BidSubmission.objects.exists()


def test_submission_one_second_before_the_deadline_is_accepted(round_, lot, org, org_admin):
    bid = filled_bid(lot=lot, user=org_admin, org=org)
    with time_machine.travel(round_.submission_deadline - timedelta(seconds=1), tick=False):
        bid_submit(bid=bid, user=org_admin)
    bid.refresh_from_db()
    assert bid.status == "submitted"


def test_withdrawal_after_the_deadline_is_refused(round_, lot, org, org_admin):
    bid = submitted_bid(lot=lot, user=org_admin, org=org)
    with pytest.raises(ConflictError):
        bid_withdraw(bid=bid, user=org_admin, now=round_.submission_deadline)
    bid.refresh_from_db()
    assert bid.status == "submitted" and bid.submissions.get().is_current


def test_new_draft_after_the_deadline_is_refused(round_, lot, org, org_admin):
    with pytest.raises(ConflictError):
        services.bid_create(
            lot=lot, user=org_admin, organization=org, now=round_.submission_deadline
        )


def test_another_organization_cannot_withdraw_or_edit(lot, org, org_admin, other_admin):
    bid = submitted_bid(lot=lot, user=org_admin, org=org)
    with pytest.raises(PermissionDeniedError):
        bid_withdraw(bid=bid, user=other_admin)
    with pytest.raises(PermissionDeniedError):
        services.bid_update(bid=bid, user=other_admin, data={"team": "x"})
    bid.refresh_from_db()
    assert bid.status == "submitted"


def test_attachments_are_checked_by_content(lot, org, org_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bid = services.bid_create(lot=lot, user=org_admin, organization=org)
    fake = SimpleUploadedFile("方案.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ApplicationError) as exc:
        services.bid_attachment_add(bid=bid, user=org_admin, file=fake)
    assert "file" in exc.value.fields
    attachment = services.bid_attachment_add(
        bid=bid, user=org_admin, file=pdf_upload("../../x.pdf")
    )
    assert attachment.original_name == "x.pdf"
    assert attachment.sha256 == hashlib.sha256(attachment.file.open("rb").read()).hexdigest()


def test_removing_an_attachment_changes_the_digest(lot, org, org_admin):
    bid = filled_bid(lot=lot, user=org_admin, org=org, attachments=2)
    before = digest.digest_of(digest.bid_canonical(bid))
    services.bid_attachment_remove(attachment=bid.attachments.first(), user=org_admin)
    assert digest.digest_of(digest.bid_canonical(bid)) != before


def test_incomplete_bid_lists_what_is_missing(lot, org, org_admin):
    bid = services.bid_create(lot=lot, user=org_admin, organization=org)
    with pytest.raises(ApplicationError) as exc:
        bid_submit(bid=bid, user=org_admin)
    assert set(exc.value.fields) >= {"price", "service_plan", "team", "budget_lines", "targets"}


def test_deadline_reminders_go_to_drafts_3_days_and_1_day_ahead_once(round_, lot, org, org_admin):
    from bidding.tasks import remind_deadlines

    draft = filled_bid(lot=lot, user=org_admin, org=org)
    other_user, other_org = bidder()
    submitted_bid(lot=lot, user=other_user, org=other_org)
    deadline = round_.submission_deadline
    assert remind_deadlines(now=deadline - timedelta(days=4)) == 0
    assert remind_deadlines(now=deadline - timedelta(days=2, hours=23)) == 1
    assert remind_deadlines(now=deadline - timedelta(days=2)) == 0
    assert remind_deadlines(now=deadline - timedelta(hours=23)) == 1
    assert remind_deadlines(now=deadline - timedelta(hours=1)) == 0
    kinds = sorted(
        Notification.objects.filter(object_id=str(draft.pk)).values_list("kind", flat=True)
    )
    assert kinds == ["bid.deadline_1d", "bid.deadline_3d"]
    assert not Notification.objects.filter(recipient=other_user, kind__startswith="bid.deadline")


def test_receipt_numbers_are_unique_per_submission(lot, org, org_admin):
    bid = submitted_bid(lot=lot, user=org_admin, org=org)
    bid_withdraw(bid=bid, user=org_admin)
    enter_content(bid=bid, user=org_admin)
    bid_submit(bid=bid, user=org_admin)
    numbers = list(BidSubmission.objects.values_list("receipt_number", flat=True))
    assert len(numbers) == len(set(numbers)) == 2


def test_now_defaults_to_the_server_clock(lot, org, org_admin):
    bid = filled_bid(lot=lot, user=org_admin, org=org)
    with time_machine.travel(timezone.now() + timedelta(hours=1), tick=False):
        submission = bid_submit(bid=bid, user=org_admin)
        assert submission.submitted_at == timezone.now()


def test_submitting_with_a_lost_attachment_file_is_refused(lot, org, org_admin):
    import os

    bid = filled_bid(lot=lot, user=org_admin, org=org)
    os.remove(bid.attachments.first().file.path)
    with pytest.raises(ApplicationError) as exc:
        bid_submit(bid=bid, user=org_admin)
    assert "attachments" in exc.value.fields
    bid.refresh_from_db()
    assert bid.status == "draft"
