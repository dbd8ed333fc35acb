"""Every write on the public notice (公示) and objections (质疑): publishing the
notice, filing and answering objections, and making the awards final when the
notice period ends with nothing open (a scheduled task)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from organizations.rules import is_org_member
from purchase_portal import audit, events
from purchase_portal.calendar import add_calendar_days, add_workdays, local_date
from purchase_portal.errors import ApplicationError, PermissionDeniedError
from purchase_portal.notifications import notify, remind_once
from purchase_portal.roles import Role, is_officer, users_with_role

from .. import scoring
from ..models import Award, Bid, Lot, LotAssignment, Notice, Objection, Round
from ..selectors import review as review_selectors
from ..workflows import (
    AWARD_WORKFLOW,
    LOT_WORKFLOW,
    NOTICE_WORKFLOW,
    OBJECTION_WORKFLOW,
    ROUND_WORKFLOW,
)
from .award import LIVE_AWARD, PARTICIPANT_BID_STATUSES, lot_reopen_review
from .responsiveness import notify_non_responsive_bidders

User = get_user_model()

#: Working days within which an objection must be answered (政府采购法 Art 53).
OBJECTION_ANSWER_WORKDAYS = 7
#: Working days after the notice period during which objections may still be filed
#: (政府采购法 Art 52; 实施条例 Art 53).
OBJECTION_FILING_WORKDAYS = 7
#: Remind officers this long before an objection's answer is due.
OBJECTION_REMINDER_AHEAD = dt.timedelta(days=2)


def _participant_members(round: Round):
    return User.objects.filter(
        is_active=True,
        memberships__organization__bids__lot__round=round,
        memberships__organization__bids__status__in=PARTICIPANT_BID_STATUSES,
    ).distinct()


def notice_recipients(*, round: Round):
    """Who is told when the round's notice is published: the members of every
    organization that took part."""
    return _participant_members(round)


# The public notice ----------------------------------------------------------------------


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def preference_statement(*, round: Round) -> str:
    """What the notice says about the welfare-unit price preference of the round."""
    if not round.is_bidding:
        return ""
    if not round.welfare_price_deduction:
        return _t("This round applies no price deduction for welfare units.")
    return _t(
        "Welfare units for persons with disabilities (残疾人福利性单位) are treated as small "
        "and micro enterprises (财库〔2017〕141号): their price was reduced by %(p)s %% "
        "before the price score was computed (财库〔2022〕19号)."
    ) % {"p": f"{round.welfare_price_deduction.normalize():f}"}


def notice_content(*, round: Round) -> dict:
    """What the public notice shows, frozen at publication: winners, amounts, the score
    summary of each lot and the names of the panel."""
    lots = []
    panel: dict[int, str] = {}
    for lot in Lot.objects.filter(round=round).select_related("category").order_by("number"):
        entry = {
            "id": lot.pk,
            "number": lot.number,
            "title": lot.title,
            "category": lot.category.name_zh,
            "status": lot.status,
            "status_label": str(lot.get_status_display()),
            "reason": lot.status_reason,
            "awards": [],
            "ranking": [],
        }
        if lot.status in (Lot.Status.AWARDED, Lot.Status.FINAL):
            result = review_selectors.compute_lot_result(lot=lot)
            awarded = {
                a.bid_id: a
                for a in Award.objects.filter(lot=lot, status__in=(*LIVE_AWARD, Award.Status.FINAL))
            }
            for row in result.rows:
                entry["ranking"].append(
                    {
                        "rank": row.rank,
                        "organization": row.organization,
                        "is_welfare_unit": row.is_welfare_unit,
                        "price": _money(row.price),
                        "price_deduction": _money(row.price_deduction),
                        "evaluated_price": _money(row.evaluated_price),
                        "technical_score": f"{row.technical_score:.2f}",
                        "price_score": _money(row.price_score),
                        "final_score": f"{row.final_score:.2f}",
                        "tied": row.tied,
                        "awarded": row.bid_id in awarded,
                    }
                )
                if row.bid_id in awarded:
                    entry["awards"].append(
                        {
                            "organization": row.organization,
                            "is_welfare_unit": row.is_welfare_unit,
                            "amount": _money(awarded[row.bid_id].amount),
                            "final_score": f"{row.final_score:.2f}",
                            "rank": row.rank,
                        }
                    )
            for assignment in LotAssignment.objects.filter(
                lot=lot, status=LotAssignment.Status.ACTIVE
            ).select_related("expert"):
                # The representative is shown as such (财政部令第87号 Art 47).
                panel[assignment.expert_id] = assignment.panel_name
            entry["tie_draw_record"] = lot.tie_draw_record
        lots.append(entry)
    return {
        "round": {
            "id": round.pk,
            "code": round.code,
            "title": round.title,
            "kind": round.kind,
            "kind_label": str(round.get_kind_display()),
        },
        "lots": lots,
        "panel": sorted(panel.values()),
        "ranking_rule": str(scoring.RANKING_RULE),
        "rounding_rule": str(scoring.ROUNDING_RULE),
        "preference": str(preference_statement(round=round)),
        "notice_days": round.notice_days,
        "working_days": round.is_bidding,
        "objection_answer_workdays": OBJECTION_ANSWER_WORKDAYS,
        "objection_filing_workdays": OBJECTION_FILING_WORKDAYS,
    }


def notice_content_for_reader(*, notice: Notice) -> dict:
    """The notice's frozen content with its labels in the reader's language.

    The record keeps the portal's language (it is what was published); a reader of
    another language sees the same names, amounts and scores with the kind, the
    lot outcomes, the service categories and the ranking rules in their language."""
    content = notice.content
    language = translation.get_language() or settings.LANGUAGE_CODE
    if translation.get_supported_language_variant(language) == settings.LANGUAGE_CODE:
        return content
    content = {**content, "round": dict(content.get("round", {})), "relabelled": True}
    kind = content["round"].get("kind")
    if kind in Round.Kind.values:
        content["round"]["kind_label"] = str(Round.Kind(kind).label)
    entries = [dict(entry) for entry in content.get("lots", [])]
    lots = Lot.objects.select_related("category").in_bulk([entry.get("id") for entry in entries])
    for entry in entries:
        if entry.get("status") in Lot.Status.values:
            entry["status_label"] = str(Lot.Status(entry["status"]).label)
        if (lot := lots.get(entry.get("id"))) is not None:
            entry["category"] = lot.category.name
    content["lots"] = entries
    if content.get("ranking_rule"):
        content["ranking_rule"] = str(scoring.RANKING_RULE)
    if content.get("rounding_rule"):
        content["rounding_rule"] = str(scoring.ROUNDING_RULE)
    if content.get("preference"):
        content["preference"] = str(preference_statement(round=notice.round))
    return content


def notice_end_time(*, round: Round, start: dt.datetime) -> dt.datetime:
    """Bidding rounds count the notice in working days (at least 1); venture rounds
    in calendar days."""
    days = max(1, round.notice_days)
    if round.is_bidding:
        return add_workdays(start, days)
    return add_calendar_days(start, days)


@transaction.atomic
def notice_publish(*, round: Round, user, now: dt.datetime | None = None) -> Notice:
    """Publish the public notice of an awarded round for its notice period (``now``
    lets the demo data backdate a notice; pages and the API never pass it)."""
    if not is_officer(user):
        raise PermissionDeniedError()
    now = now or timezone.now()
    created: list[Notice] = []

    def create_notice(locked: Round) -> None:
        # An official record: its labels are frozen in the portal's language, not
        # in the language of the officer's page or API client.
        with translation.override(settings.LANGUAGE_CODE):
            content = notice_content(round=locked)
        ends_at = notice_end_time(round=locked, start=now)
        notice = Notice.objects.create(
            round=locked,
            published_at=now,
            ends_at=ends_at,
            objections_until=add_workdays(ends_at, OBJECTION_FILING_WORKDAYS),
            content=content,
            published_by=user,
        )
        audit.record(
            actor=user,
            action="notice.publish",
            obj=notice,
            after={
                "round": locked.pk,
                "published_at": now,
                "ends_at": notice.ends_at,
                "objections_until": notice.objections_until,
            },
        )
        notify(
            recipients=_participant_members(locked),
            kind="notice.published",
            title=lambda: _t("The results of %(round)s are published") % {"round": locked.code},
            body=lambda: (
                _t("Objections may be filed until %(end)s.")
                % {"end": timezone.localtime(notice.objections_until).strftime("%Y-%m-%d %H:%M")}
            ),
            url=reverse("bidding:notice-detail", args=[notice.pk]),
            obj=notice,
        )
        created.append(notice)

    ROUND_WORKFLOW.run("publish_notice", obj=round, user=user, notify=create_notice)
    # Bidders whose bids were found non-responsive learn why with the result.
    notify_non_responsive_bidders(round_id=round.pk)
    return created[0]


# Objections ------------------------------------------------------------------------


def participant_organizations(*, user, round: Round):
    """The user's organizations that bid in the round (who may object)."""
    from organizations.rules import memberships_of

    return Organization.objects.filter(
        pk__in=list(memberships_of(user)),
        bids__lot__round=round,
        bids__status__in=PARTICIPANT_BID_STATUSES,
    ).distinct()


def objections_until(notice: Notice) -> dt.datetime:
    """The end of the 7th working day after the notice period (政府采购法 Art 52,
    实施条例 Art 53)."""
    return notice.objections_until or add_workdays(notice.ends_at, OBJECTION_FILING_WORKDAYS)


def objection_window_open(notice: Notice, now: dt.datetime | None = None) -> bool:
    """Whether objections to the notice's results are still accepted."""
    now = now or timezone.now()
    return notice.status == Notice.Status.OPEN and now <= objections_until(notice)


def objection_lots(*, round: Round, subject: str):
    """The lots an objection on ``subject`` may concern."""
    S = Objection.Subject
    statuses = {
        S.AWARD: (Lot.Status.AWARDED,),
        S.FAILED_LOT: (Lot.Status.FAILED,),
        S.DISQUALIFICATION: (Lot.Status.AWARDED, Lot.Status.FAILED, Lot.Status.IN_REVIEW),
        S.CALL_DOCUMENTS: (Lot.Status.OPEN,),
    }[subject]
    return Lot.objects.filter(round=round, status__in=statuses)


def _objection_problems(*, subject, notice, lot, organization) -> dict[str, str]:
    S = Objection.Subject
    errors: dict[str, str] = {}
    if subject not in S.values:
        return {"subject": _t("Choose what the objection is about.")}
    round_id = lot.round_id
    if subject != S.CALL_DOCUMENTS and notice is not None and round_id != notice.round_id:
        errors["lot"] = _t("Choose a lot of this notice.")
    elif not objection_lots(round=lot.round, subject=subject).filter(pk=lot.pk).exists():
        errors["lot"] = {
            S.AWARD: _t("Choose a lot awarded in this notice."),
            S.FAILED_LOT: _t("Choose a lot that failed."),
            S.DISQUALIFICATION: _t("Choose a lot on which your bid was disqualified."),
            S.CALL_DOCUMENTS: _t("Choose a lot of this call."),
        }[subject]
    if (
        subject == S.DISQUALIFICATION
        and "lot" not in errors
        and not Bid.objects.filter(
            lot=lot, organization=organization, status=Bid.Status.DISQUALIFIED
        ).exists()
    ):
        errors["lot"] = _t("Choose a lot on which your bid was disqualified.")
    return errors


@transaction.atomic
def objection_file(
    *,
    notice: Notice | None = None,
    lot: Lot,
    organization: Organization,
    user,
    grounds: str,
    subject: str = Objection.Subject.AWARD,
) -> Objection:
    """A supplier objects (质疑, 政府采购法 Art 52): to the call documents while the call
    is open (any organization), or to an award, a failed lot or a disqualification
    from the notice until the end of the 7th working day after the notice period
    (实施条例 Art 53; only organizations that bid in the round). The answer is due
    in 7 working days (政府采购法 Art 53)."""
    grounds = (grounds or "").strip()
    if not is_org_member(user, organization):
        raise PermissionDeniedError()
    now = timezone.now()
    if subject == Objection.Subject.CALL_DOCUMENTS:
        round = Round.objects.get(pk=lot.round_id)
        if round.status != Round.Status.PUBLISHED or (
            round.submission_deadline is not None and now > round.submission_deadline
        ):
            raise ApplicationError(
                _("Objections to the call documents are accepted until the bid deadline."),
                code="call_objection_closed",
            )
        notice = None
    else:
        if notice is None:
            raise ApplicationError(
                _("Please correct the errors below."),
                fields={"notice": _t("Choose the notice you object to.")},
            )
        if (
            not participant_organizations(user=user, round=notice.round)
            .filter(pk=organization.pk)
            .exists()
        ):
            raise PermissionDeniedError(
                _("Only organizations that bid in this round may object."),
                code="not_participant",
            )
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if not objection_window_open(notice, now):
            raise ApplicationError(
                _(
                    "Objections were accepted until the end of the 7th working day after the "
                    "notice period (政府采购法 Art 52); that time is over."
                ),
                code="notice_period_over",
            )
    errors = _objection_problems(subject=subject, notice=notice, lot=lot, organization=organization)
    if not grounds:
        errors["grounds"] = _t("State the grounds of the objection.")
    if errors:
        raise ApplicationError(_("Please correct the errors below."), fields=errors)
    objection = Objection.objects.create(
        notice=notice,
        subject=subject,
        lot=lot,
        organization=organization,
        filed_by=user,
        filed_at=now,
        grounds=grounds,
        answer_due=add_workdays(now, OBJECTION_ANSWER_WORKDAYS),
    )
    audit.record(
        actor=user, action="objection.file", obj=objection, after=audit.snapshot(objection)
    )
    notify(
        recipients=users_with_role(Role.OFFICER),
        kind="objection.filed",
        title=lambda: (
            _t("Objection to %(lot)s by %(org)s") % {"lot": lot, "org": organization.name}
        ),
        body=lambda: (
            _t("Answer by %(due)s.")
            % {"due": timezone.localtime(objection.answer_due).strftime("%Y-%m-%d")}
        ),
        url=reverse("bidding:objection-detail", args=[objection.pk]),
        obj=objection,
    )
    return objection


def _notify_objector(objection: Objection, title) -> None:
    """``title`` is a function returning the translated message (in the recipient's language)."""
    members = User.objects.filter(
        memberships__organization_id=objection.organization_id, is_active=True
    )
    notify(
        recipients=members,
        kind="objection.answered",
        title=title,
        body=objection.answer,
        url=reverse("bidding:objection-detail", args=[objection.pk]),
        obj=objection,
    )


@transaction.atomic
def objection_answer(*, objection: Objection, user, decision: str, answer: str) -> Objection:
    """Answer an objection (within 7 working days, 政府采购法 Art 53): dismiss it, or
    uphold it. An upheld objection to an award or a disqualification sends the lot
    back to review (award revoked, bids back to qualified, sheets reopened, round
    back in review, notice suspended)."""
    answer = (answer or "").strip()
    errors = {}
    if decision not in ("uphold", "dismiss"):
        errors["decision"] = _t("Choose uphold or dismiss.")
    if not answer:
        errors["answer"] = _t("Write the answer.")
    if errors:
        raise ApplicationError(_("Please correct the errors below."), fields=errors)
    changes = {"answer": answer, "answered_at": timezone.now(), "answered_by": user}
    if decision == "dismiss":
        return OBJECTION_WORKFLOW.run(
            "dismiss",
            obj=objection,
            user=user,
            changes=changes,
            notify=lambda o: _notify_objector(
                o, lambda: _t("Your objection to %(lot)s was dismissed") % {"lot": o.lot}
            ),
        )
    upheld = OBJECTION_WORKFLOW.run("uphold", obj=objection, user=user, changes=changes)
    if upheld.subject not in (Objection.Subject.AWARD, Objection.Subject.DISQUALIFICATION):
        # An upheld objection to the call documents or to a failed lot is acted on by
        # the officer (amend the call, extend the deadline, re-tender the lot).
        _notify_objector(
            upheld, lambda: _t("Your objection to %(lot)s was upheld") % {"lot": upheld.lot}
        )
        return upheld
    lot_reopen_review(lot=upheld.lot, user=user, reason=answer)
    if upheld.notice_id is not None:
        notice = Notice.objects.get(pk=upheld.notice_id)
        if notice.status == Notice.Status.OPEN:
            NOTICE_WORKFLOW.run("suspend", obj=notice, user=user)
    _notify_objector(
        upheld, lambda: _t("Your objection to %(lot)s was upheld") % {"lot": upheld.lot}
    )
    return upheld


# Scheduled work ------------------------------------------------------------------


def _window_over(now: dt.datetime) -> Q:
    return Q(objections_until__lte=now) | Q(objections_until__isnull=True, ends_at__lte=now)


def notice_finalize(*, notice_id: int, now: dt.datetime | None = None) -> bool:
    """Make a round's awards final once the objection window (the notice period and
    7 working days after it, 政府采购法 Art 52) has passed with no objection pending.
    Runs as the system; running it again changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update()
            .filter(_window_over(now), pk=notice_id, status=Notice.Status.OPEN)
            .first()
        )
        if (
            notice is None
            or Objection.objects.filter(
                lot__round_id=notice.round_id, status=Objection.Status.OPEN
            ).exists()
        ):
            return False
        round = Round.objects.get(pk=notice.round_id)
        if round.status != Round.Status.NOTICE:
            return False
        finals: list[Award] = []
        for lot in Lot.objects.filter(round=round, status=Lot.Status.AWARDED).order_by("number"):
            for award in Award.objects.filter(lot=lot, status=Award.Status.CONFIRMED).order_by(
                "rank", "id"
            ):
                finals.append(
                    AWARD_WORKFLOW.run(
                        "finalize", obj=award, user=None, system=True, changes={"final_at": now}
                    )
                )
            LOT_WORKFLOW.run("finalize", obj=lot, user=None, system=True)
        ROUND_WORKFLOW.run("finalize", obj=round, user=None, system=True)
        NOTICE_WORKFLOW.run("end", obj=notice, user=None, system=True, changes={"ended_at": now})
        for award in finals:
            events.publish("award.final", award_id=award.pk)
        notify(
            recipients=[*_participant_members(round), *users_with_role(Role.OFFICER)],
            kind="round.final",
            title=lambda: _t("The awards of %(round)s are final") % {"round": round.code},
            url=reverse("bidding:notice-detail", args=[notice.pk]),
            obj=round,
        )
    return True


def notices_due(*, now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        Notice.objects.filter(_window_over(now), status=Notice.Status.OPEN)
        .exclude(round__lots__objections__status=Objection.Status.OPEN)
        .values_list("pk", flat=True)
        .distinct()
    )


def objection_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind officers of open objections whose answer is due within two days, and
    once more when an answer is overdue (once per objection, kind and due date)."""
    now = now or timezone.now()
    officers = list(users_with_role(Role.OFFICER))
    sent = 0
    due = Objection.objects.filter(
        status=Objection.Status.OPEN, answer_due__lte=now + OBJECTION_REMINDER_AHEAD
    ).select_related("lot__round", "organization")
    for objection in due:
        overdue = objection.answer_due < now
        sent += remind_once(
            obj=objection,
            kind="objection.overdue" if overdue else "objection.answer_due",
            due_on=local_date(objection.answer_due),
            recipients=officers,
            title=lambda: (
                (
                    _t("The answer to the objection of %(org)s on %(lot)s is overdue")
                    if overdue
                    else _t("Answer the objection of %(org)s on %(lot)s by %(due)s")
                )
                % {
                    "org": objection.organization.name,
                    "lot": objection.lot,
                    "due": local_date(objection.answer_due).isoformat(),
                }
            ),
            url=reverse("bidding:objection-detail", args=[objection.pk]),
        )
    return sent
