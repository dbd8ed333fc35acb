"""The review API is in the OpenAPI schema, with public read access to notices."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/v1/panels/",
    "/api/v1/panels/draw/",
    "/api/v1/panels/draws/",
    "/api/v1/panels/mine/",
    "/api/v1/panels/{id}/declare/",
    "/api/v1/panels/{id}/bidders/",
    "/api/v1/scores/",
    "/api/v1/scores/{id}/submit/",
    "/api/v1/scores/{id}/sign/",
    "/api/v1/scores/results/",
    "/api/v1/awards/propose/",
    "/api/v1/awards/{id}/confirm/",
    "/api/v1/notices/",
    "/api/v1/notices/{id}/",
    "/api/v1/objections/",
    "/api/v1/objections/{id}/answer/",
]


def test_the_review_api_is_in_the_schema(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    assert set(PATHS) <= set(schema["paths"])
    # State changes are POST actions; notices are readable without signing in.
    assert set(schema["paths"]["/api/v1/scores/{id}/submit/"]) == {"post"}
    assert {} in schema["paths"]["/api/v1/notices/"]["get"]["security"]
    assert {} not in schema["paths"]["/api/v1/notices/"]["post"]["security"]
    sheet = schema["components"]["schemas"]["ScoreSheetSaveRequest"]
    assert set(sheet["required"]) == {"lot", "scores"}
