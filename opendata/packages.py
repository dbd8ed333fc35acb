"""OCDS packages: release packages and record packages (compiled with ocdsmerge),
and offline validation against the vendored OCDS 1.1.5 schemas."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import ocdsmerge
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from .ocds import absolute, iso

SCHEMA_DIR = Path(__file__).resolve().parent / "schema" / "1.1.5"
VERSION = "1.1"


@cache
def schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    """Every vendored schema under its canonical URL: nothing is fetched."""
    resources = []
    for name in (
        "release-schema.json",
        "release-package-schema.json",
        "record-package-schema.json",
    ):
        body = schema(name)
        resources.append((body["id"], Resource.from_contents(body, default_specification=DRAFT4)))
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft4Validator:
    return Draft4Validator(schema(name), registry=_registry())


def errors(package: dict, kind: str) -> list[str]:
    """Schema errors of a release package (``kind="release"``) or record package."""
    v = validator(f"{kind}-package-schema.json")
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in v.iter_errors(package)]


def _meta(uri: str) -> dict:
    publisher = {"name": settings.OCDS_PUBLISHER_NAME}
    if settings.OCDS_PUBLISHER_UID:
        publisher |= {"scheme": "CN-USCC", "uid": settings.OCDS_PUBLISHER_UID}
    return {
        "uri": uri,
        "version": VERSION,
        "publishedDate": iso(timezone.now()),
        "publisher": publisher,
        "license": settings.OCDS_LICENSE,
        "publicationPolicy": absolute(reverse("opendata:policy")),
    }


def release_package(*, uri: str, releases: list[dict], next_url: str | None = None) -> dict:
    package = _meta(uri)
    package["releases"] = releases
    if next_url:
        package["links"] = {"next": next_url}
    return package


@cache
def _merger() -> ocdsmerge.Merger:
    return ocdsmerge.Merger(schema=schema("release-schema.json"))


def record(*, ocid: str, releases: list[dict]) -> dict:
    """A record: links to the releases and the compiled release (latest state)."""
    ordered = sorted(releases, key=lambda r: r["date"])
    url = absolute(reverse("api:ocds-release-detail", args=[ocid]))
    return {
        "ocid": ocid,
        "releases": [
            {"url": f"{url}#{r['id']}", "date": r["date"], "tag": r["tag"]} for r in ordered
        ],
        "compiledRelease": _merger().create_compiled_release(ordered),
    }


def record_package(*, uri: str, records: list[dict]) -> dict:
    package = _meta(uri)
    package["packages"] = [
        absolute(reverse("api:ocds-release-detail", args=[r["ocid"]])) for r in records
    ]
    package["records"] = records
    return package
