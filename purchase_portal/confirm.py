"""Check-your-answers pages before an irreversible or public act.

The act's button on a page is a link to a confirmation page (GET) that lists the
key facts, says what will happen, whether it can be undone and who is told; its
form posts to the act's own endpoint, which runs the service as before. A view
declares only what is particular to its act::

    return confirm_page(request, Confirmation(
        title=_("Submit your bid?"), action=url, button=_("Submit the bid"),
        back=detail_url, facts=[Fact(_("Bid price"), "100,000 元")],
        consequences=[...], recipients=[...]))

A GET never changes anything: it only reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


@dataclass
class Fact:
    """One row of the summary list. ``value`` is a text or a list of texts;
    ``digest`` marks values (hashes) shown as code that wraps anywhere."""

    label: Any
    value: Any
    digest: bool = False

    @property
    def many(self) -> bool:
        return isinstance(self.value, (list, tuple))


@dataclass
class Document:
    """A document to read before acting (a PDF), with its SHA-256."""

    label: Any
    url: str
    sha256: str = ""


@dataclass
class Confirmation:
    title: Any
    action: str  #: the URL the confirming form posts to
    button: Any
    back: str  #: where "Cancel" leads: the page the act started from
    facts: list[Fact] = field(default_factory=list)
    consequences: list[Any] = field(default_factory=list)
    recipients: list[Any] = field(default_factory=list)
    irreversible: bool = True
    #: how the act can be reversed when it can (e.g. "withdraw before the deadline")
    undo: Any = ""
    #: the rule the act follows, with its source (law, article)
    legal: Any = ""
    documents: list[Document] = field(default_factory=list)
    hidden: dict[str, Any] = field(default_factory=dict)
    form: Any = None  #: extra input the act needs (a password to sign)
    danger: bool = False
    lead: Any = ""

    @property
    def no_recipients(self):
        return _("Nobody is notified.")


def amount(value) -> str:
    """A sum of money for a summary list: thousands separated, with its unit."""
    if value is None:
        return "—"
    return f"{value:,.2f} {gettext('CNY')}"


def when(value) -> str:
    """A moment in the portal's time zone, as the pages show it."""
    if value is None:
        return "—"
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def confirm_page(request, confirmation: Confirmation, *, status: int = 200):
    """Render the confirmation page of an act."""
    return render(request, "confirm_action_page.html", {"confirm": confirmation}, status=status)


def people(label, users) -> str:
    """A group of recipients with the number of people in it."""
    count = len(users) if isinstance(users, (list, tuple, set)) else users.count()
    return ngettext("%(who)s (%(n)s person)", "%(who)s (%(n)s people)", count) % {
        "who": label,
        "n": count,
    }
