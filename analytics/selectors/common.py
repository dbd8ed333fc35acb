"""Filters, shared helpers and thresholds of the figures."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone, translation

from organizations.models import ServiceCategory, Street

from ..models import SummaryState

SHARE = Decimal("0.0001")
TENTH = Decimal("0.1")
#: Public figures about fewer organizations than this are withheld: with one or
#: two organizations an amount would reveal one organization's income.
PUBLIC_MIN_ORGANIZATIONS = 3
#: 政府采购法 Art 35: at least 20 days from the call to the bid deadline.
FULL_SUBMISSION_DAYS = 20
DEPENDENCY_FLAGS = (Decimal("0.5"), Decimal("0.8"))


@dataclass(frozen=True)
class Filters:
    year_from: int
    year_to: int
    category: ServiceCategory | None = None
    street: Street | None = None
    kind: str = ""
    #: When the fact tables these figures read were rebuilt (``refreshed_at``),
    #: given by the pages: figures read only from the facts are then cached
    #: until the next rebuild (``from_facts``). Without it nothing is cached.
    facts_as_of: dt.datetime | None = None

    @property
    def years(self) -> list[int]:
        return list(range(self.year_from, self.year_to + 1))


def share_of(part, whole) -> Decimal | None:
    if whole in (None, 0) or part is None:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(SHARE)


def refreshed_at():
    state = SummaryState.objects.order_by("-refreshed_at").first()
    return state.refreshed_at if state else None


def default_years() -> tuple[int, int]:
    this_year = timezone.localdate().year
    return this_year - 4, this_year


#: How long figures stay cached at most; a rebuild of the facts replaces them at once.
FACTS_CACHE_SECONDS = 24 * 3600


def from_facts(selector):
    """A selector that reads only the fact tables: its figures change only
    when ``summary_refresh`` rebuilds them, so they are cached under the
    filters and the time of that rebuild (``Filters.facts_as_of``). A rebuild
    gives a new time, hence new keys; nothing stale can be read. The city's
    concentration and competition figures aggregate tens of thousands of
    fact rows (60–80 ms each); a cached page reads none of them."""
    return _cached_until_rebuild(selector)


def as_of_rebuild(selector):
    """A selector that sets the facts beside figures it reads from the live
    tables (the catalogue's budgets, projects' planned beneficiaries, rounds
    published): cached like ``from_facts``. The live part is read at the
    first visit after each rebuild (hourly), so a page's figures are all of
    the hour its heading names ("Figures as of …") instead of mixing that
    hour with this second; an officer who needs the latest budgets rebuilds
    the figures from the page. At city scale these live aggregates cost
    6–25 ms each on every visit."""
    return _cached_until_rebuild(selector)


def _cached_until_rebuild(selector):

    @functools.wraps(selector)
    def cached(f: Filters, **kwargs):
        arguments = _plain(kwargs)
        if f.facts_as_of is None or arguments is None:
            return selector(f, **kwargs)
        parts = (
            selector.__module__,
            selector.__qualname__,
            f.facts_as_of.isoformat(),
            f.year_from,
            f.year_to,
            f.category.pk if f.category is not None else None,
            f.street.pk if f.street is not None else None,
            f.kind,
            translation.get_language(),
            arguments,
        )
        key = "analytics:facts:" + hashlib.sha256(repr(parts).encode()).hexdigest()
        figures = cache.get(key)
        if figures is None:
            figures = selector(f, **kwargs)
            cache.set(key, figures, FACTS_CACHE_SECONDS)
        return figures

    return cached


def _plain(kwargs: dict):
    """The keyword arguments as a key (collections of ids sorted), or None
    when one is anything else (then the figures are not cached)."""
    out = []
    for name, value in sorted(kwargs.items()):
        if isinstance(value, (set, frozenset, list, tuple)):
            if not all(isinstance(v, int) for v in value):
                return None
            value = tuple(sorted(value))
        elif value is not None and not isinstance(value, (int, str)):
            return None
        out.append((name, value))
    return tuple(out)
