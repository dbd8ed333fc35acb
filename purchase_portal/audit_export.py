"""The audit trail as a CSV file for spreadsheets, produced row by row.

The file starts with a UTF-8 byte-order mark so that Excel opens Chinese text
correctly; labels are in the reader's language, codes stay beside them so the
file can be matched with the API and the chain.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.utils import translation
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from . import audit_labels

#: Rows read from the database at a time.
CHUNK = 2000


class _Line:
    """A file-like object whose ``write`` hands the line back to the writer."""

    def write(self, value: str) -> str:
        return value


def _header() -> list[str]:
    return [
        _("Number"),
        _("Time"),
        _("Who"),
        _("User name"),
        _("What happened"),
        _("Action code"),
        _("Kind of record"),
        _("Record number"),
        _("Record"),
        _("Changes"),
        _("IP address"),
        _("Request id"),
        _("Hash"),
    ]


def _changes_text(event) -> str:
    return "; ".join(
        f"{c.label}: {c.before or '—'} → {c.after or '—'}" for c in audit_labels.changes(event)
    )


def csv_rows(events: Iterable) -> Iterator[str]:
    """Lines of the file; written in the language active when it is asked for,
    even though the rows are produced after the view has returned."""
    return _rows(events, translation.get_language())


def _rows(events: Iterable, language: str | None) -> Iterator[str]:
    writer = csv.writer(_Line())
    with translation.override(language):
        header = _header()
    yield "\ufeff" + writer.writerow(header)
    iterator = events.iterator(chunk_size=CHUNK) if hasattr(events, "iterator") else events
    for e in iterator:
        with translation.override(language):
            line = _row(e)
        yield writer.writerow(line)


def _row(e) -> list:
    return [
        e.seq,
        localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
        e.actor.display_name if e.actor_id and hasattr(e.actor, "display_name") else "",
        e.actor_label,
        audit_labels.action_label(e.action),
        e.action,
        audit_labels.object_type_label(e.object_type),
        e.object_id,
        e.object_repr,
        _changes_text(e),
        e.ip,
        e.request_id,
        e.hash,
    ]
