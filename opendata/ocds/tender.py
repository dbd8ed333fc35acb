"""The releases of one lot: planning, tender, clarifications, opening, outcome, awards."""

from __future__ import annotations

from django.urls import reverse

from bidding.models import Lot

from ..mapping import AWARD_STATUS, CONTRACT_STATUS, PROCUREMENT_METHOD, tender_status
from .common import (
    Event,
    LotContext,
    Parties,
    absolute,
    base_release,
    classification,
    iso,
    money,
    ocid_for,
)
from .contracts import contract_events


def _tender(lot: Lot, parties: Parties, fed, *, status: str, tenderers=None) -> dict:
    rnd = lot.round
    procuring = parties.add(fed, "buyer", "procuringEntity", "payer")
    tender = {
        "id": f"{rnd.code}-{lot.number}",
        "title": f"{rnd.title} — {lot.title}",
        "status": status,
        "procuringEntity": procuring,
        "items": [
            {
                "id": "1",
                "description": lot.title,
                "classification": classification(lot.category),
                "quantity": lot.max_awards,
            }
        ],
        "value": money(lot.cap),
        "procurementMethod": PROCUREMENT_METHOD[rnd.kind],
        # 公开招标 or 竞争性磋商 for bidding rounds; venture rounds are 公益创投.
        "procurementMethodDetails": str(
            rnd.get_procurement_method_display() if rnd.is_bidding else rnd.get_kind_display()
        ),
        "mainProcurementCategory": "services",
        "awardCriteria": "ratedCriteria",
        "submissionMethod": ["electronicSubmission"],
        "tenderPeriod": {
            "startDate": iso(rnd.published_at),
            "endDate": iso(rnd.submission_deadline),
        },
    }
    if rnd.questions_until:
        tender["enquiryPeriod"] = {
            "startDate": iso(rnd.published_at),
            "endDate": iso(rnd.questions_until),
        }
    if rnd.description:
        tender["description"] = rnd.description
    if rnd.eligibility:
        tender["eligibilityCriteria"] = rnd.eligibility
    if tenderers is not None:
        tender["tenderers"] = [parties.add(org, "tenderer") for org in tenderers]
        tender["numberOfTenderers"] = len(tenderers)
    return tender


def _award(award, lot: Lot, parties: Parties, notice=None) -> dict:
    supplier = parties.add(award.organization, "supplier")
    data = {
        "id": f"{lot.round.code}-{lot.number}-award-{award.pk}",
        "title": lot.title,
        "status": AWARD_STATUS[award.status],
        "date": iso(award.confirmed_at),
        "value": money(award.amount),
        "suppliers": [supplier],
        "items": [
            {
                "id": "1",
                "description": lot.title,
                "classification": classification(lot.category),
            }
        ],
    }
    if notice is not None:
        data["documents"] = [
            {
                "id": f"notice-{notice.pk}",
                "documentType": "awardNotice",
                "title": f"公示 {iso(notice.published_at)} – {iso(notice.ends_at)}",
                "description": (
                    f"Public notice period (公示期): {iso(notice.published_at)} to {iso(notice.ends_at)}"
                ),
                "url": absolute(reverse("bidding:notice-detail", args=[notice.pk])),
                "datePublished": iso(notice.published_at),
                "format": "text/html",
            }
        ]
    return data


def _clarification_amendment(c) -> dict:
    return {
        "id": f"clarification-{c.pk}",
        "date": iso(c.answered_at),
        "rationale": "Clarification (澄清) answered to all bidders",
        "description": f"Q: {c.question}\nA: {c.answer}",
    }


def _deadline_amendment(x) -> dict:
    """A later submission deadline (87号令 Art 27): the tender period's end changes."""
    return {
        "id": f"deadline-{x.pk}",
        "date": iso(x.created_at),
        "rationale": f"Submission deadline extended (87号令 Art 27): {x.reason}",
        "description": (
            f"Submission deadline moved from {iso(x.previous_deadline)} to {iso(x.new_deadline)}."
        ),
    }


def lot_events(lot: Lot, ctx: LotContext) -> list[Event]:
    """Every release of one lot's contracting process."""
    rnd = lot.round
    fed = ctx.federation
    status = tender_status(round_status=rnd.status, lot_status=lot.status)
    if status is None or rnd.published_at is None:
        return []  # draft rounds are not published
    ocid = ocid_for(round_code=rnd.code, lot_number=lot.number)
    events: list[Event] = []

    def add(suffix: str, date, tags: list[str], build) -> None:
        parties = Parties()
        rid = f"{ocid}-{suffix}"
        events.append(
            Event(
                rid, ocid, date, tags, base_release(ocid, rid, tags, parties, fed, **build(parties))
            )
        )

    project = lot.project
    if project is not None and project.approved_at is not None:
        add(
            f"planning-{project.code}",
            project.approved_at,
            ["planning"],
            lambda p: {
                "planning": {
                    **({"rationale": project.need} if project.need else {}),
                    "budget": {
                        "id": project.code,
                        "description": project.title,
                        "amount": money(project.budget_ceiling),
                        "project": project.title,
                        "projectID": project.code,
                    },
                }
            },
        )

    add(
        "tender",
        rnd.published_at,
        ["tender"],
        lambda p: {"tender": _tender(lot, p, fed, status="active")},
    )

    # Clarifications and deadline extensions (87号令 Art 27), in the order they happened.
    changes = [
        (c.answered_at, 0, c.pk, f"clarification-{c.pk}", _clarification_amendment(c))
        for c in rnd.clarifications.all()
        if c.answered_at
    ] + [
        (x.created_at, 1, x.pk, f"deadline-{x.pk}", _deadline_amendment(x))
        for x in rnd.deadline_extensions.all()
    ]
    amendments = []
    for when, _order, _pk, suffix, amendment in sorted(changes, key=lambda c: c[:3]):
        amendments.append(amendment)
        snapshot = list(amendments)
        add(
            suffix,
            when,
            ["tenderAmendment"],
            lambda p, snapshot=snapshot: {
                "tender": {**_tender(lot, p, fed, status="active"), "amendments": snapshot}
            },
        )

    if rnd.opened_at is not None:
        add(
            "opening",
            rnd.opened_at,
            ["tenderUpdate"],
            lambda p: {"tender": _tender(lot, p, fed, status="active", tenderers=ctx.tenderers)},
        )

    if status in ("complete", "unsuccessful", "cancelled"):
        tags = ["tenderCancellation"] if status == "cancelled" else ["tenderUpdate"]
        opened = ctx.tenderers if rnd.opened_at is not None else None
        add(
            f"tender-{status}",
            None,
            tags,
            lambda p: {"tender": _tender(lot, p, fed, status=status, tenderers=opened)},
        )

    notices = sorted(rnd.notices.all(), key=lambda n: n.published_at)
    for award in lot.awards.all():
        ocds_status = AWARD_STATUS[award.status]
        if ocds_status is not None and notices:
            events.append(_award_event(award, lot, ocid, fed, ocds_status, notices))
        contract = getattr(award, "contract", None)
        if contract is not None and CONTRACT_STATUS[contract.status] is not None:
            events.extend(contract_events(contract, award, lot, ocid, fed, ctx))
    return events


def _award_event(award, lot, ocid, fed, ocds_status, notices) -> Event:
    """The award as published with its notice (公示): the notice that
    announced it is the first published after the award was confirmed."""
    notice = notices[-1]
    if award.confirmed_at is not None:
        notice = next((n for n in notices if n.published_at >= award.confirmed_at), notice)
    tag = {"pending": "award", "active": "awardUpdate", "cancelled": "awardCancellation"}
    date = {"pending": notice.published_at, "active": award.final_at}.get(ocds_status)
    rid = f"{ocid}-award-{award.pk}-{ocds_status}"
    parties = Parties()
    awards = [_award(award, lot, parties, notice)]
    data = base_release(ocid, rid, [tag[ocds_status]], parties, fed, awards=awards)
    return Event(rid, ocid, date, [tag[ocds_status]], data)
