"""Where a user stands in a process: a step indicator (the set-up of a round), a
task list (the preparation of a bid) and a lifecycle timeline (a round, a
contract). The apps decide the steps from their own fields; the kernel's
includes ``includes/steps_indicator.html``, ``includes/steps_tasks.html`` and
``includes/timeline_lifecycle.html`` draw them the same way everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _

# A step of a set-up sequence ---------------------------------------------------------

DONE = "done"
CURRENT = "current"
TODO = "todo"


@dataclass(frozen=True)
class Step:
    """One step of a sequence; ``url`` is empty when the step cannot be visited."""

    key: str
    label: str
    url: str
    done: bool
    current: bool = False

    @property
    def state(self) -> str:
        return CURRENT if self.current else DONE if self.done else TODO


# A task of a task list (GOV.UK's pattern) --------------------------------------------

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
CANNOT_START = "cannot_start"

TASK_STATUS_LABELS = {
    NOT_STARTED: _("Not started"),
    IN_PROGRESS: _("In progress"),
    COMPLETED: _("Completed"),
    CANNOT_START: _("Cannot start yet"),
}


@dataclass(frozen=True)
class Task:
    key: str
    label: str
    status: str
    url: str = ""
    hints: tuple[str, ...] = ()

    @property
    def status_label(self) -> str:
        return str(TASK_STATUS_LABELS[self.status])


# A milestone of a lifecycle ----------------------------------------------------------

PAST = "past"
NOW = "now"
NEXT = "next"


@dataclass(frozen=True)
class Milestone:
    """A step of a lifecycle: ``when`` is the date it happened (past) or is due
    (next), ``None`` when not known."""

    label: str
    state: str
    when: datetime | date | None = None
    note: str = ""

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime)


def lifecycle(done: list[tuple], current: tuple | None, upcoming: list[tuple]) -> list[Milestone]:
    """Milestones from ``(label, when[, note])`` tuples: the steps taken, the
    current one, the steps ahead."""

    def make(item: tuple, state: str) -> Milestone:
        label, when, *rest = item
        return Milestone(
            label=str(label), state=state, when=when, note=str(rest[0]) if rest else ""
        )

    return [
        *(make(item, PAST) for item in done),
        *([make(current, NOW)] if current else []),
        *(make(item, NEXT) for item in upcoming),
    ]


def timeline(items: list[tuple], *, stopped: tuple | None = None) -> list[Milestone]:
    """A lifecycle from ``(label, date it happened, date it is due, reached, note)``
    in order: the steps reached up to the first one that is not are past; that one
    is the current step; the rest are ahead with their due dates. When everything is
    reached, the last step is the current one. ``stopped`` (a ``(label, when, note)``)
    ends the lifecycle early, as a cancellation or a termination does."""
    done, ahead = [], []
    for label, happened, due, reached, note in items:
        if reached and not ahead:
            done.append((label, happened, note))
        else:
            ahead.append((label, due, note))
    if stopped is not None:
        return lifecycle(done, stopped, [])
    if not ahead:
        return lifecycle(done[:-1], done[-1] if done else None, [])
    return lifecycle(done, ahead[0], ahead[1:])
