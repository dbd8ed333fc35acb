"""City-scale rows for ``seed_scale``: rounds, lots, bids, awards and notices.

Rounds run from five years ago to now. The newest 1 % are open for bids (no
bids yet: sealed content is only ever written by the submission service), the
1 % before them are in review with their bids opened, and the rest are final:
every lot awarded to its best-priced bid, the notice period ended.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from purchase_portal.scale import ScaleContext

from .models import Award, Bid, Lot, Notice, Round

B = Bid.Status


def seed(ctx: ScaleContext) -> None:
    rng = ctx.rng
    count = ctx.size("rounds")
    per_round = ctx.shared["lots_per_round"]
    projects = ctx.shared["projects"]
    orgs = ctx.shared["organizations"]
    staff = ctx.shared["staff"]
    officer = staff["officer"]
    open_rounds = max(1, count // 100)
    in_review = max(1, count // 100) if count > 2 else 0
    last = ctx.now.year
    years = ctx.shared["round_years"]

    def status_of(i: int) -> str:
        if i >= count - open_rounds:
            return Round.Status.PUBLISHED
        if i >= count - open_rounds - in_review:
            return Round.Status.IN_REVIEW
        return Round.Status.FINAL

    def rounds():
        for i in range(count):
            status = status_of(i)
            if status == Round.Status.PUBLISHED:
                published = ctx.now - timedelta(days=5 + i % 10)
                deadline = ctx.now + timedelta(days=20 + i % 10)
            elif status == Round.Status.IN_REVIEW:
                published = ctx.now - timedelta(days=40 + i % 10)
                deadline = published + timedelta(days=25)
            else:
                span = 365 * (last - years[i])
                published = ctx.now - timedelta(days=span + 120 + rng.randint(0, 200))
                deadline = published + timedelta(days=25)
            opened = status != Round.Status.PUBLISHED
            yield Round(
                code=f"SC{ctx.seed}-R-{i:06d}",
                title=f"规模采购轮次{i}：社区康复服务",
                kind=Round.Kind.BIDDING,
                year=years[i],
                description="购买社区康复、日间照料与就业辅导服务。",
                status=status,
                published_at=published,
                questions_until=deadline - timedelta(days=5),
                submission_deadline=deadline,
                opening_at=deadline + timedelta(hours=1),
                closed_at=deadline if opened else None,
                opened_at=deadline + timedelta(hours=1) if opened else None,
                opened_by=officer if opened else None,
                notice_days=1,
                panel_size=5,
                created_by=officer,
            )

    made = ctx.bulk("rounds", Round, rounds(), count)
    lot_status = {
        Round.Status.PUBLISHED: Lot.Status.OPEN,
        Round.Status.IN_REVIEW: Lot.Status.IN_REVIEW,
        Round.Status.FINAL: Lot.Status.FINAL,
    }
    lots = ctx.bulk(
        "lots",
        Lot,
        (
            Lot(
                round=r,
                number=n + 1,
                title=f"标段{n + 1}：{p.title[:60]}",
                project=p,
                category=p.category,
                cap=p.budget_ceiling,
                status=lot_status[r.status],
            )
            for i, r in enumerate(made)
            for n in range(per_round)
            for p in [projects[i * per_round + n]]
        ),
        count * per_round,
    )
    by_round = {r.pk: r for r in made}
    with_bids = [lot for lot in lots if lot.status != Lot.Status.OPEN]
    total = min(ctx.size("bids"), len(with_bids) * len(orgs))
    base, extra = divmod(total, max(1, len(with_bids)))

    def bids():
        for j, lot in enumerate(with_bids):
            r = by_round[lot.round_id]
            n = base + (1 if j < extra else 0)
            start = rng.randrange(len(orgs))
            final = lot.status == Lot.Status.FINAL
            for k in range(n):
                price = lot.cap - Decimal(1000 * (k + 1) + rng.randint(0, 999))
                status = (
                    (B.AWARDED if k == 0 else B.NOT_AWARDED)
                    if final
                    else (B.QUALIFIED if k % 10 else B.SUBMITTED)
                )
                if k and k % 17 == 0:
                    status = B.WITHDRAWN
                org = orgs[(start + k) % len(orgs)]
                submitted = r.submission_deadline - timedelta(minutes=rng.randint(5, 20000))
                yield Bid(
                    lot=lot,
                    organization=org,
                    status=status,
                    price=price,
                    proposal_title=f"{lot.title[:40]}服务方案",
                    service_plan="入户康复训练、社区康复活动、家属培训。",
                    team="康复师3名，社工2名。",
                    schedule="12个月",
                    digest="" if status == B.WITHDRAWN else ctx.digest(lot.pk, k, price),
                    welfare_unit=org.is_welfare_unit,
                    submitted_at=submitted,
                    withdrawn_at=submitted + timedelta(hours=1) if status == B.WITHDRAWN else None,
                    created_by=ctx.shared["admins"][(start + k) % len(orgs)],
                )

    made_bids = ctx.bulk("bids", Bid, bids(), total)
    ctx.audit(
        (b.submitted_at, None, "bid.submit", b, {"status": "draft"}, {"status": "submitted"})
        for b in made_bids
    )
    winners = [b for b in made_bids if b.status == B.AWARDED]
    lot_of = {lot.pk: lot for lot in with_bids}
    awards = ctx.bulk(
        "awards",
        Award,
        (
            Award(
                lot=lot_of[b.lot_id],
                bid=b,
                organization=b.organization,
                amount=b.price,
                status=Award.Status.FINAL,
                proposed_by=officer,
                confirmed_at=by_round[lot_of[b.lot_id].round_id].opened_at + timedelta(days=10),
                confirmed_by=staff["approver"],
                final_at=by_round[lot_of[b.lot_id].round_id].opened_at + timedelta(days=20),
            )
            for b in winners
        ),
        len(winners),
    )
    final = [r for r in made if r.status == Round.Status.FINAL]
    notices = ctx.bulk(
        "notices",
        Notice,
        (
            Notice(
                round=r,
                published_at=r.opened_at + timedelta(days=11),
                ends_at=r.opened_at + timedelta(days=12),
                objections_until=r.opened_at + timedelta(days=21),
                status=Notice.Status.ENDED,
                ended_at=r.opened_at + timedelta(days=12),
                content={
                    "round": {"id": r.pk, "code": r.code, "title": r.title, "kind": r.kind},
                    "lots": [],
                    "panel": [],
                    "notice_days": r.notice_days,
                    "working_days": True,
                },
                published_by=officer,
            )
            for r in final
        ),
        len(final),
    )
    ctx.audit(
        (r.published_at, officer, "round.publish", r, {"status": "draft"}, {"status": "published"})
        for r in made
    )
    ctx.audit(
        (
            a.final_at,
            staff["approver"],
            "award.final",
            a,
            {"status": "confirmed"},
            {"status": "final"},
        )
        for a in awards
    )
    ctx.audit(
        (n.published_at, officer, "notice.publish", n, None, {"round": n.round_id}) for n in notices
    )
    ctx.shared.update(rounds=made, lots=lots, awards=awards)
