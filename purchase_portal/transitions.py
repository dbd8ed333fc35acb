"""The one mechanism that changes a status.

Each model with a lifecycle declares a ``Workflow``: its allowed transitions,
who may take each one (a ``rules`` predicate of user and object) and the
audit action name. A service runs a transition with ``workflow.run(...)``,
which, in one transaction:

1. locks the row (``select_for_update``) and re-reads it;
2. checks the permission, the source state and the service's guard;
3. sets the new status and any accompanying field changes and saves them
   with ``update_fields``;
4. writes the audit event (before/after of the changed fields);
5. lets the service create notifications, whose e-mail goes out on commit.

No other code assigns a status field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import rules
from django.conf import settings
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import audit
from .errors import ConflictError, NotFoundError, PermissionDeniedError


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    permission: Any = None  # rules.Predicate or callable(user, obj) -> bool
    label: Any = ""

    def permits(self, user, obj) -> bool:
        if self.permission is None:
            return True
        predicate = (
            self.permission
            if isinstance(self.permission, rules.Predicate)
            else rules.predicate(self.permission)
        )
        return bool(predicate.test(user, obj))


#: Every workflow by its audit prefix, so the audit trail can name an action
#: ("round.publish") in the words of its transition's label.
WORKFLOWS: dict[str, Workflow] = {}


@dataclass
class Workflow:
    model: type[models.Model]
    transitions: Iterable[Transition]
    audit_prefix: str
    field: str = "status"
    _by_name: dict[str, Transition] = dataclasses.field(init=False, repr=False)

    def __post_init__(self):
        self._by_name = {t.name: t for t in self.transitions}
        WORKFLOWS[self.audit_prefix] = self
        choices = {value for value, _label in self.model._meta.get_field(self.field).choices}
        for t in self._by_name.values():
            unknown = ({t.target, *t.sources}) - choices
            if unknown:
                raise ValueError(f"{self.audit_prefix}.{t.name}: unknown states {unknown}")

    def __getitem__(self, name: str) -> Transition:
        return self._by_name[name]

    def targets_from(self, state: str) -> set[str]:
        return {t.target for t in self._by_name.values() if state in t.sources}

    def available(self, obj, user) -> list[Transition]:
        """Transitions the user may take from the object's current state (for UIs)."""
        state = getattr(obj, self.field)
        return [t for t in self._by_name.values() if state in t.sources and t.permits(user, obj)]

    def run(
        self,
        name: str,
        *,
        obj: models.Model,
        user,
        guard: Callable[[models.Model], None] | None = None,
        changes: Mapping[str, Any] | Callable[[models.Model], Mapping[str, Any]] | None = None,
        notify: Callable[[models.Model], None] | None = None,
        system: bool = False,
    ) -> models.Model:
        """Run a transition. ``system=True`` is for scheduled tasks acting at a
        time the rules fix (deadline reached, notice period over): no user, so
        the permission check is skipped and the audit event has no actor."""
        transition = self._by_name[name]
        with transaction.atomic():
            try:
                locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
            except type(obj).DoesNotExist:
                raise NotFoundError() from None
            # Permission first: someone who may never take this step learns
            # nothing from the object's state and gets the same answer each time.
            if not system and not transition.permits(user, locked):
                raise PermissionDeniedError()
            state = getattr(locked, self.field)
            if state not in transition.sources:
                raise ConflictError(
                    _("This action is not possible while the status is “%(state)s”.")
                    % {"state": _display(locked, self.field)},
                    code="invalid_transition",
                )
            if guard is not None:
                guard(locked)
            extra = dict(changes(locked) if callable(changes) else (changes or {}))
            names = [self.field, *extra]
            before = audit.snapshot(locked, names)
            setattr(locked, self.field, transition.target)
            for key, value in extra.items():
                setattr(locked, key, value)
            locked.save(update_fields=names)
            audit.record(
                actor=user,
                action=f"{self.audit_prefix}.{name}",
                obj=locked,
                before=before,
                after=audit.snapshot(locked, names),
            )
            if notify is not None:
                # Notifications go to other people: write them in the portal's
                # language, not in the language of whoever acted.
                with translation.override(settings.LANGUAGE_CODE):
                    notify(locked)
        for key in names:
            setattr(obj, key, getattr(locked, key))
        return locked


def _display(obj: models.Model, field_name: str) -> str:
    return str(getattr(obj, f"get_{field_name}_display")())
