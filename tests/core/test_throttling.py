"""Sign-in throttling behind a proxy, JSON lock-outs on the API, over-long user
names, and the score-sheet signature's password going through the same
lock-out as signing in."""

from __future__ import annotations

from decimal import Decimal

import pytest
from axes.models import AccessAttempt

from bidding.models import LotAssignment, ScoreSheet
from tests.bidding.review_setup import (
    assignments,
    declare_none,
    draw_panel,
    in_review_round,
    score_all,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True


def _login(client, username, password, address):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.2",  # the reverse proxy
        HTTP_X_FORWARDED_FOR=address,
    )


def test_behind_a_proxy_one_client_cannot_lock_out_another(client, settings, axes_on):
    settings.TRUSTED_PROXY_COUNT = 1
    victim = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        _login(client, victim.username, "wrong", "203.0.113.9")
    assert _login(client, victim.username, PASSWORD, "203.0.113.9").status_code == 429
    response = _login(client, victim.username, PASSWORD, "198.51.100.7")
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_a_forged_forwarded_header_is_not_trusted_without_a_proxy(client, settings, axes_on):
    settings.TRUSTED_PROXY_COUNT = 0
    user = UserFactory()
    for n in range(settings.AXES_FAILURE_LIMIT + 1):
        _login(client, user.username, "wrong", f"198.51.100.{n}")
    # Every attempt came from 10.0.0.2, whatever the header said.
    assert _login(client, user.username, PASSWORD, "198.51.100.99").status_code == 429


def test_lock_out_on_the_api_is_json(api, settings, axes_on):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post(TOKEN, {"username": user.username, "password": "wrong"})
    response = api.post(TOKEN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "locked_out" and response.json()["detail"]


@pytest.mark.parametrize("length", [151, 256, 5000])
def test_an_over_long_user_name_is_a_field_error_on_the_sign_in_page(client, axes_on, length):
    response = client.post(LOGIN, {"username": "x" * length, "password": "whatever"})
    assert response.status_code == 400
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("length", [151, 256, 5000])
def test_an_over_long_user_name_is_a_field_error_on_the_token_endpoint(api, axes_on, length):
    response = api.post(TOKEN, {"username": "x" * length, "password": "whatever"})
    assert response.status_code == 400
    assert response.json()["username"]
    assert not AccessAttempt.objects.exists()


@pytest.mark.postgres
def test_an_over_long_user_name_never_reaches_the_store_on_postgresql(client, api, axes_on):
    """PostgreSQL enforces the store's 255 characters; the name is refused before it."""
    assert client.post(LOGIN, {"username": "y" * 300, "password": "p"}).status_code == 400
    assert api.post(TOKEN, {"username": "y" * 300, "password": "p"}).status_code == 400


# The score-sheet signature ------------------------------------------------------------


@pytest.fixture
def sheet_to_sign(officer):
    round_ = in_review_round()
    draw_panel(round_, officer)
    lot = round_.lots.get(number=1)
    declare_none(lot)
    score_all(lot, Decimal("20"))
    assignment = assignments(lot, LotAssignment.Status.ACTIVE)[0]
    return ScoreSheet.objects.get(lot=lot, expert=assignment.expert)


def test_wrong_signing_passwords_lock_the_expert_out_like_sign_in(
    api, client, settings, axes_on, sheet_to_sign
):
    expert = sheet_to_sign.expert
    api.force_authenticate(expert)
    url = f"/api/v1/scores/{sheet_to_sign.pk}/sign/"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = api.post(url, {"password": "wrong"}, format="json")
        assert response.status_code == 400 and response.json()["code"] == "bad_password"
    response = api.post(url, {"password": "wrong"}, format="json")
    assert response.status_code == 429 and response.json()["code"] == "locked_out"
    response = api.post(url, {"password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    sheet_to_sign.refresh_from_db()
    assert sheet_to_sign.signed_at is None
    # The same lock-out holds on the sign-in page for that account and address.
    assert client.post(LOGIN, {"username": expert.username, "password": PASSWORD}).status_code == (
        429
    )


def test_the_right_signing_password_signs(api, axes_on, sheet_to_sign):
    api.force_authenticate(sheet_to_sign.expert)
    response = api.post(
        f"/api/v1/scores/{sheet_to_sign.pk}/sign/", {"password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    sheet_to_sign.refresh_from_db()
    assert sheet_to_sign.signed_at is not None
