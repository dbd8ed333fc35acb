"""The kernel's scoped related fields: an input id is looked up among the objects the
requesting user may reference; one that exists outside them is 404, one that exists
nowhere the usual 400 field error."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from organizations.models import Street
from purchase_portal.drf import ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField
from tests.factories.organizations import StreetFactory, UserFactory

pytestmark = pytest.mark.django_db


def _scope_of(allowed, seen):
    def scope(*, user):
        seen.append(user)
        return Street.objects.filter(pk__in=[s.pk for s in allowed])

    return scope


def _serializer(scope, data, *, user, many=False, slug=False):
    if slug:
        field = ScopedSlugRelatedField(
            slug_field="code", queryset=Street.objects.all(), scope=scope, many=many
        )
    else:
        field = ScopedPrimaryKeyRelatedField(queryset=Street.objects.all(), scope=scope, many=many)
    cls = type("StreetChoice", (serializers.Serializer,), {"street": field})
    return cls(data={"street": data}, context={"request": SimpleNamespace(user=user)})


@pytest.fixture
def streets():
    return StreetFactory(), StreetFactory()


def test_an_id_in_the_users_scope_gives_the_object_and_the_scope_sees_the_user(streets):
    mine, _other = streets
    user, seen = UserFactory(), []
    payload = _serializer(_scope_of([mine], seen), mine.pk, user=user)
    assert payload.is_valid(), payload.errors
    assert payload.validated_data["street"] == mine
    assert seen == [user]


def test_an_id_outside_the_users_scope_is_not_found(streets):
    mine, other = streets
    payload = _serializer(_scope_of([mine], []), other.pk, user=UserFactory())
    with pytest.raises(NotFound):
        payload.is_valid()


def test_an_id_that_exists_nowhere_is_the_usual_field_error(streets):
    mine, _other = streets
    payload = _serializer(_scope_of([mine], []), 999_999, user=UserFactory())
    assert not payload.is_valid()
    assert payload.errors["street"][0].code == "does_not_exist"
    assert str(payload.errors["street"][0]) == 'Invalid pk "999999" - object does not exist.'


@pytest.mark.parametrize("value", ["abc", True, [1]])
def test_a_value_of_the_wrong_type_is_the_usual_field_error(streets, value):
    mine, _other = streets
    payload = _serializer(_scope_of([mine], []), value, user=UserFactory())
    assert not payload.is_valid()
    assert payload.errors["street"][0].code == "incorrect_type"


def test_many_ids_are_each_looked_up_in_the_scope(streets):
    mine, other = streets
    also_mine = StreetFactory()
    scope = _scope_of([mine, also_mine], [])
    payload = _serializer(scope, [mine.pk, also_mine.pk], user=UserFactory(), many=True)
    assert payload.is_valid(), payload.errors
    assert payload.validated_data["street"] == [mine, also_mine]

    with pytest.raises(NotFound):
        _serializer(scope, [mine.pk, other.pk], user=UserFactory(), many=True).is_valid()

    missing = _serializer(scope, [mine.pk, 999_999], user=UserFactory(), many=True)
    assert not missing.is_valid()
    assert missing.errors["street"][0].code == "does_not_exist"


def test_a_slug_is_looked_up_in_the_scope_too(streets):
    mine, other = streets
    scope = _scope_of([mine], [])
    allowed = _serializer(scope, mine.code, user=UserFactory(), slug=True)
    assert allowed.is_valid(), allowed.errors
    assert allowed.validated_data["street"] == mine
    with pytest.raises(NotFound):
        _serializer(scope, other.code, user=UserFactory(), slug=True).is_valid()
    missing = _serializer(scope, "nowhere", user=UserFactory(), slug=True)
    assert not missing.is_valid()
    assert missing.errors["street"][0].code == "does_not_exist"


def test_the_field_needs_the_request_in_the_context(streets):
    mine, _other = streets
    field = ScopedPrimaryKeyRelatedField(queryset=Street.objects.all(), scope=_scope_of([mine], []))
    cls = type("StreetChoice", (serializers.Serializer,), {"street": field})
    with pytest.raises(ImproperlyConfigured):
        cls(data={"street": mine.pk}).is_valid()
