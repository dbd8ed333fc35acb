"""Demo open data: publish the demo's signed contracts, build the OCDS
releases and the bulk file. Safe to run twice (every step is idempotent)."""

from __future__ import annotations

from .services import bulk_build, contracts_publish_due, releases_refresh


def seed(context):
    log = context.get("log", print)
    published = contracts_publish_due()
    counts = releases_refresh()
    bulk = bulk_build()
    log(
        f"Open data: {len(published)} contract(s) published, "
        f"{counts['created']} release(s) new, {counts['updated']} updated; "
        f"bulk file {bulk.release_count} releases, {bulk.size} bytes"
    )
