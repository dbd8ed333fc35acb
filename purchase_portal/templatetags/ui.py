"""Readable numbers and status tags, the same on every page:

- ``{{ amount|money }}``: thousands separators and the unit of the reader's language
  (``12,000.00元`` / ``12,000.00 CNY``); ``{{ amount|money:"bare" }}`` without the unit,
  for table columns whose heading names it;
- ``{{ amount|money_capitals }}``: the amount in Chinese capitals (大写金额) as contracts,
  receipts and payment records write it (``壹万贰仟元整``);
- ``{% status_tag obj %}`` or ``{% status_tag status label %}``: a coloured tag whose
  colour (tone) depends only on the status, portal-wide (``STATUS_TONES``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

import cn2an
from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils.html import format_html
from django.utils.safestring import SafeData
from django.utils.translation import get_language
from django.utils.translation import gettext as _t

register = template.Library()

#: Every status the portal shows, by tone (a test holds that every model's status is
#: listed). A status not listed is shown neutral (grey).
STATUS_TONES: dict[str, tuple[str, ...]] = {
    # done, in force, good
    "success": (
        "verified",
        "approved",
        "final",
        "active",
        "paid",
        "accepted",
        "completed",
        "awarded",
        "confirmed",
        "qualified",
        "signed",
        "attended",
        "graduated",
        "done",
        "passed",
        "upheld",
        "granted",
    ),
    # stopped, refused, late
    "danger": (
        "rejected",
        "suspended",
        "cancelled",
        "failed",
        "terminated",
        "overdue",
        "disqualified",
        "absent",
        "not_awarded",
        "dismissed",
        "revoked",
    ),
    # waiting for someone's action
    "warning": (
        "pending",
        "due",
        "awaiting_signatures",
        "requested",
        "eligible",
        "submitted",
        "returned",
        "responded",
        "proposed",
        "notice",
        "in_review",
        "recused",
    ),
    # running, open
    "info": (
        "published",
        "open",
        "opened",
        "closed",
        "in_progress",
        "planned",
        "scheduled",
        "running",
        "queued",
        "registered",
        "incubating",
    ),
    # not started, over or withdrawn: nothing to do
    "neutral": ("draft", "withdrawn", "ended"),
}
_TONE_OF = {status: tone for tone, statuses in STATUS_TONES.items() for status in statuses}


def tone_of(status: str) -> str:
    """The tone of a status: success, danger, warning, info or neutral."""
    return _TONE_OF.get(str(status), "neutral")


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).replace(",", ""))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def money(value, arg: str = ""):
    """An amount of CNY with thousands separators and 2 decimals, and the unit of the
    reader's language unless ``arg`` is ``"bare"``; "—" when there is no amount."""
    amount = _decimal(value)
    if amount is None:
        return "—" if value in (None, "") else value
    number = f"{amount.quantize(Decimal('0.01')):,.2f}"
    if arg == "bare":
        return number
    return _t("%(amount)s CNY") % {"amount": number}


@register.filter
def money_capitals(value) -> str:
    """The amount in Chinese capitals (大写金额, e.g. 壹万贰仟元整); "" when there is none."""
    amount = _decimal(value)
    if amount is None:
        return ""
    amount = amount.quantize(Decimal("0.01"))
    words = cn2an.an2cn(f"{abs(amount):f}", "rmb")
    return f"负{words}" if amount < 0 else words


def _model_status_label(obj, status: str) -> str:
    """The label of a model's status, read from the field's choices once per
    model, status and language (list pages show the same few labels on every row)."""
    key = (type(obj), status, get_language())
    label = _STATUS_LABELS.get(key)
    if label is None:
        label = _STATUS_LABELS[key] = str(obj.get_status_display())
    return label


#: (model, status, language) → label; bounded by the statuses the models declare.
_STATUS_LABELS: dict[tuple[type, str, str | None], str] = {}


@lru_cache(maxsize=256)
def _status_has_choices(model: type[Model]) -> bool:
    try:
        return bool(model._meta.get_field("status").choices)
    except FieldDoesNotExist:
        return False


@lru_cache(maxsize=2048)
def _status_html(status: str, label: str) -> str:
    return format_html(
        '<span class="status status-{} ui-tag ui-tag--{}">{}</span>', status, tone_of(status), label
    )


@register.simple_tag
def status_tag(obj, label=None):
    """A status as a coloured tag. ``obj`` is a model with ``status`` (and
    ``get_status_display``) or a status code with its ``label``."""
    if hasattr(obj, "status"):
        status = obj.status
        if label is None:
            if isinstance(obj, Model) and _status_has_choices(type(obj)):
                label = _model_status_label(obj, status)
            else:
                display = getattr(obj, "get_status_display", None)
                label = display() if callable(display) else status
    else:
        status = obj
    status = str(status or "")
    label = label if label is not None else status
    if isinstance(label, str) and not isinstance(label, SafeData):
        return _status_html(status, label)
    return format_html(
        '<span class="status status-{} ui-tag ui-tag--{}">{}</span>',
        status,
        tone_of(status),
        label,
    )
