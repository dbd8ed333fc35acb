"""Bulk builders of a city's worth of rows for the list benchmarks.

Rows are written with ``bulk_create`` straight into the tables (no services,
no audit events): the benchmarks measure reads, and the services would take
minutes to build what a city accumulates over years. Every row satisfies the
models' constraints, and on PostgreSQL the payment tranches of a contract add
up to its amount (a deferred trigger checks that at commit).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from bidding.models import Award, Bid, Lot, Round
from contracts.models import (
    Contract,
    ContractBudgetLine,
    ContractTarget,
    PaymentTranche,
    ProgressReport,
)
from contracts.scale import contract_row
from organizations.models import Organization, ServiceCategory, Street
from projects.models import CatalogueItem, ProjectTarget, PurchaseProject
from projects.scale import project_row
from tests.factories import UserFactory, valid_code

BATCH = 2000
CATEGORY_CODES = ("rehabilitation", "employment", "day-care", "education")

B = Bid.Status
C = Contract.Status
T = PaymentTranche.Status
R = ProgressReport.Status


def _digest(*parts) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum does in
    a running PostgreSQL (rows inserted in the test's transaction are counted).
    SQLite keeps no statistics unless asked, and a deployment never asks."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@dataclass
class City:
    officer: object
    streets: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    organizations: list = field(default_factory=list)
    federation: Organization | None = None
    catalogue: list = field(default_factory=list)


def city(*, organizations: int, code_base: int = 200_000) -> City:
    """An officer, streets, catalogue items and ``organizations`` verified social organizations."""
    officer = UserFactory(username="bench-officer", roles=["officer"])
    streets = Street.objects.bulk_create(
        Street(code=f"3101{90 + i:02d}900", name=f"基准街道{i}", district="徐汇区")
        for i in range(6)
    )
    categories = list(ServiceCategory.objects.filter(code__in=CATEGORY_CODES))
    now = timezone.now()
    orgs = Organization.objects.bulk_create(
        (
            Organization(
                name=f"基准社会组织{i:05d}",
                credit_code=valid_code(code_base + i),
                legal_representative="张三",
                address=f"上海市徐汇区基准路{i}号",
                street=streets[i % len(streets)],
                contact_name="李四",
                contact_phone="021-64000000",
                status=Organization.Status.VERIFIED,
                verified_at=now,
            )
            for i in range(organizations)
        ),
        batch_size=BATCH,
    )
    federation = Organization.objects.create(
        name="基准区残疾人联合会",
        credit_code=valid_code(code_base - 1),
        category=Organization.Category.FEDERATION,
        legal_representative="王五",
        address="上海市徐汇区",
        contact_name="王五",
        contact_phone="021-64000001",
        status=Organization.Status.VERIFIED,
    )
    year = timezone.localdate().year
    catalogue = CatalogueItem.objects.bulk_create(
        CatalogueItem(
            year=y,
            code=f"BENCH-{c.code}",
            name=f"基准目录{c.name_zh}",
            category=c,
            budget=Decimal("90000000.00"),
        )
        for y in (year - 2, year - 1, year)
        for c in categories
    )
    return City(
        officer=officer,
        streets=streets,
        categories=categories,
        organizations=orgs,
        federation=federation,
        catalogue=catalogue,
    )


def projects(
    c: City, *, count: int, prefix: str = "P-BENCH", targets: int = 2, streets: int = 2
) -> list[PurchaseProject]:
    """Purchase projects over three years (85 % approved), with targets and streets."""
    statuses = [PurchaseProject.Status.APPROVED] * 17 + [
        PurchaseProject.Status.SUBMITTED,
        PurchaseProject.Status.DRAFT,
        PurchaseProject.Status.RETURNED,
    ]
    now = timezone.now()
    rows = PurchaseProject.objects.bulk_create(
        (
            project_row(
                i,
                code=f"{prefix}-{i:06d}",
                title=f"基准购买项目{i}：社区康复与日间照料服务",
                item=item,
                status=status,
                created_by=c.officer,
                submitted_at=now if status != PurchaseProject.Status.DRAFT else None,
                approved_at=now if status == PurchaseProject.Status.APPROVED else None,
                approved_by=c.officer if status == PurchaseProject.Status.APPROVED else None,
            )
            for i in range(count)
            for item, status in [(c.catalogue[i % len(c.catalogue)], statuses[i % len(statuses)])]
        ),
        batch_size=BATCH,
    )
    ProjectTarget.objects.bulk_create(
        (
            ProjectTarget(
                project=p,
                order=k,
                kind="output",
                indicator=f"服务人次{k}",
                target_value=Decimal("1200"),
                unit="人次",
            )
            for p in rows
            for k in range(targets)
        ),
        batch_size=BATCH,
    )
    through = PurchaseProject.streets.through
    through.objects.bulk_create(
        (
            through(purchaseproject_id=p.pk, street_id=c.streets[(i + k) % len(c.streets)].pk)
            for i, p in enumerate(rows)
            for k in range(streets)
        ),
        batch_size=BATCH,
    )
    return rows


def opened_rounds(
    c: City, *, rounds: int, lots_per_round: int, prefix: str = "R-BENCH"
) -> list[Lot]:
    """Bidding rounds whose bids were opened a month ago, with one project per lot."""
    now = timezone.now()
    start = now - timedelta(days=60)
    deadline = start + timedelta(days=25)
    made = Round.objects.bulk_create(
        (
            Round(
                code=f"{prefix}-{i:05d}",
                title=f"基准采购轮次{i}",
                kind=Round.Kind.BIDDING,
                year=start.year,
                status=Round.Status.IN_REVIEW,
                published_at=start,
                questions_until=deadline - timedelta(days=5),
                submission_deadline=deadline,
                opening_at=deadline + timedelta(hours=1),
                closed_at=deadline,
                opened_at=deadline + timedelta(hours=1),
                opened_by=c.officer,
                notice_days=1,
                panel_size=5,
                created_by=c.officer,
            )
            for i in range(rounds)
        ),
        batch_size=BATCH,
    )
    lot_projects = projects(
        c, count=rounds * lots_per_round, prefix=f"{prefix}-P", targets=1, streets=1
    )
    PurchaseProject.objects.filter(pk__in=[p.pk for p in lot_projects]).update(in_round=True)
    return Lot.objects.bulk_create(
        (
            Lot(
                round=r,
                number=n + 1,
                title=f"标段{n + 1}：{p.title[:60]}",
                project=p,
                category=p.category,
                cap=p.budget_ceiling,
                status=Lot.Status.IN_REVIEW,
            )
            for i, r in enumerate(made)
            for n in range(lots_per_round)
            for p in [lot_projects[i * lots_per_round + n]]
        ),
        batch_size=BATCH,
    )


def bids(c: City, lots: list[Lot], *, per_lot: int, statuses=None) -> list[Bid]:
    """``per_lot`` bids on each lot by different organizations (90 % submitted by default)."""
    statuses = statuses or [B.SUBMITTED] * 18 + [B.QUALIFIED, B.WITHDRAWN]
    orgs = c.organizations
    assert per_lot <= len(orgs)
    opened = timezone.now() - timedelta(days=35)
    rows = []
    n = 0
    for i, lot in enumerate(lots):
        for k in range(per_lot):
            status = statuses[n % len(statuses)]
            price = lot.cap - Decimal(1000 * (k + 1))
            rows.append(
                Bid(
                    lot=lot,
                    organization=orgs[(i * per_lot + k) % len(orgs)],
                    status=status,
                    price=price,
                    proposal_title=f"{lot.title[:40]}服务方案",
                    service_plan="入户康复训练、社区康复活动、家属培训。",
                    team="康复师3名，社工2名。",
                    schedule="12个月",
                    digest="" if status == B.WITHDRAWN else _digest(lot.pk, k, price),
                    submitted_at=opened - timedelta(minutes=n % 600),
                    withdrawn_at=opened if status == B.WITHDRAWN else None,
                    created_by=c.officer,
                )
            )
            n += 1
    return Bid.objects.bulk_create(rows, batch_size=BATCH)


def contracts(c: City, *, count: int, reports_per_contract: int = 12) -> list[Contract]:
    """``count`` contracts (60 % completed, 40 % active) from final awards, each with
    three payment tranches and ``reports_per_contract`` monthly progress reports."""
    lots_per_round = 10
    lots = opened_rounds(
        c, rounds=-(-count // lots_per_round), lots_per_round=lots_per_round, prefix="R-CT"
    )[:count]
    winning = bids(c, lots, per_lot=1, statuses=[B.AWARDED])
    now = timezone.now()
    awards = Award.objects.bulk_create(
        (
            Award(
                lot=b.lot,
                bid=b,
                organization=b.organization,
                amount=b.price,
                status=Award.Status.FINAL,
                confirmed_at=now,
                confirmed_by=c.officer,
                final_at=now,
                proposed_by=c.officer,
            )
            for b in winning
        ),
        batch_size=BATCH,
    )
    today = timezone.localdate()
    rows = []
    for i, award in enumerate(awards):
        completed = i % 5 < 3
        start = today - timedelta(days=(400 + i % 60) if completed else (340 + i % 20))
        end = start + timedelta(days=364)
        rows.append(
            contract_row(
                award,
                number=f"HT-BENCH-{i:06d}",
                title=f"基准服务合同{i}：{award.lot.title[:80]}",
                federation=c.federation,
                start_date=start,
                end_date=end,
                status=C.COMPLETED if completed else C.ACTIVE,
                paid_total=award.amount
                if completed
                else (award.amount * Decimal("0.5")).quantize(Decimal("0.01")),
                sent_at=now,
                activated_at=now,
                completed_at=now if completed else None,
                pdf_sha256=_digest("pdf", i),
                created_by=c.officer,
            )
        )
    made = Contract.objects.bulk_create(rows, batch_size=BATCH)
    ContractTarget.objects.bulk_create(
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
        batch_size=BATCH,
    )
    ContractBudgetLine.objects.bulk_create(
        (ContractBudgetLine(contract=k, order=1, item="人员费用", amount=k.amount) for k in made),
        batch_size=BATCH,
    )
    _tranches(c, made)
    _reports(made, reports_per_contract)
    return made


def _tranches(c: City, made: list[Contract]) -> None:
    plan = [
        (Decimal("50"), PaymentTranche.Condition.ON_SIGNING),
        (Decimal("30"), PaymentTranche.Condition.MIDTERM_PASSED),
        (Decimal("20"), PaymentTranche.Condition.FINAL_PASSED),
    ]
    now = timezone.now()
    rows = []
    for k in made:
        first = (k.amount * Decimal("0.5")).quantize(Decimal("0.01"))
        second = (k.amount * Decimal("0.3")).quantize(Decimal("0.01"))
        amounts = [first, second, k.amount - first - second]
        completed = k.status == C.COMPLETED
        for order, ((share, condition), amount) in enumerate(
            zip(plan, amounts, strict=True), start=1
        ):
            paid = completed or order == 1
            status = T.PAID if paid else (T.ELIGIBLE if order == 2 else T.PENDING)
            rows.append(
                PaymentTranche(
                    contract=k,
                    order=order,
                    share=share,
                    amount=amount,
                    condition=condition,
                    status=status,
                    eligible_at=now if status != T.PENDING else None,
                    requested_at=now if paid else None,
                    requested_by=c.officer if paid else None,
                    finance_approved_at=now if paid else None,
                    finance_approved_by=c.officer if paid else None,
                    paid_on=k.start_date + timedelta(days=30 * order) if paid else None,
                    payment_reference=f"PAY-{k.pk}-{order}" if paid else "",
                    paid_recorded_by=c.officer if paid else None,
                )
            )
    PaymentTranche.objects.bulk_create(rows, batch_size=BATCH)


def _reports(made: list[Contract], per_contract: int) -> None:
    """Monthly reports: all accepted on completed contracts; on active ones the
    older accepted, then one submitted, one returned and the rest due."""
    now = timezone.now()
    today = timezone.localdate()

    def status_of(contract: Contract, n: int) -> str:
        if contract.status == C.COMPLETED or n <= per_contract - 4:
            return R.ACCEPTED
        return {per_contract - 3: R.SUBMITTED, per_contract - 2: R.RETURNED}.get(n, R.DUE)

    def rows():
        for k in made:
            for n in range(1, per_contract + 1):
                start = k.start_date + timedelta(days=30 * (n - 1))
                end = start + timedelta(days=29)
                status = status_of(k, n)
                done = status != R.DUE
                yield ProgressReport(
                    contract=k,
                    number=n,
                    period_start=start,
                    period_end=end,
                    due_date=min(end + timedelta(days=10), date(today.year + 1, 12, 31)),
                    status=status,
                    activities="入户康复训练与社区活动。" if done else "",
                    activity_count=12 if done else 0,
                    submitted_at=now if done else None,
                    submission_count=1 if done else 0,
                    reviewed_at=now if status in (R.ACCEPTED, R.RETURNED) else None,
                    review_comments="请补充服务记录。" if status == R.RETURNED else "",
                )

    ProgressReport.objects.bulk_create(rows(), batch_size=BATCH)
