"""Demo data for contracts: contracts in every state from the final awards,
with reports due, submitted, accepted and overdue, a site visit with an open
rectification, and paid and pending tranches. Idempotent: every step looks at
the current state first and goes through the services.

Contracts come from final awards through the ``award.final`` subscriber. When
the bidding demo leaves fewer final awards than needed, a small demo round
with final awards is written with the bidding models (there is no bidding
service that makes an award final outside a whole round's review).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bidding.models import Award, Bid, BidBudgetLine, BidTarget, Lot, Round, TranchePlanItem
from organizations.models import Membership, Organization, User
from projects.services import project_round_entered
from purchase_portal.roles import forget_cached

from . import services
from .models import Contract, ContractSignature, PaymentTranche, ProgressReport
from .services.common import add_months

WANTED = ["active", "draft", "awaiting_signatures", "completed", "terminated"]
DEMO_ROUND = "R-DEMO-HT"


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _org_admin(org: Organization, password: str) -> User:
    membership = (
        Membership.objects.filter(organization=org, role=Membership.Role.ADMIN)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if membership is not None:
        return membership.user
    user = _user(f"org{org.pk}admin")
    if user is None:
        user = User(
            username=f"org{org.pk}admin", name="演示管理员", email=f"org{org.pk}@example.org"
        )
        user.set_password(password)
        user.save()
    Membership.objects.get_or_create(
        organization=org, user=user, defaults={"role": Membership.Role.ADMIN}
    )
    forget_cached(user, "_portal_memberships")
    return user


def demo_final_round(*, code: str, title: str, kind: str, officer, days_ago: int) -> Round:
    """A demo round closed ``days_ago`` days ago with the usual tranche plan (50/30/20 %)."""
    round_ = Round.objects.filter(code=code).first()
    if round_ is not None:
        return round_
    now = timezone.now()
    round_ = Round.objects.create(
        code=code,
        title=title,
        kind=kind,
        year=timezone.localdate().year,
        status=Round.Status.FINAL,
        published_at=now - dt.timedelta(days=days_ago + 25),
        questions_until=now - dt.timedelta(days=days_ago + 15),
        submission_deadline=now - dt.timedelta(days=days_ago),
        opening_at=now - dt.timedelta(days=days_ago),
        opened_at=now - dt.timedelta(days=days_ago) + dt.timedelta(minutes=10),
        created_by=officer,
    )
    for order, share, condition in (
        (1, "50", TranchePlanItem.Condition.ON_SIGNING),
        (2, "30", TranchePlanItem.Condition.MIDTERM_PASSED),
        (3, "20", TranchePlanItem.Condition.FINAL_PASSED),
    ):
        TranchePlanItem.objects.create(
            round=round_, order=order, share=Decimal(share), condition=condition
        )
    return round_


def demo_awarded_lot(
    *,
    round_: Round,
    number: int,
    project,
    organization: Organization,
    officer,
    price_share: Decimal,
    service_plan: str,
    team: str,
    submitted_days_ago: int,
    final_days_ago: int,
    targets: list[tuple[str, str, Decimal, str]],
    activity_item: str = "活动费用",
) -> None:
    """A lot of a demo round with an awarded bid, its final award and the contract draft.

    ``targets`` are (kind, indicator, target value, unit). Nothing is added when
    the lot already has an award, so seeding twice changes nothing.
    """
    lot, _ = Lot.objects.get_or_create(
        round=round_,
        number=number,
        defaults={
            "title": project.title,
            "project": project,
            "category": project.category,
            "cap": project.budget_ceiling,
            "status": Lot.Status.FINAL,
        },
    )
    project_round_entered(project_id=project.pk)
    if lot.awards.exists():
        return
    price = (project.budget_ceiling * price_share).quantize(Decimal("0.01"))
    bid = Bid.objects.create(
        lot=lot,
        organization=organization,
        status=Bid.Status.AWARDED,
        price=price,
        service_plan=service_plan,
        team=team,
        submitted_at=timezone.now() - dt.timedelta(days=submitted_days_ago),
        created_by=officer,
    )
    BidBudgetLine.objects.create(bid=bid, order=1, item="人员费用", amount=price * Decimal("0.6"))
    BidBudgetLine.objects.create(
        bid=bid, order=2, item=activity_item, amount=price * Decimal("0.4")
    )
    for order, (kind, indicator, value, unit) in enumerate(targets, start=1):
        BidTarget.objects.create(
            bid=bid, order=order, kind=kind, indicator=indicator, target_value=value, unit=unit
        )
    award = Award.objects.create(
        lot=lot,
        bid=bid,
        organization=organization,
        amount=price,
        status=Award.Status.FINAL,
        final_at=timezone.now() - dt.timedelta(days=final_days_ago),
    )
    services.contract_create_from_award(award=award)


def _demo_awards(context, needed: int) -> None:
    """Final awards of a small demo round, for when the bidding demo has too few."""
    projects = context.get("approved_projects") or []
    orgs = context.get("social_orgs") or list(
        Organization.objects.filter(category=Organization.Category.SOCIAL)[:5]
    )
    officer = context.get("officer") or _user("officer")
    if not projects or not orgs or officer is None:
        return
    round_ = demo_final_round(
        code=DEMO_ROUND,
        title="2026年度助残服务项目采购（合同演示）",
        kind=Round.Kind.BIDDING,
        officer=officer,
        days_ago=35,
    )
    for i in range(needed):
        demo_awarded_lot(
            round_=round_,
            number=i + 1,
            project=projects[i % len(projects)],
            organization=orgs[i % min(len(orgs), 2)] if i < 2 else orgs[i % len(orgs)],
            officer=officer,
            price_share=Decimal("0.92"),
            service_plan="按月开展服务，建立服务台账。",
            team="项目主管1名、社工3名",
            submitted_days_ago=40,
            final_days_ago=20,
            targets=[
                ("output", "服务人次", Decimal("1200"), "人次"),
                ("satisfaction", "服务对象满意度", Decimal("90"), "%"),
            ],
            activity_item="活动及物料费用",
        )


def _send(contract, officer, start, frequency="monthly") -> None:
    if contract.status != Contract.Status.DRAFT:
        return
    services.contract_update(
        contract=contract,
        user=officer,
        data={
            "start_date": start,
            # Never longer than the project (12 months, 36 for recurring services).
            "end_date": add_months(
                start, contract.project.duration_months if contract.project_id else 12
            )
            - dt.timedelta(days=1),
            "deliverables": "1. 每月开展康复训练、个案服务和社区活动；\n"
            "2. 建立服务台账，按期提交进度报告；\n3. 全年服务不少于 1200 人次。",
            "report_frequency": frequency,
        },
    )
    services.contract_send_for_signature(contract=contract, user=officer)


def _sign(contract, user, side) -> None:
    contract.refresh_from_db()
    if contract.status != Contract.Status.AWAITING_SIGNATURES:
        return
    if contract.signatures.filter(amendment__isnull=True, side=side).exists():
        return
    services.contract_sign(contract=contract, user=user, side=side)


def _activate(contract, officer, approver, admin, start) -> None:
    _send(contract, officer, start)
    _sign(contract, admin, ContractSignature.Side.ORGANIZATION)
    _sign(contract, approver, ContractSignature.Side.FEDERATION)
    contract.refresh_from_db()


def _pay_first(contract, admin, finance) -> None:
    tranche = contract.tranches.get(order=1)
    if tranche.status == PaymentTranche.Status.ELIGIBLE:
        services.tranche_request(tranche=tranche, user=admin)
        tranche.refresh_from_db()
    if tranche.status == PaymentTranche.Status.REQUESTED:
        services.tranche_approve(tranche=tranche, user=finance)
        tranche.refresh_from_db()
        if tranche.status == PaymentTranche.Status.REQUESTED:
            services.tranche_approve(tranche=tranche, user=_user("approver"))
            tranche.refresh_from_db()
    if tranche.status == PaymentTranche.Status.APPROVED:
        # Finance approved the tranche; the cashier records the payment.
        services.tranche_pay(
            tranche=tranche,
            user=_user("cashier"),
            paid_on=contract.start_date + dt.timedelta(days=15)
            if contract.start_date + dt.timedelta(days=15) <= timezone.localdate()
            else timezone.localdate(),
            reference=f"XH-{contract.number}-1",
        )


def _supervise(contract, officer, admin, streets) -> None:
    """Reports accepted, submitted, overdue and due; a visit with an open rectification."""
    reports = list(contract.reports.order_by("number"))
    target = contract.targets.order_by("order").first()
    line = contract.budget_lines.order_by("order").first()

    def content(n):
        return {
            "activities": f"第{n}期：开展康复训练 {8 + n} 次、社区融合活动 2 次。",
            "activity_count": 10 + n,
            "beneficiaries": [
                {"disability_category": "4", "street": streets[0].pk, "count": 20 + n},
                {"disability_category": "5", "street": streets[0].pk, "count": 6 + n},
                {"disability_category": "6", "street": streets[1 % len(streets)].pk, "count": 4},
            ],
            "outputs": [{"target": target.pk, "achieved_value": Decimal(90 + 5 * n)}]
            if target
            else [],
            "spending": [{"budget_line": line.pk, "amount": Decimal("8000.00")}] if line else [],
        }

    for report, final in zip(
        reports[:2], (ProgressReport.Status.ACCEPTED, ProgressReport.Status.SUBMITTED), strict=False
    ):
        if report.status == ProgressReport.Status.DUE:
            services.report_submit(report=report, user=admin, data=content(report.number))
            report.refresh_from_db()
        if (
            final == ProgressReport.Status.ACCEPTED
            and report.status == ProgressReport.Status.SUBMITTED
        ):
            services.report_accept(report=report, user=officer)
    if not contract.site_visits.exists():
        today = timezone.localdate()
        services.site_visit_create(
            contract=contract,
            user=officer,
            visit_date=today - dt.timedelta(days=5),
            findings="服务场地整洁，活动按计划开展；个别服务台账缺少服务对象签字。",
            rating="satisfactory",
            rectifications=[
                {
                    "description": "补齐服务台账中缺少的签字记录",
                    "deadline": today + dt.timedelta(days=10),
                }
            ],
        )


@transaction.atomic
def seed(context):
    password = context.get("password", "portal-demo")
    officer, approver, finance = _user("officer"), _user("approver"), _user("finance")
    if not (officer and approver and finance):
        return
    services.contract_create_missing()
    if Contract.objects.count() < len(WANTED):
        _demo_awards(context, len(WANTED) - Contract.objects.count())
    contracts = list(Contract.objects.select_related("organization").order_by("id")[: len(WANTED)])
    streets = context.get("streets") or []
    if not streets:
        from organizations.models import Street

        streets = list(Street.objects.order_by("code")[:2])
    today = timezone.localdate()
    for contract, state in zip(contracts, WANTED, strict=False):
        admin = _org_admin(contract.organization, password)
        if state == "draft":
            continue
        if state == "awaiting_signatures":
            _send(contract, officer, today)
            _sign(contract, admin, ContractSignature.Side.ORGANIZATION)
            continue
        start = add_months(today, -4) if state == "active" else add_months(today, -11)
        _activate(contract, officer, approver, admin, start)
        if contract.status == Contract.Status.ACTIVE:
            _pay_first(contract, admin, finance)
        if state == "active" and contract.status == Contract.Status.ACTIVE:
            _supervise(contract, officer, admin, streets)
            midterm = contract.tranches.filter(
                condition=PaymentTranche.Condition.MIDTERM_PASSED
            ).first()
            if midterm is not None and midterm.status == PaymentTranche.Status.PENDING:
                services.tranche_release_for_evaluation(
                    contract=contract, stage="midterm", passed=True, user=approver
                )
                services.tranche_request(tranche=midterm, user=admin)
        elif state == "completed" and contract.status == Contract.Status.ACTIVE:
            services.contract_complete(contract=contract, user=officer)
        elif state == "terminated" and contract.status == Contract.Status.ACTIVE:
            services.contract_terminate(
                contract=contract,
                user=officer,
                reason="服务机构主要人员变动，无法继续履约，经双方协商解除合同。",
            )
    users = context.setdefault("users", [])
    users.append(("finance", "财务：审批和登记合同付款 (contracts)"))
