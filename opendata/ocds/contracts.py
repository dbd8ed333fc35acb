"""The releases of a contract: signing, amendments, end, payments, reports, evaluations."""

from __future__ import annotations

import datetime as dt

from purchase_portal.calendar import SHANGHAI

from ..mapping import CONTRACT_STATUS, EVALUATION_MILESTONE_STATUS, REPORT_MILESTONE_STATUS
from .common import Event, LotContext, Parties, base_release, iso, money, org_ref


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


def contract_events(contract, award, lot, ocid, fed, ctx: LotContext) -> list[Event]:
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
        data = base_release(ocid, rid, tags, parties, fed, contracts=[section])
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
                "date": iso(t.paid_on),
                "value": money(t.amount),
                "payer": org_ref(contract.federation),
                "payee": org_ref(contract.organization),
            }
        )
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
