"""Evaluation templates: create, edit (until frozen), revise (new version),
and the choice of a round's template."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _t

from bidding.models import Round
from organizations.models import User
from purchase_portal import audit
from purchase_portal.errors import ConflictError, PermissionDeniedError, invalid
from purchase_portal.roles import is_officer

from ..models import Indicator, RoundTemplate, Template
from .common import parse_decimal

HUNDRED = Decimal("100")
MAX_DEPTH = 3

#: The default tree of DESIGN §2.4: 项目管理 20 / 服务成效 40 / 财务管理 20 / 服务对象满意度 20.
DEFAULT_TEMPLATE = {
    "code": "default",
    "name": "社会组织承接政府购买服务项目绩效评估指标（通用）",
    "description": "项目管理 20 分、服务成效 40 分、财务管理 20 分、服务对象满意度 20 分。",
    "pass_line": "60",
    "good_from": "75",
    "excellent_from": "90",
    "overdue_report_fails": True,
    "indicators": [
        {
            "code": "1",
            "name": "项目管理",
            "max_points": "20",
            "children": [
                {
                    "code": "1.1",
                    "name": "制度与团队",
                    "max_points": "10",
                    "guidance": "项目团队稳定、分工明确，管理制度健全并执行。",
                    "evidence_expected": "人员名册、制度文件、会议记录",
                },
                {
                    "code": "1.2",
                    "name": "进度报告按时提交",
                    "max_points": "10",
                    "guidance": "按合同约定按时提交进度报告；有逾期报告的本项不得分。",
                    "evidence_expected": "进度报告提交记录",
                    "fails_on_overdue_report": True,
                },
            ],
        },
        {
            "code": "2",
            "name": "服务成效",
            "max_points": "40",
            "children": [
                {
                    "code": "2.1",
                    "name": "产出指标完成情况",
                    "max_points": "25",
                    "guidance": "按合同绩效目标核对实际产出，完成率每低 10% 扣 2.5 分。",
                    "evidence_expected": "服务台账、签到表、活动照片",
                },
                {
                    "code": "2.2",
                    "name": "效果指标完成情况",
                    "max_points": "15",
                    "guidance": "服务对象能力、状况改善情况，有前后测数据支撑。",
                    "evidence_expected": "前后测量表、个案记录（脱敏）",
                },
            ],
        },
        {
            "code": "3",
            "name": "财务管理",
            "max_points": "20",
            "children": [
                {
                    "code": "3.1",
                    "name": "预算执行",
                    "max_points": "10",
                    "guidance": "支出与预算科目一致，超支有合理说明。",
                    "evidence_expected": "支出明细账",
                },
                {
                    "code": "3.2",
                    "name": "资金使用规范",
                    "max_points": "10",
                    "guidance": "专款专用，票据合规，无挪用。",
                    "evidence_expected": "记账凭证、发票",
                },
            ],
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
                    "guidance": "按满意度（非常满意 + 满意）÷ 样本量 × 20 计分。",
                    "evidence_expected": "满意度问卷汇总",
                    "source": Indicator.Source.SATISFACTION,
                },
            ],
        },
    ],
}


def _check_officer(user: User) -> None:
    if not is_officer(user):
        raise PermissionDeniedError()


def _clean_tree(nodes, errors: dict, *, path: str = "indicators", depth: int = 1) -> list[dict]:
    if not isinstance(nodes, list) or not nodes:
        errors[path] = [_t("Give at least one indicator.")]
        return []
    if depth > MAX_DEPTH:
        errors[path] = [_t("Indicators go at most three levels deep.")]
        return []
    cleaned = []
    for i, node in enumerate(nodes):
        where = f"{path}[{i}]"
        if not isinstance(node, dict):
            errors[where] = [_t("Each indicator is an object.")]
            continue
        code = str(node.get("code") or "").strip()[:20]
        name = str(node.get("name") or "").strip()[:200]
        if not code:
            errors[f"{where}.code"] = [_t("This field is required.")]
        if not name:
            errors[f"{where}.name"] = [_t("This field is required.")]
        points = parse_decimal(node.get("max_points"), f"{where}.max_points", errors)
        if points is not None and not (0 < points <= HUNDRED):
            errors[f"{where}.max_points"] = [_t("Points are above 0 and at most 100.")]
        source = node.get("source") or Indicator.Source.MANUAL
        if source not in Indicator.Source.values:
            errors[f"{where}.source"] = [_t("Unknown score source.")]
        children = node.get("children") or []
        kids = (
            _clean_tree(children, errors, path=f"{where}.children", depth=depth + 1)
            if children
            else []
        )
        if kids and source != Indicator.Source.MANUAL:
            errors[f"{where}.source"] = [_t("Only an indicator without sub-indicators is scored.")]
        if (
            kids
            and points is not None
            and all(k["max_points"] is not None for k in kids)
            and sum((k["max_points"] for k in kids), Decimal(0)) != points
        ):
            errors[f"{where}.max_points"] = [
                _t("The sub-indicators' points must add up to %(points)s.") % {"points": points}
            ]
        cleaned.append(
            {
                "code": code,
                "name": name,
                "max_points": points,
                "guidance": str(node.get("guidance") or "").strip(),
                "evidence_expected": str(node.get("evidence_expected") or "").strip(),
                "source": source,
                "fails_on_overdue_report": bool(node.get("fails_on_overdue_report")),
                "children": kids,
            }
        )
    return cleaned


def _codes(nodes) -> list[str]:
    out = []
    for node in nodes:
        out += [node["code"], *_codes(node["children"])]
    return out


def clean_template_data(data: dict) -> dict:
    """Validate a template's settings and indicator tree; 400 with field messages."""
    errors: dict = {}
    name = str(data.get("name") or "").strip()[:200]
    if not name:
        errors["name"] = [_t("This field is required.")]
    bands = {}
    for field, default in (("pass_line", "60"), ("good_from", "75"), ("excellent_from", "90")):
        value = parse_decimal(data.get(field, default), field, errors)
        if value is not None and not (0 < value <= HUNDRED):
            errors[field] = [_t("Points are above 0 and at most 100.")]
        bands[field] = value
    if not errors and not (bands["pass_line"] <= bands["good_from"] <= bands["excellent_from"]):
        errors["good_from"] = [_t("Grade bands must rise: pass line ≤ good ≤ excellent ≤ 100.")]
    tree = _clean_tree(data.get("indicators"), errors)
    if tree and "indicators" not in errors:
        points = [n["max_points"] for n in tree]
        if all(p is not None for p in points) and sum(points, Decimal(0)) != HUNDRED:
            errors["indicators"] = [_t("The dimensions' points must add up to 100.")]
        codes = _codes(tree)
        if len(codes) != len(set(codes)):
            errors["indicators"] = [_t("Each indicator needs its own number.")]
    if errors:
        raise invalid(errors)
    return {
        "name": name,
        "description": str(data.get("description") or "").strip(),
        "overdue_report_fails": bool(data.get("overdue_report_fails", True)),
        **bands,
        "indicators": tree,
    }


def _write_tree(template: Template, nodes, parent=None) -> None:
    for order, node in enumerate(nodes, start=1):
        row = Indicator.objects.create(
            template=template,
            parent=parent,
            order=order,
            code=node["code"],
            name=node["name"],
            max_points=node["max_points"],
            guidance=node["guidance"],
            evidence_expected=node["evidence_expected"],
            source=node["source"],
            fails_on_overdue_report=node["fails_on_overdue_report"],
        )
        _write_tree(template, node["children"], row)


def template_tree(template: Template) -> list[dict]:
    """The template's indicators as the nested data ``template_create`` takes."""
    rows = list(template.indicators.all())
    by_parent: dict = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)

    def nest(parent_id):
        return [
            {
                "code": r.code,
                "name": r.name,
                "max_points": str(r.max_points),
                "guidance": r.guidance,
                "evidence_expected": r.evidence_expected,
                "source": r.source,
                "fails_on_overdue_report": r.fails_on_overdue_report,
                "children": nest(r.pk),
            }
            for r in sorted(by_parent.get(parent_id, []), key=lambda r: (r.order, r.code))
        ]

    return nest(None)


@transaction.atomic
def template_create(*, user: User | None, data: dict, code: str = "", system=False) -> Template:
    """A new template (version 1), or a new version of ``code``."""
    if not system:
        _check_officer(user)
    clean = clean_template_data(data)
    code = (code or str(data.get("code") or "")).strip()[:30] or timezone.now().strftime(
        "T%Y%m%d%H%M%S"
    )
    last = Template.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0
    template = Template.objects.create(
        code=code,
        version=last + 1,
        name=clean["name"],
        description=clean["description"],
        pass_line=clean["pass_line"],
        good_from=clean["good_from"],
        excellent_from=clean["excellent_from"],
        overdue_report_fails=clean["overdue_report_fails"],
        created_by=user,
    )
    _write_tree(template, clean["indicators"])
    audit.record(
        actor=user,
        action="evaluation_template.create",
        obj=template,
        before=None,
        after={"code": code, "version": template.version, "indicators": template_tree(template)},
    )
    return template


@transaction.atomic
def template_update(*, template: Template, user: User, data: dict) -> Template:
    """Edit a template. A frozen version (chosen by a round or used by an
    evaluation) is never changed: the change becomes a new version."""
    _check_officer(user)
    locked = Template.objects.select_for_update().get(pk=template.pk)
    if locked.is_frozen:
        return template_create(user=user, data=data, code=locked.code)
    clean = clean_template_data(data)
    before = {"name": locked.name, "indicators": template_tree(locked)}
    for field in ("name", "description", "pass_line", "good_from", "excellent_from"):
        setattr(locked, field, clean[field])
    locked.overdue_report_fails = clean["overdue_report_fails"]
    locked.save()
    locked.indicators.all().delete()
    _write_tree(locked, clean["indicators"])
    audit.record(
        actor=user,
        action="evaluation_template.update",
        obj=locked,
        before=before,
        after={"name": locked.name, "indicators": template_tree(locked)},
    )
    return locked


def template_freeze(template: Template) -> None:
    if template.frozen_at is None:
        Template.objects.filter(pk=template.pk, frozen_at__isnull=True).update(
            frozen_at=timezone.now()
        )
        template.refresh_from_db(fields=["frozen_at"])


def default_template() -> Template:
    """The newest version of the default template, created if missing."""
    template = Template.objects.filter(code=DEFAULT_TEMPLATE["code"]).order_by("-version").first()
    if template is None:
        template = template_create(user=None, data=DEFAULT_TEMPLATE, system=True)
    return template


@transaction.atomic
def round_choose_template(*, round: Round, template: Template, user: User) -> RoundTemplate:
    """A round chooses its evaluation template; the version is frozen from then on.
    Evaluations already planned keep the version they were planned with."""
    _check_officer(user)
    if round.status == Round.Status.CANCELLED:
        raise ConflictError(_t("A cancelled round needs no evaluation template."))
    existing = RoundTemplate.objects.select_for_update().filter(round=round).first()
    before = {"template": existing.template_id} if existing else None
    if existing:
        existing.template = template
        existing.chosen_by = user
        existing.save()
        choice = existing
    else:
        choice = RoundTemplate.objects.create(round=round, template=template, chosen_by=user)
    template_freeze(template)
    audit.record(
        actor=user,
        action="evaluation_template.choose",
        obj=round,
        before=before,
        after={"template": template.pk},
    )
    return choice


def template_for_contract(contract) -> Template:
    """The template of the contract's round, else the default."""
    round_id = contract.award.lot.round_id
    choice = RoundTemplate.objects.select_related("template").filter(round_id=round_id).first()
    return choice.template if choice else default_template()
