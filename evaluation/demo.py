"""Demo data for evaluation: two templates; three contracts of a demo round
evaluated with the second one (an approved passing mid-term with its PDF and
eligible tranche, an approved failing one with its blocked tranche and the
organization's response, one in progress assigned to ``evaluator``); a final
evaluation on the completed contract; the year's annual report.

Runs after the contracts demo. Idempotent: each step looks at the current
state first, and every change goes through the services. The demo round's
final awards are written with the bidding models, as the contracts demo does
(no bidding service makes an award final outside a whole round's review).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from bidding.models import Award, Bid, BidBudgetLine, BidTarget, Lot, Round, TranchePlanItem
from contracts import services as contract_services
from contracts.models import Contract, ContractSignature
from contracts.services.common import add_months
from organizations.models import Membership, Organization, User
from projects.services import project_round_entered

from . import services
from .models import AnnualReport, Evaluation, Indicator, Template

DEMO_ROUND = "R-DEMO-PG"
VENTURE_TEMPLATE = {
    "code": "venture",
    "name": "公益创投项目绩效评估指标",
    "description": "公益创投项目：项目管理 25 分、服务成效 35 分、财务管理 20 分、满意度 20 分。",
    "pass_line": "60",
    "good_from": "75",
    "excellent_from": "90",
    "overdue_report_fails": True,
    "indicators": [
        {
            "code": "1",
            "name": "项目管理",
            "max_points": "25",
            "children": [
                {"code": "1.1", "name": "团队与制度", "max_points": "10"},
                {"code": "1.2", "name": "志愿者与社区资源动员", "max_points": "8"},
                {
                    "code": "1.3",
                    "name": "进度报告按时提交",
                    "max_points": "7",
                    "fails_on_overdue_report": True,
                },
            ],
        },
        {
            "code": "2",
            "name": "服务成效",
            "max_points": "35",
            "children": [
                {"code": "2.1", "name": "产出指标完成情况", "max_points": "20"},
                {"code": "2.2", "name": "创新性与可持续性", "max_points": "15"},
            ],
        },
        {
            "code": "3",
            "name": "财务管理",
            "max_points": "20",
            "children": [{"code": "3.1", "name": "预算执行与资金使用", "max_points": "20"}],
        },
        {
            "code": "4",
            "name": "服务对象满意度",
            "max_points": "20",
            "children": [
                {
                    "code": "4.1",
                    "name": "满意度调查",
                    "max_points": "20",
                    "source": Indicator.Source.SATISFACTION,
                }
            ],
        },
    ],
}
SURVEY = {
    "pass": (48, 30, 4, 2, 84),
    "fail": (10, 20, 15, 15, 60),
    "final": (40, 25, 3, 2, 70),
}


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _templates(officer) -> Template:
    services.default_template()
    venture = Template.objects.filter(code="venture").order_by("-version").first()
    if venture is None:
        venture = services.template_create(user=officer, data=VENTURE_TEMPLATE)
    return venture


def _round(context, officer, template) -> list[Contract]:
    """Three contracts of a small demo round that chose ``template``."""
    projects = context.get("approved_projects") or []
    orgs = context.get("social_orgs") or list(
        Organization.objects.filter(category=Organization.Category.SOCIAL)[:3]
    )
    round_ = Round.objects.filter(code=DEMO_ROUND).first()
    if round_ is None:
        if not projects or not orgs:
            return []
        now = timezone.now()
        round_ = Round.objects.create(
            code=DEMO_ROUND,
            title="2026年度公益创投项目（评估演示）",
            kind=Round.Kind.VENTURE,
            year=timezone.localdate().year,
            status=Round.Status.FINAL,
            published_at=now - dt.timedelta(days=260),
            questions_until=now - dt.timedelta(days=250),
            submission_deadline=now - dt.timedelta(days=240),
            opening_at=now - dt.timedelta(days=240),
            opened_at=now - dt.timedelta(days=240) + dt.timedelta(minutes=10),
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
    services.round_choose_template(round=round_, template=template, user=officer)
    for i in range(3):
        if not projects or not orgs:
            break
        project = projects[i % len(projects)]
        org = orgs[i % len(orgs)]
        lot, _ = Lot.objects.get_or_create(
            round=round_,
            number=i + 1,
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
            continue
        price = (project.budget_ceiling * Decimal("0.9")).quantize(Decimal("0.01"))
        bid = Bid.objects.create(
            lot=lot,
            organization=org,
            status=Bid.Status.AWARDED,
            price=price,
            service_plan="开展康复训练、社区融合活动和个案服务。",
            team="项目主管1名、社工2名、康复师1名",
            submitted_at=timezone.now() - dt.timedelta(days=245),
            created_by=officer,
        )
        BidBudgetLine.objects.create(
            bid=bid, order=1, item="人员费用", amount=price * Decimal("0.6")
        )
        BidBudgetLine.objects.create(
            bid=bid, order=2, item="活动费用", amount=price * Decimal("0.4")
        )
        BidTarget.objects.create(
            bid=bid, order=1, kind="output", indicator="服务人次", target_value=800, unit="人次"
        )
        award = Award.objects.create(
            lot=lot,
            bid=bid,
            organization=org,
            amount=price,
            status=Award.Status.FINAL,
            final_at=timezone.now() - dt.timedelta(days=230),
        )
        contract_services.contract_create_from_award(award=award)
    return list(
        Contract.objects.filter(award__lot__round=round_)
        .select_related("organization")
        .order_by("award__lot__number")
    )


def _org_admin(org: Organization) -> User | None:
    membership = (
        Membership.objects.filter(organization=org, role=Membership.Role.ADMIN)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return membership.user if membership else None


def _activate(contract: Contract, officer, approver, admin) -> None:
    if contract.status == Contract.Status.DRAFT:
        start = add_months(timezone.localdate(), -7)
        contract_services.contract_update(
            contract=contract,
            user=officer,
            data={
                "start_date": start,
                "end_date": add_months(start, 12) - dt.timedelta(days=1),
                "deliverables": "全年服务不少于 800 人次，建立服务台账。",
                "report_frequency": "quarterly",
            },
        )
        contract_services.contract_send_for_signature(contract=contract, user=officer)
    for user, side in (
        (admin, ContractSignature.Side.ORGANIZATION),
        (approver, ContractSignature.Side.FEDERATION),
    ):
        contract.refresh_from_db()
        if (
            contract.status == Contract.Status.AWAITING_SIGNATURES
            and not contract.signatures.filter(amendment__isnull=True, side=side).exists()
        ):
            contract_services.contract_sign(contract=contract, user=user, side=side)
    contract.refresh_from_db()


def _evaluate(evaluation: Evaluation, *, officer, evaluator, firm, fraction, survey, upto):
    """Take the evaluation as far as ``upto`` (in_progress, submitted, approved)."""
    evaluation.refresh_from_db()
    if evaluation.status == Evaluation.Status.PLANNED:
        if evaluation.evaluator_organization_id is None:
            services.evaluation_assign(
                evaluation=evaluation, user=officer, evaluator_organization=firm
            )
        services.evaluation_start(evaluation=evaluation, user=evaluator)
    if evaluation.status == Evaluation.Status.IN_PROGRESS and not evaluation.scores.exists():
        leaves = services.work.leaves(evaluation.template)
        very, satisfied, neutral, unhappy, sample = survey
        services.evaluation_save(
            evaluation=evaluation,
            user=evaluator,
            data={
                "scores": [
                    {
                        "indicator": leaf.pk,
                        "score": str((leaf.max_points * fraction).quantize(Decimal("0.5"))),
                        "comment": "查阅服务台账和活动记录，抽样回访服务对象。",
                    }
                    for leaf in leaves
                    if leaf.source == Indicator.Source.MANUAL
                ],
                "survey_very_satisfied": very,
                "survey_satisfied": satisfied,
                "survey_neutral": neutral,
                "survey_dissatisfied": unhappy,
                "survey_sample_size": sample,
                "findings": "项目按计划推进，服务台账完整；部分活动记录缺少签到。"
                if fraction > Decimal("0.6")
                else "服务人次仅完成目标的四成，财务凭证不完整，进度报告多次逾期。",
                "recommendations": "完善活动签到，按时提交进度报告。",
            },
        )
    if upto == "in_progress":
        return
    if evaluation.status == Evaluation.Status.IN_PROGRESS:
        services.evaluation_submit(evaluation=evaluation, user=evaluator)
    if upto == "approved" and evaluation.status == Evaluation.Status.SUBMITTED:
        services.evaluation_approve(evaluation=evaluation, user=officer)


def seed(context):
    officer, approver, evaluator = _user("officer"), _user("approver"), _user("evaluator")
    firm = (
        context.get("evaluator_org")
        or Organization.objects.filter(category=Organization.Category.EVALUATOR).first()
    )
    if not (officer and approver and evaluator and firm):
        return
    template = _templates(officer)
    contracts = _round(context, officer, template)
    plans = [("pass", Decimal("0.95"), "approved"), ("fail", Decimal("0.4"), "approved")]
    plans.append(("pass", Decimal("0.8"), "in_progress"))
    for contract, (survey, fraction, upto) in zip(contracts, plans, strict=False):
        admin = _org_admin(contract.organization)
        if admin is None:
            continue
        _activate(contract, officer, approver, admin)
        midterm = Evaluation.objects.filter(contract=contract, stage="midterm").first()
        if midterm is None:
            continue
        _evaluate(
            midterm,
            officer=officer,
            evaluator=evaluator,
            firm=firm,
            fraction=fraction,
            survey=SURVEY[survey],
            upto=upto,
        )
        midterm.refresh_from_db()
        if survey == "fail" and midterm.status == Evaluation.Status.APPROVED:
            if not midterm.responded_at:
                services.evaluation_respond(
                    evaluation=midterm,
                    user=admin,
                    text="我们接受评估意见，已调整服务排期并补齐财务凭证，"
                    "将在下季度报告中说明整改情况。",
                )
            if not midterm.follow_up:
                services.evaluation_follow_up(
                    evaluation=midterm,
                    user=officer,
                    follow_up=Evaluation.FollowUp.RECTIFICATION,
                    note="限期一个月整改，整改后复核。",
                )
    completed = Contract.objects.filter(status=Contract.Status.COMPLETED).order_by("id").first()
    if completed is not None:
        services.evaluations_plan(contract=completed)
        final = Evaluation.objects.get(contract=completed, stage="final")
        _evaluate(
            final,
            officer=officer,
            evaluator=evaluator,
            firm=firm,
            fraction=Decimal("0.85"),
            survey=SURVEY["final"],
            upto="approved",
        )
    year = timezone.localdate().year
    if not AnnualReport.objects.filter(year=year).exists():
        services.annual_report_request(user=officer, year=year)
    users = context.setdefault("users", [])
    users.append(("evaluator", "第三方评估：完成分配的中期/末期评估 (evaluation)"))
    users.append(("auditor", "审计：下载并核验评估报告 (evaluation)"))
