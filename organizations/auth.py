"""Signing in with a user name and password, and the signed-in user of each
request read in one query.

Every page needs, besides the user, the user's roles (groups), memberships
of organizations (``organizations.rules.memberships_of``), whether one of them
is a social organization (the menu's "My bids") and the number of unread
notifications (the menu's badge): four more queries on every request. The
backend reads them as subqueries of the user's own row and hands them to
``roles_of``, ``memberships_of``, ``is_social_member`` and ``unread_count``,
which otherwise query them when first asked (for users loaded any other way).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import (
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    StringAgg,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat

from purchase_portal.models import Notification

from .models import Membership, Organization

#: Between the items of the aggregated lists; no group name or role contains it.
SEPARATOR = "\x1f"
PAIR = ":"


def _aggregated(queryset, expression, *, by: str):
    return Subquery(
        queryset.order_by()
        .values(by)
        .annotate(items=StringAgg(expression, delimiter=Value(SEPARATOR)))
        .values("items")[:1],
        output_field=CharField(),
    )


def with_request_context(queryset):
    """``queryset`` of users, each with its role names, memberships and unread
    notifications count (as ``portal_role_names``, ``portal_membership_pairs``
    and ``portal_unread``)."""
    user = OuterRef("pk")
    unread = (
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    return queryset.annotate(
        portal_role_names=_aggregated(Group.objects.filter(user=user), "name", by="user"),
        portal_membership_pairs=_aggregated(
            Membership.objects.filter(user=user),
            Concat(Cast("organization_id", CharField()), Value(PAIR), "role"),
            by="user",
        ),
        portal_unread=Coalesce(Subquery(unread, output_field=IntegerField()), 0),
        portal_social_member=Exists(
            Membership.objects.filter(
                user=user, organization__category=Organization.Category.SOCIAL
            )
        ),
    )


def attach_request_context(user) -> None:
    """Hand the annotations of ``with_request_context`` to the readers that
    would otherwise query them."""
    names = user.portal_role_names or ""
    user._portal_roles = frozenset(n for n in names.split(SEPARATOR) if n)
    pairs = user.portal_membership_pairs or ""
    memberships = {}
    for pair in filter(None, pairs.split(SEPARATOR)):
        organization_id, role = pair.split(PAIR, 1)
        memberships[int(organization_id)] = role
    user._portal_memberships = memberships
    user._portal_unread = user.portal_unread
    user._portal_social_member = bool(user.portal_social_member)


#: A user id no user has: it marks the place of the id among the parameters
#: of the compiled query.
_PLACEHOLDER_ID = -7_340_512_969

#: (database alias, vendor) -> (SQL, parameters, index of the user id)
_compiled: dict[tuple[str, str], tuple[str, tuple, int]] = {}


def compiled_user_query(using: str) -> tuple[str, tuple, int]:
    """The SQL of ``with_request_context`` for one user on database
    ``using``, its parameters and the index of the user's id among them;
    compiled by the ORM the first time it is asked for."""
    key = (using, connections[using].vendor)
    found = _compiled.get(key)
    if found is None:
        queryset = with_request_context(get_user_model()._default_manager.using(using).all())
        sql, params = queryset.filter(pk=_PLACEHOLDER_ID).query.sql_with_params()
        places = [i for i, value in enumerate(params) if value == _PLACEHOLDER_ID]
        if len(places) != 1:  # pragma: no cover - the ORM's own SQL changed shape
            raise RuntimeError("the user query does not take the user's id exactly once")
        found = _compiled[key] = (sql, tuple(params), places[0])
    return found


class PortalModelBackend(ModelBackend):
    """Django's user name and password backend, whose ``get_user`` (once per
    request, from the session) reads the user's roles, memberships and unread
    notifications count in the same query, compiled once per process."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user_id = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        if user_id is None:
            return None
        using = router.db_for_read(model)
        sql, params, place = compiled_user_query(using)
        params = (*params[:place], user_id, *params[place + 1 :])
        found = list(model._default_manager.raw(sql, params).using(using))
        if not found:
            return None
        user = found[0]
        if not self.user_can_authenticate(user):
            return None
        attach_request_context(user)
        return user
