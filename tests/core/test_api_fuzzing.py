"""The whole OpenAPI schema fuzzed with schemathesis, anonymously and as each role.

Requests go to the in-process WSGI application (no network). Every answer must
be something other than a server error and must match what the schema says:
a documented status code, content type and body shape. Throttling is off for
the run (the throttles would otherwise answer 429, which is not the subject).
Examples per operation are bounded so the whole run stays within minutes.
"""

from __future__ import annotations

import functools
import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from purchase_portal.roles import Role
from purchase_portal.tokens import token_issue

from ..factories import MembershipFactory, UserFactory

EXAMPLES_PER_OPERATION = 3
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@functools.cache
def _schema():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(raw)))


def _user(kind: str):
    if kind == "anonymous":
        return None
    if kind in {"org_admin", "org_member"}:
        return MembershipFactory(role=kind.removeprefix("org_")).user
    return UserFactory(roles=[kind])


def _fuzz(operation, app, headers, failures):
    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        try:
            case.call_and_validate(app=app, headers=headers, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # collected, reported together below
            lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
            failures.append(" | ".join([operation.label, *lines[1:5]]))

    run()


@pytest.mark.parametrize(
    "kind",
    ["anonymous", *[role.value for role in Role], "org_admin", "org_member"],
)
def test_every_api_operation_answers_within_its_schema(kind, transactional_db, monkeypatch):
    # Each request commits on its own, as in production: a refused value (a bigint
    # beyond range on PostgreSQL) cannot poison the requests after it.
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)
    user = _user(kind)
    headers = {}
    if user is not None:
        _row, key = token_issue(user=user)
        headers["Authorization"] = f"Token {key}"
    app = get_wsgi_application()
    failures: list[str] = []
    operations = 0
    for result in _schema().get_all_operations():
        operation = result.ok()
        operations += 1
        _fuzz(operation, app, headers, failures)
    assert operations > 50
    assert not failures, "\n".join(sorted(set(failures)))


def test_an_address_no_api_view_answers_gets_a_json_404(api, officer):
    api.force_authenticate(officer)
    response = api.get("/api/v1/contracts/1.5/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_an_unknown_page_still_gets_the_html_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_refused_query_parameter_answers_with_a_detail_and_the_field_message(api, officer):
    api.force_authenticate(officer)
    response = api.get("/api/v1/contracts/", {"year": "0"})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and body["year"]
