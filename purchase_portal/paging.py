"""Keyset paging of the pages' lists: no COUNT(*) and no deep OFFSET, whatever
the table size (the API pages the same way with ``drf.PortalCursorPagination``,
and both take ``settings.PAGE_SIZE`` rows).

A list is ordered by fields that end with a unique one (``("name", "id")``,
``("-published_at", "-id")``); the link to the next rows carries the ordering
values of the last row shown, and the next query asks for the rows that come
after them. A cursor that cannot be read starts the list from the top, so a
bad query string is never a 500.

A page may offer sortable columns: ``sorts`` maps each allowed key of
``?sort=`` to its ordering (which ends with a unique field, like ``ordering``);
``?sort=-key`` reverses every field of it. Any other value falls back to the
default sort. The number of results is counted up to ``settings.LIST_COUNT_CAP``
rows only (``COUNT(*)`` over a ``LIMIT`` subquery); above it the page says
"more than" the cap, or on PostgreSQL "about" the planner's estimate.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections
from django.db.models import Q, QuerySet

#: The query-string parameter that carries the position.
PARAM = "before"
#: The query-string parameter that carries the sort key (``name`` or ``-name``).
SORT_PARAM = "sort"


@dataclass(frozen=True)
class ResultCount:
    """How many rows a list has: exact up to the cap, else a lower bound or an estimate."""

    value: int
    exact: bool = True
    estimated: bool = False


def _planner_estimate(qs: QuerySet) -> int | None:
    """The PostgreSQL planner's row estimate for ``qs`` (no rows are read)."""
    try:
        plan = json.loads(qs.order_by().explain(format="json"))
        if isinstance(plan, list):
            plan = plan[0]
        return int(plan["Plan"]["Plan Rows"])
    except (DatabaseError, ValueError, TypeError, KeyError, IndexError):
        return None


def result_count(qs: QuerySet, *, cap: int | None = None) -> ResultCount:
    """The number of rows of ``qs``, counting at most ``cap`` + 1 of them.

    Up to the cap the count is exact. Above it, on PostgreSQL, the planner's
    estimate (when it is above the cap) stands for the rest; elsewhere the page
    says "more than" the cap. The cost is bounded whatever the table size."""
    cap = cap or settings.LIST_COUNT_CAP
    counted = qs.order_by()[: cap + 1].count()
    if counted <= cap:
        return ResultCount(counted)
    if connections[qs.db].vendor == "postgresql":
        estimate = _planner_estimate(qs)
        if estimate is not None and estimate > cap:
            return ResultCount(estimate, exact=False, estimated=True)
    return ResultCount(cap, exact=False)


@dataclass
class KeysetPage:
    """The rows of one page, the cursor of the next one, and the rest of the query."""

    rows: list = field(default_factory=list)
    next_before: int | str | None = None
    query: str = ""
    #: The sort in force (``"name"`` or ``"-name"``), "" when the list has no choice.
    sort: str = ""
    #: The sort keys the page allows (without the minus sign).
    sort_keys: tuple = ()
    #: The default sort, which the links leave out of the URL.
    default_sort: str = ""
    #: The query string without the position and the sort (for the column links).
    base_query: str = ""
    count: ResultCount | None = None
    #: The request carried a position that could not be read (the list starts from the top).
    bad_cursor: bool = False

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)


def _plain(value):
    if isinstance(value, bool):
        return int(value)
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


def _reverse(ordering: Sequence[str]) -> tuple[str, ...]:
    return tuple(term[1:] if term.startswith("-") else f"-{term}" for term in ordering)


def chosen_sort(
    request, sorts: Mapping[str, Sequence[str]], default: str
) -> tuple[str, tuple[str, ...]]:
    """The sort the request asks for (``?sort=key`` or ``?sort=-key``) and its
    ordering; a key the page does not offer gives the default."""
    wanted = request.GET.get(SORT_PARAM, "")
    if not isinstance(wanted, str) or len(wanted) > 64:
        wanted = ""
    key = wanted.removeprefix("-")
    if key not in sorts:
        wanted, key = default, default.removeprefix("-")
    ordering = tuple(sorts[key])
    return wanted, _reverse(ordering) if wanted.startswith("-") else ordering


def keyset_page(
    qs: QuerySet,
    request,
    *,
    ordering: Sequence[str] = ("-pk",),
    sorts: Mapping[str, Sequence[str]] | None = None,
    default_sort: str = "",
    size: int | None = None,
    count: bool = True,
) -> KeysetPage:
    """One page of ``qs`` in ``ordering`` (whose last field must be unique and
    whose fields must not be null), after the position in ``?before=``.

    With ``sorts`` (key → ordering, each ending with a unique field) the user
    picks the ordering with ``?sort=``; ``default_sort`` (a key, ``-`` for
    descending, else the first key) applies otherwise. ``count`` adds the
    bounded number of results (``result_count``)."""
    size = size or settings.PAGE_SIZE
    sort = ""
    if sorts:
        default_sort = default_sort or next(iter(sorts))
        sort, ordering = chosen_sort(request, sorts, default_sort)
    ordering = tuple(ordering)
    total = result_count(qs) if count else None
    token = request.GET.get(PARAM, "")
    values = _decode(token, len(ordering))
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
    base = query.copy()
    base.pop(SORT_PARAM, None)
    if sorts and sort != default_sort:
        query[SORT_PARAM] = sort
    else:
        query.pop(SORT_PARAM, None)
    return KeysetPage(
        rows=rows,
        next_before=next_before,
        query=query.urlencode(),
        sort=sort,
        sort_keys=tuple(sorts or ()),
        default_sort=default_sort if sorts else "",
        base_query=base.urlencode(),
        count=total,
        bad_cursor=bool(token) and values is None,
    )
