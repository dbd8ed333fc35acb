"""Scoping helpers shared by the capacity selectors."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from organizations.rules import memberships_of
from purchase_portal.roles import is_federation_staff


def scope(qs: QuerySet, user, path: str = "organization_id") -> QuerySet:
    """Federation staff see every row; members see their organizations' rows."""
    if is_federation_staff(user):
        return qs
    return qs.filter(**{f"{path}__in": list(memberships_of(user))})


def get_or_404(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
