"""City-scale step of ``seed_scale``: the public summaries of the signed
contracts, as the publishing task leaves them in a running deployment (most
published within hours of signing, a few after the deadline of 政府采购法实施条例
Art 50), and their OCDS releases, so the public lists and the OCDS endpoints
are measured full."""

from __future__ import annotations

import datetime as dt
import time

from contracts.models import Contract
from purchase_portal.scale import ScaleContext

from .models import ContractPublication
from .services.publication import contract_publication_deadline
from .services.releases import releases_refresh

#: Share of contracts published after their deadline.
LATE = 0.03


def seed(ctx: ScaleContext) -> None:
    signed = (
        Contract.objects.filter(
            number__startswith=f"SC{ctx.seed}-",
            status__in=Contract.SIGNED_STATUSES,
            activated_at__isnull=False,
            publication__isnull=True,
        )
        .order_by("id")
        .values_list("id", "activated_at")
    )
    deadlines: dict[dt.date, dt.datetime] = {}

    def rows():
        for contract_id, signed_at in signed.iterator(chunk_size=2000):
            day = signed_at.date()
            if day not in deadlines:
                deadlines[day] = contract_publication_deadline(signed_at=signed_at)
            due = deadlines[day]
            if ctx.rng.random() < LATE:
                published = due + dt.timedelta(hours=ctx.rng.randint(1, 72))
            else:
                published = signed_at + dt.timedelta(minutes=ctx.rng.randint(5, 20 * 60))
                published = min(published, due, ctx.now)
            yield ContractPublication(
                contract_id=contract_id,
                signed_at=signed_at,
                due_at=due,
                published_at=max(published, signed_at),
            )

    ctx.stream("contract publications", ContractPublication, rows(), signed.count())
    # The OCDS releases of every contracting process, as the nightly refresh
    # builds them (about 700,000 at DESIGN §5's sizes, a few minutes).
    started = time.perf_counter()
    built = releases_refresh()
    ctx.summary["OCDS releases"] = (built["created"], time.perf_counter() - started)
