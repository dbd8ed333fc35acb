"""The bulk download: every release, newest first, as gzipped JSON Lines.

Built by streaming rows from the database into a gzip file on disk (bounded
memory whatever the number of releases), then stored in the configured file
storage under a fixed name, replacing the previous build.
"""

from __future__ import annotations

import gzip
import hashlib
import tempfile
import time
from decimal import Decimal

from django.core.files import File
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from ..models import BulkFile, Release

NAME = "releases"
FILENAME = "releases.jsonl.gz"
CHUNK = 2000


def write_releases(fileobj) -> int:
    """Write every release as one JSON line into ``fileobj`` (gzip); returns the count."""
    count = 0
    # The stored JSON text as the database holds it: no decoding and re-encoding.
    rows = (
        Release.objects.order_by("-date", "-id")
        .annotate(text=Cast("data", output_field=TextField()))
        .values_list("text", flat=True)
    )
    with gzip.GzipFile(fileobj=fileobj, mode="wb", mtime=0) as gz:
        for text in rows.iterator(chunk_size=CHUNK):
            gz.write(text.encode())
            gz.write(b"\n")
            count += 1
    return count


def bulk_build() -> BulkFile:
    """Rebuild the bulk file. Safe to run twice (the second build replaces the first)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as tmp:
        count = write_releases(tmp)
        size = tmp.tell()
        tmp.seek(0)
        sha = hashlib.sha256()
        for block in iter(lambda: tmp.read(1 << 20), b""):
            sha.update(block)
        tmp.seek(0)
        with transaction.atomic():
            bulk = BulkFile.objects.select_for_update().filter(name=NAME).first()
            old = bulk.file.name if bulk and bulk.file else None
            if bulk is None:
                bulk = BulkFile(name=NAME)
            bulk.file.save(FILENAME, File(tmp), save=False)
            bulk.size = size
            bulk.release_count = count
            bulk.sha256 = sha.hexdigest()
            bulk.built_at = timezone.now()
            bulk.build_seconds = Decimal(f"{time.perf_counter() - started:.3f}")
            bulk.save()
    if old and old != bulk.file.name:
        bulk.file.storage.delete(old)
    return bulk
