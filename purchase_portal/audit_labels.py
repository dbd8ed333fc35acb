"""The audit trail in plain words: names for object types, actions and fields.

Events store codes (``organizations.organization``, ``round.publish``,
``budget_ceiling``); readers choose and read them as words in their language.
An object type is named by its model's ``verbose_name``; an action by its
object and either its workflow transition's label (``round.publish`` →
"Purchase round: Publish") or a verb below; a field by the model field's
``verbose_name``. A code nobody named is shown as it is, never hidden.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditChainHead
from .transitions import WORKFLOWS

#: How long the lists of object types and actions in the trail are kept.
CHOICES_CACHE_SECONDS = 600

#: Actions that are not a workflow transition, by their verb.
VERBS = {
    "add": gettext_lazy("added"),
    "amend": gettext_lazy("amended"),
    "answer": gettext_lazy("answered"),
    "apply": gettext_lazy("applied"),
    "approve_approver": gettext_lazy("approved by the approver"),
    "approve_finance": gettext_lazy("approved by finance"),
    "ask": gettext_lazy("question asked"),
    "assign": gettext_lazy("assigned"),
    "attachment_add": gettext_lazy("attachment added"),
    "attachment_remove": gettext_lazy("attachment removed"),
    "authorize": gettext_lazy("authorized"),
    "block": gettext_lazy("blocked"),
    "budget_approve": gettext_lazy("budget approved"),
    "cancel_reason": gettext_lazy("reason for cancelling given"),
    "choose": gettext_lazy("chosen"),
    "create": gettext_lazy("created"),
    "deadline_extended": gettext_lazy("deadline extended"),
    "delete": gettext_lazy("deleted"),
    "disable": gettext_lazy("turned off"),
    "download": gettext_lazy("downloaded"),
    "draw": gettext_lazy("drawn"),
    "draw_replacement": gettext_lazy("replacement drawn"),
    "due_date": gettext_lazy("due date set"),
    "enable": gettext_lazy("turned on"),
    "evidence": gettext_lazy("evidence added"),
    "file": gettext_lazy("filed"),
    "follow_up": gettext_lazy("followed up"),
    "key_created": gettext_lazy("opening key created"),
    "key_holders": gettext_lazy("key holders named"),
    "lockout": gettext_lazy("locked out"),
    "mentoring_log": gettext_lazy("mentoring recorded"),
    "milestone_achieved": gettext_lazy("milestone achieved"),
    "opening_record": gettext_lazy("opening record made"),
    "paid_total": gettext_lazy("total paid recorded"),
    "password_change": gettext_lazy("password changed"),
    "pdf": gettext_lazy("PDF made"),
    "permissions": gettext_lazy("permissions changed"),
    "plan": gettext_lazy("planned"),
    "propose": gettext_lazy("proposed"),
    "publish": gettext_lazy("published"),
    "qualification": gettext_lazy("qualification checked"),
    "qualification_complete": gettext_lazy("qualification completed"),
    "receipt": gettext_lazy("receipt issued"),
    "register": gettext_lazy("registered"),
    "related_bidders_decision": gettext_lazy("related bidders decided"),
    "remove": gettext_lazy("removed"),
    "replace": gettext_lazy("replaced"),
    "report": gettext_lazy("report made"),
    "report_schedule": gettext_lazy("report schedule set"),
    "reset": gettext_lazy("reset"),
    "respond": gettext_lazy("responded"),
    "response": gettext_lazy("response given"),
    "revoke": gettext_lazy("revoked"),
    "revoke_all": gettext_lazy("all revoked"),
    "role_add": gettext_lazy("role given"),
    "rubric": gettext_lazy("rubric set"),
    "save": gettext_lazy("saved"),
    "set": gettext_lazy("set"),
    "share_invalid": gettext_lazy("key share refused"),
    "share_presented": gettext_lazy("key share presented"),
    "share_withdrawn": gettext_lazy("key share withdrawn"),
    "sign": gettext_lazy("signed"),
    "support": gettext_lazy("support recorded"),
    "tie_draw": gettext_lazy("tie drawn"),
    "tranche_plan": gettext_lazy("payment plan set"),
    "update": gettext_lazy("changed"),
}

#: Objects of actions whose prefix names no model.
NOUNS = {
    "api_token": gettext_lazy("API token"),
    "evaluation_template": gettext_lazy("evaluation template"),
    "evidence": gettext_lazy("evidence file"),
    "expert": gettext_lazy("expert"),
    "panel": gettext_lazy("expert panel"),
    "two_factor": gettext_lazy("two-factor sign-in"),
}


@functools.cache
def _project_models() -> tuple[type[models.Model], ...]:
    """Models of the portal's own apps (not Django's or a library's); the
    models do not change while the process runs, so they are listed once."""
    root = str(Path(settings.BASE_DIR).resolve())
    return tuple(
        m
        for m in apps.get_models()
        if str(Path(m._meta.app_config.path).resolve()).startswith(root)
        or m._meta.label == settings.AUTH_USER_MODEL
    )


def _per_language(function):
    """Remember ``function``'s answers per language: the labels come from the
    models, workflows and translations only, and the trail shows the same few
    hundred of them on every page."""
    remembered = functools.lru_cache(maxsize=4096)(lambda language, *args: function(*args))

    @functools.wraps(function)
    def wrapper(*args):
        return remembered(translation.get_language(), *args)

    wrapper.cache_clear = remembered.cache_clear
    return wrapper


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


@_per_language
def object_type_label(object_type: str) -> str:
    model = _model(object_type)
    return str(capfirst(model._meta.verbose_name)) if model else object_type


def _noun(prefix: str) -> str:
    workflow = WORKFLOWS.get(prefix)
    if workflow is not None:
        return str(workflow.model._meta.verbose_name)
    if prefix in NOUNS:
        return str(NOUNS[prefix])
    wanted = prefix.replace("_", "")
    for model in _project_models():
        if model._meta.model_name == wanted:
            return str(model._meta.verbose_name)
    return prefix.replace("_", " ")


@_per_language
def action_label(action: str) -> str:
    """``round.publish`` → "Purchase round: Publish" (in the active language)."""
    prefix, _dot, verb = action.partition(".")
    workflow = WORKFLOWS.get(prefix)
    if workflow is not None:
        try:
            transition = workflow[verb]
        except KeyError:
            transition = None
        if transition is not None and transition.label:
            return _join(prefix, transition.label)
    if verb in VERBS:
        return _join(prefix, VERBS[verb])
    return action


def _join(prefix: str, what) -> str:
    return _("%(object)s: %(action)s") % {"object": capfirst(_noun(prefix)), "action": what}


def _distinct(column: str, queryset) -> list[str]:
    # Keyed by the chain head: a new event makes a new list; reading the trail
    # without new events reuses it.
    head = AuditChainHead.objects.filter(pk=1).values_list("hash", flat=True).first() or ""
    key = f"audit-labels:{column}:{head}"
    values = cache.get(key)
    if values is None:
        values = sorted(set(queryset.order_by().values_list(column, flat=True).distinct()))
        cache.set(key, values, CHOICES_CACHE_SECONDS)
    return values


def object_type_choices(queryset) -> list[tuple[str, str]]:
    """The object types found in the (readable) trail, by name."""
    rows = [(v, object_type_label(v)) for v in _distinct("object_type", queryset)]
    return sorted(rows, key=lambda row: row[1])


def action_choices(queryset) -> list[tuple[str, str]]:
    """The actions found in the (readable) trail, by name."""
    rows = [(v, action_label(v)) for v in _distinct("action", queryset)]
    return sorted(rows, key=lambda row: row[1])


# Before and after ------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str


@_per_language
def field_label(object_type: str, name: str) -> str:
    model = _model(object_type)
    if model is not None:
        try:
            return str(capfirst(model._meta.get_field(name).verbose_name))
        except (FieldDoesNotExist, AttributeError):
            pass
    return capfirst(name.replace("_", " "))


def _choice_label(model, name: str, value) -> str | None:
    if model is None:
        return None
    choices = _choice_labels(model, name)
    try:
        return choices.get(value)
    except TypeError:  # an unhashable value is no choice
        return None


@_per_language
def _choice_labels(model, name: str) -> dict:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return {}
    return {value: str(label) for value, label in getattr(field, "flatchoices", None) or []}


def readable_value(value, *, model=None, name: str = "") -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    choice = _choice_label(model, name, value) if name else None
    if choice is not None:
        return choice
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and "T" in value:
        from django.utils.dateparse import parse_datetime
        from django.utils.timezone import localtime

        moment = parse_datetime(value)
        if moment is not None:
            return date_format(localtime(moment), "Y-m-d H:i", use_l10n=False)
    return str(value)


def changes(event) -> list[Change]:
    """The event's before and after side by side, one row per field."""
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    if not before and not after:
        return []
    if event.before not in (None, {}) and not isinstance(event.before, dict):
        before = {"value": event.before}
    if event.after not in (None, {}) and not isinstance(event.after, dict):
        after = {"value": event.after}
    model = _model(event.object_type)
    names = list(dict.fromkeys([*before, *after]))
    return [
        Change(
            field=name,
            label=field_label(event.object_type, name),
            before=readable_value(before.get(name), model=model, name=name)
            if name in before
            else "",
            after=readable_value(after.get(name), model=model, name=name) if name in after else "",
        )
        for name in names
    ]
