"""Shared machinery of ``seed_scale``: a city-sized database in minutes.

Each app may have a ``scale.py`` with ``seed(ctx)``; the command calls them in
app order with one :class:`ScaleContext`. Seeders write rows with large
``bulk_create`` batches (no services: they would take hours for what a city
accumulates in years) and describe the history those rows represent as audit
events through :meth:`ScaleContext.audit`, which continues the hash chain from
its head exactly as :func:`purchase_portal.audit.record` does, so
``verify_audit_chain`` passes afterwards.

Everything is deterministic for a given ``--seed``: row values come from the
context's ``random.Random`` and from a fixed reference time, never from the
clock of the run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Model

from .audit import _jsonable, compute_hash
from .models import AuditChainHead, AuditEvent

#: Usernames of seeded users start with this; organizations' names with ``ORG_PREFIX``.
USER_PREFIX = "scale"
ORG_PREFIX = "规模测试"
BATCH = 5000

#: DESIGN §5 "Scale": one deployment serves a city.
DEFAULTS = {
    "organizations": 10_000,
    "rounds": 5_000,
    "bids": 200_000,
    "progress_reports": 2_000_000,
}


def placeholder_pdf(label: str) -> bytes:
    """A tiny valid one-page PDF standing in for an uploaded or generated file."""
    text = label.encode("ascii", "replace")[:60]
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


class Progress:
    """A progress bar on stderr-like ``out``: tqdm when installed, else a printed one."""

    def __init__(self, label: str, total: int, out):
        self.label, self.total, self.out, self.done = label, max(total, 1), out, 0
        self.started = time.perf_counter()
        self._last = 0.0
        try:
            from tqdm import tqdm  # optional
        except ImportError:
            self._bar = None
        else:
            self._bar = tqdm(total=total, desc=label, unit="rows", file=sys.stderr)

    def update(self, n: int) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
            return
        now = time.perf_counter()
        if now - self._last >= 1.0 or self.done >= self.total:
            self._last = now
            width = 30
            filled = min(width, width * self.done // self.total)
            rate = self.done / max(now - self.started, 1e-6)
            self.out.write(
                f"\r  {self.label:<22} [{'#' * filled}{'.' * (width - filled)}] "
                f"{self.done:>10,}/{self.total:,} ({rate:,.0f}/s)",
                ending="",
            )
            self.out.flush()

    def close(self) -> float:
        elapsed = time.perf_counter() - self.started
        if self._bar is not None:
            self._bar.close()
        else:
            self.out.write("")
        return elapsed


@dataclass
class ScaleContext:
    """What the seeders share: sizes, randomness, the reference time, the chain."""

    seed: int
    sizes: dict[str, int]
    now: dt.datetime
    password_hash: str
    out: object
    rng: random.Random = field(init=False)
    #: rows written per table label, and the seconds each took
    summary: dict[str, tuple[int, float]] = field(default_factory=dict)
    #: what one seeder hands to the next (users, organizations, contracts...)
    shared: dict[str, object] = field(default_factory=dict)
    _seq: int = 0
    _prev: str = ""
    _events: int = 0

    def __post_init__(self):
        self.rng = random.Random(self.seed)

    # Rows ------------------------------------------------------------------

    def bulk(
        self, label: str, model: type[Model], rows: Iterable[Model], total: int
    ) -> list[Model]:
        """Insert ``rows`` in big batches with a progress bar; the saved objects."""
        bar = Progress(label, total, self.out)
        made: list[Model] = []
        iterator = iter(rows)
        while batch := list(islice(iterator, BATCH)):
            made.extend(model.objects.bulk_create(batch))
            bar.update(len(batch))
        self._count(label, len(made), bar.close())
        return made

    def stream(
        self,
        label: str,
        model: type[Model],
        rows: Iterable[Model],
        total: int,
        after: Callable[[list[Model]], None] | None = None,
    ) -> int:
        """Like :meth:`bulk` without keeping the rows: ``after(batch)`` sees each
        saved batch (to write its audit events); the number of rows."""
        bar = Progress(label, total, self.out)
        count = 0
        iterator = iter(rows)
        while batch := list(islice(iterator, BATCH)):
            model.objects.bulk_create(batch)
            if after is not None:
                after(batch)
            count += len(batch)
            bar.update(len(batch))
        self._count(label, count, bar.close())
        return count

    def _count(self, label: str, rows: int, seconds: float) -> None:
        before_rows, before_seconds = self.summary.get(label, (0, 0.0))
        self.summary[label] = (before_rows + rows, before_seconds + seconds)

    def placeholder(self, path: str, label: str) -> str:
        """Store one small placeholder PDF at ``path`` (once); its storage name."""
        if default_storage.exists(path):
            return path
        return default_storage.save(path, ContentFile(placeholder_pdf(label)))

    # Audit events ----------------------------------------------------------

    def start_chain(self) -> None:
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        self._seq, self._prev = head.seq, head.hash

    def audit(
        self,
        events: Iterable[tuple[dt.datetime, object, str, Model, dict | None, dict | None]],
    ) -> None:
        """Append events ``(time, actor, action, obj, before, after)`` to the chain."""
        rows = []
        for created_at, actor, action, obj, before, after in events:
            self._seq += 1
            event = AuditEvent(
                seq=self._seq,
                created_at=created_at,
                actor=actor,
                actor_label=actor.get_username() if actor is not None else "",
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:255],
                before=_jsonable(before),
                after=_jsonable(after),
                ip="",
                request_id=f"seed-scale-{self.seed}",
                sealed_scope="",
                prev_hash=self._prev,
            )
            event.hash = compute_hash(event)
            self._prev = event.hash
            rows.append(event)
        for start in range(0, len(rows), BATCH):
            AuditEvent.objects.bulk_create(rows[start : start + BATCH])
        self._events += len(rows)

    def finish_chain(self) -> int:
        AuditChainHead.objects.filter(pk=1).update(seq=self._seq, hash=self._prev)
        self._count("audit events", self._events, 0.0)
        return self._events

    # Helpers ---------------------------------------------------------------

    def size(self, name: str) -> int:
        return self.sizes[name]

    def digest(self, *parts) -> str:
        return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def analyze() -> None:
    """Refresh the planner's statistics after the load, as autovacuum would."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
