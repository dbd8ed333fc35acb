"""Keyset paging of the pages' lists: no COUNT(*) and no deep OFFSET, whatever
the table size (the API pages the same way with ``drf.PortalCursorPagination``,
and both take ``settings.PAGE_SIZE`` rows).

A list is ordered by fields that end with a unique one (``("name", "id")``,
``("-published_at", "-id")``); the link to the next rows carries the ordering
values of the last row shown, and the next query asks for the rows that come
after them. A cursor that cannot be read starts the list from the top, so a
bad query string is never a 500.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

#: The query-string parameter that carries the position.
PARAM = "before"


@dataclass
class KeysetPage:
    """The rows of one page, the cursor of the next one, and the rest of the query."""

    rows: list = field(default_factory=list)
    next_before: int | str | None = None
    query: str = ""

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _encode(values: list) -> int | str:
    if len(values) == 1 and isinstance(values[0], int):
        return values[0]
    raw = json.dumps([_plain(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str, count: int) -> list | None:
    if not token or len(token) > 512:
        return None
    if count == 1 and token.isdigit():
        return [int(token)] if len(token) < 19 else None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError):
        return None
    if not isinstance(values, list) or len(values) != count:
        return None
    if not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
        return None
    return values


def _after(ordering: Sequence[str], values: list) -> Q:
    """Rows that come after ``values`` in ``ordering`` (lexicographic)."""
    condition = Q(pk__in=[])
    for index, term in enumerate(ordering):
        name = term.lstrip("-")
        lookup = f"{name}__lt" if term.startswith("-") else f"{name}__gt"
        equal = {o.lstrip("-"): v for o, v in zip(ordering[:index], values, strict=False)}
        condition |= Q(**equal, **{lookup: values[index]})
    return condition


def _value(row, name: str):
    for part in name.split("__"):
        row = getattr(row, part)
    return row


def keyset_page(
    qs: QuerySet,
    request,
    *,
    ordering: Sequence[str] = ("-pk",),
    size: int | None = None,
) -> KeysetPage:
    """One page of ``qs`` in ``ordering`` (whose last field must be unique and
    whose fields must not be null), after the position in ``?before=``."""
    size = size or settings.PAGE_SIZE
    ordering = tuple(ordering)
    values = _decode(request.GET.get(PARAM, ""), len(ordering))
    if values is not None:
        try:
            qs = qs.filter(_after(ordering, values))
            rows = list(qs.order_by(*ordering)[: size + 1])
        except (ValidationError, ValueError, TypeError, ArithmeticError):
            values = None
    if values is None:
        rows = list(qs.order_by(*ordering)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    query = request.GET.copy()
    query.pop(PARAM, None)
    query.pop("page", None)
    next_before = None
    if more:
        last = rows[-1]
        next_before = _encode([_value(last, term.lstrip("-")) for term in ordering])
    return KeysetPage(rows=rows, next_before=next_before, query=query.urlencode())
