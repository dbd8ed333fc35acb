"""Every write on the expert pool and the review panels: the pool, panel draws
and replacements (a verifiable random draw), and the experts' conflict-of-interest
declarations (回避)."""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, ServiceCategory
from purchase_portal import audit
from purchase_portal.errors import (
    ApplicationError,
    ConflictError,
    PermissionDeniedError,
)
from purchase_portal.notifications import notify
from purchase_portal.roles import Role, forget_cached, is_officer, users_with_role

from ..models import (
    ExpertProfile,
    Lot,
    LotAssignment,
    PanelDraw,
    Round,
    ScoreSheet,
)
from ..selectors import review as selectors
from ..workflows import ASSIGNMENT_WORKFLOW

User = get_user_model()
A = LotAssignment.Status
A_SEAT = LotAssignment.Seat
S = ScoreSheet.Status

PANEL_RULE = (
    "speciality-first/v1: candidates are the active experts of the pool, sorted by user id, "
    "less members of organizations that bid in the round and less the federation's own staff "
    "(officers, approvers, finance, members of the federation organization); those with a speciality in one of "
    "the round's lot categories (preferred) fill the seats first by "
    "random.Random(seed).sample(preferred, k); remaining seats by .sample(others, size - k) "
    "with the same generator."
)
REPRESENTATIVE_RULE = (
    " The buyer's representative (user %(user)s), named by the officer, takes one of the "
    "panel's seats on every lot (财政部令第87号 Art 47); the draw fills the others."
)
REPLACEMENT_RULE = (
    "speciality-first/v1 for one seat: candidates are the active experts not yet assigned to "
    "the lot, sorted by user id, less members of bidding organizations and the federation's "
    "own staff; the lot's category "
    "decides who is preferred."
)


#: Roles whose holders work for the buyer and so are never independent experts.
BUYER_STAFF_ROLES = (Role.OFFICER, Role.APPROVER, Role.FINANCE)

#: A lot whose budget (price cap) reaches this amount needs a larger panel.
LARGE_LOT_BUDGET = Decimal("10000000.00")
LARGE_LOT_MIN_PANEL = 7

PANEL_ELIGIBILITY_NOTE = _(
    "The federation's own staff (officers, approvers, finance and members of the "
    "federation organization) are never drawn as independent experts, nor are members of "
    "a bidding organization (政府采购货物和服务招标投标管理办法, 财政部令第87号, Art 47 and 48). "
    "A lot with a budget of 10,000,000 CNY or more is reviewed by at least 7 experts "
    "(Art 47)."
)


REPRESENTATIVE_NOTE = _(
    "The buyer may name one of its own staff as its representative (采购人代表) on the "
    "panel: one seat at most, never more than one third of the panel; the other members "
    "are independent experts drawn from the pool (政府采购货物和服务招标投标管理办法, "
    "财政部令第87号, Art 47; 政府采购法实施条例 Art 9). The representative is named before "
    "the panel is drawn and is shown as such wherever the panel is."
)


def representative_share_ok(*, seats: int, panel_size: int) -> bool:
    """At most one representative seat, and no more than one third of the panel
    (财政部令第87号 Art 47: 评审专家不得少于成员总数的三分之二)."""
    return seats <= 1 and seats * 3 <= panel_size


def buyer_staff_user_ids() -> set[int]:
    """Users who work for the buyer: holders of the officer, approver or finance role,
    and members of the federation organization. They are never drawn as independent
    experts (政府采购货物和服务招标投标管理办法, 财政部令第87号, Art 47: the buyer's
    representative is named by the buyer, not drawn; Art 48: the other members are drawn
    from the expert pool at random, and 政府采购评审专家管理办法 财库〔2016〕198号 Art 16:
    an expert with an interest in the procurement withdraws)."""
    return set(selectors.buyer_staff_users().values_list("pk", flat=True))


def _require_officer(user) -> None:
    if not is_officer(user):
        raise PermissionDeniedError()


# Expert pool ------------------------------------------------------------------------


@transaction.atomic
def expert_save(
    *,
    user,
    expert_user,
    employer: str = "",
    specialities: Iterable[ServiceCategory] = (),
    active: bool = True,
) -> ExpertProfile:
    """Add a user to the expert pool, or update their profile (officers). The user
    is given the expert role. The federation's own staff cannot be made active experts
    (财政部令第87号 Art 47 and 48; see ``buyer_staff_user_ids``)."""
    _require_officer(user)
    if expert_user is None or not expert_user.is_active:
        raise ApplicationError(
            _("Choose an active user."), fields={"username": _t("Choose an active user.")}
        )
    if active and expert_user.pk in buyer_staff_user_ids():
        message = _t(
            "This person works for the federation and cannot serve as an independent expert "
            "(财政部令第87号 Art 47 and 48)."
        )
        raise ApplicationError(message, code="buyer_staff", fields={"username": message})
    profile = ExpertProfile.objects.select_for_update().filter(user=expert_user).first()
    before = None
    if profile is None:
        profile = ExpertProfile(user=expert_user)
    else:
        before = {**audit.snapshot(profile), "specialities": _codes(profile.specialities.all())}
    profile.employer = (employer or "").strip()
    profile.active = bool(active)
    profile.save()
    profile.specialities.set(list(specialities))
    after = {**audit.snapshot(profile), "specialities": _codes(specialities)}
    if before is None:
        audit.record(actor=user, action="expert.create", obj=profile, after=after)
    else:
        old, new = audit.changed_fields(before, after)
        if new:
            audit.record(actor=user, action="expert.update", obj=profile, before=old, after=new)
    group, _created = Group.objects.get_or_create(name=Role.EXPERT)
    if not expert_user.groups.filter(pk=group.pk).exists():
        expert_user.groups.add(group)
        audit.record(
            actor=user,
            action="user.role_add",
            obj=expert_user,
            after={"role": Role.EXPERT},
        )
        forget_cached(expert_user, "_portal_roles")
    return profile


def _codes(categories) -> list[str]:
    return sorted(c.code for c in categories)


# The buyer's representative ---------------------------------------------------------


@transaction.atomic
def round_name_representative(*, round: Round, user, representative) -> Round:
    """Name the buyer's representative (采购人代表) of the round's panels (officers),
    before the panel is drawn. One seat at most, and never more than one third of the
    panel (政府采购货物和服务招标投标管理办法, 财政部令第87号, Art 47); only the federation's
    own staff sit in it, and nobody who is a member of a bidder (政府采购法实施条例 Art 9)."""
    _require_officer(user)
    locked = Round.objects.select_for_update().get(pk=round.pk)
    if locked.status not in (Round.Status.OPENED, Round.Status.IN_REVIEW):
        raise ConflictError(
            _("The representative is named after the opening, before the panel is drawn."),
            code="invalid_state",
        )
    if PanelDraw.objects.filter(round=locked, kind=PanelDraw.Kind.PANEL).exists():
        raise ConflictError(
            _("The panel is drawn; the representative is named before the draw."), code="drawn"
        )
    if locked.buyer_representative_id is not None:
        raise ConflictError(
            _(
                "The buyer's representative is already named; a panel has at most one "
                "(财政部令第87号 Art 47)."
            ),
            code="representative_named",
        )
    if not representative_share_ok(seats=1, panel_size=locked.panel_size):
        raise ConflictError(
            _(
                "A representative seat would exceed one third of a panel of %(n)d "
                "(财政部令第87号 Art 47)."
            )
            % {"n": locked.panel_size},
            code="representative_share",
        )
    if (
        representative is None
        or not representative.is_active
        or representative.pk not in buyer_staff_user_ids()
    ):
        message = _t(
            "The buyer's representative is one of the federation's own staff "
            "(财政部令第87号 Art 47)."
        )
        raise ApplicationError(message, code="not_buyer_staff", fields={"representative": message})
    if representative.pk in selectors.round_bidder_user_ids(round=locked):
        message = _t("A member of a bidding organization cannot sit on the panel.")
        raise ApplicationError(message, code="bidder_member", fields={"representative": message})
    before = audit.snapshot(locked, ["buyer_representative"])
    locked.buyer_representative = representative
    locked.save(update_fields=["buyer_representative", "updated_at"])
    audit.record(
        actor=user,
        action="round.representative_name",
        obj=locked,
        before=before,
        after=audit.snapshot(locked, ["buyer_representative"]),
    )
    return locked


# Panel draws ------------------------------------------------------------------------


def draw_from(
    *, seed: str, preferred: Sequence[int], others: Sequence[int], size: int
) -> list[int]:
    """The experts drawn with this seed: reproducible from the recorded pool."""
    rng = random.Random(seed)
    first = rng.sample(list(preferred), min(size, len(preferred)))
    rest = rng.sample(list(others), size - len(first)) if size > len(first) else []
    return first + rest


def draw_verifies(draw: PanelDraw) -> bool:
    """Repeat a recorded draw from its seed and pool; True when it gives the same result."""
    pool = draw.pool or {}
    again = draw_from(
        seed=draw.seed,
        preferred=pool.get("preferred", []),
        others=pool.get("others", []),
        size=draw.size,
    )
    return again == list(draw.result)


def _pool(*, round: Round, categories: set[int], exclude: set[int]) -> tuple[list[int], list[int]]:
    profiles = (
        # Only people who hold the expert role: a pool profile alone (e.g. added
        # in the admin) must not put someone on a panel they cannot work in.
        ExpertProfile.objects.filter(
            active=True, user__is_active=True, user__groups__name=Role.EXPERT
        )
        .exclude(user_id__in=exclude)
        .distinct()
        .prefetch_related("specialities")
        .order_by("user_id")
    )
    preferred, others = [], []
    staff = buyer_staff_user_ids()
    for profile in profiles:
        if profile.user_id in staff:
            continue
        speciality_ids = {c.pk for c in profile.specialities.all()}
        (preferred if speciality_ids & categories else others).append(profile.user_id)
    return preferred, others


def minimum_panel_size(*, round: Round, lots: Sequence[Lot] = ()) -> int:
    """The smallest panel the round may draw: 5 for bidding rounds and 3 for venture
    rounds, and 7 when a lot under review has a budget of 10,000,000 CNY or more
    (政府采购货物和服务招标投标管理办法, 财政部令第87号, Art 47: 采购预算金额在1000万元以上
    …评标委员会成员人数应当为7人以上单数)."""
    minimum = 5 if round.is_bidding else 3
    if lots:
        largest = max((lot.cap for lot in lots if lot.cap is not None), default=None)
    else:
        largest = (
            Lot.objects.filter(round=round)
            .exclude(status__in=(Lot.Status.FAILED, Lot.Status.CANCELLED))
            .aggregate(largest=Max("cap"))["largest"]
        )
    if largest is not None and largest >= LARGE_LOT_BUDGET:
        minimum = max(minimum, LARGE_LOT_MIN_PANEL)
    return minimum


def panel_minimum_note(*, round: Round) -> str:
    """The smallest panel this round may draw, as a sentence for the review page."""
    return _t("This round's panel needs an odd number of experts, at least %(n)d.") % {
        "n": minimum_panel_size(round=round)
    }


def _validate_panel_size(round: Round, lots: Sequence[Lot]) -> None:
    size = round.panel_size
    minimum = minimum_panel_size(round=round, lots=lots)
    if size % 2 == 0 or size < minimum:
        raise ApplicationError(
            _(
                "The panel needs an odd number of experts, at least %(min)d for this round "
                "(7 when a lot's budget is 10,000,000 CNY or more; 财政部令第87号 Art 47)."
            )
            % {"min": minimum},
            code="panel_size",
            fields={"panel_size": _t("Odd, at least %(min)d.") % {"min": minimum}},
        )


def _assignment_url(assignment: LotAssignment) -> str:
    return reverse("bidding:review-declare", args=[assignment.pk])


@transaction.atomic
def panel_draw(*, round: Round, user) -> PanelDraw:
    """Draw the round's panel at random and seat it on every lot under review.

    The seed comes from ``secrets``; it, the candidate pool and the result are
    recorded so the draw can be repeated and checked."""
    _require_officer(user)
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.status not in (Round.Status.OPENED, Round.Status.IN_REVIEW):
        raise ConflictError(
            _("The panel is drawn after the opening, before or during the review."),
            code="invalid_state",
        )
    if PanelDraw.objects.filter(round=round, kind=PanelDraw.Kind.PANEL).exists():
        raise ConflictError(_("The panel of this round has already been drawn."), code="drawn")
    lots = list(
        Lot.objects.filter(round=round)
        .exclude(status__in=(Lot.Status.FAILED, Lot.Status.CANCELLED))
        .order_by("number")
    )
    if not lots:
        raise ConflictError(_("No lot of this round is left to review."), code="nothing_to_review")
    _validate_panel_size(round, lots)
    representative = round.buyer_representative
    seats = 1 if representative is not None else 0
    if not representative_share_ok(seats=seats, panel_size=round.panel_size):
        raise ConflictError(
            _("A representative seat would exceed one third of the panel (财政部令第87号 Art 47)."),
            code="representative_share",
        )
    categories = {lot.category_id for lot in lots}
    preferred, others = _pool(
        round=round, categories=categories, exclude=selectors.round_bidder_user_ids(round=round)
    )
    # The representative takes one seat; the pool fills the others.
    size = round.panel_size - seats
    if len(preferred) + len(others) < size:
        raise ApplicationError(
            _(
                "The expert pool has %(n)d eligible experts; the panel needs %(size)d. Add experts to the pool first."
            )
            % {"n": len(preferred) + len(others), "size": size},
            code="pool_too_small",
        )
    seed = secrets.token_hex(16)
    result = draw_from(seed=seed, preferred=preferred, others=others, size=size)
    draw = PanelDraw.objects.create(
        round=round,
        kind=PanelDraw.Kind.PANEL,
        seed=seed,
        size=size,
        rule=PANEL_RULE
        + (REPRESENTATIVE_RULE % {"user": representative.pk} if representative else ""),
        pool={"preferred": preferred, "others": others},
        result=result,
        drawn_by=user,
        drawn_at=timezone.now(),
    )
    audit.record(actor=user, action="panel.draw", obj=draw, after=audit.snapshot(draw))
    experts = {u.pk: u for u in User.objects.filter(pk__in=result)}
    seated = [
        LotAssignment(lot=lot, expert=experts[pk], draw=draw) for lot in lots for pk in result
    ]
    if representative is not None:
        seated += [
            LotAssignment(lot=lot, expert=representative, draw=draw, seat=A_SEAT.REPRESENTATIVE)
            for lot in lots
        ]
    assignments = LotAssignment.objects.bulk_create(seated)
    for assignment in assignments:
        audit.record(
            actor=user,
            action="lot_assignment.create",
            obj=assignment,
            after={
                "lot": assignment.lot_id,
                "expert": assignment.expert_id,
                "draw": draw.pk,
                "seat": assignment.seat,
            },
        )
    if representative is not None:
        experts[representative.pk] = representative
        result = [*result, representative.pk]
    for pk in result:
        notify(
            recipients=[experts[pk]],
            kind="panel.drawn",
            title=lambda: _t("You are on the expert panel of %(round)s") % {"round": round.code},
            body=lambda: _t(
                "Declare any conflict of interest for each lot before you see the bids."
            ),
            url=reverse("bidding:review-assignments"),
            obj=draw,
        )
    return draw


def _draw_replacement(*, assignment: LotAssignment, user) -> LotAssignment | None:
    lot = assignment.lot
    round = lot.round
    taken = set(LotAssignment.objects.filter(lot=lot).values_list("expert_id", flat=True))
    exclude = (
        taken
        | selectors.round_bidder_user_ids(round=round)
        | selectors.conflicted_expert_ids(lot=lot)
    )
    preferred, others = _pool(round=round, categories={lot.category_id}, exclude=exclude)
    if not preferred and not others:
        notify(
            recipients=users_with_role(Role.OFFICER),
            kind="panel.no_replacement",
            title=lambda: _t("No replacement expert is available for %(lot)s") % {"lot": lot},
            body=lambda: _t(
                "Add experts to the pool, then draw a replacement from the review page."
            ),
            url=reverse("bidding:review-round", args=[round.pk]),
            obj=assignment,
        )
        return None
    seed = secrets.token_hex(16)
    result = draw_from(seed=seed, preferred=preferred, others=others, size=1)
    draw = PanelDraw.objects.create(
        round=round,
        lot=lot,
        kind=PanelDraw.Kind.REPLACEMENT,
        seed=seed,
        size=1,
        rule=REPLACEMENT_RULE,
        pool={"preferred": preferred, "others": others},
        result=result,
        replaces=assignment,
        drawn_by=user,
        drawn_at=timezone.now(),
    )
    audit.record(actor=user, action="panel.draw_replacement", obj=draw, after=audit.snapshot(draw))
    replacement = LotAssignment.objects.create(
        lot=lot, expert=User.objects.get(pk=result[0]), draw=draw
    )
    audit.record(
        actor=user,
        action="lot_assignment.create",
        obj=replacement,
        after={"lot": lot.pk, "expert": replacement.expert_id, "draw": draw.pk},
    )
    LotAssignment.objects.filter(pk=assignment.pk).update(replaced_by=replacement)
    audit.record(
        actor=user,
        action="lot_assignment.replace",
        obj=assignment,
        before={"replaced_by": None},
        after={"replaced_by": replacement.pk},
    )
    assignment.replaced_by = replacement
    notify(
        recipients=[replacement.expert],
        kind="panel.drawn",
        title=lambda: _t("You are on the expert panel of %(lot)s") % {"lot": lot},
        body=lambda: _t("Declare any conflict of interest before you see the bids."),
        url=_assignment_url(replacement),
        obj=replacement,
    )
    return replacement


def draw_replacement(*, assignment: LotAssignment, user) -> LotAssignment | None:
    """Draw a replacement for a seat that was just vacated (None when the pool is
    exhausted; the officers are told and can draw one later)."""
    return _draw_replacement(assignment=assignment, user=user)


@transaction.atomic
def panel_replace(*, assignment: LotAssignment, user) -> LotAssignment:
    """Draw a replacement for a recused expert when none was available at the time."""
    _require_officer(user)
    assignment = (
        LotAssignment.objects.select_for_update().select_related("lot__round").get(pk=assignment.pk)
    )
    if assignment.status != A.RECUSED or assignment.replaced_by_id is not None:
        raise ConflictError(_("This seat needs no replacement."), code="no_replacement_needed")
    replacement = _draw_replacement(assignment=assignment, user=user)
    if replacement is None:
        raise ApplicationError(
            _("No eligible expert is left in the pool. Add experts first."), code="pool_too_small"
        )
    return replacement


# Conflict-of-interest declarations --------------------------------------------------


@transaction.atomic
def assignment_declare(
    *,
    assignment: LotAssignment,
    user,
    conflict: str,
    organization: Organization | None = None,
    details: str = "",
) -> LotAssignment:
    """The expert declares, for one lot, either no conflict (and may then read and
    score its bids) or a conflict (and is recused; a replacement is drawn)."""
    C = LotAssignment.Conflict
    details = (details or "").strip()
    errors: dict[str, str] = {}
    if conflict not in C.values:
        errors["conflict"] = _t("Choose a declaration.")
    elif conflict in (C.EMPLOYMENT, C.FAMILY):
        bidders = selectors.lot_bidders(lot=assignment.lot)
        if organization is None or not bidders.filter(pk=organization.pk).exists():
            errors["organization"] = _t("Choose the bidder concerned.")
    elif conflict == C.OTHER and not details:
        errors["details"] = _t("Describe the conflict.")
    if conflict == C.NONE and organization is not None:
        errors["organization"] = _t("Leave this empty when you declare no conflict.")
    if errors:
        raise ApplicationError(_("Please correct the errors below."), fields=errors)
    lot = assignment.lot
    if lot.round.status not in (Round.Status.OPENED, Round.Status.IN_REVIEW):
        raise ConflictError(_("Declarations are made during the review."), code="invalid_state")
    changes = {
        "declared_at": timezone.now(),
        "conflict": conflict,
        "conflict_organization": organization if conflict != C.NONE else None,
        "conflict_details": details,
    }
    if conflict == C.NONE:
        if assignment.expert_id in selectors.conflicted_expert_ids(lot=lot):
            raise ConflictError(
                _(
                    "You declared a conflict of interest with a bidder on this lot; "
                    "you cannot review it."
                ),
                code="conflict_declared",
            )
        declared = ASSIGNMENT_WORKFLOW.run("accept", obj=assignment, user=user, changes=changes)
        sheet, created = ScoreSheet.objects.get_or_create(
            assignment=declared, defaults={"lot": lot, "expert": declared.expert}
        )
        if created:
            audit.record(
                actor=user,
                action="score_sheet.create",
                obj=sheet,
                after={"lot": lot.pk, "expert": declared.expert_id},
            )
        return declared
    declared = ASSIGNMENT_WORKFLOW.run(
        "recuse",
        obj=assignment,
        user=user,
        changes=changes,
        notify=lambda a: notify(
            recipients=users_with_role(Role.OFFICER),
            kind="panel.recused",
            title=lambda: (
                _t("%(expert)s declared a conflict of interest on %(lot)s")
                % {"expert": a.expert.display_name, "lot": lot}
            ),
            body=a.get_conflict_display(),
            url=reverse("bidding:review-round", args=[lot.round_id]),
            obj=a,
        ),
    )
    _draw_replacement(assignment=declared, user=user)
    if organization is not None:
        _recuse_where_bidder(declared=declared, user=user)
    return declared


def _recuse_where_bidder(*, declared: LotAssignment, user) -> list[LotAssignment]:
    """A conflict with a bidder removes the expert from every lot of the round where
    that bidder bid (政府采购法实施条例 Art 9; 《政府采购评审专家管理办法》 财库〔2016〕198号 Art 16: an expert
    with an interest in a supplier withdraws from its review), before they see any
    more of it; a replacement is drawn for each."""
    lot = declared.lot
    others = list(
        selectors.assignments_sharing_bidder(
            expert=declared.expert,
            round_id=lot.round_id,
            organization_id=declared.conflict_organization_id,
            exclude_lot_id=lot.pk,
        )
        .select_related("lot__round", "expert")
        .distinct()
        .order_by("lot__number")
    )
    recused = []
    for other in others:
        done = ASSIGNMENT_WORKFLOW.run(
            "recuse_for_bidder",
            obj=other,
            user=user,
            changes={
                "declared_at": timezone.now(),
                "conflict": declared.conflict,
                "conflict_organization": declared.conflict_organization,
                "conflict_details": _t("Declared on lot %(n)d.") % {"n": lot.number},
            },
        )
        _draw_replacement(assignment=done, user=user)
        recused.append(done)
    return recused
