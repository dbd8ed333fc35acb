"""A client's X-Request-ID is kept only when it matches the strict format;
otherwise the portal generates one."""

import re

import pytest

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"^[0-9a-f]{32}$")


@pytest.mark.parametrize("value", ["req-0123456789", "A1b2C3d4", "x" * 64, "a.b_c-d.0123"])
def test_a_well_formed_request_id_is_kept(client, value):
    assert client.get("/", HTTP_X_REQUEST_ID=value)["X-Request-ID"] == value


@pytest.mark.parametrize(
    "value",
    [
        "req-0123456789\n",
        "req-0123456789\r\nSet-Cookie: x=1",
        "short",
        "x" * 65,
        "with space 123",
        "中文请求编号12345",
        "../../etc/passwd",
        "",
    ],
)
def test_anything_else_is_replaced_by_a_generated_id(client, value):
    response = client.get("/", HTTP_X_REQUEST_ID=value)
    assert response.status_code == 200
    assert GENERATED.match(response["X-Request-ID"])
