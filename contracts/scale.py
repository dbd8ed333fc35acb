"""City-scale rows for ``seed_scale``: a contract per final award, its payment
tranches and its monthly progress reports.

The report rows (2,000,000 at DESIGN §5's sizes) are shared out over the
contracts, so a contract runs for as many months as it has reports: a stress
shape for the lists, not a forecast. Reports whose month has passed are
accepted (the latest of an active contract submitted or returned), later ones
are due. Paid tranches add up to the contract's ``paid_total`` as the database
trigger requires at commit.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from purchase_portal.scale import ScaleContext

from .models import Contract, ContractBudgetLine, ContractTarget, PaymentTranche, ProgressReport

C = Contract.Status
T = PaymentTranche.Status
R = ProgressReport.Status
PLAN = [
    (Decimal("50"), PaymentTranche.Condition.ON_SIGNING),
    (Decimal("30"), PaymentTranche.Condition.MIDTERM_PASSED),
    (Decimal("20"), PaymentTranche.Condition.FINAL_PASSED),
]


def _months(start: date, n: int) -> date:
    month = start.month - 1 + n
    return date(start.year + month // 12, month % 12 + 1, 1)


def contract_row(award, *, number: str, title: str, end_date: date, **fields) -> Contract:
    """A generated contract of a final award, on the award's terms, with the
    content every generated contract shares (``seed_scale`` and the list
    benchmarks); ``fields`` give its dates, status and history."""
    return Contract(
        number=number,
        award=award,
        project=award.lot.project,
        organization=award.organization,
        title=title,
        amount=award.amount,
        original_amount=award.amount,
        end_date=end_date,
        original_end_date=end_date,
        deliverables="每月入户康复训练不少于100人次。",
        original_deliverables="每月入户康复训练不少于100人次。",
        data_protection_clause="乙方仅为履行本合同处理残疾人个人信息。",
        report_frequency=Contract.ReportFrequency.MONTHLY,
        **fields,
    )


def seed(ctx: ScaleContext) -> None:
    awards = ctx.shared["awards"]
    if not awards:
        return
    staff = ctx.shared["staff"]
    officer = staff["officer"]
    today = ctx.now.date()
    per_contract = max(1, -(-ctx.size("progress_reports") // len(awards)))
    remaining = ctx.size("progress_reports")
    pdf = ctx.placeholder(f"scale/{ctx.seed}/contract.pdf", "contract")
    months: list[int] = []
    for _ in awards:
        n = max(0, min(per_contract, remaining))
        months.append(n)
        remaining -= n

    def contracts():
        for i, a in enumerate(awards):
            signed = a.final_at + timedelta(days=7)
            start = _months(signed.date(), 1)
            end = _months(start, max(months[i], 12)) - timedelta(days=1)
            completed = end < today
            first = (a.amount * Decimal("0.5")).quantize(Decimal("0.01"))
            yield contract_row(
                a,
                number=f"SC{ctx.seed}-HT-{i:07d}",
                title=f"规模服务合同{i}：{a.lot.title[:80]}",
                federation=ctx.shared["federation"],
                start_date=start,
                end_date=end,
                status=C.COMPLETED if completed else C.ACTIVE,
                paid_total=a.amount if completed else first,
                sent_at=signed - timedelta(days=3),
                activated_at=signed,
                completed_at=datetime.combine(end, time(8), tzinfo=ctx.now.tzinfo)
                if completed
                else None,
                pdf=pdf,
                pdf_sha256=ctx.digest("contract", i),
                pdf_generated_at=signed - timedelta(days=3),
                created_by=officer,
            )

    made = ctx.bulk("contracts", Contract, contracts(), len(awards))
    ctx.bulk(
        "contract targets",
        ContractTarget,
        (
            ContractTarget(
                contract=k,
                order=1,
                kind="output",
                indicator="服务人次",
                target_value=Decimal("1200"),
                unit="人次",
                source=ContractTarget.Source.BID,
            )
            for k in made
        ),
        len(made),
    )
    ctx.bulk(
        "contract budget lines",
        ContractBudgetLine,
        (ContractBudgetLine(contract=k, order=1, item="人员费用", amount=k.amount) for k in made),
        len(made),
    )

    def tranches():
        for k in made:
            first = (k.amount * Decimal("0.5")).quantize(Decimal("0.01"))
            second = (k.amount * Decimal("0.3")).quantize(Decimal("0.01"))
            amounts = [first, second, k.amount - first - second]
            completed = k.status == C.COMPLETED
            for order, ((share, condition), amount) in enumerate(
                zip(PLAN, amounts, strict=True), start=1
            ):
                paid = completed or order == 1
                status = T.PAID if paid else (T.ELIGIBLE if order == 2 else T.PENDING)
                at = k.activated_at + timedelta(days=30 * order)
                yield PaymentTranche(
                    contract=k,
                    order=order,
                    share=share,
                    amount=amount,
                    condition=condition,
                    status=status,
                    eligible_at=at if status != T.PENDING else None,
                    requested_at=at if paid else None,
                    requested_by=officer if paid else None,
                    finance_approved_at=at if paid else None,
                    finance_approved_by=staff["finance"] if paid else None,
                    paid_on=at.date() if paid else None,
                    payment_reference=f"PAY-{k.pk}-{order}" if paid else "",
                    paid_recorded_by=staff["finance"] if paid else None,
                )

    paid = []

    def keep_paid(batch):
        paid.extend(t for t in batch if t.status == T.PAID)

    ctx.stream("payment tranches", PaymentTranche, tranches(), 3 * len(made), after=keep_paid)
    ctx.audit(
        (
            datetime.combine(t.paid_on, time(9), tzinfo=ctx.now.tzinfo),
            staff["finance"],
            "tranche.pay",
            t,
            {"status": "approved"},
            {"status": "paid", "amount": t.amount},
        )
        for t in paid
    )
    ctx.audit(
        (k.activated_at, officer, "contract.activate", k, {"status": "sent"}, {"status": "active"})
        for k in made
    )
    limit = date(today.year + 1, 12, 31)

    def reports():
        for k, n in zip(made, months, strict=True):
            for number in range(1, n + 1):
                start = _months(k.start_date, number - 1)
                end = _months(k.start_date, number) - timedelta(days=1)
                due = min(end + timedelta(days=10), limit)
                if due < today:
                    status = R.ACCEPTED
                    if k.status == C.ACTIVE and _months(end, 2) > today:
                        status = R.SUBMITTED if number % 2 else R.RETURNED
                else:
                    status = R.DUE
                done = status != R.DUE
                submitted = datetime.combine(
                    due - timedelta(days=3), time(10), tzinfo=ctx.now.tzinfo
                )
                yield ProgressReport(
                    contract=k,
                    number=number,
                    period_start=start,
                    period_end=end,
                    due_date=due,
                    status=status,
                    activities="入户康复训练与社区活动。" if done else "",
                    activity_count=12 if done else 0,
                    submitted_at=submitted if done else None,
                    submitted_by=None,
                    submission_count=1 if done else 0,
                    reviewed_at=submitted + timedelta(days=2)
                    if status in (R.ACCEPTED, R.RETURNED)
                    else None,
                    reviewed_by=officer if status in (R.ACCEPTED, R.RETURNED) else None,
                    review_comments="请补充服务记录。" if status == R.RETURNED else "",
                )

    action = {
        R.ACCEPTED: "report.accept",
        R.SUBMITTED: "report.submit",
        R.RETURNED: "report.return",
    }

    def audit_reports(batch):
        ctx.audit(
            (
                r.reviewed_at or r.submitted_at,
                officer if r.reviewed_at else None,
                action[r.status],
                r,
                None,
                {"status": r.status},
            )
            for r in batch
            if r.status != R.DUE
        )

    ctx.stream("progress reports", ProgressReport, reports(), sum(months), after=audit_reports)
    ctx.shared["contracts"] = made
