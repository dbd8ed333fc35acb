"""The bulk download: every release as gzipped JSON Lines, rebuilt on demand."""

import gzip
import json

from opendata import packages
from opendata.models import BulkFile, Release
from opendata.services import releases_refresh
from opendata.tasks import build_bulk_file


def _download(client) -> list[dict]:
    response = client.get("/api/v1/ocds/bulk/releases.jsonl.gz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    raw = gzip.decompress(b"".join(response.streaming_content))
    return [json.loads(line) for line in raw.decode().splitlines()]


def test_bulk_file_holds_every_release_newest_first_and_validates(contract, client):
    releases_refresh()
    assert build_bulk_file.delay().get() == Release.objects.count()
    lines = _download(client)
    expected = list(Release.objects.order_by("-date", "-id").values_list("release_id", flat=True))
    assert [r["id"] for r in lines] == expected
    package = packages.release_package(uri="https://example.org/bulk", releases=lines)
    assert packages.errors(package, "release") == []


def test_bulk_info_shows_size_and_build_time_and_the_page_shows_them(contract, client, api):
    assert api.get("/api/v1/ocds/bulk/").status_code == 404
    build_bulk_file()
    bulk = BulkFile.objects.get()
    info = api.get("/api/v1/ocds/bulk/").json()
    assert info["size"] == bulk.size == bulk.file.size
    assert info["release_count"] == bulk.release_count > 0
    assert info["built_at"] and float(info["build_seconds"]) >= 0
    page = client.get("/open-data/").content.decode()
    assert "releases.jsonl.gz" in page and bulk.sha256 in page


def test_rebuilding_replaces_the_file(contract, client):
    build_bulk_file()
    first = BulkFile.objects.get()
    old_name = first.file.name
    build_bulk_file()
    assert BulkFile.objects.count() == 1
    again = BulkFile.objects.get()
    assert again.sha256 == first.sha256
    assert again.file.name == old_name or not first.file.storage.exists(old_name)
    assert len(_download(client)) == again.release_count


def test_an_officer_rebuilds_the_bulk_file_on_demand(
    contract, client, officer, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    assert "Rebuild the bulk file now" in client.get("/open-data/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/open-data/bulk/rebuild/")
    assert response.status_code == 302
    assert BulkFile.objects.get().release_count == Release.objects.count() > 0


def test_nobody_else_can_rebuild_the_bulk_file(contract, client, org_admin, auditor):
    assert client.post("/open-data/bulk/rebuild/").status_code == 403
    assert "Rebuild the bulk file now" not in client.get("/open-data/").content.decode()
    for user in (org_admin, auditor):
        client.force_login(user)
        assert client.post("/open-data/bulk/rebuild/").status_code == 403
        assert client.get("/open-data/bulk/rebuild/").status_code == 405
    assert not BulkFile.objects.exists()
