"""Building OCDS 1.1.5 releases from the portal's data.

One contracting process (``ocid``) per lot: the configured prefix
(``settings.OCDS_OCID_PREFIX``) plus the lot's identifier ``<round code>-<lot
number>``. One release per lifecycle event, with an id that depends only on
the event, so rebuilding gives the same ids:

- ``planning``: the approved project with its budget;
- ``tender``: the published call; ``tenderAmendment`` per answered
  clarification; ``tenderUpdate`` at the opening (the tenderers, never their
  bids) and when the lot's outcome is final (complete, unsuccessful, cancelled);
- ``award`` / ``awardUpdate`` / ``awardCancellation`` per award and status;
- ``contract`` at signing, ``contractAmendment`` per amendment in force,
  ``contractTermination`` when it ends;
- ``implementation``: a transaction per paid tranche, a milestone per progress
  report reviewed and per evaluation submitted or decided.

Sealed content (政府采购法 Art 37 and 电子招标投标办法 Arts 26, 30): before the
opening no release names a tenderer or says anything derived from the bids;
bids are read only for rounds whose opening act took place, and then only the
bidder's identity. No personal data is published: no signer, contact or legal
representative, no beneficiary data, no bank details.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from bidding.models import Bid, Lot
from purchase_portal.calendar import SHANGHAI

from .mapping import (
    AWARD_STATUS,
    CONTRACT_STATUS,
    EVALUATION_MILESTONE_STATUS,
    PROCUREMENT_METHOD,
    REPORT_MILESTONE_STATUS,
    tender_status,
)

CURRENCY = "CNY"
ORG_SCHEME = "CN-USCC"  # 统一社会信用代码 (org-id.guide)
CATEGORY_SCHEME = "x_PurchaseCatalogueCategory"

#: Bid statuses of bids that were submitted (and so were tendered at the opening).
TENDERED_BID_STATUSES = [
    Bid.Status.SUBMITTED,
    Bid.Status.QUALIFIED,
    Bid.Status.DISQUALIFIED,
    Bid.Status.AWARDED,
    Bid.Status.NOT_AWARDED,
]


def ocid_for(*, round_code: str, lot_number: int) -> str:
    return f"{settings.OCDS_OCID_PREFIX}-{round_code}-{lot_number}"


def iso(value: dt.datetime | dt.date | None) -> str | None:
    """An OCDS date-time: aware datetimes in UTC, dates at Shanghai midnight."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return dt.datetime.combine(value, dt.time.min, tzinfo=SHANGHAI).isoformat()


def money(amount: Decimal | None) -> dict | None:
    if amount is None:
        return None
    return {"amount": float(amount), "currency": CURRENCY}


def party_id(org) -> str:
    return f"{ORG_SCHEME}-{org.credit_code}"


def org_ref(org) -> dict:
    return {"id": party_id(org), "name": org.name}


@dataclass
class Parties:
    """The parties of a release with their roles (organizations only)."""

    by_id: dict[str, dict] = field(default_factory=dict)

    def add(self, org, *roles: str) -> dict:
        pid = party_id(org)
        party = self.by_id.get(pid)
        if party is None:
            party = {
                "id": pid,
                "name": org.name,
                "identifier": {"scheme": ORG_SCHEME, "id": org.credit_code, "legalName": org.name},
                "roles": [],
            }
            if org.street_id is not None:
                party["address"] = {"locality": org.street.name, "countryName": "中国"}
            self.by_id[pid] = party
        for role in roles:
            if role not in party["roles"]:
                party["roles"].append(role)
        return {"id": pid, "name": org.name}

    def as_list(self) -> list[dict]:
        return list(self.by_id.values())


@dataclass
class Event:
    """A release before its date is settled: ``date`` None means the portal has
    no timestamp for the event; it gets the time it was first published."""

    release_id: str
    ocid: str
    date: dt.datetime | None
    tags: list[str]
    data: dict


@dataclass
class LotContext:
    """What one lot's releases need, loaded in bulk by the caller."""

    federation: object
    tenderers: list = field(default_factory=list)  # organizations, only after opening
    evaluations: list = field(default_factory=list)  # milestones of the lot's contracts
    grades: dict = field(default_factory=dict)  # evaluation id → approved evaluation


def _classification(category) -> dict:
    return {"scheme": CATEGORY_SCHEME, "id": category.code, "description": category.name_zh}


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
                "classification": _classification(lot.category),
                "quantity": lot.max_awards,
            }
        ],
        "value": money(lot.cap),
        "procurementMethod": PROCUREMENT_METHOD[rnd.kind],
        "procurementMethodDetails": str(rnd.get_kind_display()),
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


def _base(ocid: str, rid: str, tags: list[str], parties: Parties, fed, **sections) -> dict:
    release = {
        "ocid": ocid,
        "id": rid,
        "date": None,
        "tag": tags,
        "initiationType": "tender",
        "language": "zh",
        "buyer": parties.add(fed, "buyer"),
    }
    release.update({k: v for k, v in sections.items() if v is not None})
    release["parties"] = parties.as_list()
    return release


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
                "classification": _classification(lot.category),
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


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _contract_section(
    contract,
    award_id: str,
    parties: Parties,
    *,
    terms: dict,
    status: str,
    amendments: list,
    implementation: dict | None = None,
) -> dict:
    parties.add(contract.federation, "buyer", "payer")
    parties.add(contract.organization, "supplier", "payee")
    section = {
        "id": contract.number,
        "awardID": award_id,
        "title": contract.title,
        "status": status,
        "period": {"startDate": iso(contract.start_date), "endDate": iso(terms["end_date"])},
        "value": money(terms["amount"]),
        "dateSigned": iso(contract.activated_at),
    }
    items = [
        {
            "id": f"target-{t.pk}",
            "description": t.indicator,
            "quantity": float(t.target_value),
            "unit": {"name": t.unit},
        }
        for t in contract.targets.all()
    ]
    if items:
        section["items"] = items
    if terms["deliverables"]:
        section["description"] = terms["deliverables"]
    if amendments:
        section["amendments"] = amendments
    if implementation:
        section["implementation"] = implementation
    return section


def _terms_after(contract, amendments: list) -> list[dict]:
    """The terms as signed, then after each amendment in force (in order)."""
    terms = {
        "amount": contract.original_amount,
        "end_date": contract.original_end_date,
        "deliverables": contract.original_deliverables,
    }
    steps = [dict(terms)]
    for a in amendments:
        if a.new_amount is not None:
            terms["amount"] = a.new_amount
        if a.new_end_date is not None:
            terms["end_date"] = a.new_end_date
        if a.new_deliverables is not None:
            terms["deliverables"] = a.new_deliverables
        steps.append(dict(terms))
    return steps


def _amendment(a) -> dict:
    changed = []
    if a.new_amount is not None:
        changed.append(f"amount {a.previous_amount} → {a.new_amount} CNY")
    if a.new_end_date is not None:
        changed.append(f"end date {a.previous_end_date} → {a.new_end_date}")
    if a.new_deliverables is not None:
        changed.append("deliverables")
    if a.new_tranches is not None:
        changed.append("payment tranches")
    return {
        "id": f"amendment-{a.number}",
        "date": iso(a.approved_at),
        "rationale": a.reason,
        "description": "; ".join(changed),
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
            Event(rid, ocid, date, tags, _base(ocid, rid, tags, parties, fed, **build(parties)))
        )

    project = lot.project
    if project is not None and project.approved_at is not None:
        add(
            f"planning-{project.code}",
            project.approved_at,
            ["planning"],
            lambda p: {
                "planning": {
                    "rationale": project.need or None,
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
        events[-1].data["planning"] = {k: v for k, v in events[-1].data["planning"].items() if v}

    add(
        "tender",
        rnd.published_at,
        ["tender"],
        lambda p: {"tender": _tender(lot, p, fed, status="active")},
    )

    amendments = []
    for c in sorted(rnd.clarifications.all(), key=lambda c: (c.answered_at or c.asked_at, c.pk)):
        if not c.answered_at:
            continue
        amendments.append(
            {
                "id": f"clarification-{c.pk}",
                "date": iso(c.answered_at),
                "rationale": "Clarification (澄清) answered to all bidders",
                "description": f"Q: {c.question}\nA: {c.answer}",
            }
        )
        snapshot = list(amendments)
        add(
            f"clarification-{c.pk}",
            c.answered_at,
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
            events.extend(_contract_events(contract, award, lot, ocid, fed, ctx))
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
    data = _base(ocid, rid, [tag[ocds_status]], parties, fed, awards=awards)
    return Event(rid, ocid, date, [tag[ocds_status]], data)


def _contract_events(contract, award, lot, ocid, fed, ctx: LotContext) -> list[Event]:
    award_id = f"{lot.round.code}-{lot.number}-award-{award.pk}"
    in_force = sorted(
        (a for a in contract.amendments.all() if a.status == a.Status.APPROVED),
        key=lambda a: a.number,
    )
    steps = _terms_after(contract, in_force)
    events: list[Event] = []

    def add(suffix, date, tags, status, n_amendments, implementation=None):
        parties = Parties()
        rid = f"{ocid}-contract-{contract.pk}-{suffix}"
        section = _contract_section(
            contract,
            award_id,
            parties,
            terms=steps[n_amendments],
            status=status,
            amendments=[_amendment(a) for a in in_force[:n_amendments]],
            implementation=implementation,
        )
        data = _base(ocid, rid, tags, parties, fed, contracts=[section])
        events.append(Event(rid, ocid, date, tags, data))

    add("signed", contract.activated_at, ["contract"], "active", 0)
    for i, a in enumerate(in_force, start=1):
        add(f"amendment-{a.number}", a.approved_at, ["contractAmendment"], "active", i)
    now = len(in_force)
    final = CONTRACT_STATUS[contract.status]
    if final == "terminated":
        ended = contract.terminated_at or contract.completed_at
        add(contract.status, ended, ["contractTermination"], "terminated", now)

    transactions = []
    for t in sorted(contract.tranches.all(), key=lambda t: t.order):
        if t.status != t.Status.PAID or t.paid_on is None:
            continue
        transactions.append(
            {
                "id": f"tranche-{t.order}",
                "source": None,
                "date": iso(t.paid_on),
                "value": money(t.amount),
                "payer": org_ref(contract.federation),
                "payee": org_ref(contract.organization),
            }
        )
        transactions[-1].pop("source")
        paid_at = dt.datetime.combine(t.paid_on, dt.time(12), tzinfo=SHANGHAI)
        add(
            f"payment-{t.order}",
            paid_at,
            ["implementation"],
            final or "active",
            now,
            {"transactions": list(transactions)},
        )

    for report in sorted(contract.reports.all(), key=lambda r: r.number):
        ms = REPORT_MILESTONE_STATUS[report.status]
        if ms is None:
            continue
        date = report.reviewed_at if ms != "scheduled" else report.submitted_at
        if date is None:
            continue
        milestone = {
            "id": f"report-{report.number}",
            "title": f"Progress report {report.number} ({report.period_start}–{report.period_end})",
            "type": "reporting",
            "status": ms,
            "dueDate": iso(report.due_date),
        }
        if ms == "met":
            milestone["dateMet"] = iso(report.reviewed_at)
        add(
            f"report-{report.number}-{ms}",
            date,
            ["implementation"],
            final or "active",
            now,
            {"milestones": [milestone]},
        )

    for ev in ctx.evaluations:
        if ev.contract_id != contract.pk:
            continue
        ms = EVALUATION_MILESTONE_STATUS[ev.status]
        approved = ctx.grades.get(ev.pk)
        if approved is not None:
            ms = "met" if approved.passed else "notMet"
            date = ev.decided_at
        else:
            date = ev.submitted_at
        if date is None or ms is None:
            continue
        milestone = {
            "id": f"evaluation-{ev.pk}",
            "title": str(ev.get_stage_display()),
            "type": "assessment",
            "status": ms,
            "dueDate": iso(ev.due_date),
        }
        if approved is not None:
            milestone["dateMet"] = iso(ev.decided_at)
            milestone["description"] = (
                f"{approved.total_score} / 100 ({approved.get_grade_display()})"
            )
        add(
            f"evaluation-{ev.pk}-{ms}",
            date,
            ["implementation"],
            final or "active",
            now,
            {"milestones": [milestone]},
        )
    return events


def settle_date(event: Event, known: dt.datetime | None) -> dt.datetime:
    return event.date or known or timezone.now()
