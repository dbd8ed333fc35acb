"""The opening act and the qualification check (资格审查) that follows it.

Opening is an officer's explicit act after ``opening_at`` (server clock), once
k opening officers have presented their shares of the round key: it decrypts
every sealed bid (``services.sealing``), re-computes the digest of every submitted bid from what is stored (fields,
lines, targets and the bytes of each attachment), compares it with the digest
of the bid's receipt, and records the result per bid in an ``OpeningRecord``.
From then on the bids' content is readable by staff (see ``bidding.sealing``).

Qualification is decided per bid with a checklist; a disqualification needs a
reason, which the bidder sees. When every bid of a lot is decided the officer
completes the lot: a bidding lot with fewer than 3 qualified bids fails
(a venture lot fails only with none). Then the review can start.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import Credential, Organization, User
from organizations.selectors import control_pairs, organization_members
from projects.services import project_round_left
from purchase_portal import audit
from purchase_portal.errors import ConflictError, invalid
from purchase_portal.notifications import notify
from purchase_portal.parsing import require_reason
from purchase_portal.roles import Role, users_with_role

from .. import sealing
from ..digest import bid_canonical, digest_of
from ..models import (
    Bid,
    BidSubmission,
    Lot,
    OpeningRecord,
    QualificationCheck,
    RelatedBiddersDecision,
    Round,
)
from ..workflows import BID_WORKFLOW, LOT_WORKFLOW, ROUND_WORKFLOW
from . import sealing as bid_sealing
from .common import clock, require_officer
from .rounds import round_close

R = Round.Status
L = Lot.Status
B = Bid.Status

#: The checklist of 资格审查, in display order.
CHECKLIST = (
    "registration_valid",
    "annual_inspection_passed",
    "no_serious_violation",
    "documents_complete",
    "credit_code_checked",
)
#: A bidding lot needs this many qualified bids; fewer and it fails (流标).
MIN_QUALIFIED_BIDDING = 3
MIN_QUALIFIED_VENTURE = 1
#: A lot of purchased services under competitive consultation (财库〔2015〕124号).
MIN_QUALIFIED_CONSULTATION = 2

OK = "ok"
MISMATCH = "mismatch"
#: The bid's sealed content could not be decrypted with the round key.
UNDECRYPTABLE = bid_sealing.UNDECRYPTABLE


# Opening ----------------------------------------------------------------------


def verify_bid(bid: Bid, current: BidSubmission | None) -> dict:
    """Re-compute a submitted bid's digest from stored content and compare it."""
    computed = digest_of(bid_canonical(bid, strict=False))
    receipt_digest = current.digest if current else ""
    ok = bool(bid.digest) and computed == bid.digest == receipt_digest
    return {
        "bid": bid.pk,
        "lot": bid.lot.number,
        "organization": bid.organization.name,
        "receipt_number": current.receipt_number if current else "",
        "stored_digest": receipt_digest or bid.digest,
        "computed_digest": computed,
        "result": OK if ok else MISMATCH,
    }


def undecryptable_result(bid: Bid, current: BidSubmission) -> dict:
    return {
        "bid": bid.pk,
        "lot": bid.lot.number,
        "organization": bid.organization.name,
        "receipt_number": current.receipt_number,
        "stored_digest": current.digest,
        "computed_digest": "",
        "result": UNDECRYPTABLE,
    }


@transaction.atomic
def round_open(*, round: Round, user: User, now: datetime | None = None) -> OpeningRecord:
    """Open the bids of a round after its opening time: with the shares presented by
    k of its opening officers, decrypt every bid and verify every digest against
    its receipt. A bid that cannot be decrypted is recorded as such."""
    now = clock(now)
    require_officer(user)
    current = Round.objects.get(pk=round.pk)
    if (
        current.status == R.PUBLISHED
        and current.submission_deadline is not None
        and now >= current.submission_deadline
    ):
        round_close(round=current, now=now, system=True)

    def guard(locked: Round) -> None:
        if locked.opening_at is None or now < locked.opening_at:
            raise ConflictError(
                _("The bids can be opened from %(time)s.")
                % {
                    "time": timezone.localtime(locked.opening_at).strftime("%Y-%m-%d %H:%M")
                    if locked.opening_at
                    else "—"
                },
                code="opening_time_not_reached",
            )

    opened = ROUND_WORKFLOW.run(
        "open",
        obj=current,
        user=user,
        guard=guard,
        changes={"opened_at": now, "opened_by": user},
    )
    unopened = fail_lots_with_too_few_bids(round=opened, user=user, now=now)
    # The presented shares give the round's private key (电子招标投标办法 Art 30);
    # every sealed bid is decrypted with it, then the shares are forgotten.
    private_key = bid_sealing.round_private_key(round=opened)
    # From now on staff may read the bids, and the audit events about them.
    audit.lift_seal(sealing.audit_scope(opened.pk))
    bids = list(
        Bid.objects.filter(lot__round=opened, status=B.SUBMITTED)
        .exclude(lot_id__in=unopened)
        .select_related("lot", "organization")
        .order_by("lot__number", "pk")
    )
    receipts = {s.bid_id: s for s in BidSubmission.objects.filter(bid__in=bids, is_current=True)}
    results = []
    for bid in bids:
        current_receipt = receipts.get(bid.pk)
        failure = (
            bid_sealing.bid_unseal(bid=bid, submission=current_receipt, private_key=private_key)
            if current_receipt is not None
            else None
        )
        if failure:
            results.append(undecryptable_result(bid, current_receipt))
        else:
            results.append(verify_bid(bid, current_receipt))
    del private_key
    bid_sealing.shares_forget(round=opened)
    record = OpeningRecord.objects.create(
        round=opened,
        opened_at=now,
        opened_by=user,
        results=results,
        all_digests_ok=all(r["result"] == OK for r in results),
    )
    audit.record(
        actor=user,
        action="round.opening_record",
        obj=record,
        after={
            "bids": len(results),
            "mismatches": [r["bid"] for r in results if r["result"] != OK],
            "digests": {str(r["bid"]): r["computed_digest"] for r in results},
        },
    )
    by_org: dict[int, list[dict]] = defaultdict(list)
    for bid, result in zip(bids, results, strict=True):
        by_org[bid.organization_id].append(result)
    for org_id, org_results in by_org.items():
        lines = [
            _t("Lot %(lot)s: digest %(result)s")
            % {"lot": r["lot"], "result": result_label(r["result"])}
            for r in org_results
        ]
        notify(
            recipients=organization_members([org_id]),
            kind="round.opened",
            title=lambda: _t("Bids opened: %(code)s") % {"code": opened.code},
            body="\n".join(lines),
            url=reverse("bidding:my-bids"),
            obj=opened,
        )
    if not record.all_digests_ok:
        notify(
            recipients=users_with_role(Role.OFFICER),
            kind="round.digest_mismatch",
            title=lambda: _t("Digest mismatch at the opening of %(code)s") % {"code": opened.code},
            url=reverse("bidding:round-opening", args=[opened.pk]),
            obj=opened,
        )
    return record


def result_label(result: str) -> str:
    if result == OK:
        return _t("verified")
    if result == UNDECRYPTABLE:
        return _t("CANNOT BE DECRYPTED")
    return _t("MISMATCH")


def min_submitted_bids(round: Round) -> int:
    """Bids (submitted at the deadline, then qualified) a lot needs to proceed: 3 for
    public bidding (87号令 Art 43), 2 for competitive consultation of services
    (财库〔2015〕124号, an exception to 财库〔2014〕214号 Art 3), 1 for venture rounds."""
    if round.is_consultation:
        return MIN_QUALIFIED_CONSULTATION
    return MIN_QUALIFIED_BIDDING if round.is_bidding else MIN_QUALIFIED_VENTURE


def fail_lots_with_too_few_bids(*, round: Round, user: User, now: datetime) -> set[int]:
    """At the opening, a lot with fewer submitted bids than the minimum fails (流标)
    without being opened: no digest is checked, no content is revealed, and the
    officer re-tenders it or changes the method (87号令 Art 43). Returns the lot ids."""
    minimum = min_submitted_bids(round)
    failed: set[int] = set()
    lots = Lot.objects.select_for_update().filter(round=round, status=L.OPEN).order_by("number")
    for lot in lots:
        count = lot.bids.filter(status=B.SUBMITTED).count()
        if count >= minimum:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            reason = _t(
                "%(n)d bid(s) submitted by the deadline; a lot needs at least %(m)d. "
                "The lot fails without being opened and may be re-tendered or bought by "
                "another method (87号令 Art 43)."
            ) % {"n": count, "m": minimum}
        LOT_WORKFLOW.run(
            "fail",
            obj=lot,
            user=user,
            changes={
                "status_reason": reason,
                "failed_unopened": True,
                "qualification_completed_at": now,
                "qualification_completed_by": user,
            },
        )
        if lot.project_id is not None:
            project_round_left(project_id=lot.project_id)
        bidders = lot.bids.filter(status=B.SUBMITTED).values_list("organization_id", flat=True)
        notify(
            recipients=organization_members(set(bidders)),
            kind="lot.failed",
            title=lambda: _t("Lot failed: %(lot)s") % {"lot": lot},
            body=reason,
            url=reverse("bidding:call-detail", args=[round.pk]),
            obj=lot,
        )
        failed.add(lot.pk)
    return failed


def opening_result_of(bid: Bid) -> str | None:
    """``ok``/``mismatch`` as recorded at the opening, or None if the bid was not opened."""
    record = OpeningRecord.objects.filter(round_id=bid.lot.round_id).only("results").first()
    if record is None:
        return None
    for result in record.results:
        if result.get("bid") == bid.pk:
            return result.get("result")
    return None


# Qualification ----------------------------------------------------------------


def _clean_checks(checks: dict | None) -> dict[str, bool]:
    checks = dict(checks or {})
    unknown = set(checks) - set(CHECKLIST)
    if unknown:
        raise invalid({k: _t("Unknown field.") for k in sorted(unknown)})
    return {name: bool(checks.get(name, False)) for name in CHECKLIST}


def _qualification_guard(locked: Bid) -> None:
    lot = Lot.objects.select_related("round").get(pk=locked.lot_id)
    if lot.round.status != R.OPENED:
        raise ConflictError(
            _("Qualification takes place after the opening and before the review."),
            code="not_in_qualification",
        )
    if lot.status != L.OPEN or lot.qualification_completed_at is not None:
        raise ConflictError(
            _("The qualification of this lot is complete."), code="qualification_complete"
        )
    locked.lot = lot


def _store_check(
    bid: Bid, user: User, checks: dict[str, bool], qualified: bool, reason: str
) -> QualificationCheck:
    existing = QualificationCheck.objects.filter(bid=bid).first()
    before = audit.snapshot(existing, [*CHECKLIST, "qualified", "reason"]) if existing else None
    check, _created = QualificationCheck.objects.update_or_create(
        bid=bid,
        defaults={
            **checks,
            "qualified": qualified,
            "reason": reason,
            "checked_by": user,
            "checked_at": timezone.now(),
        },
    )
    audit.record(
        actor=user,
        action="bid.qualification",
        obj=check,
        before=before,
        after=audit.snapshot(check, [*CHECKLIST, "qualified", "reason", "bid"]),
    )
    return check


@transaction.atomic
def bid_qualify(*, bid: Bid, user: User, checks: dict) -> Bid:
    """Qualify a bid: every item of the checklist must hold."""
    cleaned = _clean_checks(checks)
    missing = [name for name in CHECKLIST if not cleaned[name]]
    if missing:
        raise invalid(
            {
                name: _t("Confirm this check, or disqualify the bid with a reason.")
                for name in missing
            },
            message=_("A bid qualifies only when every check holds."),
        )

    def guard(locked: Bid) -> None:
        _qualification_guard(locked)
        if opening_result_of(locked) != OK:
            raise ConflictError(
                _("The digest of this bid did not match at the opening; it cannot qualify."),
                code="digest_mismatch",
            )

    qualified = BID_WORKFLOW.run(
        "qualify", obj=bid, user=user, guard=guard, changes={"disqualification_reason": ""}
    )
    _store_check(qualified, user, cleaned, True, "")
    return qualified


@transaction.atomic
def bid_disqualify(*, bid: Bid, user: User, reason: str, checks: dict | None = None) -> Bid:
    """Disqualify a bid, with a reason the bidder sees."""
    reason = require_reason(reason)
    cleaned = _clean_checks(checks)
    disqualified = BID_WORKFLOW.run(
        "disqualify",
        obj=bid,
        user=user,
        guard=_qualification_guard,
        changes={"disqualification_reason": reason},
    )
    _store_check(disqualified, user, cleaned, False, reason)
    lot = Lot.objects.select_related("round").get(pk=disqualified.lot_id)
    notify(
        recipients=organization_members([disqualified.organization_id]),
        kind="bid.disqualified",
        title=lambda: _t("Your bid for %(lot)s was disqualified") % {"lot": lot},
        body=reason,
        url=reverse("bidding:bid-detail", args=[disqualified.pk]),
        obj=disqualified,
    )
    return disqualified


# Related bidders (政府采购法实施条例 Art 18) ------------------------------------------

RELATED_BIDDERS_RULE = _(
    "Suppliers whose legal representative is the same person, or where one directly "
    "controls or manages the other, may not take part in the same procurement "
    "(政府采购法实施条例 Art 18). Bids of one lot from such organizations are flagged; the "
    "officer checks and records a decision, and disqualifies all but one of the bids when "
    "they are related. The qualification of the lot cannot be completed while a flag is "
    "undecided."
)
SAME_REPRESENTATIVE = "legal_representative"
CONTROL = "control"


def _person_key(name: str) -> str:
    return "".join((name or "").split())


def related_bidder_flags(*, lot: Lot) -> list[dict]:
    """Groups of bids on ``lot`` whose organizations name the same legal representative,
    or whose organizations have a recorded control relationship, with the decision
    recorded for each group (None while undecided). Each flag has a ``basis``
    (``legal_representative`` or ``control``) and its ``key``."""
    bids = list(
        Bid.objects.filter(lot=lot)
        .exclude(status__in=(B.DRAFT, B.WITHDRAWN))
        .select_related("organization")
        .order_by("organization__name", "pk")
    )
    groups: dict[str, list[Bid]] = defaultdict(list)
    for bid in bids:
        key = _person_key(bid.organization.legal_representative)
        if key:
            groups[key].append(bid)
    decisions = list(RelatedBiddersDecision.objects.filter(lot=lot).select_related("decided_by"))
    by_person = {d.legal_representative: d for d in decisions if d.legal_representative}
    by_control = {d.control_id: d for d in decisions if d.control_id is not None}
    flags = [
        {
            "basis": SAME_REPRESENTATIVE,
            "key": key,
            "legal_representative": key,
            "control": None,
            "bids": members,
            "decision": by_person.get(key),
        }
        for key, members in sorted(groups.items())
        if len({b.organization_id for b in members}) > 1
    ]
    by_org: dict[int, list[Bid]] = defaultdict(list)
    for bid in bids:
        by_org[bid.organization_id].append(bid)
    for relationship in control_pairs(organization_ids=by_org):
        flags.append(
            {
                "basis": CONTROL,
                "key": str(relationship.pk),
                "legal_representative": "",
                "control": relationship,
                "bids": by_org[relationship.controller_id] + by_org[relationship.controlled_id],
                "decision": by_control.get(relationship.pk),
            }
        )
    return flags


def undecided_related_flags(*, lot: Lot) -> list[dict]:
    return [f for f in related_bidder_flags(lot=lot) if f["decision"] is None]


@transaction.atomic
def lot_decide_related_bidders(
    *,
    lot: Lot,
    user: User,
    decision: str,
    reason: str,
    legal_representative: str = "",
    control: int | str | None = None,
) -> RelatedBiddersDecision:
    """Record the officer's decision on a flagged group of bids (政府采购法实施条例
    Art 18): ``legal_representative`` names a group flagged for a shared legal
    representative, ``control`` (an id) one flagged for a recorded control
    relationship. "Related" is accepted only once at most one bid of the group is
    still in the competition; the others are disqualified first, with a reason."""
    require_officer(user)
    reason = require_reason(reason)
    locked = Lot.objects.select_for_update().select_related("round").get(pk=lot.pk)
    if locked.round.status != R.OPENED or locked.qualification_completed_at is not None:
        raise ConflictError(
            _("Qualification takes place after the opening and before the review."),
            code="not_in_qualification",
        )
    if decision not in RelatedBiddersDecision.Decision.values:
        raise invalid({"decision": _t("Choose a decision.")})
    flags = related_bidder_flags(lot=locked)
    if control not in (None, ""):
        basis, key, field = CONTROL, str(control).strip(), "control"
        message = _t("No flagged group of bids has this control relationship.")
    else:
        basis, key = SAME_REPRESENTATIVE, _person_key(legal_representative)
        field = "legal_representative"
        message = _t("No flagged group of bids has this legal representative.")
    flag = next((f for f in flags if f["basis"] == basis and f["key"] == key), None)
    if flag is None:
        raise invalid({field: message})
    if flag["decision"] is not None:
        raise ConflictError(_("A decision on these bids is already recorded."), code="decided")
    if decision == RelatedBiddersDecision.Decision.RELATED:
        standing = [b for b in flag["bids"] if b.status in (B.SUBMITTED, B.QUALIFIED)]
        if len(standing) > 1:
            raise ConflictError(
                _(
                    "Only one bid of related organizations (the same legal representative, "
                    "or one controlling or managing the other) may stand (政府采购法实施条例 "
                    "Art 18); disqualify the others first."
                ),
                code="related_bids_standing",
            )
    record = RelatedBiddersDecision.objects.create(
        lot=locked,
        legal_representative=flag["legal_representative"],
        control=flag["control"],
        organizations=sorted({b.organization_id for b in flag["bids"]}),
        decision=decision,
        reason=reason,
        decided_by=user,
        decided_at=timezone.now(),
    )
    audit.record(
        actor=user,
        action="lot.related_bidders_decision",
        obj=locked,
        after=audit.snapshot(
            record, ["legal_representative", "control", "organizations", "decision", "reason"]
        ),
    )
    return record


@transaction.atomic
def lot_complete_qualification(*, lot: Lot, user: User, now: datetime | None = None) -> Lot:
    """Close the qualification of a lot; too few qualified bids and the lot fails."""
    now = clock(now)
    require_officer(user)
    locked = Lot.objects.select_for_update().select_related("round").get(pk=lot.pk)
    if locked.round.status != R.OPENED:
        raise ConflictError(
            _("Qualification takes place after the opening and before the review."),
            code="not_in_qualification",
        )
    if locked.status != L.OPEN or locked.qualification_completed_at is not None:
        raise ConflictError(
            _("The qualification of this lot is complete."), code="qualification_complete"
        )
    pending = locked.bids.filter(status=B.SUBMITTED).count()
    if pending:
        raise ConflictError(
            _("Decide every bid of the lot first (%(n)d undecided).") % {"n": pending},
            code="bids_undecided",
        )
    undecided = undecided_related_flags(lot=locked)
    if undecided:
        raise ConflictError(
            _(
                "Record a decision on the flagged related bidders first (%(n)d undecided; "
                "政府采购法实施条例 Art 18)."
            )
            % {"n": len(undecided)},
            code="related_bidders_undecided",
        )
    qualified = locked.bids.filter(status=B.QUALIFIED).count()
    minimum = min_submitted_bids(locked.round)
    completed = {"qualification_completed_at": now, "qualification_completed_by": user}
    if qualified < minimum:
        # Stored and published (call page, notice): in the portal's language, not in
        # the language of the officer's page or API client.
        with translation.override(settings.LANGUAGE_CODE):
            reason = _t(
                "%(n)d qualified bid(s); a lot needs at least %(min)d. The lot fails and may be re-tendered."
            ) % {"n": qualified, "min": minimum}
        failed = LOT_WORKFLOW.run(
            "fail", obj=locked, user=user, changes={"status_reason": reason, **completed}
        )
        if failed.project_id is not None:
            project_round_left(project_id=failed.project_id)
        bidders = locked.bids.exclude(status__in=[B.DRAFT, B.WITHDRAWN]).values_list(
            "organization_id", flat=True
        )
        notify(
            recipients=organization_members(set(bidders)),
            kind="lot.failed",
            title=lambda: _t("Lot failed: %(lot)s") % {"lot": failed},
            body=reason,
            url=reverse("bidding:call-detail", args=[failed.round_id]),
            obj=failed,
        )
        return failed
    before = audit.snapshot(locked, list(completed))
    for key, value in completed.items():
        setattr(locked, key, value)
    locked.save(update_fields=list(completed))
    audit.record(
        actor=user,
        action="lot.qualification_complete",
        obj=locked,
        before=before,
        after={**audit.snapshot(locked, list(completed)), "qualified": qualified},
    )
    return locked


@transaction.atomic
def round_start_review(*, round: Round, user: User) -> Round:
    """Hand the round to the review: every lot is qualified or failed, one at least goes on."""

    def guard(locked: Round) -> None:
        lots = list(locked.lots.all())
        pending = [
            str(lot.number)
            for lot in lots
            if lot.status == L.OPEN and lot.qualification_completed_at is None
        ]
        if pending:
            raise ConflictError(
                _("Complete the qualification of lot(s) %(lots)s first.")
                % {"lots": ", ".join(pending)},
                code="qualification_incomplete",
            )
        if not any(lot.status == L.OPEN for lot in lots):
            raise ConflictError(
                _("No lot goes on to the review; cancel the round or re-tender its lots."),
                code="no_lot_for_review",
            )

    started = ROUND_WORKFLOW.run("start_review", obj=round, user=user, guard=guard)
    for lot in Lot.objects.filter(round=started, status=L.OPEN).order_by("number"):
        LOT_WORKFLOW.run("start_review", obj=lot, user=user)
    return started


def qualification_hints(bid: Bid, *, year: int | None = None) -> dict[str, bool]:
    """What the portal's own records say about the checklist (an officer confirms it).

    Uses ``bid.organization.credentials.all()`` and ``bid.attachments.all()``, so a
    caller listing many bids prefetches them.
    """
    org = bid.organization
    today = timezone.localdate()
    last_year = (year or today.year) - 1
    credentials = list(org.credentials.all())
    registration = any(
        c.kind == Credential.Kind.REGISTRATION and (c.expires_on is None or c.expires_on >= today)
        for c in credentials
    )
    inspection = any(
        c.kind == Credential.Kind.ANNUAL_INSPECTION
        and c.year is not None
        and c.year >= last_year
        and c.result in (Credential.InspectionResult.PASSED, Credential.InspectionResult.BASIC)
        for c in credentials
    )
    return {
        "registration_valid": org.status == Organization.Status.VERIFIED and registration,
        "annual_inspection_passed": inspection,
        "no_serious_violation": False,
        "documents_complete": bool(list(bid.attachments.all())),
        "credit_code_checked": org.credit_code_checksum_ok
        or org.checksum_acknowledged_by_id is not None,
    }
