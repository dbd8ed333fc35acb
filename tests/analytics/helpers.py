"""Builders of small hand-computed datasets for the analytics tests.

Rows are written straight into the tables with factories: the figures under
test read what the other apps' services leave behind (awards, lots, tranches,
reports), and these builders leave the same rows with exact dates and amounts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from bidding.models import Award, Bid, Lot, Notice, Objection
from capacity.models import Incubation, Registration, TrainingProgramme, TrainingSession
from contracts.models import Contract, PaymentTranche, ProgressReport
from evaluation.models import Evaluation, Template
from organizations.models import Credential, Organization
from tests.factories import (
    AwardFactory,
    BidFactory,
    LotFactory,
    OrganizationFactory,
    RoundFactory,
    UserFactory,
    service_category,
)

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(year: int, month: int = 1, day: int = 1, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=SHANGHAI)


def federation() -> Organization:
    existing = Organization.objects.filter(category=Organization.Category.FEDERATION).first()
    return existing or OrganizationFactory(
        name="区残疾人联合会", category=Organization.Category.FEDERATION
    )


def opened_round(*, year: int, kind: str = "bidding", opened: bool = True, **kwargs):
    opening = at(year, 3, 1)
    return RoundFactory(
        year=year,
        kind=kind,
        status="final" if opened else "closed",
        published_at=at(year, 1, 5),
        questions_until=at(year, 1, 20),
        submission_deadline=at(year, 2, 28),
        opening_at=opening,
        opened_at=opening if opened else None,
        **kwargs,
    )


def lot(*, year: int, category: str = "rehabilitation", cap="100000", kind="bidding", **kw):
    return LotFactory(
        round=opened_round(year=year, kind=kind, opened=kw.pop("opened", True)),
        project=kw.pop("project", None),
        category=service_category(category),
        cap=Decimal(cap),
        **kw,
    )


def award(
    organization,
    *,
    year: int,
    amount,
    category: str = "rehabilitation",
    cap=None,
    kind: str = "bidding",
    status: str = Award.Status.FINAL,
) -> Award:
    amount = Decimal(str(amount))
    the_lot = lot(year=year, category=category, cap=cap or amount, kind=kind, status="final")
    bid = BidFactory(lot=the_lot, organization=organization, price=amount, status="awarded")
    return AwardFactory(bid=bid, amount=amount, status=status, final_at=at(year, 4, 1))


def bids(the_lot: Lot, statuses: list[str]) -> list[Bid]:
    return [BidFactory(lot=the_lot, status=s, price=the_lot.cap) for s in statuses]


def contract(award_: Award, *, activated_at=None) -> Contract:
    year = award_.lot.round.year
    return Contract.objects.create(
        number=f"HT-{award_.pk:05d}",
        award=award_,
        federation=federation(),
        organization=award_.organization,
        title="服务合同",
        amount=award_.amount,
        start_date=dt.date(year, 5, 1),
        end_date=dt.date(year, 12, 31),
        original_amount=award_.amount,
        original_end_date=dt.date(year, 12, 31),
        data_protection_clause="数据保护条款",
        status=Contract.Status.ACTIVE,
        activated_at=activated_at or at(year, 4, 15),
    )


def tranche(
    the_contract: Contract,
    *,
    order: int,
    amount,
    eligible_at=None,
    paid_on: dt.date | None = None,
    status: str | None = None,
) -> PaymentTranche:
    """A tranche of ``amount``. The contract's tranches are kept as the database
    requires once they are all added (PostgreSQL checks at commit): shares in
    proportion to the amounts, and ``paid_total`` the sum of the paid ones."""
    finance = UserFactory(username="analytics-finance", roles=["finance"])
    paid = paid_on is not None
    made = PaymentTranche.objects.create(
        contract=the_contract,
        order=order,
        share=Decimal("100"),
        amount=Decimal(str(amount)),
        condition="on_signing",
        status=status or ("paid" if paid else "eligible"),
        eligible_at=eligible_at,
        finance_approved_by=finance if paid or status == "approved" else None,
        paid_on=paid_on,
        payment_reference=f"PAY-{order}" if paid else "",
    )
    tranches = list(the_contract.tranches.order_by("order"))
    shares = [(t.amount * 100 / the_contract.amount).quantize(Decimal("0.01")) for t in tranches]
    shares[-1] = Decimal("100") - sum(shares[:-1])
    for t, share in zip(tranches, shares, strict=True):
        PaymentTranche.objects.filter(pk=t.pk).update(share=max(share, Decimal("0.01")))
    Contract.objects.filter(pk=the_contract.pk).update(
        paid_total=sum((t.amount for t in tranches if t.status == "paid"), Decimal("0"))
    )
    return made


def income(organization, *, year: int, amount, kind: str = Credential.Kind.AUDIT_REPORT):
    uploader = UserFactory(username="analytics-uploader")
    return Credential.objects.create(
        organization=organization,
        kind=kind,
        year=year,
        result="passed" if kind == Credential.Kind.ANNUAL_INSPECTION else "",
        annual_income=Decimal(str(amount)),
        file="credentials/report.pdf",
        issued_on=dt.date(year + 1, 3, 1),
        uploaded_by=uploader,
    )


def objection(award_: Award, *, filed_at, answered_at, answer_due):

    notice = Notice.objects.create(
        round=award_.lot.round, published_at=filed_at, ends_at=filed_at + dt.timedelta(days=5)
    )
    return Objection.objects.create(
        notice=notice,
        lot=award_.lot,
        organization=OrganizationFactory(),
        filed_by=UserFactory(),
        filed_at=filed_at,
        grounds="评分不公",
        answer_due=answer_due,
        status="dismissed",
        answer="经复核，维持原结果。",
        answered_at=answered_at,
    )


def now_after(year: int) -> dt.datetime:
    """A refresh time after every round of ``year`` was opened."""
    return max(timezone.now(), at(year, 12, 31))


def report(the_contract: Contract, *, number: int, due: dt.date, submitted_at=None):

    return ProgressReport.objects.create(
        contract=the_contract,
        number=number,
        period_start=due - dt.timedelta(days=30),
        period_end=due - dt.timedelta(days=1),
        due_date=due,
        status="accepted" if submitted_at else "due",
        submitted_at=submitted_at,
        reviewed_at=submitted_at + dt.timedelta(days=2) if submitted_at else None,
    )


def evaluation(the_contract: Contract, *, score, grade: str, decided_at, stage: str = "final"):

    template = Template.objects.first() or Template.objects.create(code="T", name="评估模板")
    return Evaluation.objects.create(
        contract=the_contract,
        stage=stage,
        template=template,
        due_date=decided_at.date(),
        status="approved",
        total_score=Decimal(str(score)),
        grade=grade,
        passed=grade != "failed",
        decided_at=decided_at,
    )


def trained(organization, *, year: int):

    officer = UserFactory(username="analytics-trainer", roles=["officer"])
    programme = TrainingProgramme.objects.create(
        title="社工实务", audience="social_workers", year=year, created_by=officer
    )
    session = TrainingSession.objects.create(
        programme=programme,
        topic="个案管理",
        trainer="王老师",
        starts_at=at(year, 3, 10),
        ends_at=at(year, 3, 10, 16),
        place="区残联",
        capacity=30,
        hours=Decimal("6"),
        status="completed",
    )
    return Registration.objects.create(
        session=session,
        organization=organization,
        participant=UserFactory(),
        status="attended",
        registered_by=officer,
    )


def incubated(organization, *, started: dt.date, graduated: dt.date | None = None):

    return Incubation.objects.create(
        organization=organization,
        mentor_user=UserFactory(),
        plan="孵化计划",
        started_on=started,
        planned_end_on=started + dt.timedelta(days=365),
        ended_on=graduated,
        status="graduated" if graduated else "incubating",
        created_by=UserFactory(username="analytics-incubator", roles=["officer"]),
    )
