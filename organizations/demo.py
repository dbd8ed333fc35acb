"""Demo data for organizations: the federation, staff users, experts, an
evaluator firm, and social organizations in the streets of a Shanghai district.
Idempotent: everything is looked up by a natural key first."""

from datetime import date

from django.contrib.auth.models import Group
from django.db import transaction

from . import services
from .credit_code import make_code
from .models import Membership, Organization, ServiceCategory, Street, User

DISTRICT = "徐汇区"
DIVISION = "310104"
STREETS = [
    ("310104001", "天平路街道"),
    ("310104002", "湖南路街道"),
    ("310104004", "斜土路街道"),
    ("310104005", "枫林路街道"),
    ("310104006", "长桥街道"),
    ("310104007", "田林街道"),
    ("310104008", "虹梅路街道"),
    ("310104009", "康健新村街道"),
    ("310104010", "徐家汇街道"),
    ("310104011", "凌云路街道"),
    ("310104012", "龙华街道"),
    ("310104013", "漕河泾街道"),
    ("310104103", "华泾镇"),
]

STAFF = [
    ("officer", "王晓红", ["officer"], "项目专员 officer"),
    ("approver", "李建国", ["approver"], "分管领导 approver"),
    ("finance", "陈静", ["finance"], "财务 finance"),
    # Records payments that finance approved (separation of duties).
    ("cashier", "孙丽", ["finance"], "出纳 cashier"),
    ("auditor", "赵立新", ["auditor"], "审计 auditor"),
]
EXPERTS = ["周敏", "吴海峰", "郑丽华", "孙伟", "马晓燕", "朱志刚", "胡慧"]

# (code suffix, name, legal form, street index, categories, welfare unit, rating)
SOCIAL_ORGS = [
    (
        "MJ0000001",
        "上海市徐汇区阳光康复服务中心",
        "social_service",
        0,
        ["rehabilitation", "casework"],
        True,
        "4A",
    ),
    (
        "MJ0000002",
        "徐汇区助残就业服务社",
        "social_service",
        6,
        ["employment", "capacity-building"],
        False,
        "3A",
    ),
    (
        "MJ0000003",
        "上海汇爱社区融合发展中心",
        "social_service",
        8,
        ["community-integration", "culture-sports"],
        False,
        "5A",
    ),
    ("MJ0000004", "徐汇区启智特殊教育支持中心", "social_service", 3, ["education"], False, "3A"),
    ("MJ0000005", "上海安康辅具适配服务社", "social_service", 4, ["assistive-devices"], True, ""),
    ("MJ0000006", "徐汇区无障碍环境促进会", "social_group", 9, ["accessibility"], False, "4A"),
    ("MJ0000007", "上海心桥心理援助中心", "social_service", 10, ["casework"], False, "3A"),
    ("MJ0000008", "徐汇区阳光之家托养服务中心", "social_service", 7, ["day-care"], True, "4A"),
    (
        "MJ0000009",
        "上海聆听听障人士服务中心",
        "social_service",
        1,
        ["rehabilitation", "education"],
        False,
        "2A",
    ),
    ("MJ0000010", "徐汇区残疾人文体协会", "social_group", 2, ["culture-sports"], False, ""),
    (
        "MJ0000011",
        "上海明眸视障支持服务社",
        "social_service",
        11,
        ["rehabilitation", "assistive-devices"],
        False,
        "3A",
    ),
    ("MJ0000012", "徐汇区慈善助残基金会", "foundation", 5, ["capacity-building"], False, "5A"),
    (
        "MJ0000013",
        "上海融爱精神康复会所",
        "social_service",
        12,
        ["rehabilitation", "community-integration"],
        False,
        "",
    ),
    (
        "MJ0000014",
        "徐汇区社工助残服务社",
        "social_service",
        9,
        ["casework", "community-integration"],
        False,
        "3A",
    ),
]

FORM_DIGIT = {"social_group": "1", "social_service": "2", "foundation": "3"}


def _user(username, name, password, *, groups=(), email=None):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, name=name, email=email or f"{username}@example.org")
        user.set_password(password)
        user.save()
    for group in groups:
        user.groups.add(Group.objects.get(name=group))
    return user


#: The social organizations' legal representatives, one person each.
REPRESENTATIVES = (
    "张明远",
    "王晓燕",
    "李建国",
    "赵丽华",
    "陈志强",
    "刘春梅",
    "杨文博",
    "黄秀英",
    "周海涛",
    "吴静怡",
    "徐永刚",
    "孙慧敏",
    "马俊杰",
    "朱雅琴",
    "胡德胜",
    "郭晓红",
)


def _org(
    code,
    name,
    *,
    legal_form="social_service",
    category="social",
    street=None,
    categories=(),
    welfare=False,
    rating="",
    representative=None,
    actor=None,
):
    org = Organization.objects.filter(credit_code=code).first()
    if org is not None:
        return org
    data = {
        "name": name,
        "credit_code": code,
        "category": category,
        "legal_form": legal_form,
        "registration_date": date(2015, 3, 1),
        "legal_representative": representative or "张" + name[-4:-2],
        "address": f"上海市{DISTRICT}{street.name if street else ''}示范路{len(name) * 7}号",
        "street": street,
        "contact_name": "刘" + name[2:3],
        "contact_phone": f"021-64{sum(map(ord, code)) * 37 % 1_000_000:06d}",
        "contact_email": f"contact{code[-3:]}@example.org",
        "rating": rating,
        "rating_expires_on": date(2028, 12, 31) if rating else None,
        "is_welfare_unit": welfare,
        "service_categories": list(ServiceCategory.objects.filter(code__in=categories)),
    }
    return services.organization_register(officer=actor, data=data, acknowledge_checksum=True)


def _member(org, user, role=Membership.Role.ADMIN):
    Membership.objects.get_or_create(organization=org, user=user, defaults={"role": role})


@transaction.atomic
def seed(context):
    password = context["password"]
    users = context.setdefault("users", [])
    streets = [
        Street.objects.update_or_create(code=code, defaults={"name": name, "district": DISTRICT})[0]
        for code, name in STREETS
    ]
    context["streets"] = streets

    for username, name, groups, description in STAFF:
        _user(username, name, password, groups=groups)
        users.append((username, description))
    officer = User.objects.get(username="officer")
    experts = []
    for i, name in enumerate(EXPERTS, start=1):
        experts.append(_user(f"expert{i}", name, password, groups=["expert"]))
    users.append(("expert1…7", "评审专家 experts"))

    federation = _org(
        make_code(f"11{DIVISION}MB0000001"[:17]),
        "上海市徐汇区残疾人联合会",
        legal_form="other",
        category="federation",
        street=streets[8],
        actor=officer,
    )
    for username, *_rest in STAFF:
        _member(federation, User.objects.get(username=username), Membership.Role.MEMBER)

    evaluator_org = _org(
        make_code(f"91{DIVISION}MA1PGAL01"[:17]),
        "上海衡正社会评估事务所有限公司",
        legal_form="other",
        category="evaluator",
        street=streets[7],
        actor=officer,
    )
    evaluator = _user("evaluator", "钱思远", password, groups=["evaluator"])
    _member(evaluator_org, evaluator)
    users.append(("evaluator", "第三方评估机构 evaluator (衡正评估)"))

    organizations = []
    for index, (suffix, name, form, street_idx, cats, welfare, rating) in enumerate(SOCIAL_ORGS):
        code = make_code(f"5{FORM_DIGIT[form]}{DIVISION}{suffix}"[:17])
        organizations.append(
            _org(
                code,
                name,
                legal_form=form,
                street=streets[street_idx],
                categories=cats,
                welfare=welfare,
                rating=rating,
                # Distinct persons: a shared legal representative flags the bids at
                # qualification (政府采购法实施条例 Art 18).
                representative=REPRESENTATIVES[index % len(REPRESENTATIVES)],
                actor=officer,
            )
        )
    org1admin = _user("org1admin", "林芳", password)
    org2admin = _user("org2admin", "黄磊", password)
    _member(organizations[0], org1admin)
    _member(organizations[1], org2admin)
    users.append(("org1admin", f"社会组织管理员 org admin ({organizations[0].name})"))
    users.append(("org2admin", f"社会组织管理员 org admin ({organizations[1].name})"))

    applicant = _user("applicant", "丁雨", password)
    if not Organization.objects.filter(name="上海星光助残服务中心").exists():
        # An application awaiting verification, whose check character fails.
        good = make_code(f"52{DIVISION}MJ0000099")
        bad = good[:17] + ("0" if good[17] != "0" else "1")
        services.organization_apply(
            applicant=applicant,
            data={
                "name": "上海星光助残服务中心",
                "credit_code": bad,
                "legal_form": "social_service",
                "legal_representative": "丁雨",
                "address": f"上海市{DISTRICT}龙华街道龙华中路88号",
                "street": streets[10],
                "contact_name": "丁雨",
                "contact_phone": "021-64001234",
                "service_categories": list(ServiceCategory.objects.filter(code="day-care")),
            },
        )
    users.append(("applicant", "待审核的申请人 applicant (pending organization)"))

    context.update(
        federation=federation,
        evaluator_org=evaluator_org,
        social_orgs=organizations,
        experts=experts,
        officer=officer,
    )
