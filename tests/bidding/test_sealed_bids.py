"""Bids sealed by cryptography until the opening (电子招标投标办法 Arts 26, 30): a
database dump taken before the opening holds no plaintext of a submitted bid;
the opening needs k of the n opening officers' shares; a wrong share or a wrong
password is detected; the opening decrypts every bid and re-verifies digests."""

import io
import json
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from bidding.models import (
    Bid,
    BidAttachment,
    BidBudgetLine,
    BidSubmission,
    OpeningRecord,
    RoundKeyShare,
    RoundSeal,
)
from bidding.services import bids as bid_services
from bidding.services import opening as opening_services
from bidding.services import sealing as services
from bidding.services.submission import bid_submit, bid_withdraw
from purchase_portal import sealing as crypto
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError

from .round_helpers import (
    KEY_PASSWORD,
    PDF_BYTES,
    bidder,
    filled_bid,
    key_holder,
    officer_user,
    open_round,
    present_shares,
    published_round,
)

pytestmark = pytest.mark.django_db

PRICE = Decimal("271828.18")
DRAFT_PRICE = Decimal("161803.39")
MARKERS = {
    "plan": ("SEALPLAN-7f3a", "入户康复训练密封方案"),
    "team": ("SEALTEAM-91c2", "康复师团队"),
    "schedule": ("SEALSCHED-44d0", "十二个月"),
    "line": ("SEALLINE-be11", "人员费用"),
    "target": ("SEALTARGET-a5e7", "服务人次"),
    "attachment_title": ("SEALATTACH-0c9d", "实施方案"),
}
FILE_MARKER = b"SEALFILE-3e8b-plaintext-of-the-attachment"


def text(name: str, suffix: str) -> str:
    """A text with an ASCII token and a Chinese phrase, both carrying ``suffix``."""
    token, phrase = MARKERS[name]
    return f"{token}{suffix} {phrase}{suffix}"


def _bid_with_markers(lot, *, price, suffix="", submit=True, now=None):
    user, org = bidder()
    bid = bid_services.bid_create(lot=lot, user=user, organization=org, now=now)
    bid_services.bid_update(
        bid=bid,
        user=user,
        data={
            "price": price,
            "service_plan": text("plan", suffix),
            "team": text("team", suffix),
            "schedule": text("schedule", suffix),
        },
        budget_lines=[{"item": text("line", suffix), "amount": price}],
        targets=[
            {
                "kind": "output",
                "indicator": text("target", suffix),
                "target_value": Decimal("1200"),
                "unit": "人次",
            }
        ],
        now=now,
    )
    bid_services.bid_attachment_add(
        bid=bid,
        user=user,
        title=text("attachment_title", suffix),
        file=SimpleUploadedFile(
            "plan.pdf", PDF_BYTES + FILE_MARKER + suffix.encode(), "application/pdf"
        ),
        now=now,
    )
    if submit:
        bid_submit(bid=bid, user=user, now=now)
    bid.refresh_from_db()
    return bid, user


def _sealed_round(officer, *, bids=1):
    """A round past its deadline with ``bids`` submitted bids (and one draft)."""
    start = timezone.now() - timedelta(days=30)
    round_ = published_round(officer=officer, start=start)
    lot = round_.lots.get()
    lot.round = round_
    when = start + timedelta(days=1)
    submitted = [
        _bid_with_markers(lot, price=PRICE + i, suffix=f"-{i}", now=when)[0] for i in range(bids)
    ]
    draft, _user = _bid_with_markers(
        lot, price=DRAFT_PRICE, suffix="-draft", submit=False, now=when
    )
    return round_, lot, submitted, draft


def _assert_sealed(dump: str, suffix: str = "-0") -> None:
    assert "271828" not in dump
    for token, phrase in MARKERS.values():
        assert f"{token}{suffix}" not in dump, token
        assert f"{phrase}{suffix}" not in dump, phrase
        assert json.dumps(f"{phrase}{suffix}")[1:-1] not in dump, phrase  # nor \\u-escaped


def _assert_complete(dump: str) -> None:
    """The dump holds the draft bid in clear: the check above would find a leak."""
    for token, phrase in MARKERS.values():
        assert f"{token}-draft" in dump, token
        assert f"{phrase}-draft" in dump or json.dumps(f"{phrase}-draft")[1:-1] in dump
    assert "161803.39" in dump


# A database dump before the opening -------------------------------------------------


def test_database_dump_before_the_opening_holds_no_plaintext_of_a_submitted_bid(officer):
    _round, _lot, bids, _draft = _sealed_round(officer)
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    dump = out.getvalue()
    _assert_sealed(dump)
    # The dump is complete: the draft (not submitted) is there in clear, and the
    # submitted bid's digest and receipt are there.
    _assert_complete(dump)
    assert bids[0].digest in dump
    assert BidSubmission.objects.get(bid=bids[0]).receipt_number in dump
    # The attachment's stored file is ciphertext too.
    attachment = BidAttachment.objects.get(bid=bids[0])
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    assert FILE_MARKER not in stored and attachment.sealed


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pg_dump_before_the_opening_holds_no_plaintext_of_a_submitted_bid(tmp_path):
    officer = officer_user()
    _round, _lot, bids, _draft = _sealed_round(officer)
    settings = connection.settings_dict
    command = ["pg_dump", "--no-owner", "--data-only", "-d", settings["NAME"]]
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if settings.get(key):
            command += [flag, str(settings[key])]
    dump = subprocess.run(  # noqa: S603 (fixed arguments)
        command, check=True, capture_output=True, timeout=120
    ).stdout.decode()
    _assert_sealed(dump)
    _assert_complete(dump)
    assert bids[0].digest in dump


# What the database holds for a submitted bid --------------------------------------


def test_submission_keeps_only_ciphertext_digest_and_receipt(officer):
    _round, _lot, bids, _draft = _sealed_round(officer)
    bid = bids[0]
    assert bid.status == Bid.Status.SUBMITTED and len(bid.digest) == 64
    assert bid.price is None and bid.service_plan == bid.team == bid.schedule == ""
    assert not BidBudgetLine.objects.filter(bid=bid).exists()
    assert not bid.targets.exists()
    submission = BidSubmission.objects.get(bid=bid)
    assert submission.canonical == {} and submission.digest == bid.digest
    assert submission.sealed_content and submission.wrapped_key
    attachment = BidAttachment.objects.get(bid=bid)
    assert attachment.title == "" and "plan" not in attachment.original_name


def test_the_round_private_key_is_never_stored_whole(officer):
    round_, _lot, _bids, _draft = _sealed_round(officer)
    seal = RoundSeal.objects.get(round=round_)
    assert seal.threshold == 2 and len(bytes(seal.public_key)) == 32
    shares = list(RoundKeyShare.objects.filter(seal=seal).select_related("holder__opening_key"))
    assert len(shares) == 3
    # A holder's share, opened with the holder's password, is one share: alone it
    # rebuilds nothing.
    holder = shares[0].holder
    private = crypto.unprotect(
        bytes(holder.opening_key.protected_private_key),
        password=KEY_PASSWORD,
        aad=f"opening-key:{holder.pk}".encode(),
    )
    part = crypto.unwrap(
        bytes(shares[0].wrapped_share),
        private_key=private,
        aad=f"round-share:{round_.pk}:{holder.pk}".encode(),
    ).decode()
    with pytest.raises(crypto.ShareError):
        crypto.combine([part])


def test_drafts_stay_editable_and_a_withdrawn_bid_returns_as_an_empty_draft(officer):
    start = timezone.now() - timedelta(days=2)
    round_ = published_round(officer=officer, start=start)
    lot = round_.lots.get()
    bid, user = _bid_with_markers(lot, price=PRICE, submit=False)
    bid_services.bid_update(bid=bid, user=user, data={"team": "改过的团队"})
    bid.refresh_from_db()
    assert bid.team == "改过的团队" and bid.price == PRICE
    bid_submit(bid=bid, user=user)
    bid_withdraw(bid=bid, user=user)
    bid.refresh_from_db()
    assert bid.status == Bid.Status.WITHDRAWN
    assert bid.price is None and bid.service_plan == ""
    assert not bid.attachments.exists()
    # The bidder enters it again and resubmits.
    bid_services.bid_update(
        bid=bid,
        user=user,
        data={"price": PRICE, "service_plan": "新方案", "team": "团队"},
        budget_lines=[{"item": "人员", "amount": PRICE}],
        targets=[{"kind": "output", "indicator": "人次", "target_value": 10, "unit": "人次"}],
    )
    second = bid_submit(bid=bid, user=user)
    assert second.is_current and BidSubmission.objects.filter(bid=bid).count() == 2


# Key holders and shares --------------------------------------------------------------


def test_publishing_needs_named_key_holders_with_keys(officer):
    from bidding.services import rounds as round_services

    from .round_helpers import draft_round

    round_ = draft_round(officer=officer)
    RoundSeal.objects.filter(round=round_).delete()
    with pytest.raises(ApplicationError) as exc:
        round_services.round_publish(round=round_, user=officer)
    assert "key_holders" in exc.value.fields
    without_key = officer_user()
    with pytest.raises(ApplicationError) as exc:
        services.round_key_holders_set(
            round=round_, user=officer, holders=[officer, without_key], threshold=2
        )
    assert "holders" in exc.value.fields
    with pytest.raises(ApplicationError) as exc:
        services.round_key_holders_set(
            round=round_, user=officer, holders=[officer, key_holder()], threshold=3
        )
    assert "threshold" in exc.value.fields
    assert not RoundSeal.objects.filter(round=round_).exists()


def test_only_officers_name_key_holders_and_create_keys(officer):
    from .round_helpers import draft_round

    round_ = draft_round(officer=officer)
    member, _org = bidder()
    with pytest.raises(PermissionDeniedError):
        services.round_key_holders_set(
            round=round_, user=member, holders=[officer, key_holder()], threshold=2
        )
    with pytest.raises(PermissionDeniedError):
        services.opening_key_create(user=member, password="x" * 12, password_again="x" * 12)
    assert not hasattr(member, "opening_key")


def test_a_key_holding_an_unopened_share_cannot_be_replaced(officer):
    _sealed_round(officer)
    before = bytes(officer.opening_key.public_key)
    with pytest.raises(ConflictError):
        services.opening_key_create(
            user=officer, password="another-password", password_again="another-password"
        )
    officer.opening_key.refresh_from_db()
    assert bytes(officer.opening_key.public_key) == before


def test_fewer_than_k_shares_cannot_open(officer):
    round_, _lot, bids, _draft = _sealed_round(officer)
    present_shares(round_, count=1)
    with pytest.raises(ConflictError) as exc:
        opening_services.round_open(round=round_, user=officer)
    assert exc.value.code == "shares_missing"
    round_.refresh_from_db()
    bids[0].refresh_from_db()
    assert round_.opened_at is None and not OpeningRecord.objects.exists()
    assert bids[0].price is None


def test_a_wrong_password_is_refused_and_presents_nothing(officer):
    round_, _lot, _bids, _draft = _sealed_round(officer)
    with pytest.raises(ApplicationError) as exc:
        services.share_present(round=round_, user=officer, password="not-the-password")
    assert exc.value.code == "wrong_password" and "password" in exc.value.fields
    assert not RoundKeyShare.objects.filter(presented_at__isnull=False).exists()


def test_a_share_of_another_round_is_detected_when_presented(officer):
    round_, _lot, _bids, _draft = _sealed_round(officer)
    other = published_round(officer=officer, start=timezone.now() - timedelta(days=30))
    mine = RoundKeyShare.objects.get(seal__round=round_, holder=officer)
    foreign = RoundKeyShare.objects.get(seal__round=other, holder=officer)
    # Someone with database access swaps in the officer's share of another round.
    part = crypto.unwrap(
        bytes(foreign.wrapped_share),
        private_key=crypto.unprotect(
            bytes(officer.opening_key.protected_private_key),
            password=KEY_PASSWORD,
            aad=f"opening-key:{officer.pk}".encode(),
        ),
        aad=f"round-share:{other.pk}:{officer.pk}".encode(),
    )
    RoundKeyShare.objects.filter(pk=mine.pk).update(
        wrapped_share=crypto.wrap(
            part,
            public_key=bytes(officer.opening_key.public_key),
            aad=f"round-share:{round_.pk}:{officer.pk}".encode(),
        )
    )
    with pytest.raises(ConflictError) as exc:
        services.share_present(round=round_, user=officer, password=KEY_PASSWORD)
    assert exc.value.code == "share_invalid"
    mine.refresh_from_db()
    assert mine.presented_at is None


def test_a_damaged_presented_share_is_detected_at_the_opening(officer):
    round_, _lot, bids, _draft = _sealed_round(officer)
    holders = present_shares(round_)
    share = RoundKeyShare.objects.get(seal__round=round_, holder=holders[1])
    damaged = bytearray(share.presented_share)
    damaged[-3] ^= 0x40
    RoundKeyShare.objects.filter(pk=share.pk).update(presented_share=bytes(damaged))
    with pytest.raises(ConflictError) as exc:
        opening_services.round_open(round=round_, user=officer)
    assert exc.value.code == "share_invalid"
    round_.refresh_from_db()
    bids[0].refresh_from_db()
    assert round_.opened_at is None and bids[0].price is None


def test_only_holders_present_and_only_after_the_deadline(officer):
    start = timezone.now() - timedelta(days=2)
    round_ = published_round(officer=officer, start=start)
    with pytest.raises(ConflictError) as exc:
        services.share_present(round=round_, user=officer, password=KEY_PASSWORD)
    assert exc.value.code == "not_presentable"
    outsider = key_holder()
    with pytest.raises(PermissionDeniedError):
        services.share_present(round=round_, user=outsider, password=KEY_PASSWORD)
    assert not RoundKeyShare.objects.filter(presented_at__isnull=False).exists()


# The opening ------------------------------------------------------------------------


def test_the_opening_decrypts_every_bid_re_verifies_digests_and_forgets_the_shares(officer):
    round_, _lot, bids, draft = _sealed_round(officer, bids=3)
    record = open_round(round_, officer)
    assert record.all_digests_ok
    assert {r["bid"]: r["result"] for r in record.results} == {b.pk: "ok" for b in bids}
    for i, bid in enumerate(bids):
        bid.refresh_from_db()
        assert bid.price == PRICE + i
        assert bid.service_plan == text("plan", f"-{i}")
        assert bid.budget_lines.get().item == text("line", f"-{i}")
        assert bid.targets.get().indicator == text("target", f"-{i}")
        attachment = bid.attachments.get()
        assert attachment.title == text("attachment_title", f"-{i}") and not attachment.sealed
        with attachment.file.open("rb") as handle:
            assert handle.read() == PDF_BYTES + FILE_MARKER + f"-{i}".encode()
        current = bid.submissions.get(is_current=True)
        assert current.canonical["price"] == f"{PRICE + i:.2f}"
    # Nothing of the key is kept after the opening.
    assert not RoundKeyShare.objects.filter(seal__round=round_, wrapped_share__isnull=False)
    assert not RoundKeyShare.objects.filter(seal__round=round_, presented_share__isnull=False)
    draft.refresh_from_db()
    assert draft.status == Bid.Status.DRAFT


def test_submitting_to_a_round_without_a_key_is_refused(officer):
    start = timezone.now() - timedelta(days=2)
    round_ = published_round(officer=officer, start=start)
    lot = round_.lots.get()
    user, org = bidder()
    bid = filled_bid(lot=lot, user=user, org=org)
    RoundSeal.objects.filter(round=round_).update(public_key=None)
    with pytest.raises(ConflictError) as exc:
        bid_submit(bid=bid, user=user)
    assert exc.value.code == "no_round_key"
    bid.refresh_from_db()
    assert bid.status == Bid.Status.DRAFT and bid.price is not None
