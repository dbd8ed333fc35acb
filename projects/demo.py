"""Demo data for projects: this year's purchase catalogue and projects in every
state, six of them approved and ready for rounds. Idempotent: items are found
by (year, code) and projects by (year, title); a project is only moved forward
through the workflow's services until it reaches its demo state."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from organizations.models import ServiceCategory, Street, User

from . import services
from .models import CatalogueItem, PurchaseProject

S = PurchaseProject.Status

# (code, name, category, budget)
CATALOGUE = [
    ("KF-01", "社区康复服务", "rehabilitation", "2400000.00"),
    ("JY-01", "残疾人辅助性就业服务", "employment", "1200000.00"),
    ("TY-01", "阳光之家日间照料与托养服务", "day-care", "1800000.00"),
    ("FJ-01", "辅助器具适配与评估服务", "assistive-devices", "600000.00"),
    ("XL-01", "心理支持与个案社会工作服务", "casework", "800000.00"),
    ("RH-01", "残疾人社区融合活动", "community-integration", "500000.00"),
    ("WT-01", "残疾人文化体育活动", "culture-sports", "300000.00"),
    # Listed in the catalogue without a budget this year: it cannot be bought.
    ("WZA-01", "无障碍环境改造咨询", "accessibility", "0.00"),
]

SATISFACTION = {
    "kind": "satisfaction",
    "indicator": "服务对象满意度",
    "target_value": "90",
    "unit": "%",
}

# title, item, budget, months, recurring, categories, grades, street indexes,
# beneficiaries, targets, demo state, reason
PROJECTS = [
    (
        "天平路、湖南路街道社区康复服务项目",
        "KF-01",
        "380000.00",
        12,
        False,
        ["4", "5"],
        ["1", "2", "3"],
        [0, 1],
        150,
        [
            {"kind": "output", "indicator": "上门康复训练", "target_value": "1800", "unit": "人次"},
            {"kind": "outcome", "indicator": "康复训练有效率", "target_value": "85", "unit": "%"},
            SATISFACTION,
        ],
        S.APPROVED,
        "",
    ),
    (
        "智力残疾人辅助性就业支持项目",
        "JY-01",
        "320000.00",
        12,
        False,
        ["5"],
        ["2", "3", "4"],
        [6, 7],
        40,
        [
            {"kind": "output", "indicator": "辅助性就业岗位", "target_value": "40", "unit": "个"},
            {"kind": "outcome", "indicator": "月均工作时长", "target_value": "60", "unit": "小时"},
            SATISFACTION,
        ],
        S.APPROVED,
        "",
    ),
    (
        "阳光之家日间照料服务项目（三年期）",
        "TY-01",
        "900000.00",
        36,
        True,
        ["5", "6"],
        ["1", "2"],
        [7, 8],
        60,
        [
            {
                "kind": "output",
                "indicator": "日间照料服务天数",
                "target_value": "250",
                "unit": "天/年",
            },
            {
                "kind": "outcome",
                "indicator": "生活自理能力提升率",
                "target_value": "60",
                "unit": "%",
            },
            SATISFACTION,
        ],
        S.APPROVED,
        "",
    ),
    (
        "视障人士辅助器具适配服务",
        "FJ-01",
        "180000.00",
        10,
        False,
        ["1"],
        ["1", "2", "3", "4"],
        [2, 3, 4],
        200,
        [
            {"kind": "output", "indicator": "辅具评估适配", "target_value": "200", "unit": "人"},
            {"kind": "outcome", "indicator": "辅具使用率", "target_value": "90", "unit": "%"},
            SATISFACTION,
        ],
        S.APPROVED,
        "",
    ),
    (
        "精神障碍者家庭个案社会工作服务",
        "XL-01",
        "260000.00",
        12,
        False,
        ["6"],
        ["2", "3"],
        [10, 11],
        50,
        [
            {"kind": "output", "indicator": "个案服务", "target_value": "50", "unit": "户"},
            {
                "kind": "outcome",
                "indicator": "家庭照护压力量表改善率",
                "target_value": "70",
                "unit": "%",
            },
            SATISFACTION,
        ],
        S.APPROVED,
        "",
    ),
    (
        "听障儿童康复训练项目",
        "KF-01",
        "300000.00",
        12,
        False,
        ["2"],
        ["1", "2"],
        [1, 9],
        30,
        [
            {
                "kind": "output",
                "indicator": "个别化康复训练",
                "target_value": "1200",
                "unit": "课时",
            },
            {
                "kind": "outcome",
                "indicator": "语言能力评估提升率",
                "target_value": "75",
                "unit": "%",
            },
            SATISFACTION,
        ],
        S.APPROVED,
        "",
    ),
    (
        "残疾人社区融合文化节",
        "RH-01",
        "150000.00",
        6,
        False,
        ["1", "2", "3", "4", "5", "6", "7"],
        ["1", "2", "3", "4"],
        [8],
        500,
        [
            {"kind": "output", "indicator": "融合活动", "target_value": "12", "unit": "场"},
            SATISFACTION,
        ],
        S.SUBMITTED,
        "",
    ),
    (
        "残疾人健身康复体育活动",
        "WT-01",
        "120000.00",
        8,
        False,
        ["4"],
        ["3", "4"],
        [5],
        120,
        [{"kind": "output", "indicator": "健身活动", "target_value": "48", "unit": "场"}],
        S.RETURNED,
        "请补充满意度指标，并说明服务人次的测算依据。",
    ),
    (
        "肢体残疾人居家康复指导",
        "KF-01",
        "200000.00",
        12,
        False,
        ["4"],
        [],
        [],
        0,
        [],
        S.DRAFT,
        "",
    ),
    (
        "残疾人就业技能培训（原计划）",
        "JY-01",
        "150000.00",
        6,
        False,
        ["2", "4"],
        ["3", "4"],
        [6],
        80,
        [{"kind": "output", "indicator": "技能培训", "target_value": "80", "unit": "人"}],
        S.CANCELLED,
        "与区人社局职业技能培训项目重复，已取消。",
    ),
]

NEED = (
    "根据残疾人基本服务状况和需求信息数据动态更新结果，服务区域内有相关需求的持证残疾人"
    "尚未得到稳定、专业的服务；现有街镇服务资源不足，需要通过政府购买服务引入专业社会组织。"
)

#: The next step from a state towards a demo state.
NEXT_STEP = {
    (S.DRAFT, S.SUBMITTED): "submit",
    (S.DRAFT, S.APPROVED): "submit",
    (S.DRAFT, S.RETURNED): "submit",
    (S.DRAFT, S.CANCELLED): "submit",
    (S.SUBMITTED, S.APPROVED): "approve",
    (S.SUBMITTED, S.CANCELLED): "approve",
    (S.SUBMITTED, S.RETURNED): "return",
    (S.APPROVED, S.CANCELLED): "cancel",
}


def _advance(project: PurchaseProject, target: str, reason: str, *, officer, approver) -> None:
    while project.status != target:
        step = NEXT_STEP.get((project.status, target))
        if step is None:
            return
        user = officer if step == "submit" else approver
        project = services.project_transition(project=project, user=user, name=step, reason=reason)


@transaction.atomic
def seed(context):
    officer = context.get("officer") or User.objects.get(username="officer")
    approver = User.objects.get(username="approver")
    streets = context.get("streets") or list(Street.objects.order_by("code"))
    year = timezone.localdate().year
    categories = {c.code: c for c in ServiceCategory.objects.all()}

    items = {}
    # Finance sets the catalogue budgets and the approver approves them.
    finance = User.objects.get(username="finance")
    for code, name, category, budget in CATALOGUE:
        item = CatalogueItem.objects.filter(year=year, code=code).first()
        if item is None:
            item = services.catalogue_item_create(
                user=finance,
                data={
                    "year": year,
                    "code": code,
                    "name": name,
                    "category": categories[category],
                    "budget": Decimal(budget),
                    "description": f"{year}年度区残联政府购买服务指导性目录：{name}",
                },
            )
        if item.budget_approved_at is None:
            item = services.catalogue_budget_approve(item=item, user=approver)
        items[code] = item

    approved = []
    for (
        title,
        item_code,
        budget,
        months,
        recurring,
        disability,
        grades,
        street_idx,
        beneficiaries,
        targets,
        state,
        reason,
    ) in PROJECTS:
        project = PurchaseProject.objects.filter(year=year, title=title).first()
        if project is None:
            project = services.project_create(
                user=officer,
                data={
                    "title": title,
                    "catalogue_item": items[item_code],
                    "need": NEED if state != S.DRAFT else "",
                    "target_disability_categories": disability,
                    "target_grades": grades,
                    "streets": [streets[i] for i in street_idx if i < len(streets)],
                    "planned_beneficiaries": beneficiaries,
                    "budget_ceiling": Decimal(budget),
                    "duration_months": months,
                    "is_recurring": recurring,
                    "targets": [{**t, "target_value": Decimal(t["target_value"])} for t in targets],
                },
            )
        _advance(project, state, reason, officer=officer, approver=approver)
        project.refresh_from_db()
        if project.status == S.APPROVED:
            approved.append(project)

    context.update(
        catalogue_items=list(items.values()), approved_projects=approved, approver=approver
    )
