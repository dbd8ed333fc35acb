"""Bids sealed by cryptography until the opening (电子招标投标办法 2013, Art 26: bid
documents are encrypted when submitted; Art 30: they are decrypted at the
opening, in public, by the persons who hold the keys).

- An officer who will hold round keys creates a personal *opening key*, protected
  by a password only they know (``opening_key_create``).
- Before publishing, the round names its opening officers and how many of them
  must be present (``round_key_holders_set``, k of n, k ≥ 2).
- At publication the round gets a key pair; the private key is split into n
  Shamir shares, each wrapped for one holder's opening key, and forgotten
  (``round_seal_create``).
- At submission the bid's canonical content (price, texts, budget lines,
  targets, attachment names) is encrypted with a fresh AES-256-GCM data key,
  so are the attachments' files; the data key is wrapped for the round key.
  The bid row keeps only its digest: its content columns are emptied
  (``bid_seal``). A withdrawn bid's sealed content stays unreadable until the
  opening, so withdrawing returns the bid to an empty draft.
- After the deadline each holder presents their share with their password
  (``share_present``); the share is kept wrapped under the server's key.
- The opening act (``bidding.services.opening.round_open``) needs k presented
  shares: it reconstructs the key, checks it against the round's public key,
  decrypts every bid (``bid_unseal``) and forgets the shares. A bid that cannot
  be decrypted is recorded as such.
"""

from __future__ import annotations

import json
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import User
from purchase_portal import audit
from purchase_portal import sealing as crypto
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError, invalid
from purchase_portal.roles import Role, has_role, is_officer

from ..models import (
    Bid,
    BidAttachment,
    BidBudgetLine,
    BidSubmission,
    BidTarget,
    OpeningKey,
    Round,
    RoundKeyShare,
    RoundSeal,
)
from .common import clock, lock_draft

MIN_THRESHOLD = 2
MAX_HOLDERS = 9
MIN_PASSWORD_LENGTH = 10
SEALED_NAME = "sealed"
UNDECRYPTABLE = "undecryptable"


# Helpers ----------------------------------------------------------------------


def _aad(*parts) -> bytes:
    return ":".join(str(p) for p in parts).encode()


def _scrypt_cost() -> int:
    return getattr(settings, "SEALING_SCRYPT_LOG2_N", crypto.DEFAULT_SCRYPT_LOG2_N)


def _server_key() -> bytes:
    """The key that wraps presented shares between presentation and opening."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"bidding presented shares v1"
    ).derive(settings.SECRET_KEY.encode())


def _password_error(message) -> ApplicationError:
    return ApplicationError(message, code="wrong_password", fields={"password": str(message)})


# Opening keys -------------------------------------------------------------------


def may_hold_keys(user) -> bool:
    return is_officer(user)


def has_open_shares(user: User) -> bool:
    """True while the user holds a share of a round not yet opened."""
    return (
        RoundKeyShare.objects.filter(
            holder=user,
            seal__public_key__isnull=False,
            seal__round__opened_at__isnull=True,
        )
        .exclude(seal__round__status=Round.Status.CANCELLED)
        .exists()
    )


@transaction.atomic
def opening_key_create(
    *, user: User, password: str, password_again: str, now: datetime | None = None
) -> OpeningKey:
    """Create (or replace) the officer's personal opening key.

    The password protects the key and is never stored; a forgotten password
    loses the shares it protects, so a key cannot be replaced while it holds a
    share of a round that is not yet opened.
    """
    now = clock(now)
    if not may_hold_keys(user):
        raise PermissionDeniedError()
    errors = {}
    if len(password or "") < MIN_PASSWORD_LENGTH:
        errors["password"] = _t("Use at least %(n)d characters.") % {"n": MIN_PASSWORD_LENGTH}
    elif password != password_again:
        errors["password_again"] = _t("The two passwords differ.")
    if errors:
        raise invalid(errors)
    existing = OpeningKey.objects.select_for_update().filter(user=user).first()
    if existing is not None and has_open_shares(user):
        raise ConflictError(
            _("Your key holds a share of a round that is not opened yet; it cannot be replaced."),
            code="key_in_use",
        )
    private, public = crypto.generate_key_pair()
    protected = crypto.protect(
        private, password=password, aad=_aad("opening-key", user.pk), log2_n=_scrypt_cost()
    )
    key, _created = OpeningKey.objects.update_or_create(
        user=user,
        defaults={"public_key": public, "protected_private_key": protected, "created_at": now},
    )
    audit.record(
        actor=user,
        action="opening_key.replace" if existing else "opening_key.create",
        obj=key,
        after={"public_key": public.hex()},
    )
    return key


def _open_private_key(user: User, password: str) -> bytes:
    key = OpeningKey.objects.filter(user=user).first()
    if key is None:
        raise ConflictError(_("You have no opening key."), code="no_opening_key")
    try:
        return crypto.unprotect(
            bytes(key.protected_private_key),
            password=password or "",
            aad=_aad("opening-key", user.pk),
        )
    except crypto.SealError:
        raise _password_error(_("This password does not open your key.")) from None


# Naming the holders ----------------------------------------------------------------


@transaction.atomic
def round_key_holders_set(
    *, round: Round, user: User, holders: list[User], threshold: int
) -> RoundSeal:
    """Name the officers who will hold the round's key, and how many open it (k of n)."""
    if not is_officer(user):
        raise PermissionDeniedError()
    locked = lock_draft(round)
    holders = list({h.pk: h for h in holders}.values())
    errors: dict[str, str] = {}
    if not MIN_THRESHOLD <= len(holders) <= MAX_HOLDERS:
        errors["holders"] = _t("Name between %(min)d and %(max)d opening officers.") % {
            "min": MIN_THRESHOLD,
            "max": MAX_HOLDERS,
        }
    else:
        without_key = [
            h.get_full_name() or h.username
            for h in holders
            if not has_role(h, Role.OFFICER) or not OpeningKey.objects.filter(user=h).exists()
        ]
        if without_key:
            errors["holders"] = _t(
                "Only officers with an opening key can hold a share: %(names)s."
            ) % {"names": ", ".join(without_key)}
    if not isinstance(threshold, int) or isinstance(threshold, bool):
        errors["threshold"] = _t("Give a whole number.")
    elif not MIN_THRESHOLD <= threshold <= max(len(holders), MIN_THRESHOLD):
        errors["threshold"] = _t(
            "Between %(min)d and the number of opening officers must be present."
        ) % {"min": MIN_THRESHOLD}
    if errors:
        raise invalid(errors)
    seal, _created = RoundSeal.objects.update_or_create(
        round=locked, defaults={"threshold": threshold}
    )
    seal.shares.all().delete()
    RoundKeyShare.objects.bulk_create(
        [RoundKeyShare(seal=seal, holder=h, order=i) for i, h in enumerate(holders, start=1)]
    )
    audit.record(
        actor=user,
        action="round.key_holders",
        obj=locked,
        after={"holders": [h.pk for h in holders], "threshold": threshold},
    )
    return seal


def key_holder_problems(round_: Round) -> list[str]:
    """What stops the round's key from being created at publication."""
    seal = RoundSeal.objects.filter(round=round_).first()
    if seal is None:
        return [_t("Name the opening officers who will hold the round's key.")]
    shares = list(seal.shares.select_related("holder__opening_key"))
    if len(shares) < seal.threshold:
        return [_t("Name at least as many opening officers as must be present.")]
    without = [
        s.holder.get_full_name() or s.holder.username
        for s in shares
        if not hasattr(s.holder, "opening_key")
    ]
    if without:
        return [
            _t("These opening officers have no opening key: %(names)s.")
            % {"names": ", ".join(without)}
        ]
    return []


def round_seal_create(*, round: Round, now: datetime) -> RoundSeal:
    """At publication: the round's key pair, its private key split among the holders.

    Called by ``round_publish`` inside its transaction; the private key exists
    only in this function's memory.
    """
    seal = RoundSeal.objects.select_for_update().get(round=round)
    shares = list(seal.shares.select_related("holder__opening_key").order_by("order"))
    private, public = crypto.generate_key_pair()
    parts = crypto.split(private, threshold=seal.threshold, shares=len(shares))
    for share, part in zip(shares, parts, strict=True):
        share.wrapped_share = crypto.wrap(
            part.encode(),
            public_key=bytes(share.holder.opening_key.public_key),
            aad=_aad("round-share", round.pk, share.holder_id),
        )
    RoundKeyShare.objects.bulk_update(shares, ["wrapped_share"])
    seal.public_key = public
    seal.share_identifier = crypto.share_identifier(parts[0])
    seal.sealed_at = now
    seal.save(update_fields=["public_key", "share_identifier", "sealed_at"])
    del private, parts
    audit.record(
        actor=None,
        action="round.key_created",
        obj=round,
        after={
            "public_key": public.hex(),
            "threshold": seal.threshold,
            "holders": [s.holder_id for s in shares],
        },
    )
    return seal


# Sealing a bid -------------------------------------------------------------------


def _submission_aad(bid: Bid, receipt_number: str) -> bytes:
    return _aad("bid", bid.pk, bid.lot_id, receipt_number)


def _attachment_aad(attachment: BidAttachment) -> bytes:
    return _aad("bid-attachment", attachment.bid_id, attachment.pk, attachment.sha256)


def bid_seal(
    *, bid: Bid, canonical: dict, receipt_number: str, public_key: bytes
) -> tuple[bytes, bytes]:
    """Encrypt a submitted bid and empty its readable columns.

    Returns ``(sealed_content, wrapped_key)`` for the submission row. Called by
    ``bid_submit`` inside its transaction, after validation and digesting.
    """
    data_key = crypto.new_data_key()
    attachments = list(BidAttachment.objects.filter(bid=bid).order_by("pk"))
    payload = {"canonical": canonical, "attachments": [a.pk for a in attachments]}
    content = crypto.encrypt(
        json.dumps(payload, ensure_ascii=False, sort_keys=True).encode(),
        key=data_key,
        aad=_submission_aad(bid, receipt_number),
    )
    wrapped = crypto.wrap(data_key, public_key=public_key, aad=_submission_aad(bid, receipt_number))
    storage = BidAttachment._meta.get_field("file").storage
    for attachment in attachments:
        with attachment.file.open("rb") as handle:
            plain = handle.read()
        old_name = attachment.file.name
        attachment.file.save(
            f"{SEALED_NAME}.bin",
            ContentFile(crypto.encrypt(plain, key=data_key, aad=_attachment_aad(attachment))),
            save=False,
        )
        attachment.title = ""
        attachment.original_name = f"{SEALED_NAME}-{attachment.pk}"
        attachment.sealed = True
        attachment.save(update_fields=["file", "title", "original_name", "sealed"])
        transaction.on_commit(lambda name=old_name: storage.delete(name))
    Bid.objects.filter(pk=bid.pk).update(
        price=None, proposal_title="", service_plan="", team="", schedule=""
    )
    BidBudgetLine.objects.filter(bid=bid).delete()
    BidTarget.objects.filter(bid=bid).delete()
    del data_key
    return content, wrapped


def bid_discard_sealed_attachments(*, bid: Bid) -> None:
    """On withdrawal: sealed attachments cannot be read before the opening; remove them."""
    storage = BidAttachment._meta.get_field("file").storage
    for attachment in BidAttachment.objects.filter(bid=bid, sealed=True):
        name = attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda name=name: storage.delete(name))


# Presenting shares ----------------------------------------------------------------


def _lock_share(round_: Round, user: User) -> RoundKeyShare:
    share = (
        RoundKeyShare.objects.select_for_update()
        .select_related("seal")
        .filter(seal__round=round_, holder=user)
        .first()
    )
    if share is None or share.wrapped_share is None:
        raise PermissionDeniedError(
            _("You hold no share of this round's key."), code="not_a_key_holder"
        )
    return share


def presentation_window_problem(round_: Round, now: datetime):
    if round_.opened_at is not None:
        return _("The bids of this round are already opened.")
    if round_.status not in (Round.Status.PUBLISHED, Round.Status.CLOSED):
        return _("This round is not waiting for its opening.")
    if round_.submission_deadline is None or now < round_.submission_deadline:
        return _("Shares are presented after the submission deadline.")
    return None


@transaction.atomic
def share_present(
    *, round: Round, user: User, password: str, now: datetime | None = None
) -> RoundKeyShare:
    """A holder presents their share for the opening, with their password."""
    now = clock(now)
    share = _lock_share(round, user)
    current = Round.objects.get(pk=round.pk)
    problem = presentation_window_problem(current, now)
    if problem:
        raise ConflictError(problem, code="not_presentable")
    private = _open_private_key(user, password)
    try:
        part = crypto.unwrap(
            bytes(share.wrapped_share),
            private_key=private,
            aad=_aad("round-share", current.pk, user.pk),
        ).decode()
        if crypto.share_identifier(part) != share.seal.share_identifier:
            raise crypto.ShareError("share of another key")
    except (crypto.SealError, UnicodeDecodeError):
        audit.record(actor=user, action="round.share_invalid", obj=current, after={})
        raise ConflictError(
            _("Your share of this round's key is damaged or belongs to another round."),
            code="share_invalid",
        ) from None
    share.presented_share = crypto.encrypt(
        part.encode(), key=_server_key(), aad=_aad("presented-share", current.pk, user.pk)
    )
    share.presented_at = now
    share.save(update_fields=["presented_share", "presented_at"])
    audit.record(actor=user, action="round.share_presented", obj=current, after={"holder": user.pk})
    return share


@transaction.atomic
def share_withdraw(*, round: Round, user: User) -> RoundKeyShare:
    """A holder takes back a presented share before the opening."""
    share = _lock_share(round, user)
    if Round.objects.filter(pk=round.pk, opened_at__isnull=False).exists():
        raise ConflictError(_("The bids of this round are already opened."), code="opened")
    share.presented_share = None
    share.presented_at = None
    share.save(update_fields=["presented_share", "presented_at"])
    audit.record(actor=user, action="round.share_withdrawn", obj=round, after={"holder": user.pk})
    return share


# Opening ---------------------------------------------------------------------------


def round_private_key(*, round: Round) -> bytes:
    """Reconstruct the round's private key from the presented shares (the opening act).

    Raises ``ConflictError`` with code ``shares_missing`` (fewer than k) or
    ``share_invalid`` (the shares do not give the round's key).
    """
    seal = RoundSeal.objects.filter(round=round).first()
    if seal is None or seal.public_key is None:
        raise ConflictError(_("This round has no key."), code="no_round_key")
    presented = list(
        RoundKeyShare.objects.select_for_update()
        .filter(seal=seal, presented_at__isnull=False)
        .order_by("order")
    )
    if len(presented) < seal.threshold:
        raise ConflictError(
            _("%(k)d of the opening officers must present their shares (%(n)d so far).")
            % {"k": seal.threshold, "n": len(presented)},
            code="shares_missing",
        )
    try:
        parts = [
            crypto.decrypt(
                bytes(s.presented_share),
                key=_server_key(),
                aad=_aad("presented-share", round.pk, s.holder_id),
            ).decode()
            for s in presented
        ]
        private = crypto.combine(parts[: seal.threshold])
        if crypto.public_key_of(private) != bytes(seal.public_key):
            raise crypto.ShareError("reconstructed key differs from the round key")
    except (crypto.SealError, UnicodeDecodeError):
        raise ConflictError(
            _("The presented shares do not give this round's key; a share is wrong."),
            code="share_invalid",
        ) from None
    return private


def shares_forget(*, round: Round) -> None:
    """After the opening the shares have served: nothing of the key is kept."""
    RoundKeyShare.objects.filter(seal__round=round).update(
        presented_share=None, presented_at=None, wrapped_share=None
    )


def bid_unseal(*, bid: Bid, submission: BidSubmission, private_key: bytes) -> str | None:
    """Decrypt a sealed bid into its rows; ``None`` when done, else the reason it failed."""
    if submission.sealed_content is None or submission.wrapped_key is None:
        return None
    aad = _submission_aad(bid, submission.receipt_number)
    try:
        data_key = crypto.unwrap(bytes(submission.wrapped_key), private_key=private_key, aad=aad)
        payload = json.loads(
            crypto.decrypt(bytes(submission.sealed_content), key=data_key, aad=aad)
        )
        canonical = payload["canonical"]
        attachments = {
            a.pk: a for a in BidAttachment.objects.filter(bid=bid, pk__in=payload["attachments"])
        }
        files = []
        for pk, meta in zip(payload["attachments"], canonical["attachments"], strict=True):
            attachment = attachments.get(pk)
            if attachment is None:
                raise crypto.SealError("attachment row missing")
            with attachment.file.open("rb") as handle:
                sealed_bytes = handle.read()
            files.append(
                (
                    attachment,
                    meta,
                    crypto.decrypt(sealed_bytes, key=data_key, aad=_attachment_aad(attachment)),
                )
            )
    except (crypto.SealError, OSError, KeyError, ValueError, TypeError):
        return UNDECRYPTABLE
    storage = BidAttachment._meta.get_field("file").storage
    for attachment, meta, plain in files:
        old_name = attachment.file.name
        attachment.file.save(meta["name"], ContentFile(plain), save=False)
        attachment.title = meta.get("title", "")
        attachment.original_name = meta["name"]
        attachment.sealed = False
        attachment.save(update_fields=["file", "title", "original_name", "sealed"])
        transaction.on_commit(lambda name=old_name: storage.delete(name))
    Bid.objects.filter(pk=bid.pk).update(
        price=canonical["price"],
        **{name: canonical.get(name) or "" for name in Bid.SEALED_FIELDS if name != "price"},
    )
    BidBudgetLine.objects.filter(bid=bid).delete()
    BidBudgetLine.objects.bulk_create(
        [
            BidBudgetLine(
                bid=bid, order=i, item=line["item"], amount=line["amount"], note=line["note"]
            )
            for i, line in enumerate(canonical["budget_lines"], start=1)
        ]
    )
    BidTarget.objects.filter(bid=bid).delete()
    BidTarget.objects.bulk_create(
        [BidTarget(bid=bid, order=i, **target) for i, target in enumerate(canonical["targets"], 1)]
    )
    BidSubmission.objects.filter(pk=submission.pk).update(canonical=canonical)
    bid.refresh_from_db()
    return None
