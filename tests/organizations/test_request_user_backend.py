"""The sign-in backend reads the user of each request with the user's roles,
memberships and unread notifications count (organizations.auth): the same
answers as asking for each, without three more queries on every page."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from organizations.auth import PortalModelBackend
from organizations.rules import is_social_member, memberships_of
from purchase_portal.models import Notification
from purchase_portal.notifications import mark_read, unread_count
from purchase_portal.roles import roles_of
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

BACKEND = "organizations.auth.PortalModelBackend"


def _notify(user, n, *, read=0):
    for i in range(n):
        Notification.objects.create(
            recipient=user, kind="test", title=f"n{i}", read_at=timezone.now() if i < read else None
        )


def _asked_one_by_one(user):
    """The answers of the readers for a user loaded without them."""
    fresh = type(user).objects.get(pk=user.pk)
    return roles_of(fresh), memberships_of(fresh), unread_count(fresh)


@pytest.mark.parametrize("roles", [[], ["officer"], ["officer", "auditor", "expert"]])
def test_the_user_comes_with_the_same_roles_memberships_and_unread_count(
    roles, django_assert_num_queries
):
    user = UserFactory(roles=roles)
    if roles:
        MembershipFactory(user=user, organization=OrganizationFactory(), role="admin")
        MembershipFactory(user=user, organization=OrganizationFactory(), role="member")
        _notify(user, 3, read=1)
    expected = _asked_one_by_one(user)
    with django_assert_num_queries(1):
        loaded = PortalModelBackend().get_user(user.pk)
    with django_assert_num_queries(0):
        answers = roles_of(loaded), memberships_of(loaded), unread_count(loaded)
    assert answers == expected
    assert answers[0] == frozenset(roles)
    assert len(answers[1]) == (2 if roles else 0)
    assert answers[2] == (2 if roles else 0)


@pytest.mark.parametrize("category", ["social", "evaluator"])
def test_the_user_comes_knowing_whether_it_belongs_to_a_social_organization(
    category, django_assert_num_queries
):
    user = UserFactory()
    MembershipFactory(user=user, organization=OrganizationFactory(category=category))
    loaded = PortalModelBackend().get_user(user.pk)
    with django_assert_num_queries(0):
        answer = is_social_member(loaded)
    assert answer is (category == "social")
    assert is_social_member(UserFactory._meta.model.objects.get(pk=user.pk)) is answer


def test_an_inactive_or_unknown_user_is_not_loaded():
    user = UserFactory(is_active=False)
    assert PortalModelBackend().get_user(user.pk) is None
    assert PortalModelBackend().get_user(999_999) is None
    # a session whose user id is not a number (tampered, or from another
    # user model) signs no one in
    assert PortalModelBackend().get_user("not-a-number") is None
    assert PortalModelBackend().get_user(None) is None


def test_the_query_is_compiled_once_and_then_only_run(monkeypatch):
    from organizations import auth

    first, second = UserFactory(roles=["officer"]), UserFactory(roles=["finance"])
    auth._compiled.clear()
    compiled = []
    real = auth.with_request_context
    monkeypatch.setattr(auth, "with_request_context", lambda qs: compiled.append(1) or real(qs))
    backend = PortalModelBackend()
    loaded = [backend.get_user(first.pk), backend.get_user(str(second.pk))]
    assert len(compiled) == 1
    # each user is their own, with their own roles, though the SQL is shared
    assert [u.pk for u in loaded] == [first.pk, second.pk]
    assert [roles_of(u) for u in loaded] == [{"officer"}, {"finance"}]
    with CaptureQueriesContext(connection) as queries:
        backend.get_user(first.pk)
    assert len(compiled) == 1 and len(queries) == 1
    assert queries.captured_queries[0]["sql"].count("portal_role_names") == 1


def test_reading_notifications_refreshes_the_count():
    user = UserFactory()
    _notify(user, 2)
    loaded = PortalModelBackend().get_user(user.pk)
    assert unread_count(loaded) == 2
    mark_read(user=loaded)
    assert unread_count(loaded) == 0


def test_a_signed_in_page_does_not_ask_for_roles_memberships_and_count_again(
    client, org_admin, settings
):
    plain = "django.contrib.auth.backends.ModelBackend"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, plain]
    org_admin.groups.add(*UserFactory(roles=["expert"]).groups.all())
    _notify(org_admin, 2)

    def separate_reads(backend):
        client.force_login(org_admin, backend=backend)
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/notifications/").content.decode()
        assert '<span class="badge">2' in html
        assert 'href="/rounds/bids/"' in html  # My bids: a member of a social organization
        return [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].startswith(
                (
                    'SELECT "auth_group"."name"',
                    'SELECT "organizations_membership"."organization_id"',
                    'SELECT COUNT(*) AS "__count" FROM "purchase_portal_notification"',
                    'SELECT 1 AS "a" FROM "organizations_organization"',
                )
            )
        ]

    # a user loaded by Django's own backend is asked one by one
    assert len(separate_reads(plain)) == 4
    assert separate_reads(BACKEND) == []


def test_signing_in_with_a_password_uses_the_backend(client):
    user = UserFactory(username="li.na")
    user.set_password("a-long-pass-phrase-2026")
    user.save()
    response = client.post(
        "/accounts/login/", {"username": "li.na", "password": "a-long-pass-phrase-2026"}
    )
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == BACKEND


def test_cached_facts_are_forgotten_through_the_requests_lazy_user():
    from django.utils.functional import SimpleLazyObject

    from purchase_portal.roles import forget_cached

    user = PortalModelBackend().get_user(UserFactory().pk)
    lazy = SimpleLazyObject(lambda: user)
    assert memberships_of(lazy) == {}
    MembershipFactory(user=user, role="admin")
    forget_cached(lazy, "_portal_memberships", "_portal_roles", "_portal_unread")
    assert len(memberships_of(lazy)) == 1
    assert not hasattr(user, "_portal_roles") and not hasattr(user, "_portal_unread")
