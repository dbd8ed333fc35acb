"""The OCDS feed under /api/v1/ocds/: anonymous, read-only, paginated by keyset,
and clear about bad input."""

import datetime as dt

import pytest
from django.utils import timezone

from opendata.models import Release
from opendata.services import releases_refresh

from .helpers import package_errors, stored_release

pytestmark = pytest.mark.usefixtures("fed")

LIST = "/api/v1/ocds/releases/"


def test_release_list_pages_newest_first_with_links_next_and_validates(api):
    same_time = timezone.now() - dt.timedelta(days=1)
    rows = [stored_release(n) for n in range(5)] + [
        stored_release(10 + n, when=same_time) for n in range(3)
    ]
    seen, url = [], f"{LIST}?page_size=3"
    while url:
        response = api.get(url)
        assert response.status_code == 200
        body = response.json()
        assert body["version"] == "1.1" and body["publisher"]["name"]
        assert body["license"] and body["publicationPolicy"].endswith(
            "/open-data/publication-policy/"
        )
        seen += [r["id"] for r in body["releases"]]
        url = body.get("links", {}).get("next")
    expected = sorted(rows, key=lambda r: (r.date, r.id), reverse=True)
    assert seen == [r.release_id for r in expected]


def test_release_package_and_record_package_of_one_process(api, contract):
    releases_refresh()
    ocid = Release.objects.values_list("ocid", flat=True).first()
    package = api.get(f"{LIST}{ocid}/").json()
    assert {r["ocid"] for r in package["releases"]} == {ocid}
    records = api.get(f"/api/v1/ocds/records/{ocid}/").json()
    assert records["records"][0]["ocid"] == ocid
    assert records["records"][0]["compiledRelease"]["tag"] == ["compiled"]
    assert package_errors(ocid) == []


def test_unknown_ocid_is_a_json_404(api):
    for url in (f"{LIST}ocds-demo00-NOPE-1/", "/api/v1/ocds/records/ocds-demo00-NOPE-1/"):
        response = api.get(url)
        assert response.status_code == 404
        assert "detail" in response.json()


@pytest.mark.parametrize("cursor", ["@@@", "bm90LWEtY3Vyc29y", "MjAyNi0wMS0wMXxhYmM"])
def test_malformed_cursor_is_a_400_naming_the_field(api, cursor):
    stored_release(1)
    response = api.get(f"{LIST}?cursor={cursor}")
    assert response.status_code == 400
    assert "cursor" in response.json()


@pytest.mark.parametrize("size", ["0", "-1", "x", "100000"])
def test_bad_page_size_is_a_400(api, size):
    response = api.get(f"{LIST}?page_size={size}")
    assert response.status_code == 400
    assert "page_size" in response.json()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_feed_is_read_only(api, method, contract):
    releases_refresh()
    ocid = Release.objects.values_list("ocid", flat=True).first()
    count = Release.objects.count()
    for url in (LIST, f"{LIST}{ocid}/", f"/api/v1/ocds/records/{ocid}/", "/api/v1/ocds/bulk/"):
        assert getattr(api, method)(url, {}).status_code == 405
    assert Release.objects.count() == count


def test_feed_is_anonymous_even_with_a_bad_token(api):
    stored_release(1)
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get(LIST).status_code == 200


def test_feed_answers_are_cached(api, settings):
    settings.OCDS_CACHE_SECONDS = 60
    stored_release(1)
    first = api.get(LIST).json()
    stored_release(0, when=timezone.now())
    assert api.get(LIST).json()["releases"] == first["releases"]
