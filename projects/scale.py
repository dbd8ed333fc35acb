"""City-scale rows for ``seed_scale``: the catalogue and one approved project per lot.

The shape of the bidding that follows is decided here, since every lot buys
one project: ``lots_per_round`` lots in each round and ``bids_per_lot`` bids
on each lot (4 and 10 at DESIGN §5's sizes: 20,000 lots, 200,000 bids).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from purchase_portal.scale import ScaleContext

from .models import CatalogueItem, ProjectTarget, PurchaseProject

YEARS = 5
BIDS_PER_LOT = 10


def project_row(i: int, *, code: str, title: str, item: CatalogueItem, **fields) -> PurchaseProject:
    """The ``i``-th generated project of a catalogue item: the content every
    generated project shares (``seed_scale`` and the list benchmarks), with
    ``fields`` for its status and history."""
    return PurchaseProject(
        code=code,
        title=title,
        year=item.year,
        catalogue_item=item,
        category=item.category,
        need="辖区内持证残疾人康复服务需求调查显示，约三成需要上门康复训练。",
        target_disability_categories=["4", "5"],
        target_grades=["1", "2"],
        planned_beneficiaries=100 + i % 200,
        budget_ceiling=Decimal("300000.00") + i % 50 * 1000,
        duration_months=12,
        **fields,
    )


def seed(ctx: ScaleContext) -> None:
    rounds = ctx.size("rounds")
    bids = ctx.size("bids")
    organizations = ctx.size("organizations")
    lots_per_round = max(1, round(bids / rounds / BIDS_PER_LOT))
    lots = rounds * lots_per_round
    bids_per_lot = max(1, min(organizations, -(-bids // lots)))
    ctx.shared.update(lots_per_round=lots_per_round, bids_per_lot=bids_per_lot)

    officer = ctx.shared["staff"]["officer"]
    approver = ctx.shared["staff"]["approver"]
    categories = ctx.shared["categories"]
    streets = ctx.shared["streets"]
    last = ctx.now.year
    items = ctx.bulk(
        "catalogue items",
        CatalogueItem,
        (
            CatalogueItem(
                year=year,
                code=f"SC{ctx.seed}-{c.code}"[:30],
                name=f"规模目录{c.name_zh}",
                category=c,
                budget=Decimal("900000000.00"),
                budget_set_by=officer,
                budget_approved_by=approver,
                budget_approved_at=ctx.now - timedelta(days=365 * (last - year) + 300),
            )
            for year in range(last - YEARS + 1, last + 1)
            for c in categories
        ),
        YEARS * len(categories),
    )
    by_year: dict[int, list[CatalogueItem]] = {}
    for item in items:
        by_year.setdefault(item.year, []).append(item)
    # Round i takes place in year YEARS-1 - i*YEARS//rounds years back (old first).
    years = [last - YEARS + 1 + (i * YEARS) // rounds for i in range(rounds)]
    ctx.shared["round_years"] = years

    def rows():
        for i in range(lots):
            year = years[i // lots_per_round]
            item = by_year[year][i % len(by_year[year])]
            approved = ctx.now - timedelta(days=365 * (last - year) + 200)
            yield project_row(
                i,
                code=f"SC{ctx.seed}-P-{i:07d}",
                title=f"规模购买项目{i}：社区康复与日间照料服务",
                item=item,
                status=PurchaseProject.Status.APPROVED,
                in_round=True,
                created_by=officer,
                submitted_at=approved - timedelta(days=10),
                approved_at=approved,
                approved_by=approver,
            )

    projects = ctx.bulk("projects", PurchaseProject, rows(), lots)
    ctx.bulk(
        "project targets",
        ProjectTarget,
        (
            ProjectTarget(
                project=p,
                order=0,
                kind="output",
                indicator="服务人次",
                target_value=Decimal("1200"),
                unit="人次",
            )
            for p in projects
        ),
        lots,
    )
    through = PurchaseProject.streets.through
    ctx.bulk(
        "project streets",
        through,
        (
            through(purchaseproject_id=p.pk, street_id=streets[i % len(streets)].pk)
            for i, p in enumerate(projects)
        ),
        lots,
    )
    ctx.audit(
        (
            p.approved_at,
            approver,
            "project.approve",
            p,
            {"status": "submitted"},
            {"status": "approved"},
        )
        for p in projects
    )
    ctx.shared["projects"] = projects
