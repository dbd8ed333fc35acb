"""Builders of the demo's purchase history (see ``analytics.demo``)."""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from bidding.models import Award, Bid, Lot, Notice, Objection, Round
from capacity.models import Incubation, Registration, TrainingProgramme, TrainingSession
from contracts.models import Contract, PaymentTranche, ProgressReport, ReportBeneficiaryCount
from evaluation.models import Evaluation, Template
from organizations.credit_code import make_code
from organizations.models import Credential, Membership, Organization, ServiceCategory, User
from projects.models import CatalogueItem, PurchaseProject
from projects.services import project_round_entered
from purchase_portal.parsing import CENT

YEARS = range(2022, 2027)
MARKER = "A-R-2022-B"
TZ = ZoneInfo("Asia/Shanghai")

#: Organizations that appear only in the history (name, street index).
HISTORY_ORGS = [
    ("徐汇区恒爱康复护理服务中心", 0),
    ("上海同行助残社会工作服务社", 3),
    ("徐汇区乐业职业康复服务中心", 6),
    ("上海启明融合教育服务社", 8),
    ("徐汇区邻里守望社区服务中心", 9),
    ("上海彩虹桥文体服务社", 2),
    ("徐汇区暖心心理咨询服务中心", 10),
    ("上海益行辅具服务中心", 4),
    ("徐汇区康桥社区融合服务社", 11),
    ("上海晨光就业援助服务中心", 5),
]
#: Incubated in 2022, graduated in 2023, winning from 2024.
INCUBATEES = [
    ("徐汇区新芽助残服务社", 7),
    ("上海星火残障青年发展中心", 1),
    ("徐汇区同心家园服务社", 12),
]

#: (category, lots per year, kind, concentrated)
PLAN = [
    ("rehabilitation", 3, "bidding", True),
    ("day-care", 1, "bidding", True),
    ("employment", 2, "bidding", False),
    ("education", 1, "bidding", False),
    ("casework", 1, "bidding", False),
    ("assistive-devices", 1, "bidding", False),
    ("community-integration", 2, "venture", False),
    ("culture-sports", 2, "venture", False),
]
#: Median-ish days the federation took to pay an eligible tranche, by year.
PAY_DAYS = {2022: 44, 2023: 36, 2024: 27, 2025: 19, 2026: 13}
SIGN_DAYS = {2022: 21, 2023: 17, 2024: 14, 2025: 10, 2026: 8}


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def _code(n: int) -> str:
    return make_code(f"52310104MJ{7000 + n:07d}")


def _organizations(streets, officer) -> tuple[list, list]:
    existing = list(
        Organization.objects.filter(
            category=Organization.Category.SOCIAL, status=Organization.Status.VERIFIED
        ).order_by("id")
    )
    made = []
    for n, (name, street) in enumerate(HISTORY_ORGS + INCUBATEES):
        org = Organization.objects.filter(
            credit_code=_code(n)
        ).first() or Organization.objects.create(
            name=name,
            credit_code=_code(n),
            legal_representative="刘明",
            address=f"上海市徐汇区{streets[street % len(streets)].name}{n + 1}号",
            street=streets[street % len(streets)],
            contact_name="张敏",
            contact_phone="021-64000000",
            registration_date=date(2021 if n < len(HISTORY_ORGS) else 2022, 1, 15),
            status=Organization.Status.VERIFIED,
            verified_at=_at(date(2022, 1, 20)),
            verified_by=officer,
        )
        made.append(org)
    incubatees = made[len(HISTORY_ORGS) :]
    pool = [o for o in existing if o not in incubatees] + made[: len(HISTORY_ORGS)]
    return pool, incubatees


def _member(org) -> User:
    membership = Membership.objects.filter(organization=org).select_related("user").first()
    if membership:
        return membership.user
    user = User.objects.create(
        username=f"a-staff-{org.pk}", name=f"{org.name[:6]}社工", password=make_password(None)
    )
    Membership.objects.create(organization=org, user=user, role=Membership.Role.ADMIN)
    return user


def _cultivation(incubatees, trained_orgs, officer, mentor_org):
    for n, org in enumerate(incubatees):
        if not Incubation.objects.filter(organization=org).exists():
            Incubation.objects.create(
                organization=org,
                mentor_organization=mentor_org,
                plan="一年孵化：完成登记与制度建设，参与一次公益创投，建立财务规范。",
                started_on=date(2022, 3, 1) + timedelta(days=20 * n),
                planned_end_on=date(2023, 6, 30),
                ended_on=date(2023, 6, 30),
                end_reason="完成孵化计划，具备独立承接项目能力。",
                status=Incubation.Status.GRADUATED,
                created_by=officer,
            )
    for year in (2022, 2023, 2024, 2025):
        programme = TrainingProgramme.objects.create(
            title=f"{year}年助残社会工作者能力提升班",
            audience="social_workers",
            year=year,
            created_by=officer,
        )
        start = _at(date(year, 4, 12), 9)
        session = TrainingSession.objects.create(
            programme=programme,
            topic="项目设计与绩效目标",
            trainer="华东理工大学社会工作系",
            starts_at=start,
            ends_at=start + timedelta(hours=6),
            place="区残联三楼培训室",
            capacity=40,
            hours=Decimal("6"),
            status=TrainingSession.Status.COMPLETED,
            completed_at=start + timedelta(hours=7),
        )
        people = {}
        for org in trained_orgs[year - 2022 :: 2] + incubatees:
            people.setdefault(_member(org).pk, org)
        Registration.objects.bulk_create(
            Registration(
                session=session,
                organization=org,
                participant_id=person,
                status=Registration.Status.ATTENDED,
                registered_by=officer,
            )
            for person, org in people.items()
        )


def _digest(*parts) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def build_history(officer, approver, finance, federation, streets):
    rng = random.Random(2022)
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    pool, incubatees = _organizations(streets, officer)
    by_category = {}
    for i, (code, _lots, _kind, _conc) in enumerate(PLAN):
        preferred = [o for o in pool if categories[code] in o.service_categories.all()]
        others = [o for j, o in enumerate(pool) if (i + j) % 3 == 0 and o not in preferred]
        by_category[code] = preferred + others
    dominant = {code: by_category[code][: 1 if code == "day-care" else 2] for code, *_ in PLAN}
    members = {o.pk: _member(o) for o in pool + incubatees}
    _cultivation(incubatees, pool[::3], officer, pool[0])
    template = Template.objects.order_by("id").first()
    pdf = default_storage.save(
        "credentials/demo-audit-report.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n")
    )
    # Federation dependency of each organization: a few almost wholly dependent.
    dependency = {o.pk: Decimal(str(rng.choice([0.12, 0.2, 0.3, 0.38, 0.45]))) for o in pool}
    for o in pool[:3]:
        dependency[o.pk] = Decimal("0.88")
    for o in pool[3:6]:
        dependency[o.pk] = Decimal("0.62")
    silent = {pool[-1].pk, pool[-2].pk}  # never report an income
    paid_by_org_year: dict[tuple[int, int], Decimal] = {}
    contract_no = 0
    today = timezone.localdate()
    for year in YEARS:
        competitors = {
            code: orgs + (incubatees if year >= 2024 and not conc else [])
            for (code, _l, _k, conc), orgs in zip(PLAN, by_category.values(), strict=True)
        }
        rounds = {}
        for kind in ("bidding", "venture"):
            published = date(year, 1, 21 if (kind == "bidding" and year == 2022) else 10)
            deadline = date(year, 2, 5)
            rounds[kind] = Round.objects.create(
                code=f"A-R-{year}-{'B' if kind == 'bidding' else 'V'}",
                title=f"{year}年度{'助残服务项目公开招标' if kind == 'bidding' else '助残公益创投'}",
                kind=kind,
                year=year,
                status=Round.Status.FINAL,
                published_at=_at(published),
                questions_until=_at(deadline - timedelta(days=5)),
                submission_deadline=_at(deadline, 17),
                opening_at=_at(deadline + timedelta(days=1), 9),
                closed_at=_at(deadline, 17),
                opened_at=_at(deadline + timedelta(days=1), 9),
                opened_by=officer,
                notice_days=1 if kind == "bidding" else 15,
                min_submission_days=20 if kind == "bidding" else 15,
                panel_size=5 if kind == "bidding" else 3,
                venture_cap=Decimal("150000") if kind == "venture" else None,
                created_by=officer,
            )
        number = {"bidding": 0, "venture": 0}
        for code, lots, kind, concentrated in PLAN:
            category = categories[code]
            for n in range(lots):
                number[kind] += 1
                cap = (
                    Decimal(rng.choice([180000, 240000, 300000, 360000]))
                    if kind == "bidding"
                    else Decimal("150000")
                )
                project = None
                if kind == "bidding":
                    item, _ = CatalogueItem.objects.get_or_create(
                        year=year,
                        code=f"A{year}-{code[:12]}",
                        defaults={
                            "name": f"{year}年{category.name_zh}服务",
                            "category": category,
                            "budget": cap * lots * Decimal("1.2"),
                        },
                    )
                    project = PurchaseProject.objects.create(
                        code=f"A-P-{year}-{code[:12]}-{n + 1}",
                        title=f"{year}年{category.name_zh}服务项目（{n + 1}）",
                        year=year,
                        catalogue_item=item,
                        category=category,
                        need="辖区残疾人服务需求调查显示的缺口。",
                        target_disability_categories=["4", "5"],
                        target_grades=["1", "2"],
                        planned_beneficiaries=rng.choice([80, 120, 150, 200]),
                        budget_ceiling=cap,
                        duration_months=12,
                        status=PurchaseProject.Status.APPROVED,
                        created_by=officer,
                        approved_by=approver,
                        approved_at=_at(date(year - 1, 12, 10)),
                    )
                    project.streets.set(rng.sample(streets, 2))
                failed = (
                    not concentrated
                    and kind == "bidding"
                    and n == 0
                    and year in (2023, 2025)
                    and code == "employment"
                )
                max_awards = 2 if kind == "venture" else 1
                lot = Lot.objects.create(
                    round=rounds[kind],
                    number=number[kind],
                    title=f"{category.name_zh}{n + 1}",
                    project=project,
                    category=category,
                    cap=cap,
                    max_awards=max_awards,
                    status=Lot.Status.FAILED if failed else Lot.Status.FINAL,
                    status_reason="合格投标人不足三家" if failed else "",
                )
                if project is not None and not failed:
                    project_round_entered(project_id=project.pk)
                if concentrated:
                    bidders = dominant[code] + rng.sample(
                        competitors[code][len(dominant[code]) :], 0 if code == "day-care" else 1
                    )
                else:
                    bidders = rng.sample(
                        competitors[code],
                        min(
                            len(competitors[code]),
                            rng.choice([2, 4, 5, 6]) if failed is False else 2,
                        ),
                    )
                if failed:
                    bidders = bidders[:2]
                if concentrated:
                    winners = [bidders[0] if rng.random() < 0.8 else bidders[-1]]
                else:
                    newcomers = [b for b in bidders if b in incubatees]
                    winners = (
                        (newcomers[:1] + [b for b in bidders if b not in newcomers])[:max_awards]
                        if newcomers and rng.random() < 0.6
                        else rng.sample(bidders, min(max_awards, len(bidders)))
                    )
                if failed:
                    winners = []
                for rank, org in enumerate(bidders, start=1):
                    won = org in winners
                    price = (cap * Decimal(str(rng.uniform(0.86, 0.99)))).quantize(Decimal("100"))
                    status = (
                        Bid.Status.AWARDED
                        if won
                        else (
                            Bid.Status.DISQUALIFIED
                            if failed and rank == 2
                            else Bid.Status.NOT_AWARDED
                        )
                    )
                    bid = Bid.objects.create(
                        lot=lot,
                        organization=org,
                        status=status,
                        price=price,
                        proposal_title=f"{org.name[:8]}{category.name_zh}项目"
                        if kind == "venture"
                        else "",
                        service_plan="服务方案：需求评估、个案服务、小组活动、社区宣传。",
                        team="项目负责人1名，社工3名，志愿者若干。",
                        digest=_digest(lot.pk, org.pk, price),
                        submitted_at=_at(date(year, 2, 3), 15),
                        disqualification_reason="资格审查：年检结论缺失"
                        if status == Bid.Status.DISQUALIFIED
                        else "",
                        created_by=members[org.pk],
                    )
                    if not won:
                        continue
                    final_at = _at(date(year, 3, 20))
                    award = Award.objects.create(
                        lot=lot,
                        bid=bid,
                        organization=org,
                        amount=price,
                        rank=1,
                        score=Decimal(str(round(rng.uniform(78, 93), 2))),
                        status=Award.Status.FINAL,
                        confirmed_at=_at(date(year, 3, 5)),
                        confirmed_by=approver,
                        final_at=final_at,
                        proposed_by=officer,
                    )
                    contract_no += 1
                    paid = _contract(
                        rng,
                        year,
                        contract_no,
                        award,
                        project,
                        federation,
                        officer,
                        finance,
                        streets,
                        template,
                        today,
                    )
                    for paid_year, amount in paid.items():
                        key = (org.pk, paid_year)
                        paid_by_org_year[key] = paid_by_org_year.get(key, Decimal("0")) + amount
                if kind == "bidding" and n == 0 and len(bidders) > 1 and winners:
                    notice = Notice.objects.create(
                        round=rounds[kind],
                        published_at=_at(date(year, 3, 6)),
                        ends_at=_at(date(year, 3, 7)),
                        status=Notice.Status.ENDED,
                        ended_at=_at(date(year, 3, 7)),
                        published_by=officer,
                    )
                    filed = _at(date(year, 3, 7), 11)
                    answer_days = 11 if year == 2022 else rng.choice([3, 4, 6])
                    Objection.objects.create(
                        notice=notice,
                        lot=lot,
                        organization=bidders[1],
                        filed_by=members[bidders[1].pk],
                        filed_at=filed,
                        grounds="对技术评分有异议。",
                        answer_due=filed + timedelta(days=9),
                        status=Objection.Status.DISMISSED,
                        answer="经复核，评分符合评分细则，维持原结果。",
                        answered_at=filed + timedelta(days=answer_days),
                        answered_by=officer,
                    )
    # Incomes: audit reports for 2022–2025 (2026's are filed next year).
    uploader = officer
    for (org_id, year), paid in paid_by_org_year.items():
        if org_id in silent or year >= 2026 or org_id not in dependency:
            continue
        share = dependency[org_id] + Decimal(str(rng.uniform(-0.05, 0.05)))
        Credential.objects.create(
            organization_id=org_id,
            kind=Credential.Kind.AUDIT_REPORT,
            year=year,
            annual_income=(paid / share).quantize(CENT),
            file=pdf,
            original_name="年度审计报告.pdf",
            content_type="application/pdf",
            size=15,
            issued_on=date(year + 1, 3, 31),
            uploaded_by=uploader,
        )
    for org in incubatees:
        for year in (2024, 2025):
            paid = paid_by_org_year.get((org.pk, year))
            if paid:
                Credential.objects.create(
                    organization=org,
                    kind=Credential.Kind.AUDIT_REPORT,
                    year=year,
                    annual_income=(paid / Decimal("0.45")).quantize(CENT),
                    file=pdf,
                    original_name="年度审计报告.pdf",
                    content_type="application/pdf",
                    size=15,
                    issued_on=date(year + 1, 3, 31),
                    uploaded_by=uploader,
                )


def _contract(rng, year, n, award, project, federation, officer, finance, streets, template, today):
    """A contract with its tranches, reports and evaluation; returns paid amounts by year."""
    activated = date(year, 3, 20) + timedelta(days=SIGN_DAYS[year] + rng.randint(-3, 4))
    end = date(year, 12, 31)
    running = end >= today
    amount = award.amount
    shares = [Decimal("50"), Decimal("30"), Decimal("20")]
    amounts = [(amount * s / 100).quantize(CENT) for s in shares[:2]]
    amounts.append(amount - sum(amounts))
    eligible = [activated, date(year, 7, 15), date(year + 1, 1, 15)]
    conditions = ["on_signing", "midterm_passed", "final_passed"]
    tranches, paid_total, paid_by_year = [], Decimal("0"), {}
    for i in range(3):
        wait = max(2, PAY_DAYS[year] + rng.randint(-10, 14))
        paid_on = eligible[i] + timedelta(days=wait)
        unpaid = paid_on > today or (running and i == 1 and n % 4 == 0)
        status = (
            PaymentTranche.Status.PENDING
            if eligible[i] > today
            else (PaymentTranche.Status.ELIGIBLE if unpaid else PaymentTranche.Status.PAID)
        )
        if status == PaymentTranche.Status.PAID:
            paid_total += amounts[i]
            paid_by_year[paid_on.year] = paid_by_year.get(paid_on.year, Decimal("0")) + amounts[i]
        tranches.append(
            PaymentTranche(
                order=i + 1,
                share=shares[i],
                amount=amounts[i],
                condition=conditions[i],
                status=status,
                eligible_at=_at(eligible[i]) if status != PaymentTranche.Status.PENDING else None,
                requested_at=_at(eligible[i] + timedelta(days=1))
                if status == PaymentTranche.Status.PAID
                else None,
                finance_approved_at=_at(paid_on - timedelta(days=1))
                if status == PaymentTranche.Status.PAID
                else None,
                finance_approved_by=finance if status == PaymentTranche.Status.PAID else None,
                paid_on=paid_on if status == PaymentTranche.Status.PAID else None,
                payment_reference=f"ZF{year}{n:04d}{i + 1}"
                if status == PaymentTranche.Status.PAID
                else "",
                paid_recorded_by=finance if status == PaymentTranche.Status.PAID else None,
            )
        )
    contract = Contract.objects.create(
        number=f"A-HT-{year}-{n:03d}",
        award=award,
        project=project,
        federation=federation,
        organization=award.organization,
        title=award.lot.title + "服务合同",
        amount=amount,
        start_date=activated,
        end_date=end,
        original_amount=amount,
        original_end_date=end,
        data_protection_clause="乙方仅以汇总形式报告服务对象信息，不得泄露个人信息。",
        status=Contract.Status.ACTIVE if running else Contract.Status.COMPLETED,
        paid_total=paid_total,
        sent_at=_at(activated - timedelta(days=3)),
        activated_at=_at(activated, 15),
        completed_at=None if running else _at(date(year + 1, 1, 20)),
        created_by=officer,
    )
    for t in tranches:
        t.contract = contract
    PaymentTranche.objects.bulk_create(tranches)
    late_prone = award.organization_id % 5 == 0
    reports = []
    for q, due in enumerate(
        [date(year, 4, 10), date(year, 7, 10), date(year, 10, 10), date(year + 1, 1, 10)], start=1
    ):
        submitted = None
        if due <= today:
            delay = rng.randint(1, 12) if late_prone and rng.random() < 0.6 else -rng.randint(0, 6)
            submitted = _at(due + timedelta(days=delay), 16)
        reports.append(
            ProgressReport(
                contract=contract,
                number=q,
                period_start=due - timedelta(days=100),
                period_end=due - timedelta(days=10),
                due_date=due,
                status=ProgressReport.Status.ACCEPTED if submitted else ProgressReport.Status.DUE,
                activities="个案服务、小组活动与社区宣传。" if submitted else "",
                activity_count=rng.randint(6, 20) if submitted else 0,
                submitted_at=submitted,
                submitted_by=None,
                submission_count=1 if submitted else 0,
                reviewed_at=submitted + timedelta(days=rng.randint(2, 9)) if submitted else None,
                reviewed_by=officer if submitted else None,
            )
        )
    reports = ProgressReport.objects.bulk_create(reports)
    ReportBeneficiaryCount.objects.bulk_create(
        ReportBeneficiaryCount(
            report=r, disability_category=cat, street=street, count=rng.randint(8, 40)
        )
        for r in reports
        if r.submitted_at
        for cat, street in zip(
            rng.sample(["1", "2", "4", "5", "6"], 2), rng.sample(streets, 2), strict=True
        )
    )
    if template is not None:
        stage = "midterm" if running else "final"
        decided = date(year, 9, 20) if running else date(year + 1, 1, 10)
        score = Decimal(str(round(rng.uniform(62, 96) - (8 if late_prone else 0), 1)))
        grade = (
            "excellent"
            if score >= 90
            else "good"
            if score >= 75
            else "qualified"
            if score >= 60
            else "failed"
        )
        if decided <= today:
            Evaluation.objects.create(
                contract=contract,
                stage=stage,
                template=template,
                due_date=decided,
                status=Evaluation.Status.APPROVED,
                total_score=score,
                grade=grade,
                passed=grade != "failed",
                decided_at=_at(decided),
                decided_by=officer,
                submitted_at=_at(decided - timedelta(days=5)),
            )
    return paid_by_year
