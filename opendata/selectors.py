"""Reads of published open data. Everything here is public: the selectors
return only what may be published (signed and published contracts, stored
releases), so no user scoping is needed."""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404

from contracts.models import Contract, ContractAmendment, PaymentTranche
from evaluation.selectors import approved_evaluations

from .models import BulkFile, ContractPublication, Release
from .ocds import ocid_for

# --- Releases ----------------------------------------------------------------


class BadCursor(ValueError):
    pass


def encode_cursor(date: dt.datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{date.isoformat()}|{pk}".encode()).decode().rstrip("=")


def decode_cursor(value: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        when, pk = raw.split("|")
        date = dt.datetime.fromisoformat(when)
        if date.tzinfo is None:
            raise BadCursor(value)
        return date, int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise BadCursor(value) from exc


def release_page(*, after: tuple[dt.datetime, int] | None, size: int):
    """One page of every release, newest first (keyset on date and id: no
    COUNT and no OFFSET). Returns the rows and the key of the next page."""
    qs = Release.objects.order_by("-date", "-id")
    if after is not None:
        date, pk = after
        qs = qs.filter(Q(date__lt=date) | Q(date=date, id__lt=pk))
    rows = list(qs.values_list("id", "date", "data")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_key = (rows[-1][1], rows[-1][0]) if more else None
    return [data for _pk, _date, data in rows], next_key


def releases_for_ocid(*, ocid: str) -> list[dict]:
    rows = list(
        Release.objects.filter(ocid=ocid).order_by("date", "id").values_list("data", flat=True)
    )
    if not rows:
        raise Http404
    return rows


def bulk_file() -> BulkFile | None:
    return BulkFile.objects.filter(name="releases").first()


# --- Public contract summaries -------------------------------------------------


def contract_public_list() -> QuerySet[Contract]:
    """Contracts whose summary is published (signed by both sides, see
    ``opendata.services.publication``), for lists."""
    return Contract.objects.filter(publication__isnull=False).select_related(
        "organization", "award__lot__category", "award__lot__round", "publication"
    )


def contract_public_get(*, number: str) -> Contract:
    qs = (
        contract_public_list()
        .prefetch_related(
            "targets",
            Prefetch("tranches", queryset=PaymentTranche.objects.order_by("order")),
            Prefetch(
                "amendments",
                queryset=ContractAmendment.objects.filter(
                    status=ContractAmendment.Status.APPROVED
                ).order_by("number"),
                to_attr="amendments_in_force",
            ),
            "project__streets",
        )
        .select_related("federation")
    )
    contract = qs.filter(number=number).first()
    if contract is None:
        raise Http404
    return contract


def contract_public_grades(*, contract_id: int) -> list:
    """The contract's approved evaluations (grades are published once approved)."""
    return list(approved_evaluations(contract_ids=[contract_id]))


def latest_ocid() -> str | None:
    return Release.objects.order_by("-date", "-id").values_list("ocid", flat=True).first()


def ocid_of_contract(contract: Contract) -> str:
    lot = contract.award.lot
    return ocid_for(round_code=lot.round.code, lot_number=lot.number)


def publication_figures() -> tuple[int, int]:
    """(backlog, late): how many signed contracts wait for publication, and how
    many records were published after their due time.

    The backlog comes from two counts: every signed contract gets exactly one
    publication and keeps it, so the difference is the backlog (two counts
    instead of matching 20,000 contracts against their publications on every
    dashboard view). One pass over the publications counts them all and the
    late ones."""
    signed = Contract.objects.filter(
        status__in=Contract.SIGNED_STATUSES, activated_at__isnull=False
    ).count()
    published = ContractPublication.objects.aggregate(
        total=Count("id"), late=Count("id", filter=Q(published_at__gt=F("due_at")))
    )
    return max(0, signed - published["total"]), published["late"]


def contracts_awaiting_publication() -> QuerySet[Contract]:
    """Signed contracts whose open-data record is not published yet, oldest first."""
    return Contract.objects.filter(
        status__in=Contract.SIGNED_STATUSES,
        activated_at__isnull=False,
        publication__isnull=True,
    ).order_by("activated_at")
