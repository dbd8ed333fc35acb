"""City-scale rows for ``seed_scale``: streets, staff, organizations and their admins."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group

from purchase_portal.roles import Role
from purchase_portal.scale import ORG_PREFIX, USER_PREFIX, ScaleContext

from .credit_code import make_code
from .models import Credential, Membership, Organization, ServiceCategory, Street, User

STREETS = 24


def seed(ctx: ScaleContext) -> None:
    tag = f"{USER_PREFIX}{ctx.seed}"
    streets = ctx.bulk(
        "streets",
        Street,
        (
            Street(code=f"9{ctx.seed % 1000:03d}{i:04d}", name=f"规模街道{i}", district="规模区")
            for i in range(STREETS)
        ),
        STREETS,
    )
    staff = {}
    for role in Role:
        user = User.objects.create(
            username=f"{tag}-{role.value}",
            name=f"规模{role.label}",
            email=f"{tag}-{role.value}@example.org",
            password=ctx.password_hash,
            date_joined=ctx.now,
        )
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        staff[role.value] = user
    ctx.shared["staff"] = staff
    officer = staff[Role.OFFICER]

    count = ctx.size("organizations")
    rng = ctx.rng
    verified_at = [ctx.now - timedelta(days=rng.randint(30, 3650)) for _ in range(count)]
    orgs = ctx.bulk(
        "organizations",
        Organization,
        (
            Organization(
                name=f"{ORG_PREFIX}{ctx.seed}社会组织{i:06d}",
                credit_code=make_code(f"5231{ctx.seed % 100:02d}04MJ{i:07d}"),
                category=Organization.Category.SOCIAL,
                legal_form=Organization.LegalForm.SOCIAL_SERVICE,
                legal_representative="张三",
                address=f"规模区规模路{i}号",
                street=streets[i % STREETS],
                contact_name="李四",
                contact_phone="021-64000000",
                rating=("", "3A", "4A", "5A")[i % 4],
                rating_expires_on=(ctx.now + timedelta(days=365 + i % 700)).date()
                if i % 4
                else None,
                is_welfare_unit=i % 20 == 0,
                status=Organization.Status.VERIFIED,
                verified_at=verified_at[i],
                verified_by=officer,
            )
            for i in range(count)
        ),
        count,
    )
    federation = Organization.objects.create(
        name=f"{ORG_PREFIX}{ctx.seed}区残疾人联合会",
        credit_code=make_code(f"1331{ctx.seed % 100:02d}04MB0000000"),
        category=Organization.Category.FEDERATION,
        legal_representative="王五",
        address="规模区",
        contact_name="王五",
        contact_phone="021-64000001",
        status=Organization.Status.VERIFIED,
        verified_at=ctx.now,
    )
    categories = list(ServiceCategory.objects.order_by("sort_order"))
    through = Organization.service_categories.through
    ctx.bulk(
        "organization categories",
        through,
        (
            through(organization_id=o.pk, servicecategory_id=categories[i % len(categories)].pk)
            for i, o in enumerate(orgs)
        ),
        count,
    )
    admins = ctx.bulk(
        "users",
        User,
        (
            User(
                username=f"{tag}-org-{i:05d}",
                name=f"机构管理员{i}",
                email=f"{tag}-org-{i:05d}@example.org",
                password=ctx.password_hash,
                date_joined=ctx.now,
            )
            for i in range(count)
        ),
        count,
    )
    ctx.bulk(
        "memberships",
        Membership,
        (
            Membership(organization=o, user=u, role=Membership.Role.ADMIN)
            for o, u in zip(orgs, admins, strict=True)
        ),
        count,
    )
    report = ctx.placeholder(f"scale/{ctx.seed}/annual-report.pdf", "annual report")
    year = ctx.now.year - 1
    ctx.bulk(
        "credentials",
        Credential,
        (
            Credential(
                organization=o,
                kind=Credential.Kind.ANNUAL_INSPECTION,
                year=year,
                result=Credential.InspectionResult.PASSED,
                annual_income=Decimal(800_000 + (i * 7919) % 4_000_000),
                file=report,
                original_name="年检报告.pdf",
                content_type="application/pdf",
                size=1,
                issued_on=(ctx.now - timedelta(days=200)).date(),
                uploaded_by=u,
            )
            for i, (o, u) in enumerate(zip(orgs, admins, strict=True))
        ),
        count,
    )
    ctx.audit(
        (at, officer, "organization.verify", o, {"status": "submitted"}, {"status": "verified"})
        for o, at in zip(orgs, verified_at, strict=True)
    )
    ctx.shared.update(
        streets=streets,
        organizations=orgs,
        admins=admins,
        federation=federation,
        categories=categories,
    )
