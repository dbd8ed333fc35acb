"""What every release is built from: identifiers, dates, money, parties."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from bidding.models import Bid
from purchase_portal.calendar import SHANGHAI

CURRENCY = "CNY"
ORG_SCHEME = "CN-USCC"  # 统一社会信用代码 (org-id.guide)
CATEGORY_SCHEME = "x_PurchaseCatalogueCategory"

#: Bid statuses of bids that were submitted (and so were tendered at the opening).
TENDERED_BID_STATUSES = [
    Bid.Status.SUBMITTED,
    Bid.Status.QUALIFIED,
    Bid.Status.DISQUALIFIED,
    Bid.Status.AWARDED,
    Bid.Status.NOT_AWARDED,
]


def ocid_for(*, round_code: str, lot_number: int) -> str:
    return f"{settings.OCDS_OCID_PREFIX}-{round_code}-{lot_number}"


def iso(value: dt.datetime | dt.date | None) -> str | None:
    """An OCDS date-time: aware datetimes in UTC, dates at Shanghai midnight."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return dt.datetime.combine(value, dt.time.min, tzinfo=SHANGHAI).isoformat()


def money(amount: Decimal | None) -> dict | None:
    if amount is None:
        return None
    return {"amount": float(amount), "currency": CURRENCY}


def party_id(org) -> str:
    return f"{ORG_SCHEME}-{org.credit_code}"


def org_ref(org) -> dict:
    return {"id": party_id(org), "name": org.name}


@dataclass
class Parties:
    """The parties of a release with their roles (organizations only)."""

    by_id: dict[str, dict] = field(default_factory=dict)

    def add(self, org, *roles: str) -> dict:
        pid = party_id(org)
        party = self.by_id.get(pid)
        if party is None:
            party = {
                "id": pid,
                "name": org.name,
                "identifier": {"scheme": ORG_SCHEME, "id": org.credit_code, "legalName": org.name},
                "roles": [],
            }
            if org.street_id is not None:
                party["address"] = {"locality": org.street.name, "countryName": "中国"}
            self.by_id[pid] = party
        for role in roles:
            if role not in party["roles"]:
                party["roles"].append(role)
        return {"id": pid, "name": org.name}

    def as_list(self) -> list[dict]:
        return list(self.by_id.values())


@dataclass
class Event:
    """A release before its date is settled: ``date`` None means the portal has
    no timestamp for the event; it gets the time it was first published."""

    release_id: str
    ocid: str
    date: dt.datetime | None
    tags: list[str]
    data: dict


@dataclass
class LotContext:
    """What one lot's releases need, loaded in bulk by the caller."""

    federation: object
    tenderers: list = field(default_factory=list)  # organizations, only after opening
    evaluations: list = field(default_factory=list)  # milestones of the lot's contracts
    grades: dict = field(default_factory=dict)  # evaluation id → approved evaluation


def classification(category) -> dict:
    return {"scheme": CATEGORY_SCHEME, "id": category.code, "description": category.name_zh}


def base_release(ocid: str, rid: str, tags: list[str], parties: Parties, fed, **sections) -> dict:
    release = {
        "ocid": ocid,
        "id": rid,
        "date": None,
        "tag": tags,
        "initiationType": "tender",
        "language": "zh",
        "buyer": parties.add(fed, "buyer"),
    }
    release.update({k: v for k, v in sections.items() if v is not None})
    release["parties"] = parties.as_list()
    return release


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def settle_date(event: Event, known: dt.datetime | None) -> dt.datetime:
    return event.date or known or timezone.now()
